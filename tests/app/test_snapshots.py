"""Snapshot tests (pytest-textual-snapshot): fixed sizes, fixed seeds, no timers running.

Regenerate after a deliberate visual change with
`.venv/bin/python -m pytest tests/app/test_snapshots.py --snapshot-update` and look at
the SVGs before committing them.
"""

from __future__ import annotations

from relutui.app.app import ReluApp
from relutui.training import TrainConfig

SIZE = (120, 36)


def trained(steps: int):
    """run_before: train a fixed number of steps without the play timer."""

    async def run_before(pilot) -> None:
        app = pilot.app
        for _ in range(steps):
            app.state.full_step()
        app.refresh_views()
        await pilot.pause()

    return run_before


def test_main_screen(snap_compare):
    assert snap_compare(ReluApp(TrainConfig(seed=0)), terminal_size=SIZE, run_before=trained(150))


def test_main_screen_dying_relu(snap_compare):
    app = ReluApp(TrainConfig(seed=0, bias_init=-2.0))
    assert snap_compare(app, terminal_size=SIZE, run_before=trained(60))


def test_step_through_backward_phase(snap_compare):
    app = ReluApp(TrainConfig(seed=0, activation="sigmoid", layers=(8, 8, 8)))
    # forward x4, loss, backward through layers 4, 3, 2: the ledger of layer 2
    assert snap_compare(app, terminal_size=SIZE, run_before=trained(20), press=["n"] * 8)


def test_step_through_forward_phase_batch_mean(snap_compare):
    app = ReluApp(TrainConfig(seed=0))
    assert snap_compare(app, terminal_size=SIZE, run_before=trained(20), press=["n", "n", "b"])


def test_compare_mode(snap_compare):
    app = ReluApp(TrainConfig(seed=0))
    assert snap_compare(app, terminal_size=SIZE, run_before=_compare_trained(120))


def _compare_trained(steps: int):
    async def run_before(pilot) -> None:
        app = pilot.app
        app.toggle_compare()
        await pilot.pause()
        for _ in range(steps):
            app.state.full_step()
        app.refresh_views()
        await pilot.pause()

    return run_before


def test_help_screen(snap_compare):
    assert snap_compare(ReluApp(TrainConfig(seed=0)), terminal_size=SIZE, press=["question_mark"])


def test_small_terminal_layout(snap_compare):
    assert snap_compare(ReluApp(TrainConfig(seed=0)), terminal_size=(80, 24), run_before=trained(50))


def test_too_small_notice(snap_compare):
    assert snap_compare(ReluApp(TrainConfig(seed=0)), terminal_size=(60, 20))
