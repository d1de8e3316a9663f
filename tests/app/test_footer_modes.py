"""The footer in every mode at 80x24 (a common default terminal): ? Help and q Quit stay in
view and whole, and no key hangs off the right edge. The keys that do not fit give way, lowest
priority first (the page keys shrink to "PgDn scroll" before they go)."""

from __future__ import annotations

from textual.geometry import Region
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from relutui.app.screens.article import ArticleScreen
from relutui.app.screens.compare import CompareScreen
from relutui.app.widgets.footer import FoldingFooter, Item, fit
from relutui.experiments import get_experiment
from relutui.training import TrainConfig

NARROW = (80, 24)
DEEP_SIGMOID = TrainConfig(seed=0, activation="sigmoid", layers=(8, 8, 8, 8, 8))


def footer_of(app) -> Footer:
    return app.screen.query_one(Footer)


def footer_text(app) -> str:
    """The footer's row as drawn: each key and label at its place on the screen."""
    footer = footer_of(app)
    row = [" "] * app.size.width
    for widget in footer.query("FooterKey, FooterLabel"):
        text = "".join(strip.text for strip in widget.render_lines(Region(0, 0, *widget.size)))
        for i, ch in enumerate(text[: widget.region.width]):
            if 0 <= widget.region.x + i < len(row):
                row[widget.region.x + i] = ch
    return "".join(row).rstrip()


def check_footer(app, where: str) -> None:
    width = app.size.width
    footer = footer_of(app)
    assert isinstance(footer, FoldingFooter), where
    keys = {key.action: key for key in footer.query(FooterKey)}
    for action in ("help", "quit"):
        assert action in keys, (where, action, footer_text(app))
    for widget in footer.query("FooterKey, FooterLabel, KeyGroup"):
        assert widget.region.right <= width, (where, widget, widget.region, footer_text(app))
    text = footer_text(app)
    assert "? Help q Quit" in text, (where, text)


async def settle(app, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def test_help_and_quit_stay_whole_in_every_mode_at_80x24(app_pilot, monkeypatch):
    import relutui.experiments as experiments

    small = get_experiment("dying-relu-bias").with_changes(steps=40, seeds=2)
    monkeypatch.setitem(experiments._BY_NAME, "dying-relu-bias", small)
    async with app_pilot(DEEP_SIGMOID, size=NARROW) as (app, pilot):
        await settle(app, pilot)
        check_footer(app, "main")
        # the step-through (s, then n through every phase): the ledger's page keys join the footer
        await pilot.press("s")
        await pilot.pause()
        check_footer(app, "after s")
        seen_scroll = False
        for _ in range(2 * app.state.n_layers + 2):
            await pilot.press("n")
            await pilot.pause()
            where = f"phase {app.state.phase.kind} {app.state.phase.layer}"
            check_footer(app, where)
            seen_scroll |= "PgDn scroll" in footer_text(app)
        assert seen_scroll  # the page keys, shrunk to what fits, are still there
        await pilot.press("escape")
        await pilot.pause()
        check_footer(app, "after the step-through")
        # the controls shown, then folded away again
        await pilot.press("o")
        await pilot.pause()
        check_footer(app, "controls shown")
        await pilot.press("o")
        await pilot.pause()
        # compare mode
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, CompareScreen)
        check_footer(app, "compare")
        await pilot.press("c")
        await settle(app, pilot)
        # the article walk-through
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        check_footer(app, "article")
        await pilot.press("escape")
        await settle(app, pilot)
        # the claims lab: an experiment loaded, its panel scrolls from the page keys
        await pilot.press("e")
        await pilot.pause()
        picker = app.screen.query_one("OptionList")
        picker.highlighted = picker.get_option_index("dying-relu-bias")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.state.experiment is not None
        check_footer(app, "claims lab")
        assert "PgDn scroll" in footer_text(app)
        # the claims lab and a step-through at once
        await pilot.press("s")
        await pilot.press("n")
        await pilot.pause()
        check_footer(app, "claims lab, step-through")


async def test_a_resize_refits_the_footer(app_pilot):
    async with app_pilot(DEEP_SIGMOID, size=(120, 36)) as (app, pilot):
        await pilot.press("s", "n")
        await pilot.pause()
        assert "PgUp PgDn scroll" in footer_text(app)
        await pilot.resize_terminal(*NARROW)
        await pilot.pause()
        await pilot.pause()
        check_footer(app, "120x36 to 80x24")
        assert "PgDn scroll" in footer_text(app) and "PgUp" not in footer_text(app)
        await pilot.resize_terminal(120, 36)
        await pilot.pause()
        await pilot.pause()
        assert "PgUp PgDn scroll" in footer_text(app)


def test_fit_leaves_out_the_lowest_priority_first_and_never_help_or_quit():
    from textual.binding import Binding

    scroll = Binding.Group("scroll")
    items = [Item((("toggle_play", "space"),), "Play/Pause"), Item((("full_step", "s"),), "Step"),
             Item((("scroll_side(-1)", "PgUp"), ("scroll_side(1)", "PgDn")), "scroll", scroll, False),
             Item((("help", "?"),), "Help"), Item((("quit", "q"),), "Quit")]
    widths = [item.width(set()) for item in items]
    assert widths == [len("space Play/Pause "), len("s Step "), len(" PgUp PgDn scroll "), len("? Help "),
                      len("q Quit ")]
    total = sum(widths)
    assert fit(items, total) == frozenset()
    assert fit(items, total - 1) == {"full_step"}
    assert fit(items, total - len("s Step ") - 1) == {"full_step", "scroll_side(-1)"}
    assert items[2].width({"scroll_side(-1)"}) == len(" PgDn scroll ")
    # however narrow, ? Help and q Quit stay
    assert fit(items, 5) == {"toggle_play", "full_step", "scroll_side(-1)", "scroll_side(1)"}
    # the command palette's key goes first
    assert fit(items, total, palette="^p palette") == {"command_palette"}
