"""Bad input matrix: every entry refused with its exact message, last good state kept,
nothing on disk damaged.

* values typed in the app's controls (lr, layers, seed, bias and the other fields), in the
  editor that enter opens on a line of the control sheet: the reason appears live under
  the text, enter is refused (the editor stays open), the run in force is untouched
  (config, step, weights), and escape keeps the value in force; a value only the state
  can refuse (a batch larger than the data) is refused under the sheet, "kept <value>";
* lesson files (unknown keys, wrong types, bad TOML, out-of-range values): refused by
  ``relutui --lesson FILE`` with exit 2 and one line, before the app starts, file intact;
* demo names: ``relutui demo NAME`` exits 2 with the list of demos;
* command-line flags not already in tests/test_cli.py (which covers the lr / layers /
  bias / seed / unknown-name matrix for ``run`` and the app).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np
import pytest
from textual.widgets import Input, Static

from relutui.app.screens.control_editor import ControlEditor
from relutui.app.screens.main import MainScreen
from relutui.app.widgets.controls import ControlSheet, ControlsPanel, label_of
from relutui.cli import main
from relutui.training import TrainConfig

from robust_helpers import assert_app_healthy

SIZE = (120, 36)
# the value in force for TrainConfig(seed=0), as the control sheet shows it (and a refusal by
# the state names it: "...; kept 0")
KEPT = {"lr": "0.1", "layers": "8,8", "seed": "0", "bias": "0", "batch": "0", "noise": "0.1",
        "split": "0.2", "l2": "0", "params": "negative_slope=0.01"}

# (field, typed text, exact reason)
TYPED = [
    ("lr", "abc", "lr must be a number, got 'abc'"),
    ("lr", "0", "lr must be between 1e-5 and 100, got 0"),
    ("lr", "-1", "lr must be between 1e-5 and 100, got -1"),
    ("lr", "nan", "lr must be a finite number, got 'nan'"),
    ("lr", "inf", "lr must be a finite number, got 'inf'"),
    ("lr", "1e400", "lr must be a finite number, got '1e400'"),
    ("lr", "1000", "lr must be between 1e-5 and 100, got 1000"),
    ("lr", "", "lr is empty: type a number"),
    ("layers", "0", "layers: each width must be between 1 and 32, got 0"),
    ("layers", "-3", "layers: each width must be between 1 and 32, got -3"),
    ("layers", "4,,4", "layers must be comma-separated sizes like 8,8, got '4,,4'"),
    ("layers", "100", "layers: each width must be between 1 and 32, got 100"),
    ("layers", ",".join(["4"] * 50), "layers: depth (hidden layers) must be between 1 and 10, got 50"),
    ("layers", "4.5", "layers must be whole numbers like 8,8, got '4.5'"),
    ("seed", "-1", "seed must be between 0 and 4294967295, got -1"),
    ("seed", "4294967296", "seed must be between 0 and 4294967295, got 4294967296"),
    ("seed", "1.5", "seed must be a whole number, got '1.5'"),
    ("bias", "51", "bias init must be between -50 and 50, got 51"),
    ("bias", "-1e9", "bias init must be between -50 and 50, got -1e9"),
    ("bias", "nan", "bias init must be a finite number, got 'nan'"),
    ("batch", "-1", "batch must be between 0 and 100000, got -1"),
    ("batch", "1000", "batch size 1000 is larger than the 160 training samples"),
    ("noise", "9", "noise must be between 0 and 5, got 9"),
    ("split", "0.95", "test split must be between 0 and 0.9, got 0.95"),
    ("l2", "-1", "L2 must be between 0 and 10, got -1"),
]


def _weights(app):
    return [w.copy() for w in app.state.run.net.weights] + [b.copy() for b in app.state.run.net.biases]


def _controls(app) -> ControlsPanel:
    return app.screen_stack[0].query_one(ControlsPanel)


async def _open_editor(app, pilot, field: str) -> ControlEditor:
    """As a user does it: the field highlighted on the control sheet, then enter."""
    main = app.screen
    assert isinstance(main, MainScreen)
    _controls(app).focus_field(field)
    await pilot.pause()
    assert isinstance(app.focused, ControlSheet) and app.focused.highlighted_option.id == field
    await pilot.press("enter")
    await pilot.pause()
    editor = app.screen
    assert isinstance(editor, ControlEditor) and editor.field == field, editor
    inp = editor.query_one("#edit-input", Input)
    assert inp.has_focus and inp.value == _controls(app).shown_values()[field]  # the value in force
    return editor


async def _type(editor: ControlEditor, pilot, text: str) -> Input:
    """Typed key by key over the value (selected on focus: the first key replaces it);
    a long value is pasted in one go; the empty text is the value deleted."""
    inp = editor.query_one("#edit-input", Input)
    if not text:
        await pilot.press("backspace")  # deletes the selection, i.e. the whole value
    elif len(text) <= 12:
        await pilot.press(*text)
    else:
        await pilot.press("backspace")
        inp.insert_text_at_cursor(text)
    await pilot.pause()
    assert inp.value == text
    return inp


def _edit_error(editor: ControlEditor) -> str:
    return str(editor.query_one("#edit-error", Static).render())


# the bad texts of each field, in TYPED's order (the one the state refuses comes last: it leaves
# its reason under the sheet)
BY_FIELD = {f: [(t, r) for g, t, r in TYPED if g == f] for f in dict.fromkeys(f for f, _, _ in TYPED)}
assert BY_FIELD["batch"][-1][0] == "1000"


async def _refused_in_place(app, pilot, field: str, text: str, reason: str) -> None:
    main = app.screen
    config, step, weights = app.state.config, app.state.step, _weights(app)
    editor = await _open_editor(app, pilot, field)
    inp = await _type(editor, pilot, text)
    if (field, text) == ("batch", "1000"):
        # a whole number >= 0 passes the editor; the state checks it against the data on
        # enter and refuses it: the reason under the sheet, the value in force kept
        assert _edit_error(editor) == "" and "-invalid" not in inp.classes
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is main
        assert _controls(app).error_text() == f"✕ {label_of(field)}: {reason}; kept {KEPT[field]}"
    else:
        # while typing: the reason, live
        assert _edit_error(editor) == f"✕ {reason} (enter is refused)"
        assert "-invalid" in inp.classes
        # on enter: refused, the editor stays open with the text and the reason
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is editor and inp.has_focus  # the user can correct it
        assert inp.value == text
        assert _edit_error(editor) == f"✕ {reason} (enter is refused)"
        assert app.state.config == config and app.state.step == step
        # escape cancels: the value in force is kept and shown, nothing was refused by the state
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is main
        assert _controls(app).error_text() == ""
    assert _controls(app).shown_values()[field] == KEPT[field]
    assert app.state.config == config and app.state.step == step
    for a, b in zip(weights, _weights(app)):
        np.testing.assert_array_equal(a, b)
    assert_app_healthy(app)
    # and the app still works from its last good state
    await pilot.press("s")
    assert app.state.step == step + 1
    assert app._exception is None


@pytest.mark.slow
@pytest.mark.parametrize("field", list(BY_FIELD))
async def test_typed_values_refused_in_place(app_pilot, field, tmp_path, monkeypatch):
    """Each bad text of TYPED for ``field`` in turn, in one app (a start-up per field, not per
    text): each is refused with its reason and leaves the run in force untouched."""
    monkeypatch.chdir(tmp_path)
    async with app_pilot(size=SIZE) as (app, pilot):
        await pilot.press("s", "s")  # some progress that must survive
        for text, reason in BY_FIELD[field]:
            try:
                await _refused_in_place(app, pilot, field, text, reason)
            except AssertionError as exc:
                raise AssertionError(f"{field} = {text!r}: {exc}") from exc
    assert list(tmp_path.iterdir()) == []  # nothing written


async def test_a_good_value_after_a_bad_one_applies_and_clears_the_message(app_pilot):
    async with app_pilot(size=SIZE) as (app, pilot):
        main = app.screen
        editor = await _open_editor(app, pilot, "lr")
        inp = await _type(editor, pilot, "abc")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is editor and _edit_error(editor).startswith("✕ lr must be a number")
        await pilot.press("backspace", "backspace", "backspace", "0", ".")
        assert _edit_error(editor) == "✕ lr must be between 1e-5 and 100, got 0 (enter is refused)"
        await pilot.press("5")
        await pilot.pause()
        assert inp.value == "0.5" and _edit_error(editor) == "" and "-invalid" not in inp.classes
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is main
        assert app.state.config.lr == 0.5
        assert _controls(app).shown_values()["lr"] == "0.5" and _controls(app).error_text() == ""
        # escape after a bad value keeps the last good one (0.5, not the start's 0.1)
        editor = await _open_editor(app, pilot, "lr")
        assert editor.query_one("#edit-input", Input).value == "0.5"
        await _type(editor, pilot, "-1")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is main and app.state.config.lr == 0.5
        assert _controls(app).shown_values()["lr"] == "0.5"
        # a value the state refuses (after the editor accepted it) shows under the sheet ...
        editor = await _open_editor(app, pilot, "batch")
        await _type(editor, pilot, "1000")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is main and app.state.config.batch_size == 0
        assert _controls(app).error_text() == \
            "✕ batch: batch size 1000 is larger than the 160 training samples; kept 0"
        # ... and a good one clears it
        editor = await _open_editor(app, pilot, "batch")
        await _type(editor, pilot, "16")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is main and app.state.config.batch_size == 16
        assert _controls(app).error_text() == ""
        assert _controls(app).shown_values()["batch"] == "16"
        assert_app_healthy(app)


async def test_activation_params_refused(app_pilot):
    async with app_pilot(TrainConfig(seed=0, activation="leaky_relu"), size=SIZE) as (app, pilot):
        config = app.state.config
        editor = await _open_editor(app, pilot, "params")
        await _type(editor, pilot, "foo=1")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is editor
        assert _edit_error(editor) == ("✕ leaky_relu has no parameter 'foo' (parameters: negative_slope)"
                                       " (enter is refused)")
        assert app.state.config == config
        await pilot.press("escape")
        await pilot.pause()
        assert _controls(app).shown_values()["params"] == KEPT["params"]
        assert app.state.config == config


@pytest.mark.slow
@pytest.mark.parametrize("text", ["[b]x", "[a=", "[/]", "[@click=app.quit]q"])
async def test_markup_characters_typed_in_an_editor_are_text(app_pilot, text):
    """Found by the fuzz: the reason under the editor quotes the text typed, and it went out
    as Textual markup: "[b]x" showed "... not 'x'", "[a=" raised MarkupError (the app
    crashed), and a typed "[@click=...]" made a live link."""
    async with app_pilot(size=SIZE) as (app, pilot):
        editor = await _open_editor(app, pilot, "lr")
        await _type(editor, pilot, text)
        assert app._exception is None, app._exception
        assert _edit_error(editor) == f"✕ lr must be a number, got {text!r} (enter is refused)"
        await pilot.press("escape")
        await pilot.pause()
        assert app._exception is None and app.is_running
        assert_app_healthy(app)


async def test_params_of_an_activation_without_parameters_cannot_be_edited(app_pilot):
    async with app_pilot(TrainConfig(seed=0, activation="relu"), size=SIZE) as (app, pilot):
        main = app.screen
        controls = _controls(app)
        assert controls.shown_values()["params"] == "none"
        controls.edit("params")
        await pilot.pause()
        assert app.screen is main
        controls.focus_field("params")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is main and app._exception is None
        assert_app_healthy(app)


async def test_choice_editor_opened_and_paged_in_one_burst_does_not_crash(app_pilot):
    """Regression, kept from the Select drop-down (it raised KeyError on page up/down pressed
    before its first layout: enter + pagedown in one burst of input, found by the fuzz): the
    choices of the editor paged before their first layout."""
    import asyncio

    from textual import events

    async with app_pilot(size=SIZE) as (app, pilot):
        await pilot.press("tab")
        assert isinstance(app.focused, ControlSheet)
        for key in ("enter", "pagedown", "pageup", "pagedown", "end", "home"):
            event = events.Key(key, None)
            event.set_sender(app)
            app._driver.send_message(event)
            await asyncio.sleep(0)
        await pilot.pause()
        assert isinstance(app.screen, ControlEditor)
        assert_app_healthy(app)
        await pilot.press("escape", "escape")
        assert app._exception is None and app.is_running
        assert_app_healthy(app)


# ------------------------------------------------------------------ lesson files
LESSONS = [
    ("unknown-key", 'titel = "x"\n',
     "key 'titel': unknown key (valid: title, focus, experiment, compare, compare_activation, "
     "steps, notes, config)"),
    ("unknown-setting", "[config]\nlearning_rate = 0.1\n",
     "key 'config.learning_rate': unknown setting (valid: dataset, data_path, n_samples, noise, "
     "test_fraction, layers, activation, activation_params, output, loss, init, init_std, "
     "bias_init, lr, optimizer, batch_size, l2, clip_norm, derivative_at_kink, seed)"),
    ("lr-text", '[config]\nlr = "fast"\n', "key 'config.lr': must be a number, got str 'fast'"),
    ("layers-int", "[config]\nlayers = 8\n",
     "key 'config.layers': must be a list of sizes like [8, 8] or text like \"8,8\", got int 8"),
    ("compare-text", 'compare = "yes"\n', "key 'compare': must be true or false, got str 'yes'"),
    ("steps-float", "steps = 1.5\n", "key 'steps': must be a whole number, got float 1.5"),
    ("bad-toml-string", 'title = "unclosed\n', "bad TOML: Illegal character '\\n' (at line 1, column 18)"),
    ("bad-toml-table", "[config\nlr = 0.1\n",
     "bad TOML: Expected ']' at the end of a table declaration (at line 1, column 8)"),
    ("lr-zero", "[config]\nlr = 0\n", "key 'config.lr': lr must be between 1e-5 and 100, got 0"),
    ("lr-nan", "[config]\nlr = nan\n", "key 'config.lr': lr must be a finite number, got nan"),
    ("lr-inf", "[config]\nlr = inf\n", "key 'config.lr': lr must be a finite number, got inf"),
    ("layers-deep", "[config]\nlayers = [" + ", ".join(["4"] * 50) + "]\n",
     "key 'config.layers': layers: depth (hidden layers) must be between 1 and 10, got 50"),
    ("layers-wide", "[config]\nlayers = [100]\n",
     "key 'config.layers': layers: each width must be between 1 and 32, got 100"),
    ("layers-commas", '[config]\nlayers = "4,,4"\n',
     "key 'config.layers': layers must be comma-separated sizes like 8,8, got '4,,4'"),
    ("seed-range", "[config]\nseed = 4294967296\n",
     "key 'config.seed': seed must be between 0 and 4294967295, got 4294967296"),
    ("bias-range", "[config]\nbias_init = 99\n",
     "key 'config.bias_init': bias_init must be between -50 and 50, got 99"),
    ("config-not-table", "config = 3\n", "key 'config': must be a table ([config]) of training settings"),
    ("steps-range", "steps = -1\n", "key 'steps': must be from 0 to 100000, got -1"),
]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name, text, reason", LESSONS, ids=[n for n, _, _ in LESSONS])
def test_bad_lesson_refused_by_load_lesson(tmp_path, name, text, reason):
    from relutui.lessons import LessonError, load_lesson

    path = tmp_path / f"{name}.toml"
    path.write_text(text)
    before = _digest(path)
    with pytest.raises(LessonError) as info:
        load_lesson(path)
    assert str(info.value) == f"{path}: {reason}"
    assert _digest(path) == before and sorted(tmp_path.iterdir()) == [path]


@pytest.fixture
def fake_app(monkeypatch):
    import relutui.app

    calls = []
    monkeypatch.setattr(relutui.app, "run_app", lambda *a, **k: calls.append((a, k)) or 0)
    return calls


@pytest.mark.parametrize("name, text, reason", LESSONS[::3], ids=[n for n, _, _ in LESSONS[::3]])
def test_bad_lesson_flag_exits_2_before_the_app(tmp_path, capsys, fake_app, name, text, reason):
    path = tmp_path / f"{name}.toml"
    path.write_text(text)
    before = _digest(path)
    code = main(["--lesson", str(path)])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and fake_app == []
    assert err == f"relutui: error: {path}: {reason}\n"
    assert _digest(path) == before and sorted(tmp_path.iterdir()) == [path]


def test_lesson_that_is_binary_or_a_directory(tmp_path, capsys, fake_app):
    binary = tmp_path / "x.toml"
    binary.write_bytes(b"\x00\x01\x02title")
    assert main(["--lesson", str(binary)]) == 2
    assert capsys.readouterr().err == f"relutui: error: {binary}: not a text file (binary content)\n"
    assert main(["--lesson", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith(f"relutui: error: {tmp_path}: ")
    assert fake_app == []


# ------------------------------------------------------------------ demo names
DEMO = [sys.executable, "-m", "relutui.cli"]


@pytest.mark.parametrize("name", ["nope", "../../etc/passwd", "dying relu", ""])
def test_unknown_demo_name_exits_2_with_the_list(capsys, name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = main(["demo", name])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    from relutui.demos import demo_names

    if name:
        assert err.startswith("relutui: error: demo: unknown demo") or "unknown demo" in err, err
    for n in demo_names():
        assert n in err
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ flags test_cli.py lacks
@pytest.mark.parametrize("argv, line", [
    (["--seed", "4294967296"], "relutui: error: --seed must be between 0 and 4294967295, got 4294967296"),
    (["--bogus"], "relutui: error: unrecognized arguments: --bogus (see 'relutui --help')"),
    (["--lr"], "relutui: error: argument --lr: expected one argument (see 'relutui --help')"),
    (["--layers", ""], "relutui: error: --layers is empty: type sizes like 8,8"),
    (["--noise", "nan"], "relutui: error: --noise must be a finite number, got 'nan'"),
    (["--bias", "-inf"], "relutui: error: --bias must be a finite number, got '-inf'"),
])
def test_app_flags_missing_from_test_cli(capsys, fake_app, argv, line):
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and fake_app == []
    assert err == line + "\n"
