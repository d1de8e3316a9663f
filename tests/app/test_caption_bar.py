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
        assert text.startswith(" n   step-through: next phase\n") and "Phase›" not in text
        bar = app.screen.query_one(CaptionBar)
        assert bar.display and bar.region.height == 3  # a border line, the key's line, a caption line
        assert bar.compose_content().spans[0].style == "reverse bold"  # the key in reverse video
        assert app.state.phase is not None  # and the key acted


async def test_a_caption_is_plain_text_in_the_bar(config):
    for size in SIZES:
        app = ReluApp(config)
        async with app.run_test(size=size) as pilot:
            app.show_caption("[bold]not markup[/] ReLU keeps f' = 1", title="tour")
            await pilot.pause()
            bar = app.screen.query_one(CaptionBar)
            first, caption = bar_text(app).split("\n")
            assert caption == "[bold]not markup[/] ReLU keeps f' = 1"
            assert first.rstrip().endswith("tour")  # the demo's title, on the right of the key line
            assert bar.region.width == size[0]
            footer_y = size[1] - 1
            assert bar.region.bottom <= footer_y  # above the footer, which stays readable


async def test_the_bar_follows_the_screen_a_demo_key_opens(config):
    """A caption about the screen a key opens (c, ?, w) stays on that screen, with the key."""
    from relutui.app.screens.help import HelpScreen

    for size in SIZES:
        app = ReluApp(config)
        async with app.run_test(size=size) as pilot:
            app.show_caption("? lists every key", title="tour")
            await pilot.pause()
            app.show_key("question_mark")
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            bar = app.screen.query_one(CaptionBar)
            assert bar.display and bar.region.bottom <= size[1] - 1
            first, caption = bar_text(app).split("\n")
            assert first.startswith(" ?   help: every key") and caption == "? lists every key"
            app.show_key("escape")  # named on the help screen: what it does there
            assert bar_text(app).startswith(" esc   close the help")
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, HelpScreen)
            assert bar_text(app).startswith(" esc   close the help")  # the main screen's bar too


async def test_hiding_the_captions_gives_the_rows_back(config):
    from relutui.app.widgets.caption_bar import hide_captions

    app = ReluApp(config)
    async with app.run_test(size=(120, 36)) as pilot:
        inspector = app.screen.query_one("#inspector-pane").region.height
        app.show_caption("a caption", title="t")
        await pilot.pause()
        assert app.screen.has_class("-captioned")
        assert app.screen.query_one("#inspector-pane").region.height >= inspector  # the map gives the rows
        hide_captions(app)
        await pilot.pause()
        assert not app.screen.query_one(CaptionBar).display and not app.screen.has_class("-captioned")
        assert app.screen.query_one("#inspector-pane").region.height == inspector


def test_the_bar_names_a_key_in_one_line():
    from types import SimpleNamespace

    from relutui.app.screens.help import ACTIONS, ARTICLE_ACTIONS, COMPARE_ACTIONS, file_actions
    from relutui.app.widgets.caption_bar import short_action

    assert short_action(ACTIONS["next_phase"]) == "step-through: next phase"
    assert short_action(ACTIONS["bias(-1)"]) == "hidden bias init down 0.5"
    from relutui.app.screens import bindings

    named = [*ACTIONS.values(), *COMPARE_ACTIONS.values(), *ARTICLE_ACTIONS.values()]
    named += [*file_actions(SimpleNamespace(is_web=False)).values(),
              *file_actions(SimpleNamespace(is_web=True)).values()]
    named += [b.description for group in (bindings.MAIN, bindings.COMPARE, bindings.ARTICLE, bindings.APP)
              for b in group]
    for what in named:
        assert len(" ctrl+s   " + short_action(what)) <= 76, what  # one line of an 80-column bar


async def test_the_article_keys_are_named_there(config):
    """On the article walk-through, ] is "next claim" (not the main screen's "learning rate up")
    and enter is written as a word."""
    from relutui.app.screens.article import ArticleScreen

    app = ReluApp(config)
    app.article_autorun = False  # (no experiments in the background: only the keys matter here)
    async with app.run_test(size=(120, 36)) as pilot:
        app.show_key("w")
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        assert bar_text(app).startswith(" w   article walk-through")
        app.show_key("right_square_bracket")
        assert bar_text(app).startswith(" ]   next claim")
        app.show_key("enter")
        assert bar_text(app).startswith(" enter   open the claim's experiment on the main screen")
