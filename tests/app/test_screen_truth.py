"""Issue 13, what the network panel, the inspector and the compare screen say: each number
agrees with its words, at 80x24, 120x36 and 200x60 (Pilot)."""

from __future__ import annotations

import pytest

from relutui.app.app import ReluApp
from relutui.app.screens.compare import CompareScreen
from relutui.app.widgets.network_view import NetworkDiagram
from relutui.training import TrainConfig

SIZES = [(80, 24), (120, 36), (200, 60)]


def screen_text(app) -> str:
    """The whole screen as plain text, borders and titles included."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


@pytest.mark.parametrize("size", SIZES)
async def test_compare_from_sigmoid_contrasts_with_relu(size):
    """`a` to Sigmoid, then `c`: the other side is ReLU, not a second sigmoid."""
    app = ReluApp(TrainConfig(seed=0))
    async with app.run_test(size=size) as pilot:
        while app.state.config.activation != "sigmoid":
            await pilot.press("a")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert app.state.run.config.activation == "sigmoid"
        assert app.state.run_b.config.activation == "relu"
        titles = [app.screen.query_one(f"#net-{side}", NetworkDiagram).border_title for side in "ab"]
        assert titles[0] != titles[1]


def test_the_compare_default_follows_the_main_activation_until_picked():
    from relutui.session.session import Session

    s = Session(TrainConfig(seed=0))
    assert s.compare_activation == "sigmoid"  # against ReLU
    for main in ("sigmoid", "tanh", "gelu"):
        s.set("activation", main)
        assert s.compare_activation == "relu"
    s.set("activation", "relu")
    assert s.compare_activation == "sigmoid"
    s.set_compare_activation("tanh")  # the user's pick holds
    s.set("activation", "sigmoid")
    assert s.compare_activation == "tanh"
