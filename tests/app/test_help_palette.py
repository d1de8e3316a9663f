"""The help opens on what to press first and names keys by what they do (not by their footer
labels); the command palette opens on relutui's commands, Textual's generic ones after."""

from __future__ import annotations

from textual.command import CommandList, CommandPalette

from relutui.app.app import ReluApp
from relutui.app.screens.help import GETTING_STARTED, HelpScreen

from .conftest import SIZE


async def help_text(config, size=SIZE) -> str:
    app = ReluApp(config)
    async with app.run_test(size=size) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        return app.screen.plain_text(width=200)


async def test_the_help_starts_with_getting_started(config):
    text = await help_text(config)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[0] == "getting started: press"
    assert [line.split()[0] for line in lines[1:8]] == ["space", "s", "n", "c", "e", "w", "?"]
    assert [k for k, _ in GETTING_STARTED] == ["space", "s", "n", "c", "e", "w", "?"]
    assert "claims lab" in lines[5]


async def test_keys_are_named_by_their_action_not_their_footer_label(config):
    text = await help_text(config)
    for label in ("Phase›", "Left act.", "Right act.", "Play/Pause", "  Step ", "  Back ", "^s", "^l"):
        assert label not in text, label
    words = " ".join(text.split())
    for line in ("n step-through: next phase", "a next activation of the left run",
                 "v next activation of the right run", "ctrl+s f12 save", "space play / pause training"):
        assert line in words, line


async def test_the_palette_opens_on_relutuis_commands(config):
    app = ReluApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.5)
        assert isinstance(app.screen, CommandPalette)
        options = app.screen.query_one(CommandList)
        prompts = [str(options.get_option_at_index(i).prompt).split("\n")[0]
                   for i in range(options.option_count)]
    assert prompts[0].startswith("activation: "), prompts[:3]
    theme = next(i for i, p in enumerate(prompts) if p.lower().startswith("theme"))
    quit_ = next(i for i, p in enumerate(prompts) if p.lower().startswith("quit"))
    last_relu = max(i for i, p in enumerate(prompts) if p.startswith(("activation: ", "dataset: ", "experiment")))
    assert last_relu < theme and last_relu < quit_


async def test_a_typed_query_ranks_relutui_first_on_a_tie(config):
    app = ReluApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        for ch in "quit":
            await pilot.press(ch)
        await pilot.pause(0.5)
        options = app.screen.query_one(CommandList)
        assert options.option_count >= 1  # Textual's quit is still found


async def test_every_footer_label_has_a_name_for_what_the_key_does(config):
    """A key shown in a footer ("Panels", "Phase›", "Next claim") is listed in the help by what
    it does, and every screen's keys are there, the article walk-through's included."""
    from relutui.app.screens import bindings
    from relutui.app.screens.help import ACTIONS, ARTICLE_ACTIONS, COMPARE_ACTIONS

    names = {**ACTIONS, **COMPARE_ACTIONS, **ARTICLE_ACTIONS}
    for group in (bindings.MAIN, bindings.COMPARE, bindings.ARTICLE, bindings.APP):
        for b in group:
            if b.show and b.action not in bindings.FOOTER_ONLY:
                assert b.action in names and names[b.action] != b.description, b
    words = " ".join((await help_text(config)).split())
    assert "keys: article walk-through (w)" in words
    for line in ("v below 32 rows: the centre column shows its next panel",
                 "] pgdn next claim", "⏎ open the claim's experiment on the main screen",
                 "esc w back to the screen before"):
        assert line in words, line


async def _help_and_palette(config, monkeypatch, web: bool) -> tuple[str, dict[str, str]]:
    from textual.app import App

    from relutui.app.commands import ReluCommands

    monkeypatch.setattr(App, "is_web", property(lambda self: web))
    words = " ".join((await help_text(config)).split())
    app = ReluApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        palette = {title: text for title, _, text in ReluCommands(app.screen)._commands()}
    return words, palette


async def test_ctrl_s_and_ctrl_l_say_where_the_file_goes(config, monkeypatch):
    """In a terminal: the working directory. Under `relutui serve`: a download in the visitor's
    browser; the help and the palette never say a visitor's file is written on the server."""
    words, palette = await _help_and_palette(config, monkeypatch, web=False)
    assert "ctrl+s f12 save an SVG screenshot to the working directory" in words
    assert "ctrl+l save the current state as a lesson (TOML) to the working directory" in words
    assert "working directory" in palette["save screenshot"] and "working directory" in palette["save lesson"]

    words, palette = await _help_and_palette(config, monkeypatch, web=True)
    assert "ctrl+s f12 save an SVG screenshot: a download in your browser (nothing is written on the server)" \
        in words
    assert "ctrl+l save the current state as a lesson (TOML): a download in your browser" in words
    assert "working directory" not in words
    for title in ("save screenshot", "save lesson"):
        assert "download" in palette[title] and "working directory" not in palette[title]
