"""Divergence: lr = 10, a deep ReLU net and a large init reach NaN/inf within a step or two.

The app shows "diverged at step N", stops playing, refuses to train on, and reset
recovers (same seed, same weights). No numpy warning escapes: the suite runs with
``-W error::RuntimeWarning`` and ``np.seterr(raise)`` (tests/conftest.py), and the
captured stdout/stderr must stay empty.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from relutui.app.app import ReluApp
from relutui.training import TrainConfig, TrainingRun

from robust_helpers import assert_app_healthy, until_diverged

SIZE = (120, 36)
DIVERGING = TrainConfig(lr=10, layers=(32,) * 8, init="normal", init_std=3, dataset="sine", seed=0)
DIVERGING_2D = TrainConfig(lr=10, layers=(32,) * 8, init="normal", init_std=3, dataset="xor", seed=0)


def _status(app) -> str:
    return str(app.screen.query_one("#status").render())


def _finite(run) -> bool:
    return all(np.isfinite(p).all() for p in (*run.net.weights, *run.net.biases))


def test_headless_run_diverges_and_stops_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = TrainingRun(DIVERGING)
        run.train(1000)
    assert run.diverged_at is not None and run.step == run.diverged_at
    assert run.step < 5
    step = run.step
    run.train(10)  # stays stopped
    assert run.step == step
    run.reset()
    assert run.diverged_at is None and run.step == 0 and _finite(run)


@pytest.mark.parametrize("config", [DIVERGING, DIVERGING_2D], ids=["sine", "xor"])
async def test_app_shows_diverged_stops_and_reset_recovers(config, capfd):
    app = ReluApp(config)
    notes = []
    async with app.run_test(size=SIZE) as pilot:
        app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
        w0 = [w.copy() for w in app.state.run.net.weights]
        await until_diverged(app, lambda: pilot.press("s"), 10)
        await pilot.pause()
        n = app.state.diverged_at
        assert n is not None
        assert f"diverged at step {n}" in _status(app)
        assert any(f"diverged at step {n}" in m and "training stopped" in m for m in notes), notes
        assert not app.state.playing and app._timer is None
        assert_app_healthy(app)
        # training on is refused with a message, not raised
        notes.clear()
        await pilot.press("s", "space", "n")
        assert app.state.step == n and not app.state.playing and app._timer is None
        assert notes and all("press r to reset" in m for m in notes), notes
        # every other key still works on a diverged state, without announcing it again
        notes.clear()
        await pilot.press("b", "down", "right", "plus", "minus", "comma", "full_stop", "question_mark")
        await pilot.press("escape")
        await pilot.pause()
        assert_app_healthy(app)
        assert not any("training stopped" in m for m in notes), notes
        # reset recovers: same seed, same weights, no divergence
        await pilot.press("r")
        await pilot.pause()
        s = app.state
        assert s.diverged_at is None and s.step == 0 and _finite(s.run)
        for a, b in zip(w0, s.run.net.weights):
            np.testing.assert_array_equal(a, b)
        assert "diverged" not in _status(app)
        # and it diverges again at the very same step (determinism)
        await until_diverged(app, lambda: pilot.press("s"), 10)
        assert s.diverged_at == n
    out, err = capfd.readouterr()
    assert "RuntimeWarning" not in out + err and "overflow" not in out + err and "invalid value" not in out + err


async def test_playing_into_a_divergence_stops_the_timer(app_pilot, capfd):
    async with app_pilot(DIVERGING_2D, size=SIZE) as (app, pilot):
        await pilot.press("space")
        await until_diverged(app, lambda: pilot.pause(0.05), 40)
        await pilot.pause(0.1)
        assert app.state.diverged and not app.state.playing and app._timer is None
        step = app.state.step
        await pilot.pause(0.2)
        assert app.state.step == step  # really stopped
        assert f"diverged at step {app.state.diverged_at}" in _status(app)
        assert "‖ Pause" not in str(app.screen.query_one("#btn-play").label)
        first = app.state.diverged_at
        await pilot.press("r")
        assert not app.state.diverged and app.state.step == 0
        await pilot.press("space")  # plays again, into the same divergence
        await until_diverged(app, lambda: pilot.pause(0.05), 40)
        assert app.state.diverged_at == first and not app.state.playing and app._timer is None
        assert_app_healthy(app)
    assert "Warning" not in "".join(capfd.readouterr())


async def test_step_through_into_a_divergence(app_pilot):
    async with app_pilot(DIVERGING_2D, size=SIZE) as (app, pilot):
        for _ in range(3 * (len(app.state.phases) + 1)):
            await pilot.press("n")
            if app.state.diverged:
                break
            assert_app_healthy(app)
        assert app.state.diverged and app.state.phase is None
        assert f"diverged at step {app.state.diverged_at}" in _status(app)
        await pilot.press("r")
        assert not app.state.diverged and app.state.step == 0
        assert_app_healthy(app)


async def test_compare_mode_divergence_names_the_network(app_pilot):
    async with app_pilot(DIVERGING_2D, size=SIZE) as (app, pilot):
        await pilot.press("c")
        await pilot.pause()
        await until_diverged(app, lambda: pilot.press("s"), 10)
        await pilot.pause()
        assert app.state.diverged and not app.state.playing
        assert "diverged at step" in _status(app)
        assert_app_healthy(app)
        await pilot.press("r")
        await pilot.pause()
        assert not app.state.diverged and all(_finite(r) for r in app.state.runs())
        await pilot.press("c")
        assert_app_healthy(app)


async def test_compare_table_with_overflowed_gradients(app_pilot):
    """Found by the fuzz: the compare table's first/last ratio divided inf by inf when every
    layer's gradient norm had overflowed (the step before the divergence is caught): a
    FloatingPointError under np.seterr(raise) that crashed the app, a RuntimeWarning
    ("invalid value encountered in scalar divide") on the terminal otherwise."""
    import dataclasses

    async with app_pilot(size=SIZE) as (app, pilot):
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        views = [app.state.training_view(r) for r in app.state.runs()]
        for norms in ([np.inf, np.inf, np.inf], [np.inf, 1.0, np.inf], [np.nan, 1.0, np.inf], [1.0, 2.0, np.inf]):
            views[0] = dataclasses.replace(views[0], layer_norms=np.array(norms))
            screen._table(views)  # no error, no warning (the suite makes both fatal)
        assert app._exception is None


async def test_network_diagram_colours_values_that_overflowed(app_pilot):
    """A neuron's value can be inf or nan (inf - inf) in the pass that diverges: its colour is
    full strength or muted. A nan strength made Textual's Color.blend raise ValueError
    ("cannot convert float NaN to integer"), seen once in the key fuzz."""
    import dataclasses

    from relutui.app.widgets import palette
    from relutui.app.widgets.network_view import NetworkDiagram

    async with app_pilot(size=SIZE) as (app, pilot):
        for value, scale in ((np.nan, 1.0), (np.inf, 1.0), (-np.inf, 2.0), (1.0, np.inf), (np.nan, np.nan)):
            palette.signed_color(app, value, scale).hex6
        view = app.state.network_view()
        col = view.columns[1]
        cells = [dataclasses.replace(c, value=v) for c, v in zip(col.cells, [np.nan, np.inf, -np.inf])]
        cells += col.cells[3:]
        columns = [view.columns[0], dataclasses.replace(col, cells=cells), *view.columns[2:]]
        diagram = app.screen.query_one(NetworkDiagram)
        diagram.show(dataclasses.replace(view, columns=columns), True)
        text = "\n".join(diagram.render_line(y).text for y in range(diagram.size.height))
        assert "nan" in text and "inf" in text
        assert app._exception is None


# ---------------------------------------------------------------- what the app says after a divergence
# (a QA pass: space after a divergence seemed to do nothing)
# as tests/app/conftest.py DIVERGING: diverges in a step or two
QA_DIVERGING = TrainConfig(seed=0, lr=100.0, layers=(32,) * 6, init_std=10.0)
NARROW = (80, 24)


async def test_space_after_divergence_says_why_nothing_plays():
    app = ReluApp(QA_DIVERGING)
    notes = []
    async with app.run_test(size=SIZE) as pilot:
        app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
        for _ in range(10):
            await pilot.press("s")
            if app.state.diverged:
                break
        n = app.state.diverged_at
        assert n is not None
        for key, what in (("space", "cannot play"), ("s", "cannot step"), ("n", "cannot step through")):
            notes.clear()
            await pilot.press(key)
            await pilot.pause()
            assert notes == [f"{what}: ReLU diverged at step {n} — press r to reset"], notes
        assert not app.state.playing and app.state.step == n
        assert f"diverged at step {n} — r resets" in _status(app)


async def test_diverged_state_stays_in_view_at_80_columns(app_pilot):
    async with app_pilot(QA_DIVERGING, size=NARROW) as (app, pilot):
        for _ in range(10):
            await pilot.press("s")
            if app.state.diverged:
                break
        await pilot.pause()
        line = _status(app)
        assert line.rstrip().endswith(f"diverged at step {app.state.diverged_at} — r resets"), line
        assert len(line) <= NARROW[0]
