"""The claims lab in the app: picker (key and palette), loading, the run in a worker, the verdict."""

from __future__ import annotations

from textual.widgets import Input, OptionList

from relutui.app.app import ReluApp
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


async def test_picker_opens_with_e_lists_every_experiment_and_escape_closes(config):
    app = ReluApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        assert isinstance(app.screen, ExperimentPicker)
        ol = app.screen.query_one(OptionList)
        assert ol.option_count == len(list_experiments())
        assert [ol.get_option_at_index(i).id for i in range(ol.option_count)] == [e.name for e in list_experiments()]
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        assert app.state.experiment is None


async def test_picker_enter_loads_and_runs(config, monkeypatch):
    import relutui.experiments as experiments

    monkeypatch.setitem(experiments._BY_NAME, "dying-relu-bias", small())
    app = ReluApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        ol = app.screen.query_one(OptionList)
        ol.highlighted = ol.get_option_index("dying-relu-bias")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.state.experiment.name == "dying-relu-bias"
        assert app.state.experiment_result.verdict == "holds"


async def test_palette_entry_loads_an_experiment(config):
    app = ReluApp(config)
    async with app.run_test(size=SIZE) as pilot:
        app.action_command_palette()
        await pilot.pause()
        await pilot.press(*"experiment: sigmoid-range")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.state.experiment is not None and app.state.experiment.name == "sigmoid-range"
        assert app.state.config.activation == "sigmoid"


async def test_loading_sets_the_controls_and_shows_the_claim(config):
    app = ReluApp(config)
    async with app.run_test(size=SIZE) as pilot:
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


async def test_run_ends_with_the_verdict_and_its_numbers_on_screen(config):
    app = ReluApp(config)
    async with app.run_test(size=SIZE) as pilot:
        app.load_experiment(small())
        await settle(app, pilot)
        assert app.state.experiment_status == "done"
        assert app.state.experiment_progress == (4, 4)
        text = panel_text(app)
        assert "✔ HOLDS" in text
        assert "seeds 0–1 × 40 steps" in text
        assert "dead fraction at end" in text
        assert "holds" in app.screen.query_one("#experiment").border_subtitle


async def test_change_one_setting_and_rerun_moves_the_verdict(config):
    app = ReluApp(config)
    async with app.run_test(size=SIZE) as pilot:
        app.load_experiment(small())
        await settle(app, pilot)
        assert app.state.experiment_result.verdict == "holds"
        # bias init 0 in the controls, as a user types it
        app.screen.query_one(ControlsPanel).focus_field("bias")
        await pilot.press("enter")  # the editor opens with the value selected
        await pilot.pause()
        assert isinstance(app.screen, ControlEditor)
        assert app.screen.query_one("#edit-input", Input).value == "-3"
        await pilot.press("0", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.state.config.bias_init == 0.0
        assert "R re-runs" in panel_text(app)  # the verdict shown is out of date
        await pilot.press("R")
        await settle(app, pilot)
        assert app.state.experiment_result.verdict == "does not hold"
        text = panel_text(app)
        assert "✘ DOES NOT HOLD · was: holds" in text
        assert "bias_init -3 → 0 (negative bias)" in text


async def test_rerun_button_and_close_key(config):
    app = ReluApp(config)
    async with app.run_test(size=SIZE) as pilot:
        app.load_experiment(small())
        await settle(app, pilot)
        app.intent(app.state.set_lr, 0.2)
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


async def test_step_through_brings_the_inspector_back(config):
    app = ReluApp(config)
    async with app.run_test(size=SIZE) as pilot:
        app.load_experiment(small())
        await settle(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one("#inspector").display
        assert not app.screen.query_one("#experiment").display
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#experiment").display


async def test_two_arm_activation_goes_to_the_compare_side(config):
    app = ReluApp(config)
    async with app.run_test(size=SIZE) as pilot:
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


async def test_loading_another_experiment_drops_a_run_in_flight(config):
    app = ReluApp(config)
    async with app.run_test(size=SIZE) as pilot:
        app.load_experiment(get_experiment("dying-relu-bias").with_changes(steps=200, seeds=3))
        app.load_experiment(get_experiment("sigmoid-range").with_changes(steps=20, seeds=1))
        await settle(app, pilot)
        assert app.state.experiment.name == "sigmoid-range"
        assert app.state.experiment_result.experiment.name == "sigmoid-range"
        assert "DOES NOT HOLD" in panel_text(app)


async def test_verdict_text_is_wrapped_again_when_the_panel_narrows(config):
    app = ReluApp(config)
    async with app.run_test(size=(130, 40)) as pilot:
        app.load_experiment(small())
        await settle(app, pilot)
        await pilot.resize_terminal(100, 40)
        await pilot.pause()
        await pilot.pause()
        panel = app.screen.query_one("#experiment")
        shown = str(app.screen.query_one("#experiment-text").render())  # the lines on screen
        assert max(len(line.rstrip()) for line in shown.splitlines()) <= panel.content_region.width - 1
