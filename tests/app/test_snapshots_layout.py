"""Snapshots of the layout at the three sizes a class meets (issue 13): a deep sigmoid net's
backward phase (the ledger's room), the projector (200x60), a short terminal's panel cycle
(v) and the claim panel at 80x24. Regenerate with `--snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from relutui.app.app import ReluApp
from relutui.training import TrainConfig

from .test_snapshots import _compare_trained, _experiment_run, trained

DEEP_SIGMOID = dict(seed=0, activation="sigmoid", layers=(8, 8, 8, 8, 8))


def test_backward_phase_of_a_deep_sigmoid_net(snap_compare):
    # forward x6, loss, backward through layers 6 .. 3: the ledger of layer 3, the chain table
    app = ReluApp(TrainConfig(**DEEP_SIGMOID))
    assert snap_compare(app, terminal_size=(120, 36), run_before=trained(1), press=["n"] * 11)


def test_backward_phase_at_80x24(snap_compare):
    app = ReluApp(TrainConfig(**DEEP_SIGMOID))
    assert snap_compare(app, terminal_size=(80, 24), run_before=trained(1), press=["n"] * 11)


def test_projector_layout(snap_compare):
    app = ReluApp(TrainConfig(seed=0))
    assert snap_compare(app, terminal_size=(200, 60), run_before=trained(150))


def test_small_terminal_cycles_to_the_boundary(snap_compare):
    app = ReluApp(TrainConfig(seed=0))
    assert snap_compare(app, terminal_size=(80, 24), run_before=trained(50), press=["v", "v", "v"])


def test_small_terminal_controls_overlay(snap_compare):
    app = ReluApp(TrainConfig(seed=0, activation="leaky_relu", layers=(8, 8, 8, 8, 8, 8, 8, 8)))
    assert snap_compare(app, terminal_size=(80, 24), run_before=trained(5), press=["tab"])


def test_claim_panel_at_80x24(snap_compare):
    app = ReluApp(TrainConfig(seed=0))
    assert snap_compare(app, terminal_size=(80, 24), run_before=_experiment_run("dying-relu-bias", 40, 2))


def test_compare_from_sigmoid_at_80x24(snap_compare):
    app = ReluApp(TrainConfig(seed=0, activation="sigmoid"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=_compare_trained(60))
