"""A lesson's notes, in a side panel (toggled with N) or over a screen with no place for them;
the first-run card."""

from __future__ import annotations

import re

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
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


def sequence_hint(app) -> str:
    """`` · 2/3 · m next`` in a sequence of lessons (relutui --lesson A --lesson B), else ""."""
    lessons = len(getattr(app, "lessons", ()) or ())
    if lessons < 2:
        return ""
    index = getattr(app, "lesson_index", 0)
    keys = "m next" if index < lessons - 1 else "M back"
    return f" · {index + 1}/{lessons} · {keys}"


class NotesPanel(VerticalScroll):
    _shown: object = None

    def compose(self) -> ComposeResult:
        yield Static("", id="notes-text")

    def show(self, notes: str | None, title: str, force: bool = False) -> None:
        lessons = len(getattr(self.app, "lessons", ()) or ())
        index = getattr(self.app, "lesson_index", 0)
        key = (notes, title, index)
        if key == self._shown and not force:
            return
        self._shown = key
        self.border_title = Content(title or "notes")  # the lesson's text: never parsed as markup
        # a sequence of lessons (relutui --lesson A --lesson B): where it is, and the keys
        self.border_subtitle = "N hides" + sequence_hint(self.app)
        grid = Table.grid(padding=(0, 1, 0, 0))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        for marker, text in note_items(notes or ""):
            grid.add_row(marker, Text(text))  # hanging indent: wrapped lines stay under the text
        self.query_one("#notes-text", Static).update(grid)


def _see_through(screen: ModalScreen, alpha: float) -> None:
    """The screen below shows through, dimmed (relutui.tcss gives every Screen an opaque
    background, which a widget's DEFAULT_CSS cannot override: set inline)."""
    from textual.color import Color

    try:
        base = Color.parse(screen.app.theme_variables.get("background") or "#000000")
    except Exception:
        base = Color(0, 0, 0)
    screen.styles.background = base.with_alpha(alpha)


class NotesOverlay(ModalScreen[None]):
    """The lesson's notes over a screen that has no place for them (compare mode, the
    step-through): N, escape or x closes it."""

    BINDINGS = [Binding("N,escape,x", "close", "Close notes")]
    DEFAULT_CSS = """
    NotesOverlay { align: right middle; background: $background 40%; }
    NotesOverlay > NotesPanel { width: 60; max-width: 100%; height: auto; max-height: 90%;
                                border: round $primary; padding: 0 1; background: $surface; }
    """

    def __init__(self, notes: str, title: str) -> None:
        super().__init__()
        self.notes, self.title_text = notes, title

    def compose(self) -> ComposeResult:
        yield NotesPanel(id="notes-overlay")

    def on_mount(self) -> None:
        _see_through(self, 0.4)
        panel = self.query_one(NotesPanel)
        panel.show(self.notes, self.title_text)
        panel.border_subtitle = "N closes · ↑↓ scroll" + sequence_hint(self.app)
        panel.styles.width = max(60, len(self.title_text) + 8)  # the title whole (max-width: 100%)
        self.set_focus(panel)

    def action_close(self) -> None:
        self.dismiss(None)


WELCOME = (("space", "watch a ReLU net learn xor"),
           ("e", "test the article's claims one by one (the claims lab)"),
           ("w", "walk through the article: each claim marked by its verdict"),
           ("?", "help: every key, colour and symbol"))


class WelcomeCard(ModalScreen[None]):
    """The first-run card: where to start. Any key closes it; a key it names also acts
    (x and escape only close it)."""

    DEFAULT_CSS = """
    WelcomeCard { align: center middle; background: $background 30%; }
    WelcomeCard > Static { width: auto; max-width: 100%; height: auto; border: round $primary;
                           padding: 0 1; background: $surface; }
    """

    def compose(self) -> ComposeResult:
        grid = Table.grid(padding=(0, 1, 0, 0))
        grid.add_column(no_wrap=True, style="bold")
        grid.add_column()
        for key, what in WELCOME:
            grid.add_row(key, what)
        card = Static(grid, id="welcome")
        card.border_title = "where to start"
        card.border_subtitle = "any key closes this · x"
        yield card

    def on_mount(self) -> None:
        _see_through(self, 0.3)

    def on_key(self, event) -> None:
        event.stop()
        event.prevent_default()
        key = event.key
        self.dismiss(None)
        if key not in ("x", "escape"):
            self.app.call_after_refresh(self.app.simulate_key, key)

    def on_click(self) -> None:
        self.dismiss(None)
