"""relutui.settings: one row per setting, and every reader generated from it: the CLI's flags
and their help, the lesson keys and their types, validation, the controls' lines and editors,
the session's ``set``. One wording for every refusal."""

from __future__ import annotations

import argparse
import math
from dataclasses import fields

import pytest
from hypothesis import given, settings as hsettings
from hypothesis import strategies as st

from relutui.format import fmt_exact
from relutui.lessons import LessonError, _toml_value, parse_lesson
from relutui.settings import LIMITS, SETTINGS, cli_settings, controls, setting
from relutui.training import TrainConfig

NUMERIC = [row for row in SETTINGS if row.kind in ("float", "int")]


def _refusal(subject: str, lo, hi, value) -> str:
    return f"{subject} must be between {fmt_exact(lo)} and {fmt_exact(hi)}, got {fmt_exact(value)}"


def _outside(row) -> list:
    lo, hi = row.limits
    step = 1 if row.kind == "int" else max(abs(hi - lo) * 0.01, 1e-9)
    return [lo - step, hi + step]


def _sample(row, tmp_path=None):
    """A valid value of ``row`` that is not its default."""
    default = getattr(TrainConfig(), row.field)
    if row.kind == "choice":
        return next(v for _, v in reversed(row.choices()) if v != default)
    if row.kind == "layers":
        return (4, 3)
    if row.kind == "params":
        return {"negative_slope": 0.25}
    if row.kind == "path":
        path = tmp_path / "points.csv"
        path.write_text("x1,x2,label\n" + "".join(f"{i},{-i},{i % 2}\n" for i in range(10)))
        return str(path)
    lo, hi = row.limits
    value = lo + (hi - lo) / 3
    return int(value) if row.kind == "int" else value


# ------------------------------------------------------------------ the table
def test_every_config_field_has_one_row_and_every_row_a_field():
    names = [f.name for f in fields(TrainConfig)]
    assert sorted(row.field for row in SETTINGS) == sorted(names)
    for attr in ("field", "name"):
        keys = [getattr(row, attr) for row in SETTINGS]
        assert len(keys) == len(set(keys)), attr
    flags = [row.flag for row in cli_settings()]
    assert len(flags) == len(set(flags))
    for row in SETTINGS:
        assert setting(row.field) is row and setting(row.name) is row
        assert row.help and "\n" not in row.help, row.field
        assert 0 < len(row.label) <= 10, row.label  # fits the controls' label column (11)
        assert (row.kind in ("float", "int")) == (row.limits is not None), row.field
        if row.choices is not None:
            assert row.choices(), row.field


def test_training_limits_are_the_tables():
    import relutui.training as training

    assert training.LIMITS is LIMITS
    for row in NUMERIC:
        assert LIMITS[row.field] == row.limits


def test_every_row_with_choices_names_them_in_its_help():
    for row in SETTINGS:
        if row.kind == "choice" and row.field not in ("activation", "output"):
            for _, value in row.choices():
                assert value in row.help, (row.field, value)


# ------------------------------------------------------------------ readers, generated
def _flag_actions(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {opt: action for action in parser._actions for opt in action.option_strings}


def _subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices[name]


def test_the_cli_has_every_flag_with_its_help():
    from relutui.cli import build_parser

    parser = build_parser()
    for where in (parser, _subparser(parser, "run"), _subparser(parser, "sweep")):
        actions = _flag_actions(where)
        for row in cli_settings():
            action = actions[f"--{row.flag}"]
            assert action.help.replace("%%", "%").startswith(row.help), (row.flag, action.help)
            if row.limits is not None:
                assert row.limits_text() in action.help, (row.flag, action.help)
            grid = where is not parser and where.prog.endswith("sweep") and row.sweep
            assert ("values to sweep" in action.help) == grid, (row.flag, action.help)
    rows_without_flags = {row.field for row in SETTINGS if row.flag is None}
    assert rows_without_flags == {"output", "loss"}  # lesson files only


@pytest.mark.parametrize("row", cli_settings(), ids=lambda r: r.field)
def test_every_flag_sets_its_field(row, tmp_path):
    from relutui.cli import build_parser, config_from_args

    value = _sample(row, tmp_path)
    if row.kind == "params":
        argv = ["--activation", "leaky_relu", "--param", "negative_slope=0.25"]
    else:
        argv = [f"--{row.flag}", row.format(value)]
    args = build_parser().parse_args(["run", *argv])
    config = config_from_args(args)
    assert getattr(config, row.field) == value


@pytest.mark.parametrize("row", SETTINGS, ids=lambda r: r.field)
def test_the_lesson_parser_takes_every_key_with_its_type(row, tmp_path):
    value = _sample(row, tmp_path)
    extra = "activation = \"leaky_relu\"\n" if row.kind == "params" else ""
    lesson = parse_lesson(f"[config]\n{extra}{row.field} = {_toml_value(row.to_data(value))}\n")
    assert getattr(lesson.config, row.field) == value
    wrong = "[1, 2]" if row.kind != "layers" else "true"
    with pytest.raises(LessonError, match=f"key 'config.{row.field}': must be "):
        parse_lesson(f"[config]\n{row.field} = {wrong}\n")


def test_the_controls_list_shows_every_control_row():
    from relutui.app.state import AppState
    from relutui.app.widgets.controls import ORDER, label_of, parser_for, shown_value, tooltip_of

    assert ORDER == tuple(row.name for row in controls())
    state = AppState(TrainConfig(seed=0))
    for row in controls():
        assert label_of(row.name) == row.label
        assert tooltip_of(row.name).lower().startswith(row.help[:20].lower())
        assert shown_value(row.name, state)
        if row.choices is None:
            text = row.format(getattr(state.config, row.field), state.config.activation)
            assert parser_for(row.name, state)(text) == getattr(state.config, row.field)


async def test_the_control_sheet_has_a_line_per_row():
    from relutui.app.app import ReluApp
    from relutui.app.widgets.controls import ControlSheet

    app = ReluApp(TrainConfig(seed=0))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        sheet = app.screen.query_one(ControlSheet)
        rows = controls()
        assert sheet.option_count == len(rows) and sheet.size.height == len(rows)
        for i, row in enumerate(rows):
            option = sheet.get_option_at_index(i)
            assert option.id == row.name and option.prompt.plain.startswith(row.label)


@pytest.mark.parametrize("row", controls(), ids=lambda r: r.name)
def test_the_session_sets_every_control_by_its_name(row, tmp_path):
    from relutui.app.state import AppState

    state = AppState(TrainConfig(seed=0))
    value = _sample(row, tmp_path)
    if row.kind == "params":
        state.set("activation", "leaky_relu")
    if row.field == "batch_size":
        value = 16
    assert state.set(row.name, row.format(value, state.config.activation)) == value
    assert getattr(state.config, row.field) == value


# ------------------------------------------------------------------ one wording
@pytest.mark.parametrize("row", NUMERIC, ids=lambda r: r.field)
def test_limits_refused_in_one_wording_everywhere(row, capsys):
    from relutui.cli import main

    for value in _outside(row):
        text = fmt_exact(value)
        with pytest.raises(ValueError) as typed:
            row.parse(text)
        assert str(typed.value) == _refusal(row.label, *row.limits, value)
        with pytest.raises(ValueError) as validated:
            TrainConfig(**{row.field: value}).validate()
        assert str(validated.value) == _refusal(row.field, *row.limits, value)
        with pytest.raises(LessonError) as lesson:
            parse_lesson(f"[config]\n{row.field} = {_toml_value(value)}\n")
        assert str(lesson.value).endswith(_refusal(row.field, *row.limits, value))
        assert main(["run", f"--{row.flag}", text]) == 2
        assert capsys.readouterr().err == f"relutui: error: {_refusal('--' + row.flag, *row.limits, value)}\n"


def test_the_other_refusals_have_one_wording():
    lr = setting("lr")
    assert str(pytest.raises(ValueError, lr.parse, "abc").value) == "lr must be a number, got 'abc'"
    assert str(pytest.raises(ValueError, lr.parse, "inf").value) == "lr must be a finite number, got 'inf'"
    assert str(pytest.raises(ValueError, lr.parse, " ").value) == "lr is empty: type a number"
    seed = setting("seed")
    assert str(pytest.raises(ValueError, seed.parse, "1.5").value) == "seed must be a whole number, got '1.5'"


def test_optional_settings_take_their_word_for_none():
    clip, kink = setting("clip_norm"), setting("derivative_at_kink")
    for text in ("off", "none", "OFF", ""):
        assert clip.parse(text) is None
    assert kink.parse("default") is None and kink.parse("as PyTorch") is None
    assert clip.format(None) == "off" and clip.parse(clip.format(None)) is None
    assert kink.shown(None) == "as PyTorch" and kink.shown(0.5) == "0.5"


# ------------------------------------------------------------------ parse(format(v)) == v
def _values(row):
    if row.kind == "float":
        lo, hi = row.limits
        return st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False)
    if row.kind == "int":
        return st.integers(*row.limits)
    if row.kind == "layers":
        return st.lists(st.integers(*LIMITS["width"]), min_size=LIMITS["depth"][0],
                        max_size=LIMITS["depth"][1]).map(tuple)
    return st.sampled_from([v for _, v in row.choices()]).map(row.parse)


@pytest.mark.parametrize("row", [r for r in SETTINGS if r.kind in ("float", "int", "layers", "choice")],
                         ids=lambda r: r.field)
def test_parse_of_format_is_the_value(row):
    @hsettings(max_examples=150)
    @given(_values(row))
    def check(value):
        parsed = row.parse(row.format(value))
        assert parsed == value and type(parsed) is type(value)
        assert row.check(value) == value

    check()


@given(st.sampled_from(["leaky_relu", "elu", "celu", "softplus", "hardtanh", "relu"]),
       st.floats(min_value=0.01, max_value=5, allow_nan=False))
def test_params_parse_of_format_is_the_value(activation, x):
    from relutui.activations import get_activation

    row = setting("params")
    defaults = dict(get_activation(activation).defaults)
    params = {k: (x if k != "max_val" else x + 10) for k in defaults}
    try:
        get_activation(activation, **params)
    except ValueError:
        return  # not a valid set of parameters for this activation
    assert row.parse(row.format(params, activation), activation=activation) == params


def test_the_lesson_writer_keeps_every_setting():
    from relutui.lessons import Lesson, dumps_lesson

    config = TrainConfig(lr=0.123456789, bias_init=-1.25, clip_norm=2.5, init="normal", init_std=0.3,
                         derivative_at_kink=0.5, batch_size=16, loss="mse", output="tanh").validate()
    assert parse_lesson(dumps_lesson(Lesson(config=config))).config == config
    assert all(math.isfinite(v) for v in (config.lr, config.bias_init))


# ------------------------------------------------------------------ init std and clip norm: a row each
def test_init_std_and_clip_norm_are_controls_beside_their_kin():
    names = [row.name for row in controls()]
    assert names[names.index("init") + 1] == "init_std" and names[names.index("l2") + 1] == "clip"


async def test_init_std_and_clip_norm_are_edited_in_the_controls():
    from textual.widgets import Input

    from relutui.app.app import ReluApp
    from relutui.app.widgets.controls import ControlsPanel

    app = ReluApp(TrainConfig(seed=0, init="normal"))
    async with app.run_test(size=(120, 36)) as pilot:
        panel = app.screen.query_one(ControlsPanel)
        await pilot.pause()
        assert panel.shown_values()["init_std"] == "1" and panel.shown_values()["clip"] == "off"

        async def type_into(field: str, text: str) -> None:
            panel.focus_field(field)
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            app.screen.query_one("#edit-input", Input).value = text
            await pilot.press("enter")
            await pilot.pause()

        weights = app.state.run.net.weights[0].copy()
        await type_into("init_std", "0.25")
        assert app.state.config.init_std == 0.25 and panel.shown_values()["init_std"] == "0.25"
        assert abs(app.state.run.net.weights[0].std() - 0.25) < abs(weights.std() - 0.25)  # restarted
        await type_into("clip", "2.5")
        assert app.state.config.clip_norm == 2.5 and panel.shown_values()["clip"] == "2.5"
        await type_into("clip", "0")  # refused in place, with the one wording
        error = str(app.screen.query_one("#edit-error").render())
        assert error == "✕ clip norm must be between 1e-6 and 1e6, got 0 (enter is refused)"
        await pilot.press("escape")
        await pilot.pause()
        await type_into("clip", "off")
        assert app.state.config.clip_norm is None and panel.shown_values()["clip"] == "off"
