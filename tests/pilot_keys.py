"""Key events as a terminal sends them, for tests that post keys without Pilot's waits.

The builder lives in the app's Textual seam (``relutui.app.textual_compat``), shared with the
demo player and the benchmarks."""

from __future__ import annotations

from relutui.app.textual_compat import key_event

__all__ = ["key_event"]
