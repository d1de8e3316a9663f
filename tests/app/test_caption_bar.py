"""Demo captions a class can read: the key the demo presses, in reverse video, with what it does
(by action, not footer label), and the caption in a bar across the bottom, never as markup."""

from __future__ import annotations

from textual import events

from relutui.app.app import ReluApp
from relutui.app.widgets.caption_bar import CAPTION_ID, CaptionBar

SIZES = [(80, 24), (120, 36), (200, 60)]


def bar_text(app) -> str:
    bar = app.screen.query_one(f"#{CAPTION_ID}", CaptionBar)
    return str(bar.compose_content().plain)


async def test_a_demo_key_shows_in_the_bar_with_its_action(config):
    app = ReluApp(config)
    async with app.run_test(size=(120, 36)) as pilot:
        assert not app.screen.query(f"#{CAPTION_ID}")  # nothing until a demo key comes
        await pilot.press("n")  # a user's key: no bar
        await pilot.pause()
        assert not app.screen.query(f"#{CAPTION_ID}")
        event = events.Key("n", "n")
        event._relutui_demo = True
        app.post_message(event)
        await pilot.pause()
        text = bar_text(app)
        assert text.startswith(" n   step-through: next phase") and "Phase›" not in text
        bar = app.screen.query_one(CaptionBar)
        assert bar.display and bar.region.height == 4
        assert bar.compose_content().spans[0].style == "reverse bold"  # the key in reverse video
        assert app.state.phase is not None  # and the key acted


async def test_a_caption_is_plain_text_in_the_bar(config):
    for size in SIZES:
        app = ReluApp(config)
        async with app.run_test(size=size) as pilot:
            app.show_caption("[bold]not markup[/] ReLU keeps f' = 1", title="tour")
            await pilot.pause()
            bar = app.screen.query_one(CaptionBar)
            assert "tour: [bold]not markup[/] ReLU keeps f' = 1" in bar_text(app)
            assert bar.region.width == size[0]
            footer_y = size[1] - 1
            assert bar.region.bottom <= footer_y  # above the footer, which stays readable
