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
