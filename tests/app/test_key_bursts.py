"""Keys typed in one burst (a fast typist, a held key, a paste, tmux send-keys) act in order,
also when one of them opens or closes a dialog.

``burst`` sends the keys as one read from the terminal: all of them are posted to the app
before it handles the first (``Pilot.press`` waits for the app to go idle after each key, so
it never shows these races). Textual runs a key's binding once the key has bubbled up to the
app: before ``screens/modal.py``, the characters typed behind the enter that opened a
setting's editor were dropped, and the enter that should apply them applied the old value."""

from __future__ import annotations

from textual.widgets import Input

from relutui.app.app import ReluApp
from relutui.app.screens.control_editor import ControlEditor
from relutui.app.screens.help import HelpScreen
from relutui.app.screens.main import MainScreen
from relutui.app.widgets.controls import ORDER, ControlSheet, ControlsPanel, choices
from pilot_keys import key_event

from .conftest import SIZE


async def burst(pilot, *keys: str) -> None:
    """The keys as one read from the terminal, then wait until the app has handled them."""
    app = pilot.app
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        app._driver.send_message(event)
    for _ in range(3):
        await pilot._wait_for_screen()
        await pilot.pause()


async def on_sheet(pilot, field: str) -> ControlSheet:
    """The control sheet focused, ``field`` highlighted (as after tab and arrows)."""
    pilot.app.screen.query_one(ControlsPanel).focus_field(field)
    await pilot.pause()
    sheet = pilot.app.focused
    assert isinstance(sheet, ControlSheet) and sheet.highlighted == ORDER.index(field)
    return sheet


def only_main(app) -> None:
    assert len(app.screen_stack) == 1 and isinstance(app.screen, MainScreen), app.screen_stack


# ------------------------------------------------------------------ bug: keys behind the opening enter
async def test_a_value_typed_in_the_burst_of_the_enter_that_opened_its_editor(app_pilot, config):
    """The repro: tab to the controls, down to lr, enter, clear, type 0.05, enter."""
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.pause()
        assert app.focused is None
        await burst(pilot, "tab", "down", "enter", "ctrl+u", "0", ".", "0", "5", "enter")
        only_main(app)
        assert app.state.config.lr == 0.05
        assert app.screen.query_one(ControlsPanel).shown_values()["lr"] == "0.05"


async def test_keys_behind_the_enter_go_to_the_editor_not_to_the_sheet(app_pilot, config):
    """down, typed behind the enter, reaches the editor (an Input: it does nothing there),
    not the list under it; the characters replace the value, which opens selected."""
    async with app_pilot(config, size=SIZE) as (app, pilot):
        sheet = await on_sheet(pilot, "lr")
        await burst(pilot, "enter", "down", "0", ".", "3", "enter")
        only_main(app)
        assert app.state.config.lr == 0.3
        assert sheet.highlighted == ORDER.index("lr") and app.focused is sheet


async def test_editing_keys_act_between_the_characters(app_pilot, config):
    """end, backspace, home and delete act where they were typed among the characters (an
    Input types characters at once but ran its editing keys once they had bubbled up to the
    app, after the characters behind them: Textual issue #6605)."""
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await on_sheet(pilot, "noise")
        assert app.screen.query_one(ControlsPanel).shown_values()["noise"] == "0.1"
        await burst(pilot, "enter", "end", "backspace", "2", "home", "delete", "0", "enter")
        only_main(app)
        assert app.state.config.noise == 0.2
        # and in an editor already open
        await pilot.press("enter")
        assert isinstance(app.screen, ControlEditor)
        await burst(pilot, "end", "backspace", "3", "home", "delete", "enter")  # "0.2" -> "0.3" -> ".3"
        only_main(app)
        assert app.state.config.noise == 0.3


async def test_a_choice_picked_in_the_burst_of_the_enter_that_opened_the_list(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await on_sheet(pilot, "activation")
        values = [v for _, v in choices("activation")]
        start = values.index(app.state.config.activation)
        await burst(pilot, "enter", "down", "down", "enter")
        only_main(app)
        assert app.state.config.activation == values[start + 2]


async def test_a_refused_value_keeps_the_editor_open_and_escape_closes_it(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await on_sheet(pilot, "lr")
        await burst(pilot, "enter", "x", "enter")
        editor = app.screen
        assert isinstance(editor, ControlEditor) and editor.query_one("#edit-input", Input).value == "x"
        assert "enter is refused" in str(editor.query_one("#edit-error").render())
        await burst(pilot, "escape", "s")  # s, behind the escape, is the main screen's
        only_main(app)
        assert app.state.config.lr == 0.1 and app.state.step == 1


# ------------------------------------------------------------------ keys behind the closing enter
async def test_keys_behind_the_closing_enter_act_on_the_main_screen(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await on_sheet(pilot, "lr")
        await burst(pilot, "enter", "0", ".", "3", "enter", "s", "s")
        only_main(app)
        assert app.state.config.lr == 0.3 and app.state.step == 2


async def test_a_second_editor_in_the_same_burst_opens_on_the_value_just_applied(app_pilot, config):
    """Two edits in one burst: the second editor opens on the value the first one applied
    (typed behind its end: 0.05 then 0.051), not on the old one."""
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await on_sheet(pilot, "lr")
        await burst(pilot, "enter", "0", ".", "0", "5", "enter", "enter", "end", "1", "enter")
        only_main(app)
        assert app.state.config.lr == 0.051


async def test_a_choice_stepped_then_edited_in_one_burst(app_pilot, config):
    """right steps the activation; the list opened by the enter behind it highlights the new
    value, so the enter after that keeps it (the list opened on the old value, which the
    last enter brought back)."""
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await on_sheet(pilot, "activation")
        values = [v for _, v in choices("activation")]
        stepped = values[(values.index(app.state.config.activation) + 1) % len(values)]
        await burst(pilot, "right", "enter", "enter")
        only_main(app)
        assert app.state.config.activation == stepped


# ------------------------------------------------------------------ the experiment picker
async def test_enter_then_e_types_e_into_the_editor(app_pilot, config):
    """The enter came first: its editor opens, and the e behind it is typed into it (the
    editor opened over the experiment picker that the e had opened)."""
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await on_sheet(pilot, "lr")
        await burst(pilot, "enter", "e")
        assert [type(s) for s in app.screen_stack] == [MainScreen, ControlEditor]
        assert app.screen.query_one("#edit-input", Input).value == "e"


async def test_e_then_enter_loads_the_experiment(config, monkeypatch):
    """The e came first: the picker opens and the enter behind it loads the highlighted
    experiment (not an editor of the highlighted setting)."""
    from relutui.experiments import experiment_names

    app = ReluApp(config)
    loaded: list[str] = []
    monkeypatch.setattr(app, "load_experiment", lambda name, *a, **k: loaded.append(name))
    async with app.run_test(size=SIZE) as pilot:
        await on_sheet(pilot, "lr")
        await burst(pilot, "e", "down", "enter")
        only_main(app)
        assert loaded == [list(experiment_names())[1]]


async def test_help_opened_and_closed_in_one_burst(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.pause()
        await burst(pilot, "question_mark", "escape", "s", "question_mark")
        assert [type(s) for s in app.screen_stack] == [MainScreen, HelpScreen]
        assert app.state.step == 1
        await burst(pilot, "escape", "escape", "s")
        only_main(app)
        assert app.state.step == 2
