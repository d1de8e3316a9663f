"""Clipping at a flat bound (hard tanh's ±1, ReLU6's 6, hard sigmoid's 1) is saturation: a
neuron clipped on most samples is "◐ saturated" in the diagnostics, the network panel's
counts, the status line's sat % and the inspector alike (it was "● active" with "sat 0%"
beside "◑13 clipped")."""

from __future__ import annotations

import numpy as np
import pytest

from relutui.activations import get_activation
from relutui.diagnostics import DEAD, SATURATED, SATURATION_MAJORITY
from relutui.session.present.inspector import _flat_share
from relutui.session.session import Session
from relutui.training import TrainConfig


def test_the_flat_share_says_clipped_for_a_clipping_activation():
    hardtanh, relu6, relu = get_activation("hardtanh"), get_activation("relu6"), get_activation("relu")
    fp, a = np.array([0.0, 0.0, 0.0, 1.0]), np.array([1.0, -1.0, 1.0, 0.3])
    assert _flat_share(fp, hardtanh, a) == "f'=0 (clipped) on 75%"
    assert _flat_share(np.ones(3), hardtanh, np.zeros(3)) == "f'=0 (clipped) on 0%"
    # ReLU6: off at 0 and clipped at 6
    assert _flat_share(np.array([0.0, 0.0, 1.0, 0.0]), relu6, np.array([0.0, 6.0, 2.0, 6.0])) == (
        "f'=0: off on 25%, clipped on 50%")
    # ReLU is never clipped: its zeros are off
    assert _flat_share(np.array([0.0, 1.0]), relu, np.array([0.0, 1.0])) == "f'=0 on 50%"
    # a sigmoid f' that float64 rounds to 0 far in its tail (σ = 1.0) is weak, not off
    sig = get_activation("sigmoid")
    assert _flat_share(np.array([0.0, 0.2]), sig, np.array([1.0, 0.5])) == "f'≤0.0025 on 50%"


@pytest.mark.parametrize("cfg", [TrainConfig(seed=0, activation="hardtanh", lr=2.0),
                                 TrainConfig(seed=0, activation="hardtanh", init_std=3.0),
                                 TrainConfig(seed=0, activation="relu6", init="normal", init_std=6.0),
                                 TrainConfig(seed=0, activation="hardsigmoid", init="normal", init_std=4.0)],
                         ids=["hardtanh-lr2", "hardtanh-std3", "relu6", "hardsigmoid"])
def test_clipped_neurons_are_saturated_on_every_panel(cfg):
    s = Session(cfg)
    s.train_steps(30)
    snap = s.snapshot()
    net = s.run.net
    n_sat = seen = 0
    for l in range(net.hidden_layers):
        fp, a = snap.fprime[l], snap.a[l]
        clipped = np.mean((fp == 0) & (a != 0), axis=0)
        for j, st in enumerate(snap.states[l]):
            if st != DEAD and clipped[j] > SATURATION_MAJORITY:
                assert st == SATURATED, (l, j, clipped[j])
                seen += 1
                s.select(l, j)
                head = " ".join("".join(t for t, _ in line) for line in s.inspector_lines()[1][:2])
                assert "◐ saturated" in head and "clipped" in head, head
        n_sat += int(np.sum(snap.states[l] == SATURATED))
    assert seen > 0  # the configuration clips some neuron on most samples
    # the status line's sat % and the network panel's count are the same neurons
    tv = s.training_view()
    view = s.network_view()
    assert tv.n_sat == view.counts["saturated"] == n_sat
    assert tv.sat_pct == pytest.approx(100.0 * n_sat / tv.n_hidden)
    # the training history counts them too (its last row: the batch of the last step)
    assert s.run.history["saturated_fraction"].shape[-1] == net.hidden_layers


def test_a_hard_tanh_run_has_saturated_neurons_where_it_clips():
    """The case seen on screen: a hard tanh net at lr 2 clips most samples of some neurons."""
    s = Session(TrainConfig(seed=0, activation="hardtanh", lr=2.0))
    s.train_steps(30)
    tv = s.training_view()
    assert tv.n_sat > 0 and tv.sat_pct > 0
    assert np.max(s.run.history["saturated_fraction"][-1]) > 0


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_the_status_lines_sat_share_is_the_network_panels_count(app_pilot, size):
    """At 80 columns the line keeps its sat % as the panel's symbol ("✕ 0% ◐ 50%")."""
    import re

    async with app_pilot(TrainConfig(seed=0, activation="hardtanh", lr=2.0), size=size) as (app, pilot):
        await pilot.pause()
        for _ in range(30):
            await pilot.press("s")
        await pilot.pause()
        await pilot.pause()
        line = str(app.screen.query_one("#status").render())
        shown = re.search(r"(?:sat|◐) (\d+)%", line)
        assert shown, line
        tv = app.state.training_view()
        counts = app.state.network_view().counts
        assert tv.n_sat == counts["saturated"] > 0
        assert int(shown.group(1)) == round(100 * counts["saturated"] / tv.n_hidden), line
