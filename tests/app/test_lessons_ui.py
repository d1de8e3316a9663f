"""Lessons in the app: opening one (notes, focus, compare, experiment) and saving the state as one."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
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


# ---------------------------------------------------------------- notes in every mode, every size
SIZES = [(80, 24), (120, 36), (200, 60)]
NOTED = '''
title = "[b]Two[/b] sides"
compare = {compare}
notes = """
Read this first: [red]not markup[/red].

1. {first}
2. Second note.
3. Third note."""

[config]
activation = "relu"
layers = [4, 4]
seed = 0
'''


def noted(tmp_path: Path, first: str = "First note.", compare: bool = True, name: str = "noted.toml") -> Path:
    return write(tmp_path, NOTED.format(first=first, compare=str(compare).lower()), name)


def shown_text(widget) -> str:
    """What the screen shows in the widget's region now (its border too), whitespace squeezed."""
    strips = widget.screen._compositor.render_strips()
    region = widget.region
    rows = [strips[y].crop(region.x, region.right).text for y in range(region.y, region.bottom)]
    return " ".join(" ".join(rows).replace("│", " ").replace("▌", " ").split())


def notes_widget(app):
    """The notes as the screen shows them now: the docked panel or the strip (one of them)."""
    shown = [w for w in app.screen.query("#cmp-notes, #notes-step, #notes-strip") if w.display]
    assert len(shown) == 1, [w.id for w in shown]
    return shown[0]


def docked(size) -> bool:
    return size[0] >= 110 and size[1] >= 32


async def press(pilot, *keys) -> None:
    await pilot.press(*keys)
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_notes_stay_in_view_in_compare_mode(app_pilot, tmp_path, size):
    from relutui.app.widgets.notes_panel import NotesOverlay

    async with app_pilot(lesson_path=noted(tmp_path), size=size) as (app, pilot):
        await press(pilot)
        assert isinstance(app.screen, CompareScreen)
        widget = notes_widget(app)
        text = shown_text(widget)
        # plain text: the lesson's brackets are shown as written, never read as markup
        assert "Read this first: [red]not markup[/red]." in text
        assert "notes" in {b.action for _n, b, *_ in app.screen.active_bindings.values()
                           if app.screen.check_action(b.action, ()) and b.show}
        if docked(size):
            assert widget.id == "cmp-notes"
            assert "[b]Two[/b] sides" in text and "1. First note." in text and "N hides" in text
            await press(pilot, "N")  # hides them
            assert not any(w.display for w in app.screen.query("#cmp-notes, #notes-strip"))
            assert not app.state.show_notes
            await press(pilot, "N")  # shows them again
            assert notes_widget(app).id == "cmp-notes"
        else:
            # a strip of one note; N opens them all, the arrows choose the one the strip shows
            assert widget.id == "notes-strip" and widget.outer_size.height == 2
            assert "N: all notes" in text and "Second note" not in text
            await press(pilot, "N")
            assert isinstance(app.screen, NotesOverlay)
            overlay = shown_text(app.screen.query_one("#notes-overlay"))
            assert "[b]Two[/b] sides" in overlay and "3. Third note." in overlay
            await press(pilot, "down", "down")
            await press(pilot, "escape")  # back to the strip: it shows the note chosen
            assert isinstance(app.screen, CompareScreen)
            text = shown_text(notes_widget(app))
            assert "2. Second note." in text and "First note" not in text
            await press(pilot, "N", "N")  # N opens them all, N there hides the strip
            assert isinstance(app.screen, CompareScreen) and not app.state.show_notes
            assert not any(w.display for w in app.screen.query("#cmp-notes, #notes-strip"))
            await press(pilot, "N")  # and N shows it again, at the same note
            assert "2. Second note." in shown_text(notes_widget(app))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_notes_stay_in_view_in_the_step_through(app_pilot, tmp_path, size):
    async with app_pilot(lesson_path=noted(tmp_path, compare=False), size=size) as (app, pilot):
        await press(pilot)
        assert isinstance(app.screen, MainScreen) and app.screen.query_one("#notes").display
        await press(pilot, "n")  # the step-through: the inspector and the notes
        screen = app.screen
        kinds = set()
        while app.state.phase is not None:
            phase = app.state.phase.kind
            kinds.add(phase)
            widget = notes_widget(app)
            assert screen.query_one("#inspector").display, phase
            backward_strip = size[0] < 160 and phase in ("backward", "update")
            if docked(size) and not backward_strip:
                assert widget.id == "notes-step", phase
                assert not screen.query_one("#controls").display  # the notes take its column
                assert "1. First note." in shown_text(widget)
            else:
                assert widget.id == "notes-strip", phase
                assert "Read this first" in shown_text(widget)
            if phase == "update":
                break
            await press(pilot, "n")
        assert {"forward", "backward", "update"} <= kinds
        if docked(size):
            await press(pilot, "p", "p")  # a backward phase, then ... back to the forward pass
            while app.state.phase.kind != "forward":
                await press(pilot, "p")
            assert notes_widget(app).id == "notes-step"
            await press(pilot, "N")  # hides them: the controls come back
            assert not any(w.display for w in screen.query("#notes-step, #notes-strip"))
            assert screen.query_one("#controls").display and app.state.phase is not None
            await press(pilot, "N")
            assert notes_widget(app).id == "notes-step"
        await press(pilot, "escape")  # the step-through ends: the side panel again
        assert app.state.phase is None and screen.query_one("#notes").display


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_notes_shown_are_the_current_lessons(app_pilot, tmp_path, size):
    """m / M in a sequence: every mode shows the notes of the lesson now open."""
    first = noted(tmp_path, first="Lesson one.", name="one.toml")
    second = noted(tmp_path, first="Lesson two.", name="two.toml")
    async with app_pilot(lesson_path=[first, second], size=size) as (app, pilot):
        await press(pilot)
        compact = not docked(size)

        def check(lesson: str, other: str) -> None:
            text = shown_text(notes_widget(app))
            if compact:  # the strip: its first note, and which lesson of the sequence
                assert "Read this first" in text and f"lesson {lesson}/2" in text, text
            else:
                assert f"1. {other}" not in text and f"{lesson}/2" in text, text

        check("1", "Lesson two.")
        if not compact:
            assert "1. Lesson one." in shown_text(notes_widget(app))
        await press(pilot, "m")
        await press(pilot)
        assert isinstance(app.screen, CompareScreen) and app.lesson_index == 1
        check("2", "Lesson one.")
        if not compact:
            assert "1. Lesson two." in shown_text(notes_widget(app))
        await press(pilot, "c", "n")  # the step-through of the second lesson
        assert app.state.phase is not None
        check("2", "Lesson one.")
        await press(pilot, "M")
        await press(pilot)
        assert app.lesson_index == 0 and isinstance(app.screen, CompareScreen)
        check("1", "Lesson two.")


@pytest.mark.parametrize("width", [80, 100])
async def test_a_long_note_in_the_strip_says_where_the_rest_is(app_pilot, tmp_path, width):
    long = " ".join(f"word{k}" for k in range(60))
    async with app_pilot(lesson_path=noted(tmp_path, first=long), size=(width, 24)) as (app, pilot):
        await press(pilot, "N", "down", "escape")  # the strip shows note 2: "1. word0 word1 …"
        strip = notes_widget(app)
        assert strip.id == "notes-strip"
        region = strip.region
        rows = [app.screen._compositor.render_strips()[y].crop(region.x, region.right).text.rstrip()
                for y in range(region.y, region.bottom)]
        assert len(rows) == 2 and rows[0].startswith(" notes ◦•◦◦  1. word0 word1"), rows
        assert rows[1].endswith("… N: all notes"), rows  # whole, not cut by the edge
        assert all(len(row) <= width - 1 for row in rows), rows


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_notes_of_a_lesson_file_are_never_markup_in_any_mode(app_pilot, tmp_path, size):
    click = "[@click=app.quit]quit[/]"
    text = f'title = "{click} title"\ncompare = true\nnotes = "1. {click} note"\n'
    async with app_pilot(lesson_path=write(tmp_path, text), size=size) as (app, pilot):
        await press(pilot)
        assert isinstance(app.screen, CompareScreen)
        assert f"1. {click} note" in shown_text(notes_widget(app))
        if docked(size):
            pane = notes_widget(app)
        else:  # the strip: N opens them all
            await press(pilot, "N")
            pane = app.screen.query_one("#notes-overlay")
        assert f"{click} title" in shown_text(pane)
        await pilot.click(pane, offset=(4, 0))  # on the title
        await pilot.click(pane, offset=(4, 1))  # on the note
        if not docked(size):
            await press(pilot, "escape")  # closes the overlay
        await press(pilot, "c", "n")  # the step-through
        assert app.is_running and app._exception is None and app.state.phase is not None
        assert f"{click} note" in shown_text(notes_widget(app))
