"""A lesson's notes, in a side panel (toggled with N)."""

from __future__ import annotations

import re

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

_ITEM = re.compile(r"(\d+[.)]|[-*•])\s+")


def note_items(notes: str) -> list[tuple[str, str]]:
    """The notes as (marker, text) items, each text one line to be wrapped by the panel.

    A lesson's TOML wraps its lines for the editor; kept as they are, the panel would wrap
    them again and leave ragged half lines. A line that starts with "1." or "-" starts an
    item, a blank line starts a paragraph, any other line continues the one before."""
    items: list[tuple[str, list[str]]] = []
    blank = False
    for line in notes.splitlines():
        text = line.strip()
        if not text:
            blank = bool(items)
            continue
        match = _ITEM.match(text)
        if blank:
            items.append(("", []))  # the paragraph break stays a blank line
        if match:
            items.append((match.group(1), [text[match.end():]]))
        elif blank or not items:
            items.append(("", [text]))
        else:
            items[-1][1].append(text)
        blank = False
    return [(marker, " ".join(words)) for marker, words in items]


class NotesPanel(VerticalScroll):
    _shown: object = None

    def compose(self) -> ComposeResult:
        yield Static("", id="notes-text")

    def show(self, notes: str | None, title: str, force: bool = False) -> None:
        key = (notes, title)
        if key == self._shown and not force:
            return
        self._shown = key
        self.border_title = Content(title or "notes")  # the lesson's text: never parsed as markup
        self.border_subtitle = "N hides"
        grid = Table.grid(padding=(0, 1, 0, 0))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        for marker, text in note_items(notes or ""):
            grid.add_row(marker, Text(text))  # hanging indent: wrapped lines stay under the text
        self.query_one("#notes-text", Static).update(grid)
