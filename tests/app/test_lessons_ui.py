"""Lessons in the app: opening one (notes, focus, compare, experiment) and saving the state as one."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual.widgets import Input

from relutui.app.screens.compare import CompareScreen
from relutui.app.screens.control_editor import ControlEditor
from relutui.app.screens.main import MainScreen
from relutui.app.widgets.notes_panel import note_items
from relutui.lessons import FOCUS_PANELS, load_lesson

from .conftest import SIZE

LESSON = '''
title = "Dead neurons"
focus = "network"
notes = """
1. Look at the network: ✕ marks a dead neuron.
2. Press space to train."""

[config]
activation = "relu"
bias_init = -1.0
lr = 0.5
seed = 3
'''


def write(tmp_path: Path, text: str, name: str = "lesson.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


async def settle(app, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def test_lesson_opens_with_its_settings_notes_and_focus(app_pilot, tmp_path):
    async with app_pilot(lesson_path=write(tmp_path, LESSON), size=SIZE) as (app, pilot):
        await pilot.pause()
        await pilot.pause()
        s = app.state
        assert (s.config.bias_init, s.config.lr, s.config.seed) == (-1.0, 0.5, 3)
        notes = app.screen.query_one("#notes")
        assert notes.display and notes.border_title == "Dead neurons"
        shown = Console(width=notes.size.width, record=True, file=io.StringIO())
        shown.print(notes.query_one("#notes-text").content)
        assert "✕ marks a dead neuron" in " ".join(shown.export_text().split())
        assert app.focused is not None and app.focused.id == "network"
        assert app.sub_title == "Dead neurons"
        await pilot.press("space")  # keys still act with a panel focused
        assert app.state.playing
        await pilot.press("space")
        await pilot.press("N")  # notes toggle
        await pilot.pause()
        assert not app.screen.query_one("#notes").display
        assert app.screen.query_one("#boundary").display
        await pilot.press("N")
        await pilot.pause()
        assert app.screen.query_one("#notes").display


async def test_every_focus_panel_exists_on_the_main_screen(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        for name in FOCUS_PANELS:
            assert app.screen.query_one(f"#{name}") is not None
        app.state.set_notes("some notes", "t")
        app.refresh_views()
        await pilot.pause()
        for name in FOCUS_PANELS:
            if name in ("inspector", "boundary"):
                continue  # the notes panel takes their place
            assert app.focus_panel(name)
            await pilot.pause()
            await pilot.pause()
            focused = app.focused
            assert focused is not None
            assert focused.id == name or any(a.id == name for a in focused.ancestors), name
        await pilot.press("escape")


async def test_lesson_focus_controls_focuses_the_first_control(app_pilot, tmp_path):
    async with app_pilot(lesson_path=write(tmp_path, 'focus = "controls"\n'), size=SIZE) as (app, pilot):
        await pilot.pause()
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "control-sheet"
        assert app.focused.highlighted_option.id == "activation"  # the first control
        assert not app.screen.query_one("#notes").display  # no notes, no panel
        await pilot.press("escape")
        await pilot.press("N")  # no notes: a notice, nothing breaks
        await pilot.pause()
        assert not app.state.show_notes


async def test_lesson_in_compare_mode_with_an_experiment(app_pilot, tmp_path, monkeypatch):
    import relutui.experiments as experiments

    small = experiments.get_experiment("vanishing-gradient").with_changes(steps=10, seeds=1)
    monkeypatch.setitem(experiments._BY_NAME, "vanishing-gradient", small)
    text = '''
title = "Vanishing"
focus = "grads"
experiment = "vanishing-gradient"
compare = true
compare_activation = "relu"
notes = "watch L1"
[config]
activation = "sigmoid"
layers = [8, 8, 8]
'''
    async with app_pilot(lesson_path=write(tmp_path, text), size=SIZE) as (app, pilot):
        await settle(app, pilot)
        assert isinstance(app.screen, CompareScreen)
        assert app.state.compare and app.state.compare_activation == "relu"
        assert app.focused is not None and app.focused.id == "grads-a"
        # the lesson's settings stay: the experiment runs with them (its changes are listed)
        assert app.state.config.layers == (8, 8, 8)
        assert app.state.experiment.name == "vanishing-gradient"
        assert app.state.experiment_status == "done"
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        text = app.screen.query_one("#experiment").plain
        assert "layers 8,8,8,8,8,8,8,8 → 8,8,8" in text
        assert app.screen.query_one("#notes").display


async def test_ctrl_l_saves_a_lesson_that_loads_back(app_pilot, tmp_path, monkeypatch, config):
    monkeypatch.chdir(tmp_path)
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.press("right_curly_bracket", "s", "s")  # bias 0.5, two steps
        app.load_experiment(app.state.experiment_to_run() if app.state.experiment else "sigmoid-range")
        await settle(app, pilot)
        app.state.set_notes("read me", "My lesson")
        await pilot.press("ctrl+l")
        await pilot.pause()
        path = tmp_path / "relutui-lesson-001.toml"
        assert path.is_file()
        lesson = load_lesson(path)
        assert lesson.config == app.state.config
        assert lesson.experiment == "sigmoid-range"
        assert (lesson.title, lesson.notes) == ("My lesson", "read me")
        assert any(str(path.resolve()) in n.message for n in app._notifications)
        await pilot.press("ctrl+l")  # never overwrites: the next free name
        await pilot.pause()
        assert (tmp_path / "relutui-lesson-002.toml").is_file()


async def test_ctrl_l_from_an_input_and_in_compare_mode(app_pilot, tmp_path, monkeypatch, config):
    monkeypatch.chdir(tmp_path)
    async with app_pilot(config, size=SIZE) as (app, pilot):
        app.screen.query_one("#control-sheet").focus()
        await pilot.pause()
        await pilot.press("down", "enter")  # the lr editor: its Input has the focus
        await pilot.pause()
        assert isinstance(app.screen, ControlEditor) and app.screen.field == "lr"  # (params is disabled)
        assert isinstance(app.focused, Input)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert (tmp_path / "relutui-lesson-001.toml").is_file()
        await pilot.press("escape")  # closes the editor
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        lesson = load_lesson(tmp_path / "relutui-lesson-002.toml")
        assert lesson.compare and lesson.compare_activation == app.state.compare_activation


async def test_ctrl_l_error_is_a_notice(app_pilot, tmp_path, monkeypatch, config):
    import relutui.lessons as lessons

    monkeypatch.chdir(tmp_path)

    def refuse(*_a, **_k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(lessons, "save_lesson", refuse)
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.press("ctrl+l")
        await pilot.pause()
        errors = [n for n in app._notifications if n.severity == "error"]
        assert errors and "lesson not saved" in errors[-1].message
        assert list(tmp_path.iterdir()) == []


def test_notes_are_reflowed_into_items_and_paragraphs():
    """A lesson file wraps its lines for the editor; the panel wraps them again for its width."""
    notes = ("Intro line one\ncontinues here.\n\n1. First item\n   wraps here.\n"
             "2) Second\n- a dash item\n\nLast paragraph.")
    assert note_items(notes) == [
        ("", "Intro line one continues here."), ("", ""),
        ("1.", "First item wraps here."), ("2)", "Second"), ("-", "a dash item"), ("", ""),
        ("", "Last paragraph."),
    ]
    assert note_items("") == []
