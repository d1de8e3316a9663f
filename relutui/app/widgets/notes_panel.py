"""A lesson's notes, in a side panel (toggled with N)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static


class NotesPanel(VerticalScroll):
    _shown: object = None

    def compose(self) -> ComposeResult:
        yield Static("", id="notes-text")

    def show(self, notes: str | None, title: str, force: bool = False) -> None:
        key = (notes, title)
        if key == self._shown and not force:
            return
        self._shown = key
        self.border_title = title or "notes"
        self.border_subtitle = "N hides"
        self.query_one("#notes-text", Static).update(Text(notes or ""))
