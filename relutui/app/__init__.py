"""The Textual app. Importing this package stays light: the app loads on ``run_app``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from relutui.training import TrainConfig


def run_app(config: "TrainConfig | None" = None, *, lesson_path=None, preferences: bool = True,
            welcome: bool = True) -> int:
    """Run the app until the user quits; returns the process exit code. ``preferences``: read and
    save the theme and layout in the user's config directory (``relutui.app.preferences``).
    ``welcome``: the first-run card, when no lesson is given (and it was not dismissed before)."""
    from relutui.app.app import ReluApp

    app = ReluApp(config, lesson_path=lesson_path, preferences=preferences,
                  welcome=welcome and not lesson_path)
    app.run()
    return app.return_code or 0
