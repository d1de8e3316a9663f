"""The Textual app. Importing this package stays light: the app loads on ``run_app``."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from relutui.training import TrainConfig

NO_TERMINAL = ("relutui: error: the app needs a terminal and {what} not one "
               "(in a browser: relutui serve; without a screen: relutui run)\n")


def _not_terminals() -> list[str]:
    def tty(stream) -> bool:
        try:
            return stream is not None and stream.isatty()
        except (ValueError, OSError):  # closed
            return False

    return [name for name, s in (("stdin", sys.stdin), ("stdout", sys.stdout)) if not tty(s)]


def served() -> bool:
    """True in a session of ``relutui serve``: textual-serve runs the app on pipes with its web
    driver (it sets TEXTUAL_DRIVER), so there is no terminal and none is needed."""
    return os.environ.get("TEXTUAL_DRIVER", "").startswith("textual.drivers.web_driver")


def run_app(config: "TrainConfig | None" = None, *, lesson_path=None, preferences: bool = True,
            welcome: bool = True) -> int:
    """Run the app until the user quits; returns the process exit code (2: no terminal).
    ``preferences``: read and save the theme and layout in the user's config directory
    (``relutui.app.preferences``). ``welcome``: the first-run card, when no lesson is given
    (and it was not dismissed before)."""
    missing = [] if served() else _not_terminals()
    if missing:  # (Textual would wait forever for a terminal's answer)
        what = " and ".join(missing) + (" are" if len(missing) > 1 else " is")
        sys.stderr.write(NO_TERMINAL.format(what=what))
        return 2
    import gc

    # No garbage collection until the first frame: the passes over the ~10^5 objects that the
    # imports and the mount make cost ~60 ms of a ~470 ms start. The app freezes them at its
    # first frame and collects again from there (``ReluApp._freeze_heap``).
    gc.disable()
    try:
        from relutui.app.app import ReluApp

        app = ReluApp(config, lesson_path=lesson_path, preferences=preferences,
                      welcome=welcome and not lesson_path)
        app.run()
    finally:
        gc.enable()
    return app.return_code or 0
