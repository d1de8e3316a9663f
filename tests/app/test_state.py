"""AppState: the app's model, tested without Textual."""

from __future__ import annotations

import numpy as np
import pytest

from relutui.activations import ACTIVATIONS
from relutui.app.state import CARD_LINES, AppState, LR_STEPS
from relutui.app.values import parse_layers, parse_lr, parse_params, parse_seed
from relutui.app.views import make_phases
from relutui.training import TrainConfig


@pytest.mark.parametrize("text, reason", [
    ("abc", "must be a number"), ("0", "must be between"), ("-1", "must be between"), ("200", "must be between"),
    ("1e400", "finite"), ("nan", "finite"), ("", "empty"), ("inf", "finite"),
])
def test_parse_lr_refuses(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_lr(text)


@pytest.mark.parametrize("text, reason", [
    ("4,,4", "comma-separated"), ("0", "between 1 and 32"), ("-3", "between 1 and 32"), ("100", "between 1 and 32"),
    (",".join(["4"] * 11), "between 1 and 10"), ("a", "whole numbers"), ("", "empty"),
])
def test_parse_layers_refuses(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_layers(text)


def test_parsers_accept():
    assert parse_lr("0.05") == 0.05
    assert parse_layers(" 4, 8 ") == (4, 8)
    assert parse_seed("7") == 7
    assert parse_params("0.2", "leaky_relu") == {"negative_slope": 0.2}
    assert parse_params("alpha=2", "elu") == {"alpha": 2.0}
    with pytest.raises(ValueError, match="no parameter"):
        parse_params("beta=2", "elu")
    with pytest.raises(ValueError, match="no parameters"):
        parse_params("3", "relu")


def test_bad_values_keep_last_valid(config):
    s = AppState(config)
    s.set("lr", 0.2)
    for bad in ("abc", "0", "-1", "1e400"):
        with pytest.raises(ValueError):
            s.set("lr", bad)
    assert s.config.lr == 0.2 and s.run.optimizer.lr == 0.2
    with pytest.raises(ValueError):
        s.set("layers", "4,,4")
    assert s.config.layers == (8, 8)
    with pytest.raises(ValueError):
        s.set("bias", "99")
    assert s.config.bias_init == 0.0
    s.check_invariants()


def test_lr_steps_are_logarithmic(config):
    s = AppState(config)
    s.set("lr", 0.1)
    assert s.lr_step(1) == 0.2
    assert s.lr_step(-1) == 0.1
    for _ in range(30):
        s.lr_step(1)
    assert s.config.lr == LR_STEPS[-1]


def test_phases_order():
    names = [(p.kind, p.layer) for p in make_phases(3)]
    assert names == [("forward", 0), ("forward", 1), ("forward", 2), ("loss", None),
                     ("backward", 2), ("backward", 1), ("backward", 0), ("update", None)]


def test_step_through_equals_full_step(config):
    a, b = AppState(config), AppState(config)
    n = len(a.phases)
    for _ in range(n):
        a.next_phase()
    assert a.phase.kind == "update" and a.step == 0
    a.next_phase()  # applies the update and starts the next step
    b.full_step()
    assert a.step == b.step == 1
    for wa, wb in zip(a.run.net.weights, b.run.net.weights):
        np.testing.assert_array_equal(wa, wb)


def test_phase_back_and_forth(config):
    s = AppState(config)
    with pytest.raises(ValueError):
        s.prev_phase()
    s.next_phase()
    s.next_phase()
    assert s.phase.kind == "forward" and s.phase.layer == 1
    s.prev_phase()
    assert s.phase.layer == 0
    with pytest.raises(ValueError, match="cannot be undone"):
        s.prev_phase()


def test_ledger_shows_chain_rule(config):
    s = AppState(TrainConfig(activation="sigmoid", layers=(8, 8, 8)))
    while s.phase is None or s.phase.kind != "backward" or s.phase.layer != 0:
        s.next_phase()
    title, lines = s.inspector_lines()
    text = "\n".join("".join(t for t, _ in line) for line in lines)
    assert "chain rule" in title
    assert "f'(z) × dL/da" in text and "Σ_k" in text
    assert "f' ≤ 0.25" in text


def test_reset_is_deterministic(config):
    s = AppState(config)
    s.full_step()
    for _ in range(20):
        s.full_step()
    first = [w.copy() for w in s.run.net.weights]
    s.reset()
    assert s.step == 0
    for _ in range(21):
        s.full_step()
    for w0, w1 in zip(first, s.run.net.weights):
        np.testing.assert_array_equal(w0, w1)


def test_compare_same_initial_weights(config):
    s = AppState(config)
    s.toggle_compare()
    assert s.run_b is not None and s.run_b.config.activation == "sigmoid"
    for wa, wb in zip(s.run.net.weights, s.run_b.net.weights):
        np.testing.assert_array_equal(wa, wb)
    s.full_step()
    assert s.run.step == s.run_b.step == 1
    s.toggle_compare()
    assert s.run_b is None


def test_divergence_stops_and_reset_recovers(diverging):
    s = AppState(diverging)
    s.play()
    for _ in range(50):
        s.tick()
        if s.diverged:
            break
    assert s.diverged and not s.playing
    assert "diverged at step" in s.diverged_message()
    with pytest.raises(ValueError, match="reset"):
        s.play()
    s.reset()
    assert not s.diverged and s.step == 0
    s.check_invariants()


def test_bias_pushes_mass_into_dead_zone(config):
    s = AppState(config)
    zero = s.chart_view()
    s.set("bias", -3)
    neg = s.chart_view()
    centre = lambda v: float(np.sum(v.hist_centers * v.hist_counts) / np.sum(v.hist_counts))  # noqa: E731
    assert centre(neg) < centre(zero) - 2
    assert neg.dead and neg.dead[0][0] == -10.0
    assert s.training_view().dead_pct > 50


def test_views_have_consistent_shapes(config):
    s = AppState(config)
    s.play()
    s.tick()
    cv, nv, tv = s.chart_view(), s.network_view(), s.training_view()
    assert len(cv.xs) == len(cv.f) == len(cv.fp)
    assert len(cv.points_z) == sum(config.layers)
    assert [len(c.cells) for c in nv.columns] == [2, 8, 8, 1]
    assert tv.grad_norms.shape[1] == 3
    bv = s.boundary_view(30, 20)
    assert bv.probs.shape == (20, 30) and 0 <= bv.probs.min() <= bv.probs.max() <= 1


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_card_fits_its_fixed_height(name):
    """#activation-card has a fixed height of CARD_LINES lines (tcss), so that a new card never
    relayouts (widths and wording: test_qa_fixes.py)."""
    state = AppState(TrainConfig(activation=name))
    assert 5 <= len(state.activation_card()) <= CARD_LINES


# ---------------------------------------------------------------- claims lab
def _finish(state):
    """Run the loaded experiment as the app does (the worker's part, in this thread)."""
    from relutui.experiments import run_experiment

    token, exp, first = state.start_experiment_run()
    assert state.finish_experiment_run(token, run_experiment(exp, seeds=exp.seeds, first_seed=first))


def test_loading_an_experiment_leaves_compare_mode(config):
    from relutui.experiments import get_experiment

    state = AppState(config)
    state.toggle_compare()
    state.cycle_compare_activation()
    state.load_experiment(get_experiment("vanishing-gradient").with_changes(steps=5, seeds=1))
    assert not state.compare and state.run_b is None
    assert state.compare_left_for == "vanishing-gradient"
    assert state.config.activation == "sigmoid" and state.config.init == "xavier"
    # the compare side gets the judged arm (relu), not tanh, which is shown but not judged
    assert state.compare_activation == "relu" and state.experiment_changes() == []
    state.toggle_compare()  # the user's own c: no notice to give
    assert state.compare and state.compare_left_for is None
    state.set_compare_activation("elu")
    assert state.experiment_changes() == [("relu", "activation", "relu", "elu")]
    # a lesson keeps its mode (its experiment loads without its settings)
    state.load_experiment("sparsity", apply_config=False)
    assert state.compare


def test_arm_lines_describe_the_arms_as_run(config):
    from relutui.experiments import get_experiment

    state = AppState(config)
    state.load_experiment(get_experiment("dying-relu-bias").with_changes(steps=5, seeds=1))
    view = state.experiment_view()
    assert view.arms == ["negative bias: bias init -3", "zero bias: bias init 0"]
    assert view.pending_untested is None and view.untested is None
    state.set("bias", 0.0)
    view = state.experiment_view()
    assert view.arms == ["negative bias: bias init -3", "zero bias: bias init 0"]  # nothing run yet
    assert view.pending_untested.startswith("no arm has a negative bias")
    _finish(state)
    view = state.experiment_view()
    assert view.verdict == "not tested" and view.verdict_tag == "sel"
    assert view.untested == "no arm has a negative bias (the negative-bias arm now has bias init 0)"
    assert view.arms == ["bias init 0 (the experiment's “negative bias” arm: bias init -3)",
                         "zero bias: bias init 0"]
    assert all(name != "not tested because" for name, _ in view.evidence)
    assert view.pending_untested is None  # not stale: nothing more to say


def test_arm_lines_of_a_changed_activation_and_an_unjudged_arm(config):
    from relutui.experiments import get_experiment

    state = AppState(config)
    state.load_experiment(get_experiment("vanishing-gradient").with_changes(steps=3, seeds=1))
    state.set_compare_activation("leaky_relu")  # the relu arm's activation
    _finish(state)
    view = state.experiment_view()
    assert view.arms == [
        "sigmoid: init xavier",
        "tanh: init xavier · shown, not judged",
        "activation leaky_relu, init he (the experiment's “relu” arm: activation relu, init he)",
    ]
    assert view.verdict == "not tested"
    assert view.untested == "the claim is about relu, and the “relu” arm now uses leaky_relu"


def test_compare_mode_keeps_the_main_run_where_it_was():
    """The pair starts from the seed; leaving compare mode goes back to the main run as it
    was (a teacher's trained network is not thrown away), unless a setting changed."""
    s = AppState(TrainConfig(seed=1))
    s.train_steps(40)
    weights = [w.copy() for w in s.run.net.weights]
    s.toggle_compare()
    assert s.compare and s.step == 0 and s.run_b is not None
    s.train_steps(5)
    s.toggle_compare()
    assert not s.compare and s.run_b is None and s.step == 40
    for a, b in zip(weights, s.run.net.weights):
        np.testing.assert_array_equal(a, b)
    # a setting changed in compare mode: the main run restarts with it, from the seed
    s.toggle_compare()
    s.set("lr", 0.5)
    s.toggle_compare()
    assert s.step == 0 and s.config.lr == 0.5 and s.run.config.lr == 0.5
