"""Text from a lesson or demo file is shown as plain text in the app, never parsed as markup
(issue 15): a title of ``[@click=app.screenshot('victim.txt','/some/dir')]Click here[/]`` made
a link whose click overwrote a file; ``[/]`` and ``[link=...]`` crashed the app at start.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from relutui.app.app import ReluApp
from relutui.demos.player import LiveDemoApp, play_headless
from relutui.demos.script import parse_demo

SIZE = (120, 36)

MARKUP = [
    "[@click=app.screenshot('victim.txt','/some/dir')]Click here[/]",
    "[@click=app.quit]quit[/]",
    "[/]",
    "[link=https://example.com]a link[/link]",
    "[b]bold[/b] [/i]",
]


def lesson_file(tmp_path: Path, title: str, notes: str) -> Path:
    from relutui.lessons import _toml_str

    p = tmp_path / "lesson.toml"
    p.write_text(f"title = {_toml_str(title)}\nnotes = {_toml_str(notes)}\n", encoding="utf-8")
    return p


def rendered_text(widget_content, width: int) -> str:
    con = Console(width=width, record=True, file=io.StringIO())
    con.print(widget_content)
    return " ".join(con.export_text().split())


@pytest.mark.parametrize("text", MARKUP)
async def test_lesson_title_and_notes_are_plain_text(tmp_path, text):
    app = ReluApp(lesson_path=lesson_file(tmp_path, text, f"1. {text}\n2. second"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert app._exception is None and app.is_running
        notes = app.screen.query_one("#notes")
        title = notes._border_title
        assert title.plain == text, title
        assert not title.spans, title.spans  # no style, no @click, no link
        assert text in rendered_text(notes.query_one("#notes-text").content, max(notes.size.width, 80))
        await pilot.click("#notes", offset=(3, 0))  # on the title: nothing happens
        await pilot.pause()
        assert app.is_running and app._exception is None
    assert not (tmp_path / "victim.txt").exists()


DEMO = """
title = "markup"
size = "120x36"
[config]
seed = 0
[[steps]]
note = {note}
[[steps]]
screenshot = "shot"
"""


@pytest.mark.parametrize("text", MARKUP)
def test_demo_caption_is_plain_text(tmp_path, text):
    from relutui.lessons import _toml_str

    demo = parse_demo(DEMO.format(note=_toml_str(text)), "markup")
    files = play_headless(demo, tmp_path / "shots", SIZE)
    assert [f.name for f in files] == ["shot.svg"]


@pytest.mark.parametrize("text", MARKUP)
async def test_live_demo_notes_are_plain_text(text):
    from relutui.lessons import _toml_str

    demo = parse_demo(DEMO.format(note=_toml_str(text)).replace('title = "markup"',
                      f'title = "markup"\ndescription = {_toml_str(text)}\nkey_delay = 0'), "markup")
    from relutui.app.widgets.caption_bar import CaptionBar, caption_of

    shown = []  # the captions the caption bar was given

    class Spy(LiveDemoApp):
        def show_caption(self, text, title="", timeout=8.0):
            super().show_caption(text, title, timeout)
            shown.append(caption_of(self).text)

    app = Spy(demo, speed=20.0)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(40):
            await pilot.pause(0.05)
            if app.demo_finished:
                break
        assert app._exception is None and app.is_running
        assert text in shown, shown
        caption_of(app).text = text  # on screen when the screenshot renders
        app.screen.query_one(CaptionBar).show_now()
        await pilot.pause(0.1)
        svg = app.export_screenshot()  # renders the bar and every notice: plain text, no crash
        assert app._exception is None and svg
