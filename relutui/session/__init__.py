"""The session: runs, compare pair, play budget, step-through, selection, the claims lab and
the lesson glue, and the views the widgets render. Plain Python: no Textual, no Rich (a test
holds it to that: tests/test_layers.py)."""

from relutui.session.session import AppState, Session

__all__ = ["Session", "AppState"]
