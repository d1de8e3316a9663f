"""Bad input matrix: every entry refused with its exact message, last good state kept,
nothing on disk damaged.

* values typed in the app's controls (lr, layers, seed, bias and the other fields): the
  message appears in place under the field, the run in force is untouched (config,
  step, weights), and leaving the field puts the value in force back;
* lesson files (unknown keys, wrong types, bad TOML, out-of-range values): refused by
  ``relutui --lesson FILE`` with exit 2 and one line, before the app starts, file intact;
* demo names: ``relutui demo NAME`` exits 2 with the list of demos;
* command-line flags not already in tests/test_cli.py (which covers the lr / layers /
  bias / seed / unknown-name matrix for ``run`` and the app).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from textual.widgets import Input, Static

from relutui.app.app import ReluApp
from relutui.cli import main
from relutui.training import TrainConfig

SIZE = (120, 36)
# the value in force for TrainConfig(seed=0), named in the message: "...; kept 0.1"
KEPT = {"lr": "0.1", "layers": "8,8", "seed": "0", "bias": "0", "batch": "0", "noise": "0.1",
        "split": "0.2", "l2": "0", "params": "negative_slope=0.01"}

# (field, typed text, exact reason)
TYPED = [
    ("lr", "abc", "learning rate must be a number, not 'abc'"),
    ("lr", "0", "learning rate must be > 0, not 0"),
    ("lr", "-1", "learning rate must be > 0, not -1"),
    ("lr", "nan", "learning rate must be a number, not NaN"),
    ("lr", "inf", "learning rate must be finite, 'inf' is out of range"),
    ("lr", "1e400", "learning rate must be finite, '1e400' is out of range"),
    ("lr", "1000", "learning rate must lie in [1e-05, 100], not 1000"),
    ("lr", "", "learning rate is empty: type a number"),
    ("layers", "0", "layer size 0 is out of range: width must be 1..32"),
    ("layers", "-3", "layer size -3 is out of range: width must be 1..32"),
    ("layers", "4,,4", "layers '4,,4' has an empty size (two commas in a row?)"),
    ("layers", "100", "layer size 100 is out of range: width must be 1..32"),
    ("layers", ",".join(["4"] * 50), "50 hidden layers is too deep: at most 10"),
    ("layers", "4.5", "layer size '4.5' is not a whole number"),
    ("seed", "-1", "seed must lie in 0..4294967295, not -1"),
    ("seed", "4294967296", "seed must lie in 0..4294967295, not 4294967296"),
    ("seed", "1.5", "seed must be a whole number, not '1.5'"),
    ("bias", "51", "bias must lie in [-50, 50], not 51"),
    ("bias", "-1e9", "bias must lie in [-50, 50], not -1e+09"),
    ("bias", "nan", "bias must be a number, not NaN"),
    ("batch", "-1", "batch size must be >= 0 (0 = full batch), not -1"),
    ("batch", "1000", "batch size 1000 is larger than the 160 training samples"),
    ("noise", "9", "noise must lie in [0, 5], not 9"),
    ("split", "0.95", "test split must lie in [0, 0.9], not 0.95"),
    ("l2", "-1", "L2 must lie in [0, 10], not -1"),
]


def _weights(app):
    return [w.copy() for w in app.state.run.net.weights] + [b.copy() for b in app.state.run.net.biases]


async def _type_into(app, pilot, field: str, text: str) -> Input:
    inp = app.screen.query_one(f"#ctl-{field}", Input)
    inp.focus()
    await pilot.pause()
    if len(text) <= 12:  # typed key by key (select_on_focus: the first key replaces the value)
        if text:
            await pilot.press(*text)
        else:
            await pilot.press("ctrl+a", "backspace") if inp.value else None
            inp.value = ""
    else:              # long values pasted in one go
        inp.value = text
    await pilot.pause()
    return inp


def _error_text(app, field: str) -> str:
    lines = app.screen.query(f"#err-{field}").results(Static)
    return "".join(str(line.render()) for line in lines)


@pytest.mark.parametrize("field, text, reason", TYPED, ids=[f"{f}={t[:12]!r}" for f, t, _ in TYPED])
async def test_typed_value_refused_in_place(field, text, reason, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = ReluApp(TrainConfig(seed=0))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "s")  # some progress that must survive
        config, step, weights = app.state.config, app.state.step, _weights(app)
        inp = await _type_into(app, pilot, field, text)
        # while typing: the reason, live (the batch size is checked against the data on Enter;
        # an error line is only mounted once it has something to say)
        live = "" if (field, text) == ("batch", "1000") else f"✕ {reason} (Enter is refused)"
        assert _error_text(app, field) == live
        await pilot.press("enter")
        await pilot.pause()
        # on Enter: refused in place, with the reason, and the value in force stays
        assert _error_text(app, field) == f"✕ {reason}; kept {KEPT[field]}"
        assert app.state.config == config and app.state.step == step
        for a, b in zip(weights, _weights(app)):
            np.testing.assert_array_equal(a, b)
        assert inp.has_focus  # the user can correct it
        # leaving the field puts the value in force back
        await pilot.press("escape")
        await pilot.pause()
        assert not inp.has_focus
        assert inp.value == KEPT[field]
        assert _error_text(app, field) == f"✕ {reason}; kept {KEPT[field]}"
        assert "-invalid" not in inp.classes
        # and the app still works from its last good state
        await pilot.press("s")
        assert app.state.step == step + 1
        assert app._exception is None
    assert list(tmp_path.iterdir()) == []  # nothing written


async def test_a_good_value_after_a_bad_one_applies_and_clears_the_message():
    app = ReluApp(TrainConfig(seed=0))
    async with app.run_test(size=SIZE) as pilot:
        inp = await _type_into(app, pilot, "lr", "abc")
        await pilot.press("enter")
        await pilot.pause()
        inp.value = "0.5"
        await pilot.press("enter")
        await pilot.pause()
        assert app.state.config.lr == 0.5
        assert str(app.screen.query_one("#err-lr", Static).render()) == ""


async def test_activation_params_refused():
    app = ReluApp(TrainConfig(seed=0, activation="leaky_relu"))
    async with app.run_test(size=SIZE) as pilot:
        config = app.state.config
        await _type_into(app, pilot, "params", "foo=1")
        await pilot.press("enter")
        await pilot.pause()
        msg = str(app.screen.query_one("#err-params", Static).render())
        assert msg == ("✕ leaky_relu has no parameter 'foo' (parameters: negative_slope); kept "
                       + KEPT["params"])
        assert app.state.config == config


async def test_select_opened_and_paged_in_one_burst_does_not_crash():
    """Regression: Textual's Select drop-down raised KeyError on page up/down pressed
    before its first layout (enter + pagedown in one burst of input); found by the fuzz."""
    import asyncio

    from textual import events

    app = ReluApp(TrainConfig(seed=0))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        for key in ("enter", "pagedown", "pageup", "pagedown"):
            event = events.Key(key, None)
            event.set_sender(app)
            app._driver.send_message(event)
            await asyncio.sleep(0)
        await pilot.pause()
        await pilot.press("escape", "escape")
        assert app._exception is None and app.is_running


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
    ("lr-zero", "[config]\nlr = 0\n", "key 'config.lr': lr must be between 1e-05 and 100, got 0"),
    ("lr-nan", "[config]\nlr = nan\n", "key 'config.lr': lr must be a finite number, got nan"),
    ("lr-inf", "[config]\nlr = inf\n", "key 'config.lr': lr must be a finite number, got inf"),
    ("layers-deep", "[config]\nlayers = [" + ", ".join(["4"] * 50) + "]\n",
     "key 'config.layers': layers: depth must be 1 to 10 hidden layers, got 50"),
    ("layers-wide", "[config]\nlayers = [100]\n",
     "key 'config.layers': layers: each width must be 1 to 32, got 100"),
    ("layers-commas", '[config]\nlayers = "4,,4"\n',
     "key 'config.layers': layers must be comma-separated sizes like 4,4, got '4,,4'"),
    ("seed-range", "[config]\nseed = 4294967296\n",
     "key 'config.seed': seed must be a whole number from 0 to 4294967295, got 4294967296"),
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
    pytest.importorskip("relutui.demos.commands")
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
    (["--seed", "4294967296"], "relutui: error: --seed must be a whole number from 0 to 4294967295, got 4294967296"),
    (["--bogus"], "relutui: error: unrecognized arguments: --bogus (see 'relutui --help')"),
    (["--lr"], "relutui: error: argument --lr: expected one argument (see 'relutui --help')"),
    (["--layers", ""], "relutui: error: --layers must be comma-separated sizes like 4,4, got ''"),
    (["--noise", "nan"], "relutui: error: --noise must be a finite number, got 'nan'"),
    (["--bias", "-inf"], "relutui: error: --bias must be a finite number, got '-inf'"),
])
def test_app_flags_missing_from_test_cli(capsys, fake_app, argv, line):
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and fake_app == []
    assert err == line + "\n"
