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


def _experiment_run(name: str, steps: int, seeds: int, **changes):
    """run_before: load an experiment (small steps/seeds), wait for its worker, no notices."""

    async def run_before(pilot) -> None:
        from relutui.experiments import get_experiment

        app = pilot.app
        app.load_experiment(get_experiment(name).with_changes(steps=steps, seeds=seeds))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        if changes:
            for key, value in changes.items():
                app.intent(app.state.set, key, value)
            app.run_experiment()
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
        app.clear_notifications()
        app.refresh_views()
        await pilot.pause()

    return run_before


def test_experiment_verdict_panel(snap_compare):
    # dying-relu-bias re-run with bias init 0: the verdict moves from holds to does not hold
    app = ReluApp(TrainConfig(seed=0))
    assert snap_compare(app, terminal_size=SIZE, run_before=_experiment_run("dying-relu-bias", 40, 2, bias=0.0))


def on_field(field: str):
    """run_before: the controls list focused, ``field`` highlighted."""

    async def run_before(pilot) -> None:
        from relutui.app.widgets.controls import ControlsPanel

        await pilot.pause()
        pilot.app.screen.query_one(ControlsPanel).focus_field(field)
        await pilot.pause()

    return run_before


def test_control_editor_refusing_a_value(snap_compare):
    """The lr editor over its line of the controls, a refused value and its reason."""
    app = ReluApp(TrainConfig(seed=0))
    assert snap_compare(app, terminal_size=SIZE, run_before=on_field("lr"), press=["enter", "0", "enter"])


def test_control_editor_choices(snap_compare):
    """The activation's choices, the value in force highlighted."""
    app = ReluApp(TrainConfig(seed=0))
    assert snap_compare(app, terminal_size=SIZE, run_before=on_field("activation"), press=["enter"])
