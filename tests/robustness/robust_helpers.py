"""Shared checks for the robustness tests (a plain module, imported by the tests)."""

from __future__ import annotations

import math

import numpy as np


def assert_app_healthy(app) -> None:
    """The app is running, has not crashed, and its state satisfies every invariant."""
    from relutui.app.screens.main import MainScreen
    from relutui.app.widgets.controls import (
        INPUT_FIELDS, SELECT_FIELDS, field_text, parser_for, select_value,
    )
    from textual.widgets import Input, Select

    assert app._exception is None, app._exception
    assert app.is_running and app.return_code is None
    state = app.state
    state.check_invariants()  # the app author's own: shapes, selection, lr, speed, no NaN unless diverged
    # the same for the compare network
    for run in state.runs():
        net = run.net
        assert net.layer_sizes == (2, *state.config.layers, 1)
        for l in range(net.n_layers):
            assert net.weights[l].shape == (net.layer_sizes[l], net.layer_sizes[l + 1])
            assert net.biases[l].shape == (net.layer_sizes[l + 1],)
        if run.diverged_at is None:
            assert all(np.isfinite(w).all() for w in net.weights), "NaN/inf weights, not diverged"
            assert all(np.isfinite(b).all() for b in net.biases), "NaN/inf biases, not diverged"
        else:
            assert 0 <= run.diverged_at <= run.step + 1
        assert run.config.lr == state.config.lr
        assert len(run.history) <= run.history.capacity
    if state.run_b is not None:
        assert state.compare and state.run_b.config.activation == state.compare_activation
        assert state.run_b.dataset is state.run.dataset
    if state.diverged:
        assert not state.playing, "still playing after a divergence"
    c = state.config
    assert c.validate() == c, "config in force is not a valid config"
    assert 1e-5 <= c.lr <= 100 and math.isfinite(c.bias_init) and abs(c.bias_init) <= 50
    assert 1 <= len(c.layers) <= 10 and all(1 <= w <= 32 for w in c.layers)
    # the controls show valid values: every field not being edited shows the value in force
    if isinstance(app.screen, MainScreen):
        screen = app.screen
        for field in INPUT_FIELDS:
            inp = screen.query_one(f"#ctl-{field}", Input)
            if inp.has_focus:
                continue
            assert inp.value == field_text(field, state), (field, inp.value, field_text(field, state))
            if inp.value and field != "params":
                parser_for(field, state)(inp.value)
        for field in SELECT_FIELDS:
            sel = screen.query_one(f"#ctl-{field}", Select)
            if sel.expanded:
                continue
            assert sel.value == select_value(field, state), (field, sel.value, select_value(field, state))


async def until_diverged(app, act, tries: int) -> None:
    """Await ``act()`` (a key press, a pause) until the app's state has diverged, at most
    ``tries`` times."""
    for _ in range(tries):
        await act()
        if app.state.diverged:
            return
