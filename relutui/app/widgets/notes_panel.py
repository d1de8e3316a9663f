"""A lesson's notes, in every mode while a lesson is loaded: a docked panel (120x36 and up),
a strip of one note on a small terminal (N opens them all over the screen); N hides / shows
them. The lesson's text is plain text, never markup. The first-run card."""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from relutui.app.widgets.titles import room

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


def sequence_hint(app, short: bool = False) -> str:
    """`` · 2/3 · m next`` in a sequence of lessons (relutui --lesson A --lesson B), else "".
    ``short``: `` · lesson 2/3`` (a strip's label)."""
    lessons = len(getattr(app, "lessons", ()) or ())
    if lessons < 2:
        return ""
    index = getattr(app, "lesson_index", 0)
    if short:
        return f" · lesson {index + 1}/{lessons}"
    keys = "m next" if index < lessons - 1 else "M back"
    return f" · {index + 1}/{lessons} · {keys}"


class NotesPanel(VerticalScroll):
    """The notes whole, in a docked panel (the main screen's side, the step-through's left
    column, compare mode's bottom row); it scrolls (the mouse, or tab then the arrows)."""

    _shown: object = None

    def __init__(self, *args, fit_title: bool = True, **kwargs) -> None:
        """``fit_title``: a title longer than the border goes first in the panel, whole, and
        the border says "notes" (the main screen's side panel keeps it in its border, cut:
        tests/robustness/test_markup_text.py reads it there)."""
        super().__init__(*args, **kwargs)
        self.fit_title = fit_title

    def compose(self) -> ComposeResult:
        yield Static("", id="notes-text")

    def show(self, notes: str | None, title: str, force: bool = False) -> None:
        lessons = len(getattr(self.app, "lessons", ()) or ())
        index = getattr(self.app, "lesson_index", 0)
        # the title in the border when it fits it whole, else first in the panel (never cut)
        space = room(self.size.width)
        in_border = not self.fit_title or (bool(title) and (space is None or cell_len(title) <= space))
        # (the grid wraps itself to the width: a resize rebuilds it only when the title moves)
        key = (notes, title, index, lessons, in_border)
        if key == self._shown and not force:
            return
        self._shown = key
        self._args = (notes, title)
        self.border_title = Content(title if in_border and title else "notes")  # never parsed as markup
        # a sequence of lessons (relutui --lesson A --lesson B): where it is, and the keys
        self.border_subtitle = "N hides" + sequence_hint(self.app)
        grid = Table.grid(padding=(0, 1, 0, 0))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        for marker, text in note_items(notes or ""):
            grid.add_row(marker, Text(text))  # hanging indent: wrapped lines stay under the text
        shown = Group(Text(title, style="bold"), grid) if title and not in_border else grid
        self.query_one("#notes-text", Static).update(shown)

    _args: tuple | None = None

    def on_resize(self) -> None:
        if self._args is not None:
            self.show(*self._args)


# ---------------------------------------------------------------- the current note
def notes_shown(notes: str | None) -> list[tuple[str, str]]:
    """The items a strip steps through (the blank lines between paragraphs left out)."""
    return [(marker, text) for marker, text in note_items(notes or "") if text]


def current_note(app) -> int:
    """The note the strip shows (0 when the notes changed: another lesson of a sequence)."""
    state = app.state
    kept = getattr(app, "_current_note", None)
    key = (state.notes, getattr(app, "lesson_index", 0))
    if kept is None or kept[0] != key:
        return 0
    return min(kept[1], max(len(notes_shown(state.notes)) - 1, 0))


def set_current_note(app, index: int) -> int:
    state = app.state
    n = len(notes_shown(state.notes))
    index = min(max(index, 0), max(n - 1, 0))
    app._current_note = ((state.notes, getattr(app, "lesson_index", 0)), index)
    return index


class NotesStrip(Widget):
    """A small terminal's notes: one note (an item of the list) on two lines under the panels,
    its place in the list first. N opens them all (``NotesOverlay``: the arrows choose the
    note the strip shows); N there hides the strip, N again shows it."""

    DEFAULT_CSS = "NotesStrip { height: 2; padding: 0 1; }"

    def show(self, force: bool = False) -> None:
        state = self.app.state
        key = (state.notes, getattr(self.app, "lesson_index", 0), current_note(self.app))
        if key != getattr(self, "_shown", None) or force:
            self._shown = key
            self.refresh()

    def strip_text(self, width: int) -> Text:
        """Two lines at most of ``width`` cells: "notes ◦•◦◦" (the note's place) and the note;
        a cut note ends "… N: all notes" (the overlay has it whole)."""
        from rich.console import Console

        app = self.app
        items = notes_shown(app.state.notes)
        if not items:
            return Text("")
        k = current_note(app)
        marker, note = items[k]
        # where it is in the list as dots (a count would clash with the notes' own "2."):
        # notes ◦◦•◦
        dots = "".join("•" if i == k else "◦" for i in range(len(items))) if len(items) > 1 else ""
        label = f"notes {dots}{sequence_hint(app, short=True)} ".replace("  ", " ")
        text = Text(label, style="bold reverse")
        text.append(" ")
        if marker:
            text.append(marker + " ", style="bold")
        text.append(note)  # plain text: a Text is never parsed as markup
        tail = "  N: all notes"  # (N opens them whole: a note of one item too)
        console = Console(width=max(width, 10), legacy_windows=False, color_system=None)
        lines = text.wrap(console, max(width, 10))
        if len(lines) <= 2 and lines[-1].cell_len + len(tail) <= width:
            text.append(tail, style="dim")
            return text
        if len(lines) == 1:  # fits, but the hint goes on the second line
            return Text("\n").join([lines[0], Text(tail.strip(), style="dim")])
        second = lines[1]
        cut = "… N: all notes" if len(lines) > 2 else tail
        room = max(width - len(cut) - 1, 0)  # (the space before it)
        second.truncate(room)
        second.rstrip()
        if len(lines) > 2:
            second.append(" ")
        second.append(cut, style="dim")
        return Text("\n").join([lines[0], second])

    def render(self) -> Text:
        return self.strip_text(self.content_region.width or self.size.width)


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
    """All the lesson's notes over a small terminal's screen (N on its strip): ↑ ↓ choose the
    note the strip shows, escape goes back to the strip, N hides the strip."""

    BINDINGS = [
        Binding("escape,x,enter", "close", "back to the strip"),
        Binding("N", "hide", "hide the notes"),
        Binding("up,k", "note(-1)", "previous note"),
        Binding("down,j", "note(1)", "next note"),
    ]
    DEFAULT_CSS = """
    NotesOverlay { align: center bottom; background: $background 40%; }
    NotesOverlay > #notes-overlay { width: 100%; max-width: 100; height: auto; max-height: 100%;
                                    border: round $primary; padding: 0 1; background: $surface;
                                    scrollbar-size-vertical: 1; }
    NotesOverlay .note { height: auto; width: 1fr; }
    NotesOverlay .note.-current { background: $boost; text-style: bold; }
    NotesOverlay .note-gap { height: 1; }
    """

    def __init__(self, notes: str, title: str) -> None:
        super().__init__()
        self.notes, self.title_text = notes, title

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="notes-overlay"):
            k = 0
            for marker, text in note_items(self.notes):
                if not text:
                    yield Static("", classes="note-gap")
                    continue
                grid = Table.grid(padding=(0, 1, 0, 0))
                grid.add_column(no_wrap=True)
                grid.add_column(ratio=1)
                grid.add_row(marker or "·", Text(text))
                yield Static(grid, classes="note", id=f"note-{k}")
                k += 1

    def on_mount(self) -> None:
        _see_through(self, 0.4)
        pane = self.query_one("#notes-overlay")
        pane.border_title = Content(self.title_text or "notes")  # never parsed as markup
        pane.border_subtitle = "↑↓ note · esc back · N hides" + sequence_hint(self.app)
        self.set_focus(pane)
        self._mark(current_note(self.app))

    def _mark(self, index: int) -> None:
        for note in self.query(".note"):
            note.set_class(note.id == f"note-{index}", "-current")
        current = self.query(f"#note-{index}")
        if current:
            self.call_after_refresh(current.first().scroll_visible, animate=False)

    def action_note(self, delta: int) -> None:
        self._mark(set_current_note(self.app, current_note(self.app) + delta))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_hide(self) -> None:
        state = self.app.state
        if state.show_notes:
            self.app.intent(state.toggle_notes)
        self.dismiss(None)


def notes_key(app) -> None:
    """N in every mode: the notes' panel hides / shows; on a small terminal (a strip of one
    note) N first opens them all (``NotesOverlay``), N there hides the strip."""
    state = app.state
    if isinstance(app.screen, NotesOverlay):
        app.screen.action_hide()
        return
    if state.notes is None:
        app.notify("no notes: a lesson with notes shows them here (relutui --lesson NAME; "
                   "relutui lessons lists them)", severity="warning", timeout=4, markup=False)
        return
    strip = getattr(app.screen, "notes_strip_shown", None)
    if strip is not None and strip():
        app.push_screen(NotesOverlay(state.notes, state.notes_title))
        return
    app.intent(state.toggle_notes)


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
