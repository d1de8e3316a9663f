"""AppState: the app's model, tested without Textual."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from relutui.activations import ACTIVATIONS
from relutui.app.state import CARD_LINES, CARD_WIDTH, AppState, LR_STEPS
from relutui.app.values import fmt, fmt_signed, parse_layers, parse_lr, parse_params, parse_seed
from relutui.app.widgets.controls import KINK_DEFAULT, VALUE_WIDTH, shown_value, tooltip_of
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


# ---------------------------------------------------------------- the activation card, the loss and the kink's words
# (a QA pass: the card cut its key fact; the step-through's loss phase and the status line
# showed different losses, the loss ledger had an unexplained 1/N; f'(0) read "library")
def plain(lines) -> list[str]:
    return ["".join(text for text, _ in line) for line in lines]


def inspector_text(state: AppState) -> str:
    return "\n".join(plain(state.inspector_lines()[1]))


@pytest.mark.parametrize("name", ACTIVATIONS)
@pytest.mark.parametrize("kink", [None, 0.5])
def test_activation_card_lines_fit_the_card(name, kink):
    """Every fact line (all but the formula, which may keep its ellipsis) fits the card's content
    width, at every width the app gives it (24 on a short terminal, 25 at 120x36), and the card
    fits its fixed height."""
    state = AppState(TrainConfig(activation=name, derivative_at_kink=kink))
    for width in range(CARD_WIDTH, 26):
        lines = plain(state.activation_card(width))
        assert len(lines) <= CARD_LINES, lines
        for i, line in enumerate(lines):
            if i != 1:  # the formula
                assert len(line) <= width, (width, line)


def test_card_height_in_the_stylesheet_is_the_longest_card():
    tcss = (Path(__file__).parents[2] / "relutui/app/relutui.tcss").read_text()
    block = re.search(r"^#activation-card \{(.*?)\}", tcss, re.S | re.M).group(1)
    assert re.search(r"height:\s*(\d+);", block).group(1) == str(CARD_LINES)
    longest = max(len(AppState(TrainConfig(activation=a)).activation_card(w))
                  for a in ACTIVATIONS for w in range(CARD_WIDTH, 26))
    assert longest == CARD_LINES


def test_sigmoid_card_says_its_key_fact_in_full():
    lines = plain(AppState(TrainConfig(activation="sigmoid")).activation_card(25))
    assert lines == ["Sigmoid (logistic)", "1 / (1 + exp(-x))", "range (0, 1)", "max f′ 0.25", "kinks smooth",
                     "f′ ≤ 0.25: each layer can", "shrink the gradient ×0.25"]
    narrow = plain(AppState(TrainConfig(activation="sigmoid")).activation_card(24))
    assert narrow[-2:] == ["f′ ≤ 0.25: each layer", "can cut gradients ×0.25"]


def _to_loss_phase(state: AppState) -> None:
    while state.phase is None or state.phase.kind != "loss":
        state.next_phase()


def test_step_through_loss_is_the_status_lines_loss(config):
    """After one step, the loss phase of the next (its batch: the whole training set, the
    weights in force) shows the loss and accuracy the status line shows."""
    s = AppState(config)
    s.full_step()
    _to_loss_phase(s)
    tv = s.training_view()
    snap = s.snapshot()
    assert tv.last_loss == pytest.approx(snap.loss, rel=1e-12)
    hits = int(np.count_nonzero((snap.a[-1] > 0.5) == (snap.y > 0.5)))
    assert tv.last_acc == hits / len(snap.y)
    text = inspector_text(s)
    assert "loss bce on all 160 training samples" in text
    assert f"  = {fmt(snap.loss, 4)}   acc {100 * hits / 160:.1f}% ({hits}/160)" in text
    # and the status line agrees once rounded: loss 0.66 · acc 36%
    assert fmt(tv.last_loss) == fmt(float(fmt(snap.loss, 4)))
    # the history's last row is the previous step's batch, before its update: not what is shown
    assert s.run.history.last("loss") != tv.last_loss


def test_the_status_line_shows_the_network_now_even_at_step_0(config):
    s = AppState(config)
    tv = s.training_view()
    assert tv.step == 0 and tv.last_loss is not None and tv.last_test_loss is not None
    loss, acc = s.run.evaluate(s.run.dataset.X_train, s.run.dataset.y_train)
    assert (tv.last_loss, tv.last_acc) == (pytest.approx(loss, rel=1e-12), acc)
    assert s.boundary_accuracy() == tv.last_acc


def test_mini_batch_loss_phase_names_its_batch():
    s = AppState(TrainConfig(seed=0, batch_size=32))
    _to_loss_phase(s)
    text = inspector_text(s)
    assert "loss bce on this step's batch of 32" in text and "(" in text and "/32)" in text
    loss, _ = s.run.evaluate(s.run.dataset.X_train, s.run.dataset.y_train)
    assert s.training_view().last_loss == pytest.approx(loss, rel=1e-12)  # the status line: training set


def test_loss_ledger_shows_the_1_over_N_of_the_mean(config):
    s = AppState(config)
    s.full_step()
    _to_loss_phase(s)
    snap = s.snapshot()
    n = len(snap.x)
    i = s.sample
    da, fp, dz = snap.da[-1][i, 0], snap.fprime[-1][i, 0], snap.dz[-1][i, 0]
    assert da * fp == pytest.approx(dz, rel=1e-12)
    text = inspector_text(s)
    assert f"dL/dp = 1/{n} × {fmt_signed(da * n)} = {fmt_signed(da)}" in text
    assert f"  = {fmt_signed(da)} × {fmt(fp)} = {fmt_signed(dz)}" in text
    s.next_phase()  # backward through the output layer: the ledger
    text = inspector_text(s)
    assert f"(N = {n})" in text
    assert f"  = 1/{n} × {fmt_signed(da * n)} × {fmt(fp)}" in text
    assert f"  = {fmt_signed(da)} × {fmt(fp)} = {fmt_signed(dz)}" in text
    # the dL/dp a student reads is (1/N) dℓ/dp: for bce and a sigmoid output, (p − y)/(p(1 − p))/N
    p, y = snap.a[-1][i, 0], snap.y[i, 0]
    assert da * n == pytest.approx((p - y) / (p * (1 - p)), rel=1e-9)


def test_batch_mean_ledger_prints_no_false_product(config):
    """A mean of products is not the product of the means: in batch-mean mode no "a × b = c"."""
    s = AppState(TrainConfig(seed=0, layers=(8, 8)))
    s.full_step()
    s.toggle_mean()
    _to_loss_phase(s)
    for _ in range(3):  # the three backward phases
        s.next_phase()
        lines = plain(s.inspector_lines()[1])
        products = [line for line in lines if re.search(r"\d × [-+]?\d[^=]*= ", line)
                    and not line.startswith("   k=")]  # (W × dL/dz terms: a sum, linear, true of means)
        assert not products, products


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_kink_default_reads_as_pytorch(name):
    s = AppState(TrainConfig(activation=name))
    text = shown_value("kink", s)
    assert len(text) <= VALUE_WIDTH and text.endswith(KINK_DEFAULT)
    if name == "relu":
        assert text == "0, as PyTorch"  # relu'(0) = 0, as PyTorch does
    if name in ("hardtanh", "relu6", "leaky_relu"):  # kinks not only at 0, or a value too long
        assert text == KINK_DEFAULT
    assert "relu'(0) = 0" in tooltip_of("kink") and "as PyTorch" in tooltip_of("kink")
