"""Snapshots of issue 13's screens (network, inspector, compare): the backward phase of a deep
sigmoid net at three sizes, compare from sigmoid, and the death record of `--lr 5`.

Regenerate with `--snapshot-update` and look at the SVGs before committing them."""

from __future__ import annotations

import pytest

from relutui.app.app import ReluApp
from relutui.training import TrainConfig


def trained(steps: int, select: tuple[int, int] | None = None):
    async def run_before(pilot) -> None:
        app = pilot.app
        for _ in range(steps):
            app.state.full_step()
        if select is not None:
            app.state.select(*select)
        app.refresh_views()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 36), (200, 60)])
def test_deep_sigmoid_backward_phase(snap_compare, size):
    """`s`, then `n` eleven times: the chain table first, |dL/dz| shaded neuron by neuron."""
    app = ReluApp(TrainConfig(seed=0, activation="sigmoid", layers=(8, 8, 8, 8, 8)))
    assert snap_compare(app, terminal_size=size, run_before=trained(1), press=["n"] * 11)


def test_compare_from_sigmoid(snap_compare):
    """ReLU at start, `a` to Sigmoid, then `c`: Sigmoid against ReLU (not against itself)."""

    async def run_before(pilot) -> None:
        app = pilot.app
        while app.state.config.activation != "sigmoid":
            await pilot.press("a")
        await pilot.press("c")
        for _ in range(60):
            app.state.full_step()
        app.refresh_views()
        await pilot.pause()

    assert snap_compare(ReluApp(TrainConfig(seed=0)), terminal_size=(120, 36), run_before=run_before)


def test_death_record(snap_compare):
    """`--lr 5`: layer 1 #1 died in the update of step 2 → 3, its record before its table."""
    app = ReluApp(TrainConfig(seed=0, lr=5.0))
    assert snap_compare(app, terminal_size=(120, 36), run_before=trained(40, select=(0, 0)))
