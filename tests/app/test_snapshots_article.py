"""Snapshots of the article walk-through at 80x24 and 120x36 (pytest-textual-snapshot).
No background runs: the verdicts of three quick experiments are put in before the shot.

Regenerate with `.venv/bin/python -m pytest tests/app/test_snapshots_article.py --snapshot-update`
and look at the SVGs before committing them."""

from __future__ import annotations

from relutui.app.app import ReluApp
from relutui.experiments.claims import CLAIMS

SHOWN = ("nonlinearity", "f-vs-derivative", "linear-pieces")
SELECTED = next(i for i, c in enumerate(CLAIMS) if c.experiment == "nonlinearity")


async def _open_article(pilot) -> None:
    from relutui.experiments import run_experiment

    app = pilot.app
    runner = app.article_runner()
    for name in SHOWN:
        runner.record(name, run_experiment(name, tables=False).verdict_obj)
    app.article_selected = SELECTED
    await pilot.press("w")
    await pilot.pause()


def _app() -> ReluApp:
    app = ReluApp()
    app.article_autorun = False
    return app


def test_article_screen_120x36(snap_compare):
    assert snap_compare(_app(), terminal_size=(120, 36), run_before=_open_article)


def test_article_screen_80x24(snap_compare):
    assert snap_compare(_app(), terminal_size=(80, 24), run_before=_open_article)
