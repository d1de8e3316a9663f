"""Snapshots of a lesson's notes where they used to be hidden: compare mode (a docked panel at
120x36 and 200x60, a strip of one note at 80x24, the notes opened whole with N) and the
step-through (in the controls' column). The bundled vanishing-gradient lesson without its
experiment: no background run in the picture.

Regenerate with `.venv/bin/python -m pytest tests/app/test_snapshots_notes.py --snapshot-update`
and look at the SVGs before committing them."""

from __future__ import annotations

from relutui.app.app import ReluApp
from relutui.lessons import resolve_lesson


def _app(tmp_path) -> ReluApp:
    text = resolve_lesson("vanishing-gradient-class").read_text(encoding="utf-8")
    assert 'experiment = "vanishing-gradient"\n' in text
    path = tmp_path / "vanishing.toml"
    path.write_text(text.replace('experiment = "vanishing-gradient"\n', ""), encoding="utf-8")
    return ReluApp(lesson_path=path)


def keys(*pressed: str):
    async def run_before(pilot) -> None:
        await pilot.pause()
        for key in pressed:
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause()

    return run_before


def test_compare_mode_with_notes_120x36(snap_compare, tmp_path):
    assert snap_compare(_app(tmp_path), terminal_size=(120, 36), run_before=keys())


def test_compare_mode_with_notes_200x60(snap_compare, tmp_path):
    assert snap_compare(_app(tmp_path), terminal_size=(200, 60), run_before=keys())


def test_compare_mode_notes_strip_80x24(snap_compare, tmp_path):
    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=keys())


def test_compare_mode_notes_opened_80x24(snap_compare, tmp_path):
    # N opens them all, down chooses the second note
    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=keys("N", "down"))


def test_step_through_with_notes_120x36(snap_compare, tmp_path):
    assert snap_compare(_app(tmp_path), terminal_size=(120, 36), run_before=keys("c", "n", "n"))
