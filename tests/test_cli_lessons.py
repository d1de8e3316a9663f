"""Lessons by name, ``relutui lessons``, lesson sequences (m / M) and notes in every mode."""

from __future__ import annotations

import json

import pytest

from relutui.cli import main
from relutui.lessons import LessonError, bundled_lessons, load_lesson, parse_lesson, resolve_lesson

SIZE = (120, 36)


def _lesson(tmp_path, name, activation, notes, compare=False):
    p = tmp_path / f"{name}.toml"
    p.write_text(f'title = "{name}"\ncompare = {str(compare).lower()}\nnotes = """\n{notes}"""\n\n'
                 f'[config]\nactivation = "{activation}"\nlayers = [4]\nseed = 0\n', encoding="utf-8")
    return p


def test_bundled_lessons_open_by_name():
    names = bundled_lessons()
    assert "dying-relu-class" in names
    for name, path in names.items():
        assert resolve_lesson(name) == path == resolve_lesson(name + ".toml")
        assert load_lesson(name).title


def test_a_file_wins_over_a_bundled_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _lesson(tmp_path, "dying-relu-class", "tanh", "mine")
    assert load_lesson("dying-relu-class.toml").config.activation == "tanh"  # the file here
    assert load_lesson("dying-relu-class").config.activation == "relu"  # the bundled one


def test_an_unknown_name_lists_the_bundled_ones():
    with pytest.raises(LessonError, match="bundled lessons: .*dying-relu-class"):
        load_lesson("no-such-lesson")


def test_relutui_lessons_lists_them(capsys):
    assert main(["lessons"]) == 0
    out = capsys.readouterr().out
    for name in bundled_lessons():
        assert name in out
    assert "relutui --lesson" in out


def test_relutui_lessons_json_and_copy(capsys):
    assert main(["lessons", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["name"] for r in rows} == set(bundled_lessons())
    assert main(["lessons", "dying-relu-class"]) == 0
    text = capsys.readouterr().out
    assert parse_lesson(text).title == load_lesson("dying-relu-class").title


def test_relutui_lessons_unknown_name_is_a_usage_error(capsys):
    assert main(["lessons", "nope"]) == 2
    assert "dying-relu-class" in capsys.readouterr().err


def test_several_lessons_on_the_command_line(tmp_path, monkeypatch):
    import relutui.app as app_pkg

    seen = {}
    monkeypatch.setattr(app_pkg, "run_app", lambda config, **kw: seen.update(config=config, **kw) or 0)
    a, b = _lesson(tmp_path, "a", "tanh", "A"), _lesson(tmp_path, "b", "sigmoid", "B")
    assert main(["--lesson", str(a), "--lesson", str(b), "--lr", "0.5"]) == 0
    assert seen["lesson_path"] == [str(a), str(b)]
    assert seen["config"].activation == "tanh" and seen["config"].lr == 0.5
    assert main(["--lesson", str(a), "--lesson", str(tmp_path / "missing.toml")]) == 2


async def test_m_and_M_go_through_the_sequence(tmp_path):
    from relutui.app.app import ReluApp
    from relutui.app.screens.compare import CompareScreen
    from relutui.app.screens.main import MainScreen

    paths = [_lesson(tmp_path, "a", "tanh", "first notes"),
             _lesson(tmp_path, "b", "sigmoid", "second notes", compare=True)]
    app = ReluApp(lesson_path=paths)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.state.config.activation == "tanh" and app.state.notes == "first notes"
        await pilot.press("M")  # the first: stays
        assert app.lesson_index == 0
        await pilot.press("m")
        await pilot.pause()
        assert app.lesson_index == 1 and app.state.config.activation == "sigmoid"
        assert app.state.notes == "second notes" and isinstance(app.screen, CompareScreen)
        await pilot.press("m")  # the last: stays
        assert app.lesson_index == 1
        await pilot.press("M")
        await pilot.pause()
        assert app.lesson_index == 0 and app.state.config.activation == "tanh"
        assert isinstance(app.screen, MainScreen) and not app.state.compare


async def test_notes_show_in_compare_mode_and_the_step_through(tmp_path):
    """(At 120x36: a docked panel in both; tests/app/test_lessons_ui.py has the other sizes.)"""
    from relutui.app.app import ReluApp
    from relutui.app.screens.compare import CompareScreen
    from relutui.app.screens.main import MainScreen

    app = ReluApp(lesson_path=_lesson(tmp_path, "c", "relu", "look at both sides", compare=True))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert app.screen.query_one("#cmp-notes").display
        await pilot.press("N")  # hides them
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen) and not app.screen.query_one("#cmp-notes").display
        await pilot.press("N")
        await pilot.pause()
        assert app.screen.query_one("#cmp-notes").display
        await pilot.press("c", "n")  # main screen, step-through: the notes stay, the inspector too
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.state.phase is not None
        assert app.screen.query_one("#notes-step").display and app.screen.query_one("#inspector").display
        await pilot.press("N")
        await pilot.pause()
        assert not app.screen.query_one("#notes-step").display and app.state.phase is not None


def test_serve_opens_a_bundled_lesson_by_name():
    from relutui.serve import serve_command

    assert serve_command("dying-relu-class").endswith("dying-relu-class.toml")


async def test_the_notes_panel_says_where_the_sequence_is(tmp_path):
    from relutui.app.app import ReluApp
    from relutui.app.widgets.notes_panel import NotesPanel

    app = ReluApp(lesson_path=[_lesson(tmp_path, "a", "tanh", "one"), _lesson(tmp_path, "b", "relu", "two")])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "1/2 · m next" in str(app.screen.query_one(NotesPanel).border_subtitle)
        await pilot.press("m")
        await pilot.pause()
        await pilot.pause()
        assert "2/2 · M back" in str(app.screen.query_one(NotesPanel).border_subtitle)
