"""Shown instead of a broken layout when the terminal is below the minimum size."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Static

MIN_WIDTH, MIN_HEIGHT = 80, 24


def notice_text(width: int, height: int) -> str:
    return (f"terminal too small: need {MIN_WIDTH}x{MIN_HEIGHT}, have {width}x{height}\n"
            "enlarge the window (q quits)")


class TooSmallScreen(Screen):
    """Takes over the whole terminal; the app pops it once the size is back."""

    AUTO_FOCUS = ""  # nothing focused: every key acts at once

    def compose(self) -> ComposeResult:
        with Middle():
            with Center():
                yield Static(notice_text(*self.app.size), id="too-small")

    def update_size(self, width: int, height: int) -> None:
        if self.is_mounted:
            self.query_one("#too-small", Static).update(notice_text(width, height))

    def on_screen_resume(self) -> None:
        self.app._check_size()  # type: ignore[attr-defined]
