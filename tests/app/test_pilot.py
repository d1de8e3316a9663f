"""Pilot tests: every binding and control path of the app, as a user drives it."""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np
import pytest
from textual.widgets import Input, OptionList, Static

from relutui.app.screens.bindings import APP, COMPARE, FOOTER_ONLY, MAIN
from relutui.app.screens.compare import CompareScreen
from relutui.app.screens.control_editor import ControlEditor
from relutui.app.screens.help import ACTIONS, COMPARE_ACTIONS, HelpScreen
from relutui.app.screens.main import MainScreen
from relutui.app.screens.too_small import TooSmallScreen
from relutui.app.widgets.controls import ORDER, ActivationCard, ControlSheet, ControlsPanel
from relutui.app.widgets.training_panel import LossChart
from relutui.training import TrainConfig

from .conftest import SIZE

NARROW = (80, 24)


def text_of(widget) -> str:
    return str(widget.render())


def controls(app) -> ControlsPanel:
    return app.screen.query_one(ControlsPanel)


def shown(app, field: str) -> str:
    """What the controls sheet shows for ``field``."""
    return controls(app).shown_values()[field]


async def open_editor(pilot, app, field: str) -> ControlEditor:
    """Highlight ``field`` on the controls sheet and press enter: its editor opens."""
    controls(app).focus_field(field)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ControlEditor) and app.screen.field == field
    return app.screen


async def type_into(pilot, app, field: str, text: str) -> None:
    """Open ``field``'s editor, type ``text`` key by key over the value (it opens selected) and
    press enter. A refused value leaves the editor open, with its reason."""
    editor = await open_editor(pilot, app, field)
    assert editor.query_one("#edit-input", Input).selection  # the whole value: typing replaces it
    await pilot.press(*text)
    await pilot.press("enter")
    await pilot.pause()


async def played(pilot, app, run_steps=lambda app: app.state.step, at_least: int = 1) -> None:
    """Waits (a frame at a time, 5 s at most) until the playing app has trained ``at_least``
    steps: event-driven, not a fixed sleep that plays (and costs) more on a fast machine."""
    for _ in range(250):
        if run_steps(app) >= at_least:
            return
        await pilot.pause(0.02)
    raise AssertionError(f"never played {at_least} steps: {app.state.status()}")


def editor_error(app) -> Static:
    assert isinstance(app.screen, ControlEditor), "the editor is closed"
    return app.screen.query_one("#edit-error", Static)


async def test_defaults_and_panels(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        s = app.state
        assert (s.config.activation, s.config.dataset, s.config.layers) == ("relu", "xor", (8, 8))
        for wid in ("#chart", "#network", "#inspector", "#loss", "#grads", "#boundary", "#controls"):
            assert app.screen.query_one(wid).display
        assert app.focused is None  # keys act at once


async def test_play_pause_space(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.press("space")
        assert app.state.playing and app._timer is not None
        await played(pilot, app)
        assert app.state.step > 0
        await pilot.press("space")
        assert not app.state.playing and app._timer is None
        step = app.state.step
        await pilot.pause(0.2)
        assert app.state.step == step


async def test_speed_keys(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        speed = app.state.speed
        notes = []
        app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
        await pilot.press("greater_than_sign")
        assert app.state.speed > speed
        assert notes == [f"speed ×{app.state.speed} steps per frame"]  # said on success
        await pilot.press("less_than_sign", "less_than_sign")
        assert app.state.speed < speed


async def test_full_step_and_reset_determinism(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        w0 = [w.copy() for w in app.state.run.net.weights]
        await pilot.press("s", "s", "s")
        assert app.state.step == 3
        w3 = [w.copy() for w in app.state.run.net.weights]
        notes = []
        app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
        await pilot.press("r")
        assert app.state.step == 0
        assert notes == [f"reset: same seed {app.state.config.seed}, step 0"]
        for a, b in zip(w0, app.state.run.net.weights):
            np.testing.assert_array_equal(a, b)
        await pilot.press("s", "s", "s")
        for a, b in zip(w3, app.state.run.net.weights):
            np.testing.assert_array_equal(a, b)


async def test_step_phases_forward_and_back(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.press("n")
        assert app.state.phase.kind == "forward" and app.state.phase.layer == 0
        assert "forward" in str(app.screen.query_one("#inspector").border_title)
        await pilot.press("n", "n", "n")
        assert app.state.phase.kind == "loss"
        await pilot.press("n")
        assert app.state.phase.kind == "backward" and app.state.phase.layer == 2
        assert "chain rule" in str(app.screen.query_one("#inspector").border_title)
        await pilot.press("p")
        assert app.state.phase.kind == "loss"
        await pilot.press("n", "n", "n", "n")
        assert app.state.phase.kind == "update" and app.state.step == 0
        await pilot.press("n")
        assert app.state.step == 1 and app.state.phase.kind == "forward"
        await pilot.press("escape")
        assert app.state.phase is None


async def test_prev_phase_at_start_is_refused_not_raised(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.press("p", "n", "p")
        assert app.state.phase.layer == 0
        assert app.return_code is None


async def test_lr_bias_keys(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.press("right_square_bracket")
        assert app.state.config.lr == 0.2
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert app.state.config.lr == 0.05
        await pilot.press("right_curly_bracket")
        assert app.state.config.bias_init == 0.5
        await pilot.press("left_curly_bracket", "left_curly_bracket", "left_curly_bracket")
        assert app.state.config.bias_init == -1.0
        await pilot.pause()
        assert shown(app, "bias") == "-1"
        assert shown(app, "lr") == "0.05"


async def test_activation_and_dataset_keys(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.press("a")
        assert app.state.config.activation == "leaky_relu"
        await pilot.pause()
        assert shown(app, "activation") == "Leaky ReLU"
        sheet = app.screen.query_one("#control-sheet", OptionList)
        assert not sheet.get_option("params").disabled  # leaky ReLU has a parameter to edit
        assert shown(app, "params") != "none"
        await pilot.press("A", "A")
        assert app.state.config.activation == "tanh"
        await pilot.press("d")
        assert app.state.config.dataset == "circles"
        await pilot.press("D", "D")
        assert app.state.config.dataset == "sine"
        await pilot.press("s")  # regression trains too
        assert app.state.step == 1


async def test_selection_sample_mean_zoom_keys(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.press("down", "j")
        assert app.state.selected == (0, 2)
        await pilot.press("up")
        assert app.state.selected == (0, 1)
        await pilot.press("right", "l", "l")
        assert app.state.selected == (2, 0)
        await pilot.press("h", "left")
        assert app.state.selected[0] == 0
        await pilot.press("full_stop", "full_stop", "comma")
        assert app.state.sample == 1
        await pilot.press("b")
        assert app.state.use_mean
        assert "batch mean" in str(app.screen.query_one("#network").border_subtitle)
        await pilot.press("plus")
        assert app.state.x_range == 5.0
        await pilot.press("minus", "minus")
        assert app.state.x_range == 20.0


async def test_click_neuron_selects_it(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.pause()
        net = app.screen.query_one("#network")
        (x, y), target = next(iter(sorted(
            (k, v) for k, v in net._hits.items() if v == (1, 3))))
        await pilot.click("#network", offset=(x + 1, y + 1))  # +1: the panel border
        assert app.state.selected == (1, 3)


async def test_buttons(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.click("#btn-step")
        assert app.state.step == 1
        await pilot.click("#btn-phase")
        assert app.state.phase is not None
        await pilot.click("#btn-reset")
        assert app.state.step == 0 and app.state.phase is None
        await pilot.click("#btn-play")
        assert app.state.playing
        await pilot.click("#btn-play")
        assert not app.state.playing
        await pilot.click("#btn-help")
        assert isinstance(app.screen, HelpScreen)


async def test_select_controls(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        for field, value, attr, display in (("activation", "tanh", "activation", "Tanh"),
                                            ("dataset", "moons", "dataset", "moons"),
                                            ("init", "xavier", "init", "xavier"),
                                            ("optimizer", "adam", "optimizer", "adam")):
            editor = await open_editor(pilot, app, field)
            choices = editor.query_one("#edit-choices", OptionList)
            assert choices.highlighted_option.id == getattr(app.state.config, attr)  # opens on the value in force
            for _ in range(choices.option_count):
                if choices.highlighted_option.id == value:
                    break
                await pilot.press("down")
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
            assert getattr(app.state.config, attr) == value
            assert shown(app, field) == display
        # left and right on the sheet step a choice: as PyTorch -> 0 -> 0.5
        controls(app).focus_field("kink")
        await pilot.press("right", "right")
        await pilot.pause()
        assert app.state.config.derivative_at_kink == 0.5
        assert shown(app, "kink") == "0.5"
        await pilot.press("left", "left")
        await pilot.pause()
        assert app.state.config.derivative_at_kink is None and shown(app, "kink") == "as PyTorch"  # tanh: smooth


async def test_select_with_mouse(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.click("#control-sheet", offset=(2, ORDER.index("dataset")))
        await pilot.pause()
        assert isinstance(app.screen, ControlEditor) and app.screen.field == "dataset"
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.state.config.dataset == "circles"
        # a click on a line of the choices picks it too
        await pilot.click("#control-sheet", offset=(2, ORDER.index("optimizer")))
        await pilot.pause()
        choices = app.screen.query_one("#edit-choices", OptionList)
        await pilot.click("#edit-choices", offset=(2, choices.get_option_index("adam")))
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.state.config.optimizer == "adam"


async def test_invalid_lr_refused_in_place(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        for bad, reason in (("abc", "lr must be a number, got 'abc'"),
                            ("0", "lr must be between 1e-5 and 100, got 0"),
                            ("-1", "lr must be between 1e-5 and 100, got -1"),
                            ("1e400", "lr must be a finite number, got '1e400'")):
            await type_into(pilot, app, "lr", bad)
            err = editor_error(app)  # enter was refused: the editor is still open
            assert err.has_class("-shown") and text_of(err) == f"✕ {reason} (enter is refused)"
            assert app.screen.query_one("#edit-input", Input).value == bad
            assert app.state.config.lr == 0.1 and app.state.run.optimizer.lr == 0.1
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
            assert shown(app, "lr") == "0.1"  # kept 0.1
            assert controls(app).error_text() == ""
        await type_into(pilot, app, "lr", "0.3")
        assert isinstance(app.screen, MainScreen)
        assert app.state.config.lr == 0.3 and app.state.run.optimizer.lr == 0.3
        assert shown(app, "lr") == "0.3"
        assert not app.screen.query_one("#control-error", Static).has_class("-shown")


async def test_typed_layers_bias_seed_and_params(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await type_into(pilot, app, "layers", "4,4,4")
        assert app.state.config.layers == (4, 4, 4)
        assert len(app.state.network_view().columns) == 5
        assert shown(app, "layers") == "4,4,4"
        await type_into(pilot, app, "layers", "4,,4")
        assert text_of(editor_error(app)) == (
            "✕ layers must be comma-separated sizes like 8,8, got '4,,4' (enter is refused)")
        await pilot.press("escape")
        await pilot.pause()
        assert app.state.config.layers == (4, 4, 4)
        await type_into(pilot, app, "bias", "-3")
        assert app.state.config.bias_init == -3.0
        await type_into(pilot, app, "seed", "5")
        assert app.state.config.seed == 5
        await type_into(pilot, app, "batch", "32")
        assert app.state.config.batch_size == 32
        # the editor accepts any whole number >= 0; the state refuses one larger than the data
        n_train = len(app.state.run.dataset.X_train)
        await type_into(pilot, app, "batch", str(n_train + 1))
        assert isinstance(app.screen, MainScreen)
        assert app.state.config.batch_size == 32
        assert controls(app).error_text() == (
            f"✕ batch: batch size {n_train + 1} is larger than the {n_train} training samples; kept 32")
        assert app.screen.query_one("#control-error", Static).has_class("-shown")
        await type_into(pilot, app, "noise", "0.2")
        assert "kept 32" in controls(app).error_text()  # the refusal stays until batch itself is set
        await type_into(pilot, app, "batch", "16")
        assert app.state.config.batch_size == 16 and controls(app).error_text() == ""
        assert not app.screen.query_one("#control-error", Static).has_class("-shown")
        await type_into(pilot, app, "split", "0.3")
        await type_into(pilot, app, "l2", "0.001")
        assert (app.state.config.noise, app.state.config.test_fraction, app.state.config.l2) == (0.2, 0.3, 0.001)
        controls(app).focus_field("activation")
        await pilot.press("right")  # relu -> leaky_relu, the next choice
        await pilot.pause()
        assert app.state.config.activation == "leaky_relu"
        await type_into(pilot, app, "params", "0.2")
        assert app.state.config.activation_params == {"negative_slope": 0.2}
        assert shown(app, "params") == "negative_slope=0.2"


async def test_escape_keeps_the_value_in_force(app_pilot, config):
    """A refused value keeps the editor open with its reason; escape closes it and the value
    in force stays (on the sheet and in the next editor)."""
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await type_into(pilot, app, "lr", "zzz")
        assert text_of(editor_error(app)) == "✕ lr must be a number, got 'zzz' (enter is refused)"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.state.config.lr == 0.1 and shown(app, "lr") == "0.1"
        assert app.focused is app.screen.query_one("#control-sheet")
        editor = await open_editor(pilot, app, "lr")
        assert editor.query_one("#edit-input", Input).value == "0.1"
        assert not editor_error(app).has_class("-shown")
        await pilot.press("escape")


async def test_compare_mode(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen) and app.state.compare
        assert app.state.run_b.config.activation == "sigmoid"
        await pilot.press("s", "s")
        assert app.state.run.step == app.state.run_b.step == 2
        await pilot.press("v")
        assert app.state.run_b.config.activation == "tanh"
        await pilot.press("a")
        assert app.state.run.config.activation == "leaky_relu"
        for wa, wb in zip(app.state.run.net.weights, app.state.run_b.net.weights):
            np.testing.assert_array_equal(wa, wb)
        await pilot.press("space")
        await played(pilot, app, lambda app: app.state.run.step, at_least=3)
        await pilot.press("space")
        assert app.state.run.step == app.state.run_b.step > 0
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and not app.state.compare


async def test_help_lists_every_binding(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = app.screen.plain_text()
        for b in MAIN + COMPARE + APP:
            if b.action in FOOTER_ONLY:  # stands in the footer for another binding of its key
                assert any(o.key == b.key and o.action not in FOOTER_ONLY and o.description in shown
                           for o in MAIN), b
                continue
            assert {**ACTIONS, **COMPARE_ACTIONS}.get(b.action, b.description) in shown, b  # by action
        for word in ("active", "saturated", "dead", "●", "◐", "✕"):
            assert word in shown
        await pilot.press("n")  # main-screen keys do nothing under the help
        assert app.state.phase is None
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, MainScreen)


async def test_main_screen_shows_what_changed_under_another_screen(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        app.state.set("bias", -1.5)  # (a lesson or the palette can change the state like this)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert "bias -1.5" in text_of(app.screen.query_one("#status"))
        assert shown(app, "bias") == "-1.5"


@pytest.mark.parametrize("command, done", [
    ("activation: tanh", lambda s: s.config.activation == "tanh"),  # sets a control
    ("full training step", lambda s: s.step == 1),  # runs an action
], ids=["sets-activation", "runs-action"])
async def test_command_palette(app_pilot, config, command, done):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*command)
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert done(app.state)


async def test_divergence_shown_and_reset_recovers(app_pilot, diverging):
    async with app_pilot(diverging, size=SIZE) as (app, pilot):
        await pilot.press("space")
        for _ in range(30):
            await pilot.pause(0.05)
            if app.state.diverged:
                break
        await pilot.pause()
        assert app.state.diverged and not app.state.playing and app._timer is None
        assert "diverged at step" in text_of(app.screen.query_one("#status"))
        await pilot.press("space", "s", "n")  # refused with a notice, nothing raises
        assert app.state.diverged
        await pilot.press("r")
        assert not app.state.diverged and app.state.step == 0


async def test_too_small_notice_and_recovery(app_pilot, config):
    async with app_pilot(config, size=(60, 20)) as (app, pilot):
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "need 80x24, have 60x20" in text_of(app.screen.query_one("#too-small"))
        await pilot.press("space", "n", "question_mark")
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(120, 36)
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.resize_terminal(79, 30)
        await pilot.pause()
        assert "have 79x30" in text_of(app.screen.query_one("#too-small"))


@pytest.mark.parametrize("size", [(80, 24), (120, 36), (200, 60)])
async def test_every_screen_renders_at_size(app_pilot, config, size, tmp_path):
    async with app_pilot(config, size=size) as (app, pilot):
        await pilot.press("s", "n", "n")
        await pilot.pause()
        shot = app.save_screenshot(path=str(tmp_path), filename=f"relutui-size-{size[0]}x{size[1]}.svg")
        assert "<svg" in Path(shot).read_text(encoding="utf-8")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_narrow_layout_collapses_controls(app_pilot, config):
    async with app_pilot(config, size=(80, 24)) as (app, pilot):
        await pilot.pause()
        controls = app.screen.query_one("#controls")
        assert not controls.display
        await pilot.press("o")
        await pilot.pause()
        assert controls.display
        assert not app.screen.query_one("#boundary").display


async def test_random_keys_never_raise(app_pilot, config):
    keys = ["space", "n", "p", "s", "r", "c", "b", "a", "A", "d", "D", "left_square_bracket",
            "right_square_bracket", "left_curly_bracket", "right_curly_bracket", "up", "down", "left",
            "right", "h", "j", "k", "l", "plus", "minus", "comma", "full_stop", "escape", "v", "o",
            "question_mark", "greater_than_sign", "less_than_sign", "tab", "enter"]
    rng = random.Random(3)
    async with app_pilot(config, size=SIZE) as (app, pilot):
        for _ in range(50):
            await pilot.press(rng.choice(keys))
            app.state.check_invariants()
        await pilot.pause()
        assert app.return_code is None


async def test_quit(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


# ---------------------------------------------------------------- the card, the status line, the narrow layout
# (a QA pass: the card cut numbers; the loss title lagged the status line while playing; at
# 80x24 the controls were folded away silently and tab did nothing; the status line's "×5")
def status(app) -> str:
    return text_of(app.screen.query_one("#status"))


@pytest.mark.parametrize("size", [SIZE, NARROW])
async def test_card_as_painted_cuts_no_number(app_pilot, config, size):
    async with app_pilot(TrainConfig(seed=0, activation="hardsigmoid"), size=size) as (app, pilot):
        if app.screen.controls_hidden():
            await pilot.press("o")
        await pilot.pause()
        card = app.screen.query_one(ActivationCard)
        width = card.content_size.width
        assert width in (24, 25)
        lines = str(card.render()).split("\n")
        assert len(lines) <= card.content_size.height
        for i, line in enumerate(lines):
            if i != 1:
                assert len(line) <= width and "…" not in line, line
        assert "      f'(3) = 0" in lines and "max f′ 0.167" in lines


async def test_controls_sheet_lines_never_wrap_on_a_short_narrow_terminal(app_pilot, config):
    """At 80x24 the controls column has a scrollbar; a line ("label value ▾") still fits."""
    async with app_pilot(TrainConfig(seed=0, activation="sigmoid"), size=NARROW) as (app, pilot):
        await pilot.press("o")
        await pilot.pause()
        sheet = app.screen.query_one(ControlSheet)
        assert len(sheet._lines) == len(ORDER)


async def test_status_line_and_loss_title_agree_while_playing(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.press("space")
        seen = set()
        for _ in range(12):
            await pilot.pause(0.03)
            loss = str(app.screen.query_one(LossChart).border_title)
            m = re.search(r"loss (\S+)", status(app))
            if "no steps yet" in loss:
                continue
            assert loss.startswith(f"loss {m.group(1)}  test "), (loss, status(app))
            acc = re.search(r"acc (\d+)%", status(app)).group(1)
            assert str(app.screen.query_one("#boundary").border_subtitle).endswith(f"acc {acc}%")
            seen.add(app.state.step)
        await pilot.press("space")
        assert len(seen) >= 3  # checked on several frames, not only after a full redraw


async def test_narrow_layout_says_o_shows_the_controls_and_tab_goes_there(app_pilot, config):
    async with app_pilot(config, size=NARROW) as (app, pilot):
        await pilot.pause()
        screen = app.screen
        controls = screen.query_one("#controls")
        assert not controls.display
        o = screen.active_bindings["o"].binding
        assert (o.action, o.description, o.show) == ("show_controls", "Controls", True)  # in the footer
        # tab shows the controls and goes to the list; the keys behind it act there
        await pilot.press("tab", "down", "down")
        await pilot.pause()
        sheet = screen.query_one(ControlSheet)
        # (from activation, down skips params, disabled for ReLU: lr, then bias)
        assert controls.display and app.focused is sheet and ORDER[sheet.highlighted] == "bias"
        assert app.state.selected == (0, 0)  # down moved the list, not the selected neuron
        assert screen.active_bindings["o"].binding.action == "toggle_controls"  # no footer hint now
        await pilot.press("tab")
        assert app.focused is not sheet and app.focused is not None  # on to the buttons, as usual
        # escape leaves the controls and folds them away again
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is None and not controls.display
        assert screen.active_bindings["o"].binding.action == "show_controls"
        await pilot.press("o")
        await pilot.pause()
        assert controls.display and app.focused is None
        await pilot.press("o")
        await pilot.pause()
        assert not controls.display


async def test_wide_layout_keeps_the_footer_and_tab_as_they_were(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.pause()
        assert app.screen.active_bindings["o"].binding.action == "toggle_controls"  # not in the footer
        await pilot.press("tab")
        assert app.focused is app.screen.query_one(ControlSheet)
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is None and app.screen.query_one("#controls").display


@pytest.mark.parametrize("size", [SIZE, NARROW])
async def test_status_line_names_the_speed_in_steps_per_frame(app_pilot, config, size):
    async with app_pilot(config, size=size) as (app, pilot):
        await pilot.pause()
        assert status(app).rstrip().endswith("‖ paused")  # the speed while paused gives way first
        await pilot.press("space")
        await pilot.pause(0.1)
        line = status(app)
        assert re.search(r"▶ (playing · )?5 steps/frame$", line.rstrip()), line
        assert "×" not in line and len(line) <= size[0]
        await pilot.press("greater_than_sign")
        await pilot.pause(0.1)
        assert "10 steps/frame" in status(app)
        await pilot.press("space")


async def test_help_explains_the_status_line_and_the_narrow_layout(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(app.screen.plain_text(width=200).split())
        assert "▶ playing · 5 steps/frame: while playing, each frame (about 30 a second) trains up to 5 steps" in text
        assert "loss and acc: the network as it is now, on all training samples" in text
        assert "Below 110 columns the controls fold away: o shows them" in text
        assert "relu'(0) = 0" in text
