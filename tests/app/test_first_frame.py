"""The first frame settles at once: after the main screen's first full paint, the status line
and the footer are not drawn again with the same content.

Before, the screen's first resume and its first resize each republished the bindings (the
footer recomposed twice) and pushed the views again (the status line was updated twice with
the same text): two more frames within ~150 ms of the first, holding the settled frame back
by ~0.2 s. Counted here (updates and recomposes), not timed."""

from __future__ import annotations

import pytest
from textual.widgets import Footer

from relutui.app.app import ReluApp
from relutui.app.textual_compat import SteadyFooter, wait_for_screen
from relutui.app.widgets.footer import FoldingFooter
from relutui.app.widgets.status_bar import StatusBar
from relutui.training import TrainConfig


@pytest.fixture
def counted(monkeypatch):
    counts = {"status": 0, "compose": 0, "recompose": 0}
    update = StatusBar.update

    def counting_update(self, *args, **kwargs):
        counts["status"] += 1
        return update(self, *args, **kwargs)

    compose = FoldingFooter.compose  # the main screen's footer (a SteadyFooter)

    def counting_compose(self):
        counts["compose"] += 1
        yield from compose(self)

    recompose = Footer.recompose

    async def counting_recompose(self):
        counts["recompose"] += 1
        return await recompose(self)

    monkeypatch.setattr(StatusBar, "update", counting_update)
    monkeypatch.setattr(FoldingFooter, "compose", counting_compose)
    monkeypatch.setattr(Footer, "recompose", counting_recompose)
    return counts


async def _settled(pilot) -> None:
    for _ in range(4):
        await wait_for_screen(pilot)
        await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_status_line_and_footer_are_drawn_once_at_start(counted, size):
    app = ReluApp(TrainConfig(seed=0))
    async with app.run_test(size=size) as pilot:
        await _settled(pilot)
        await pilot.pause(0.2)  # (the resize and resume that republished came within this)
        await _settled(pilot)
        footer = app.screen.query_one(SteadyFooter)
        assert counted == {"status": 1, "compose": 1, "recompose": 0}
        assert len(footer.children) > 0  # its keys, from the first compose
        assert "step 0" in str(app.screen.query_one(StatusBar).render())


async def test_the_footer_still_follows_a_change_of_its_keys(counted):
    """Narrow, the controls are folded away and the footer shows "o Controls"; o shows the
    column and the key leaves the footer (one recompose)."""
    app = ReluApp(TrainConfig(seed=0))
    async with app.run_test(size=(80, 24)) as pilot:
        await _settled(pilot)

        def actions() -> set[str]:
            return {key.action for key in app.screen.query_one(SteadyFooter).query("FooterKey")}

        assert "show_controls" in actions()
        await pilot.press("o")
        await _settled(pilot)
        assert "show_controls" not in actions() and counted["recompose"] == 1
        status = counted["status"]
        await pilot.press("space")  # play: the status line changes
        await _settled(pilot)
        assert counted["status"] > status
