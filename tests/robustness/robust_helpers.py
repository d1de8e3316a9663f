"""Shared checks for the robustness tests (a plain module, imported by the tests)."""

from __future__ import annotations

import math

import numpy as np


def assert_app_healthy(app) -> None:
    """The app is running, has not crashed, and its state satisfies every invariant."""
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
    assert_controls_show_state(app)


def assert_controls_show_state(app) -> None:
    """The controls show valid values: with the main screen on top, every line of the control
    sheet shows the value in force (the app pushes its views into the screen on top only; a
    screen under another one catches up when it is back on top). An open editor shows
    whatever the user typed, valid or not, but its error line tells the truth about that
    text."""
    from relutui.app import values
    from relutui.app.screens.control_editor import ControlEditor
    from relutui.app.screens.main import MainScreen
    from relutui.app.widgets.controls import ORDER, VALUE_WIDTH, ControlSheet, ControlsPanel, fit_value, shown_value

    top = app.screen
    main = top if isinstance(top, MainScreen) else None
    editor = top if isinstance(top, ControlEditor) else None
    if main is not None:
        panel = main.query_one(ControlsPanel)
        sheet = main.query_one("#control-sheet", ControlSheet)
        shown = panel.shown_values()
        assert sorted(shown) == sorted(ORDER), shown
        has_params = bool(values.format_params({}, app.state.config.activation))
        for index, field in enumerate(ORDER):
            want = shown_value(field, app.state)
            if field == "params" and not has_params:
                want = "none"
            assert shown[field] == want, (field, shown[field], want)
            option = sheet.get_option_at_index(index)
            assert option.id == field, (index, option.id, field)
            line = option.prompt.plain if hasattr(option.prompt, "plain") else str(option.prompt)
            said = fit_value(field, want)  # a long value said shorter ("8×7", "Sigmoid")
            cut = said if len(said) <= VALUE_WIDTH else said[: VALUE_WIDTH - 1] + "…"
            assert cut in line, (field, line, cut)
        params = sheet.get_option_at_index(ORDER.index("params"))
        assert params.disabled == (not has_params), (params.disabled, has_params)
    if editor is not None:
        _assert_editor_consistent(app, editor)


def _assert_editor_consistent(app, editor) -> None:
    """The editor edits a real field; a typed value's error line matches the text typed.
    (Its value is not compared with the one in force: a change sent by the editor closed
    just before, in the same burst of keys, may still be on its way.)"""
    from textual.widgets import Input, OptionList, Static

    from relutui.app.widgets.controls import ORDER, SELECT_FIELDS, choices, parser_for

    assert editor.field in ORDER, editor.field
    if not editor.query("#editor"):
        return  # pushed by the last key of a burst, not composed yet
    if editor.field in SELECT_FIELDS:
        options = editor.query_one("#edit-choices", OptionList)
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == \
            [v for _, v in choices(editor.field)]
        return
    inp = editor.query_one("#edit-input", Input)
    error = str(editor.query_one("#edit-error", Static).render())
    if not error:
        return  # (the error line is cleared by a valid text, and empty before the first change)
    try:
        parser_for(editor.field, app.state)(inp.value)
    except ValueError as exc:
        assert error == f"✕ {exc} (enter is refused)", (editor.field, inp.value, error)
    else:
        raise AssertionError(f"editor of {editor.field} shows {error!r} for the valid text {inp.value!r}")


async def until_diverged(app, act, tries: int) -> None:
    """Await ``act()`` (a key press, a pause) until the app's state has diverged, at most
    ``tries`` times."""
    for _ in range(tries):
        await act()
        if app.state.diverged:
            return
