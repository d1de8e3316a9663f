"""The demo caption bar: a band across the bottom of the screen, above the footer, that a
class can read from the back of the room. It shows the key the demo just pressed, in reverse
video, with what that key does ("n  step-through: next phase"), and the demo's caption.

Keys are picked up by the app from the demo's own key events (``ReluApp.on_event``); a
caption comes through ``ReluApp.show_caption``. Text is plain (never markup)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

CAPTION_ID = "caption-bar"


def key_action(screen, app, key: str) -> tuple[str, str]:
    """(how the key is written, what it does) from the bindings of ``screen`` and the app;
    the help's names first (``relutui.app.screens.help.ACTIONS``): "next phase", not "Phase›"."""
    from textual.binding import Binding

    from relutui.app.screens.bindings import APP
    from relutui.app.screens.help import ACTIONS, COMPARE_ACTIONS
    from relutui.app.screens.compare import CompareScreen

    names = {**ACTIONS, **(COMPARE_ACTIONS if isinstance(screen, CompareScreen) else {})}
    for b in [*getattr(screen, "BINDINGS", []), *APP]:
        if not isinstance(b, Binding):
            continue
        if key in [k.strip() for k in b.key.split(",")]:
            shown = app.get_key_display(b.with_key(key))
            shown = "ctrl+" + shown[1:] if shown.startswith("^") and len(shown) > 1 else shown
            return shown, names.get(b.action, b.description)
    return key, ""


class CaptionBar(Static):
    """Docked at the bottom; hidden until a demo key or caption arrives, then it stays (the
    last key stays shown until the next one) so that the layout does not jump."""

    DEFAULT_CSS = """
    CaptionBar {
        dock: bottom;
        height: 4;  /* fixed: the screen above does not re-lay out at every key */
        width: 100%;
        padding: 0 1;
        background: $panel;
        color: $foreground;
        border-top: tall $accent;
        margin-bottom: 1;  /* above the footer (docked widgets overlap otherwise) */
        display: none;
    }
    CaptionBar.-shown { display: block; }
    """

    def __init__(self) -> None:
        super().__init__("", id=CAPTION_ID, markup=False)
        self.key_text: tuple[str, str] | None = None
        self.caption: str = ""
        self.title_text: str = ""

    def compose_content(self) -> Content:
        parts: list[Content] = []
        if self.key_text is not None:
            key, what = self.key_text
            parts.append(Content.styled(f" {key} ", "reverse bold"))
            if what:
                parts.append(Content(f"  {what}"))
        parts.append(Content("\n"))
        if self.caption:
            if self.title_text:
                parts.append(Content.styled(f"{self.title_text}: ", "bold"))
            parts.append(Content(self.caption))
        return Content("").join(parts)

    def show_now(self) -> None:
        self.update(self.compose_content())
        self.set_class(bool(self.key_text or self.caption), "-shown")
