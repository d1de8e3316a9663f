"""The demo caption bar: a band across the bottom of the screen, above the footer, that a
class can read from the back of the room. It shows the key the demo just pressed, in reverse
video, with what that key does ("n  step-through: next phase"), and the demo's caption.

Keys are picked up by the app from the demo's own key events (``ReluApp.on_event``); a
caption comes through ``ReluApp.show_caption``. Text is plain (never markup).

The app holds one :class:`Caption`; every screen that shows it has its own bar (a widget
lives on one screen). When a key opens another screen (``c``, ``?``, ``w``) the bar follows:
the new screen gets a bar showing the same key and caption, so a caption about the screen
a key opens stays on that screen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.content import Content
from textual.widgets import Static

CAPTION_ID = "caption-bar"


def key_action(screen, app, key: str) -> tuple[str, str]:
    """(how the key is written, what it does) from the bindings of ``screen`` and the app;
    the help's names first (``relutui.app.screens.help.actions_for``): "next phase", not "Phase›"."""
    from textual.binding import Binding

    from relutui.app.screens.bindings import APP
    from relutui.app.screens.help import actions_for, key_written

    names = actions_for(screen, app)
    for b in [*getattr(screen, "BINDINGS", []), *APP]:
        if not isinstance(b, Binding):
            continue
        if key in [k.strip() for k in b.key.split(",")]:
            shown = key_written(app, b, key)
            shown = {"⏎": "enter"}.get(shown, shown)  # (a word reads from the back of a room)
            return shown, names.get(b.action, b.description)
    return key, ""


@dataclass
class Caption:
    """What every caption bar shows: the last demo key (written, what it does) and the caption."""

    key_text: tuple[str, str] | None = None
    text: str = ""
    title: str = ""
    token: object | None = None  # the caption's own: an older caption's timer does not clear a newer one
    timer: Any = None  # the Timer that clears it (a paused live demo pauses it)

    def __bool__(self) -> bool:
        return bool(self.key_text or self.text)


class CaptionBar(Static):
    """Docked at the bottom; hidden until a demo key or caption arrives, then it stays (the
    last key stays shown until the next one) so that the layout does not jump."""

    DEFAULT_CSS = """
    CaptionBar {
        dock: bottom;
        /* the key line and a caption line at least: the screen above does not re-lay out at
           every key, only for a caption that wraps to more lines */
        height: auto;
        min-height: 3;
        max-height: 8;
        width: 100%;
        padding: 0 1;
        background: $panel;
        color: $foreground;
        border-top: tall $accent;
        margin-bottom: 1;  /* above the footer (docked widgets overlap otherwise) */
        display: none;
    }
    CaptionBar.-shown { display: block; }
    /* a short terminal (below 32 rows) keeps its rows for the panels: no border line */
    CaptionBar.-short { border-top: none; min-height: 2; }
    """

    def __init__(self) -> None:
        super().__init__("", id=CAPTION_ID, markup=False)

    @property
    def caption(self) -> Caption:
        return caption_of(self.app)

    def compose_content(self, width: int | None = None) -> Content:
        """The key line (the key in reverse video, what it does, the demo's title on the right
        where it fits), then the caption."""
        cap = self.caption
        width = width if width is not None else max(self.app.size.width - 2, 20)
        line = Content("")
        if cap.key_text is not None:
            key, what = cap.key_text
            line = Content.styled(f" {key} ", "reverse bold")
            if what:
                line += Content(f"  {short_action(what)}")
        if cap.title and line.cell_length + 2 + len(cap.title) <= width:
            line += Content(" " * (width - line.cell_length - len(cap.title)))
            line += Content.styled(cap.title, "bold")
        return Content("").join([line, Content("\n"), Content(cap.text)])

    def show_now(self) -> None:
        shown = bool(self.caption)
        self.set_class(self.app.size.height < 32, "-short")
        self.update(self.compose_content())
        self.set_class(shown, "-shown")
        if self.parent is not None:
            self.screen.set_class(shown, "-captioned")  # (the screen's panels make room: relutui.tcss)

    def on_resize(self) -> None:
        if self.caption:
            self.show_now()  # the title's place follows the width


def short_action(what: str) -> str:
    """A key's action without its parenthesis or second clause, for the bar's one line:
    "step-through: next phase (forward, ...); after ..." -> "step-through: next phase"."""
    return what.split(" (")[0].split("; ")[0]


# ---------------------------------------------------------------- the app's caption
def caption_of(app) -> Caption:
    """The app's caption (made, and set to follow the screens, on first use)."""
    cap = getattr(app, "_demo_caption", None)
    if cap is None:
        cap = app._demo_caption = Caption()
        app.screen_change_signal.subscribe(app, lambda screen: _follow(app, screen))
    return cap


def _takes_a_bar(screen) -> bool:
    """Not the command palette (a system screen) nor the too-small notice."""
    from textual.screen import SystemModalScreen

    from relutui.app.screens.too_small import TooSmallScreen

    return not isinstance(screen, (SystemModalScreen, TooSmallScreen))


def bar_on(screen, create: bool = True) -> CaptionBar | None:
    found = screen.query(f"#{CAPTION_ID}")
    if found:
        return found.first(CaptionBar)
    if not create or not _takes_a_bar(screen):
        return None
    bar = CaptionBar()
    screen.mount(bar)
    return bar


def _follow(app, screen) -> None:
    """A screen came to the top: it shows the caption too."""
    if screen is app.screen and caption_of(app):
        bar = bar_on(screen)
        if bar is not None:
            bar.show_now()


def refresh_bars(app) -> None:
    """Every bar of the stack shows the caption as it is now; the top screen gets one if needed."""
    cap = caption_of(app)
    for screen in app.screen_stack:
        bar = bar_on(screen, create=bool(cap) and screen is app.screen)
        if bar is not None:
            bar.show_now()


def show_key(app, key: str) -> None:
    """``key`` (reverse video) and what it does on the current screen, until the next key."""
    caption_of(app).key_text = key_action(app.screen, app, key)
    refresh_bars(app)


def show_status(app, key_text: tuple[str, str] | None, hold: bool = False) -> tuple[str, str] | None:
    """The key line says ``key_text`` (a live demo's "paused"); ``hold``: the caption's clock
    stops (it stays while the demo is paused), else it runs again. Returns what the line said."""
    cap = caption_of(app)
    before, cap.key_text = cap.key_text, key_text
    if cap.timer is not None:
        (cap.timer.pause if hold else cap.timer.resume)()
    refresh_bars(app)
    return before


def show_caption(app, text: str, title: str = "", timeout: float = 8.0) -> None:
    """``text`` (plain) after ``title:`` for ``timeout`` seconds, or until the next caption."""
    cap = caption_of(app)
    cap.text, cap.title = str(text), str(title)
    token = cap.token = object()
    refresh_bars(app)

    def clear() -> None:
        if cap.token is token:
            clear_caption(app)

    cap.timer = app.set_timer(timeout, clear)


def clear_caption(app) -> None:
    """No caption (the last key stays)."""
    cap = caption_of(app)
    cap.text, cap.title, cap.token = "", "", None
    refresh_bars(app)


def hide_captions(app) -> None:
    """No key and no caption: the bars go (the end of a live demo: the screen is the user's)."""
    cap = caption_of(app)
    cap.key_text = None
    clear_caption(app)
