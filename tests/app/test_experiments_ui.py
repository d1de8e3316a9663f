"""The claims lab in the app: picker (key and palette), loading, the run in a worker, the verdict."""

from __future__ import annotations

from textual.widgets import Input, OptionList

from relutui.app.screens.control_editor import ControlEditor
from relutui.app.screens.experiments import ExperimentPicker
from relutui.app.screens.main import MainScreen
from relutui.app.widgets.controls import ControlsPanel
from relutui.experiments import get_experiment, list_experiments

from .conftest import SIZE


def small(name: str = "dying-relu-bias"):
    """Few steps and seeds: the same verdict as the full run for dying-relu-bias, in ~0.1 s."""
    return get_experiment(name).with_changes(steps=40, seeds=2)


async def settle(app, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def panel_text(app) -> str:
    return app.screen.query_one("#experiment").plain


async def test_picker_opens_with_e_lists_every_experiment_and_escape_closes(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.press("e")
        assert isinstance(app.screen, ExperimentPicker)
        ol = app.screen.query_one(OptionList)
        assert ol.option_count == len(list_experiments())
        assert [ol.get_option_at_index(i).id for i in range(ol.option_count)] == [e.name for e in list_experiments()]
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        assert app.state.experiment is None


async def test_picker_enter_loads_and_runs(app_pilot, config, monkeypatch):
    import relutui.experiments as experiments

    monkeypatch.setitem(experiments._BY_NAME, "dying-relu-bias", small())
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.press("e")
        ol = app.screen.query_one(OptionList)
        ol.highlighted = ol.get_option_index("dying-relu-bias")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.state.experiment.name == "dying-relu-bias"
        assert app.state.experiment_result.verdict == "holds"


async def test_palette_entry_loads_an_experiment(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        app.action_command_palette()
        await pilot.pause()
        await pilot.press(*"experiment: sigmoid-range")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.state.experiment is not None and app.state.experiment.name == "sigmoid-range"
        assert app.state.config.activation == "sigmoid"


async def test_loading_sets_the_controls_and_shows_the_claim(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        exp = small()
        app.load_experiment(exp)
        await settle(app, pilot)
        s = app.state
        assert s.config.bias_init == -3.0 and s.config.activation == "relu" and s.config.seed == 0
        assert app.screen.query_one(ControlsPanel).shown_values()["bias"] == "-3"
        panel = app.screen.query_one("#experiment")
        assert panel.display and panel.border_title == "claim · dying-relu-bias"
        text = " ".join(panel_text(app).split())
        assert " ".join(exp.claim.split()) in text
        # the panel takes the place of the inspector and the boundary map
        assert not app.screen.query_one("#inspector").display
        assert not app.screen.query_one("#boundary").display


async def test_run_ends_with_the_verdict_and_its_numbers_on_screen(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        app.load_experiment(small())
        await settle(app, pilot)
        assert app.state.experiment_status == "done"
        assert app.state.experiment_progress == (4, 4)
        text = panel_text(app)
        assert "✔ HOLDS" in text
        assert "seeds 0–1 × 40 steps" in text
        assert "dead" in text and "fraction" in text and "at end" in text  # a row wrapped in its column
        assert "holds" in app.screen.query_one("#experiment").border_subtitle


async def _type_bias(app, pilot, value: str) -> None:
    """bias init typed in the controls, as a user does."""
    app.screen.query_one(ControlsPanel).focus_field("bias")
    await pilot.press("enter")  # the editor opens with the value selected
    await pilot.pause()
    assert isinstance(app.screen, ControlEditor)
    assert app.screen.query_one("#edit-input", Input).value == "-3"
    await pilot.press(*value, "enter")
    await pilot.pause()
    assert isinstance(app.screen, MainScreen)


async def test_change_one_setting_and_rerun_moves_the_verdict(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        app.load_experiment(small())
        await settle(app, pilot)
        assert app.state.experiment_result.verdict == "holds"
        await _type_bias(app, pilot, "-0.25")
        assert app.state.config.bias_init == -0.25
        text = panel_text(app)
        assert "R re-runs" in text  # the verdict shown is out of date
        assert "would not be tested" not in text  # a bias of -0.25 still tests the claim
        await pilot.press("R")
        await settle(app, pilot)
        assert app.state.experiment_result.verdict == "does not hold"
        text = " ".join(panel_text(app).split())
        assert "✘ DOES NOT HOLD · was: holds" in text
        assert "bias init -3 → -0.25 (negative bias)" in text
        # the arm's line says what ran, and what the experiment's arm was
        assert "A bias init -0.25 (the experiment's “negative bias” arm: bias init -3)" in text
        assert "A negative bias: bias init -3" not in text
        assert "B zero bias: bias init 0" in text


async def test_a_change_that_removes_the_condition_says_not_tested(app_pilot, config):
    """} six times: bias -3 → 0. No arm has a negative bias any more: the claim is not tested
    (not refuted), the panel says so before and after R, and arm A is labelled as it ran."""
    async with app_pilot(config, size=SIZE) as (app, pilot):
        app.load_experiment(small())
        await settle(app, pilot)
        for _ in range(6):
            await pilot.press("right_curly_bracket")
        await pilot.pause()
        assert app.state.config.bias_init == 0.0
        reason = "no arm has a negative bias (the negative-bias arm now has bias init 0)"
        text = " ".join(panel_text(app).split())
        assert "✔ HOLDS" in text and "R re-runs" in text
        assert f"with the settings in force the claim would not be tested: {reason}" in text
        await pilot.press("R")
        await settle(app, pilot)
        assert app.state.experiment_result.verdict == "not tested"
        text = " ".join(panel_text(app).split())
        assert f"○ NOT TESTED · was: holds {reason}" in text
        assert "DOES NOT HOLD" not in text and "would not be tested" not in text
        assert "A bias init 0 (the experiment's “negative bias” arm: bias init -3)" in text
        assert "A negative bias" not in text
        assert "not tested" in app.screen.query_one("#experiment").border_subtitle
        # back to -3: the arms are the experiment's again, and R re-runs it as defined
        for _ in range(6):
            await pilot.press("left_curly_bracket")
        await pilot.press("R")
        await settle(app, pilot)
        text = " ".join(panel_text(app).split())
        assert "✔ HOLDS · was: not tested" in text and "A negative bias: bias init -3" in text


async def test_vanishing_gradient_panel_says_tanh_is_shown_not_judged(app_pilot, config, monkeypatch):
    import relutui.experiments as experiments

    monkeypatch.setitem(experiments._BY_NAME, "vanishing-gradient", small("vanishing-gradient"))
    async with app_pilot(config, size=SIZE) as (app, pilot):
        app.load_experiment("vanishing-gradient")
        await settle(app, pilot)
        text = " ".join(panel_text(app).split())
        assert "Sigmoid makes gradients vanish in deep nets; ReLU does not" in text
        assert "tanh is shown for comparison, not judged" in text
        assert "B tanh: init xavier · shown, not judged" in text
        # the compare side gets the judged arm's activation: relu, not tanh
        assert app.state.compare_activation == "relu"


async def test_rerun_button_and_close_key(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        app.load_experiment(small())
        await settle(app, pilot)
        app.intent(app.state.set, "lr", 0.2)
        await pilot.click("#btn-rerun")
        await settle(app, pilot)
        assert "lr 0.1 → 0.2" in panel_text(app)
        await pilot.press("x")
        await pilot.pause()
        assert app.state.experiment is None
        assert not app.screen.query_one("#experiment").display
        assert app.screen.query_one("#inspector").display
        await pilot.press("R")  # nothing loaded: a notice, no crash
        await pilot.pause()
        assert app.state.experiment is None


async def test_step_through_brings_the_inspector_back(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        app.load_experiment(small())
        await settle(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one("#inspector").display
        assert not app.screen.query_one("#experiment").display
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#experiment").display


async def test_two_arm_activation_goes_to_the_compare_side(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        app.load_experiment(get_experiment("sparsity").with_changes(steps=20, seeds=1))
        await settle(app, pilot)
        assert app.state.config.activation == "relu" and app.state.compare_activation == "sigmoid"
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("v")  # the right-hand activation: the second arm's
        await pilot.pause()
        changed = app.state.compare_activation
        assert app.state.experiment_to_run().arm("sigmoid").config.activation == changed
        await pilot.press("R")  # re-runs from compare mode too; the verdict comes as a notice
        await settle(app, pilot)
        assert app.state.experiment_status == "done"


async def test_loading_another_experiment_drops_a_run_in_flight(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        app.load_experiment(get_experiment("dying-relu-bias").with_changes(steps=200, seeds=3))
        app.load_experiment(get_experiment("sigmoid-range").with_changes(steps=20, seeds=1))
        await settle(app, pilot)
        assert app.state.experiment.name == "sigmoid-range"
        assert app.state.experiment_result.experiment.name == "sigmoid-range"
        assert "DOES NOT HOLD" in panel_text(app)


async def test_verdict_text_is_wrapped_again_when_the_panel_narrows(app_pilot, config):
    async with app_pilot(config, size=(130, 40)) as (app, pilot):
        app.load_experiment(small())
        await settle(app, pilot)
        await pilot.resize_terminal(100, 40)
        await pilot.pause()
        await pilot.pause()
        panel = app.screen.query_one("#experiment")
        shown = str(app.screen.query_one("#experiment-text").render())  # the lines on screen
        assert max(len(line.rstrip()) for line in shown.splitlines()) <= panel.content_region.width - 1


async def test_picking_an_experiment_in_compare_mode_shows_it_on_the_main_screen(app_pilot, config, monkeypatch):
    """c, v, e, vanishing-gradient: compare mode closes (the claim panel lives on the main
    screen), the experiment's settings are in force and its run ends with the verdict shown;
    escape in the picker stays in compare mode."""
    import relutui.experiments as experiments
    from relutui.app.screens.compare import CompareScreen

    monkeypatch.setitem(experiments._BY_NAME, "vanishing-gradient", small("vanishing-gradient"))
    async with app_pilot(config, size=SIZE, notifications=True) as (app, pilot):
        await pilot.press("c", "v", "e")
        await pilot.pause()
        assert isinstance(app.screen, ExperimentPicker)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen) and app.state.compare
        await pilot.press("e")
        await pilot.pause()
        ol = app.screen.query_one(OptionList)
        ol.highlighted = ol.get_option_index("vanishing-gradient")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        s = app.state
        assert not s.compare and s.run_b is None
        assert s.config.activation == "sigmoid" and s.config.layers == (8,) * 8
        assert s.compare_activation == "relu"  # c now compares the judged pair
        assert s.experiment_status == "done" and s.experiment_result.verdict == "holds"
        panel = app.screen.query_one("#experiment")
        assert panel.display and panel.border_title == "claim · vanishing-gradient"
        assert "✔ HOLDS" in panel_text(app)
        assert any("compare mode closed" in str(n.message) for n in app._notifications)
        # c compares sigmoid with relu; the table's border names the loaded claim and its verdict
        await pilot.press("c")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        table = app.screen.query_one("#cmp-table")
        assert "claim · vanishing-gradient" in str(table.border_title) and "holds" in str(table.border_title)


async def test_palette_entry_in_compare_mode_leaves_compare_mode(app_pilot, config, monkeypatch):
    import relutui.experiments as experiments

    monkeypatch.setitem(experiments._BY_NAME, "dying-relu-bias", small())
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.press("c")
        await pilot.pause()
        app.action_command_palette()
        await pilot.pause()
        await pilot.press(*"experiment: dying-relu-bias")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen) and not app.state.compare
        assert app.state.experiment_result.verdict == "holds"
        assert "✔ HOLDS" in panel_text(app)
