"""The Textual app. Importing this package stays light: the app loads on ``run_app``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from relutui.training import TrainConfig


def run_app(config: "TrainConfig | None" = None, *, lesson_path=None) -> int:
    """Run the app until the user quits; returns the process exit code."""
    from relutui.app.app import ReluApp

    app = ReluApp(config, lesson_path=lesson_path)
    app.run()
    return app.return_code or 0
