"""The Textual app. Importing this package stays light: the app loads on ``run_app``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from relutui.training import TrainConfig


def run_app(config: "TrainConfig | None" = None, *, lesson_path=None, preferences: bool = True) -> int:
    """Run the app until the user quits; returns the process exit code. ``preferences``: read and
    save the theme and layout in the user's config directory (``relutui.app.preferences``)."""
    from relutui.app.app import ReluApp

    app = ReluApp(config, lesson_path=lesson_path, preferences=preferences)
    app.run()
    return app.return_code or 0
