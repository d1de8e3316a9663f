import math
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from relutui.activations import ACTIVATIONS
from relutui.diagnostics import (
    ACTIVE,
    DEAD,
    SATURATED,
    SATURATION_MAJORITY,
    SATURATION_RATIO,
    DeathTracker,
    LayerDiagnostics,
    can_clip,
    gradient_ratio,
    layer_diagnostics,
    neuron_states,
)


class StandIn:
    """Only what diagnostics may rely on: name, derivative, max_derivative."""

    def __init__(self, name, forward, derivative, max_derivative):
        self.name, self._f, self._d, self.max_derivative = name, forward, derivative, max_derivative

    def forward(self, x):
        return self._f(np.asarray(x, dtype=np.float64))

    def derivative(self, x):
        return self._d(np.asarray(x, dtype=np.float64))


def _sig(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


RELU = StandIn("relu", lambda x: np.maximum(x, 0.0), lambda x: (x > 0).astype(np.float64), 1.0)
SIGMOID = StandIn("sigmoid", _sig, lambda x: _sig(x) * (1.0 - _sig(x)), 0.25)
IDENTITY = StandIn("identity", lambda x: x, np.ones_like, 1.0)
STEP = StandIn("step", lambda x: (x > 0).astype(np.float64), np.zeros_like, 0.0)


def real(name, **params):
    from relutui.activations import get_activation
    return get_activation(name, **params)


# -- neuron_states -------------------------------------------------------------------

Z = np.array([
    # dead relu | active both | sigmoid saturated | half saturated (not > half)
    [-1.0, 0.5, 10.0, 10.0],
    [-2.0, -0.5, -12.0, 0.1],
    [-0.1, 1.0, 9.0, -9.0],
    [-3.0, 2.0, 0.1, 0.2],
])


def test_states_on_hand_built_z_with_stand_ins():
    assert neuron_states(RELU, Z).tolist() == [DEAD, ACTIVE, ACTIVE, ACTIVE]
    assert neuron_states(SIGMOID, Z).tolist() == [ACTIVE, ACTIVE, SATURATED, ACTIVE]
    assert neuron_states(IDENTITY, Z).tolist() == [ACTIVE] * 4
    assert neuron_states(STEP, Z).tolist() == [DEAD] * 4


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("relu", [DEAD, ACTIVE, ACTIVE, ACTIVE]),
        ("sigmoid", [ACTIVE, ACTIVE, SATURATED, ACTIVE]),
        ("tanh", [ACTIVE, ACTIVE, SATURATED, ACTIVE]),
        ("leaky_relu", [ACTIVE, ACTIVE, ACTIVE, ACTIVE]),
        ("identity", [ACTIVE] * 4),
        ("step", [DEAD] * 4),
    ],
)
def test_states_with_real_activations(name, expected):
    assert neuron_states(real(name), Z).tolist() == expected


def test_dtype_and_shape():
    states = neuron_states(RELU, Z)
    assert states.dtype == np.int8 and states.shape == (4,)


def test_a_relu_exactly_at_the_kink_everywhere_is_dead_unless_the_kink_derivative_is_set():
    z = np.zeros((5, 2))
    assert neuron_states(real("relu"), z).tolist() == [DEAD, DEAD]
    assert neuron_states(real("relu", derivative_at_kink=1.0), z).tolist() == [ACTIVE, ACTIVE]


def test_one_alive_sample_keeps_a_relu_alive_and_off_is_not_saturated():
    z = np.full((1000, 1), -1.0)
    z[500, 0] = 1e-9
    assert neuron_states(RELU, z).tolist() == [ACTIVE]
    assert neuron_states(real("relu"), z).tolist() == [ACTIVE]


def test_off_does_not_count_as_saturation_but_clipped_at_a_bound_does():
    """f' = 0 with output 0 is a neuron switched off (sparsity); f' = 0 at a bound other than 0
    is clipping, a saturation like sigmoid's tails (the network panel's ◑ clipped)."""
    z = np.array([[-5.0, 5.0], [-5.0, 5.0], [-5.0, 5.0], [0.5, 0.5]])
    assert neuron_states(real("hardtanh"), z).tolist() == [SATURATED, SATURATED]  # at -1 and +1
    assert neuron_states(real("tanh"), z).tolist() == [SATURATED, SATURATED]
    assert neuron_states(real("hardtanh"), z[:3]).tolist() == [DEAD, DEAD]  # no gradient at all
    assert neuron_states(real("relu6"), z).tolist() == [ACTIVE, ACTIVE]  # off; 5 is below the bound 6
    assert neuron_states(real("relu6"), z + np.array([0.0, 3.0])).tolist() == [ACTIVE, SATURATED]  # 8 > 6
    assert neuron_states(real("hardsigmoid"), z).tolist() == [ACTIVE, SATURATED]  # 0 (off) and 1 (clipped)
    assert neuron_states(real("relu"), z).tolist() == [ACTIVE, ACTIVE]


def test_clipped_is_the_same_from_a_given_output():
    z = np.array([[-5.0, 5.0], [-5.0, 5.0], [0.5, 0.5]])
    act = real("hardtanh")
    assert neuron_states(act, z, act.derivative(z), a=act(z)).tolist() == neuron_states(act, z).tolist()
    with pytest.raises(ValueError):
        neuron_states(act, z, a=np.zeros((2, 2)))


def test_can_clip_names_the_activations_flat_at_a_bound_other_than_0():
    clipping = {"hardtanh", "relu6", "hardsigmoid", "step"}
    for name in ACTIVATIONS:
        assert can_clip(real(name)) == (name in clipping), name


def test_saturation_needs_more_than_the_majority():
    n = 10
    big = 20.0
    z_half = np.where(np.arange(n) < n * SATURATION_MAJORITY, big, 0.0)[:, None]
    z_more = np.where(np.arange(n) <= n * SATURATION_MAJORITY, big, 0.0)[:, None]
    assert neuron_states(SIGMOID, z_half).tolist() == [ACTIVE]
    assert neuron_states(SIGMOID, z_more).tolist() == [SATURATED]


def test_saturation_threshold_is_relative_to_max_derivative():
    z_edge = math.log(1 / (SATURATION_RATIO * 0.25))  # sigmoid'(z) just below 1% of 0.25
    assert neuron_states(SIGMOID, np.full((3, 1), z_edge + 0.1)).tolist() == [SATURATED]
    assert neuron_states(SIGMOID, np.full((3, 1), z_edge - 0.1)).tolist() == [ACTIVE]


def test_given_fprime_is_used_instead_of_the_derivative():
    fprime = np.array([[0.0, 1e-9, 1.0], [0.0, 1e-9, 1.0]])
    assert neuron_states(SIGMOID, np.zeros((2, 3)), fprime).tolist() == [DEAD, SATURATED, ACTIVE]


def test_empty_batch_and_bad_shapes():
    assert neuron_states(RELU, np.zeros((0, 3))).tolist() == [ACTIVE] * 3
    with pytest.raises(ValueError, match="shape"):
        neuron_states(RELU, np.zeros(3))
    with pytest.raises(ValueError, match="does not match"):
        neuron_states(RELU, np.zeros((2, 3)), np.zeros((2, 2)))


def test_non_finite_derivatives_do_not_warn():
    fprime = np.array([[np.nan, np.inf], [np.nan, 0.0]])
    assert neuron_states(RELU, np.zeros((2, 2)), fprime).tolist() == [ACTIVE, ACTIVE]


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, max_side=12),
                  elements=st.floats(-50, 50)))
def test_property_states_agree_with_the_rules(z):
    for act in (RELU, SIGMOID, real("relu"), real("sigmoid"), real("tanh"), real("hardtanh"), real("relu6")):
        states = neuron_states(act, z)
        fp = np.abs(act.derivative(z))
        assert states.shape == (z.shape[1],)
        assert np.array_equal(states == DEAD, np.all(fp == 0.0, axis=0) & (z.shape[0] > 0))
        tiny = (fp > 0.0) & (fp < SATURATION_RATIO * act.max_derivative)
        clipped = (fp == 0.0) & (act.forward(z) != 0.0)  # (a sigmoid that float64 rounds to 1)
        small = np.mean(tiny | clipped, axis=0) if z.shape[0] else 0.0
        assert np.array_equal(states == SATURATED, (states != DEAD) & (small > SATURATION_MAJORITY))
    assert not np.any(neuron_states(real("leaky_relu"), z) == DEAD)


# -- layer_diagnostics ---------------------------------------------------------------

def fake_net_and_trace():
    z0 = Z[:, :2]
    z1 = Z[:, 2:]
    net = SimpleNamespace(activations=[RELU, SIGMOID, SIGMOID])
    trace = SimpleNamespace(z=[z0, z1, np.zeros((4, 1))],
                            a=[RELU.forward(z0), SIGMOID.forward(z1), np.zeros((4, 1))])
    return net, trace


def test_layer_diagnostics_hidden_layers_only():
    net, trace = fake_net_and_trace()
    diags = layer_diagnostics(net, trace)
    assert len(diags) == 2 and all(isinstance(d, LayerDiagnostics) for d in diags)
    relu, sig = diags
    assert relu.states.tolist() == [DEAD, ACTIVE]
    assert (relu.dead_fraction, relu.saturated_fraction, relu.sparsity) == (0.5, 0.0, 5 / 8)
    assert sig.states.tolist() == [SATURATED, ACTIVE]
    assert (sig.dead_fraction, sig.saturated_fraction, sig.sparsity) == (0.0, 0.5, 0.0)


def test_layer_diagnostics_uses_backward_fprime_when_given():
    net, trace = fake_net_and_trace()
    backward = SimpleNamespace(fprime=[np.zeros((4, 2)), np.ones((4, 2)), np.ones((4, 1))])
    diags = layer_diagnostics(net, trace, backward)
    assert diags[0].states.tolist() == [DEAD, DEAD]
    assert diags[1].states.tolist() == [ACTIVE, ACTIVE]


def test_layer_diagnostics_on_a_real_network():
    from relutui.engine import MLP

    X = np.random.default_rng(0).uniform(-1, 1, size=(64, 2))
    net = MLP((2, 6, 5, 1), hidden=["relu", "sigmoid"], seed=1)
    net.biases[0][:3] = -100.0  # three relus below zero on every input
    net.biases[1][:2] = 50.0    # two sigmoids pinned near 1
    trace = net.forward(X)
    diags = layer_diagnostics(net, trace)
    assert len(diags) == net.hidden_layers == 2
    assert diags[0].states[:3].tolist() == [DEAD] * 3 and diags[0].dead_fraction >= 0.5
    assert diags[1].states[:2].tolist() == [SATURATED] * 2
    assert diags[0].sparsity >= 0.5
    _, grads = net.loss_and_gradients(X, (X[:, :1] > 0).astype(np.float64), trace=trace)
    with_backward = layer_diagnostics(net, trace, grads.backward)
    for a, b in zip(diags, with_backward):
        assert np.array_equal(a.states, b.states)


@pytest.mark.parametrize(("hidden", "saturated"), [("sigmoid", True), ("tanh", True), ("relu", False)])
def test_large_weights_saturate_sigmoid_and_tanh_but_not_relu(hidden, saturated):
    from relutui.engine import MLP

    X = np.random.default_rng(0).uniform(-1, 1, size=(200, 2))
    net = MLP((2, 16, 1), hidden=hidden, init="normal", init_std=30.0, seed=0)
    diag = layer_diagnostics(net, net.forward(X))[0]
    assert (diag.saturated_fraction > 0.5) is saturated
    if not saturated:
        assert diag.saturated_fraction == 0.0


# -- gradient_ratio ------------------------------------------------------------------

@pytest.mark.parametrize(
    ("norms", "expected"),
    [
        ([1e-4, 0.5, 1.0], 1e-4),
        ([2.0, 1.0], 2.0),
        ([3.0], 1.0),
        ([0.0, 1.0], 0.0),
        ([0.0, 0.0], 0.0),
        ([1.0, 0.0], math.inf),
        (np.array([1e300, 1e-300]), math.inf),
    ],
)
def test_gradient_ratio(norms, expected):
    assert gradient_ratio(norms) == expected


def test_gradient_ratio_nan_and_empty():
    assert math.isnan(gradient_ratio([np.nan, 1.0]))
    with pytest.raises(ValueError, match="at least one"):
        gradient_ratio([])


# -- DeathTracker --------------------------------------------------------------------

def params(shift=0.0):
    """Weights and biases of a (2, 3, 2, 1) net, hidden sizes (3, 2)."""
    W = [np.arange(6.0).reshape(2, 3) + shift, np.ones((3, 2)) + shift, np.ones((2, 1))]
    b = [np.array([0.0, 1.0, 2.0]) + shift, np.zeros(2) + shift, np.zeros(1)]
    return W, b


def masks(first, second):
    return [np.array(first, dtype=bool), np.array(second, dtype=bool)]


def test_dead_from_init_has_step_zero_and_no_killing_update():
    t = DeathTracker((3, 2))
    t.update(0, masks([0, 1, 0], [0, 0]))
    assert t.death_step[0].tolist() == [-1, 0, -1]
    assert t.ever_died[0].tolist() == [False, True, False]
    assert t.killing_update(0, 1) is None
    assert t.killing_update(0, 0) is None


def test_death_records_the_killing_update_and_revival_is_sticky():
    t = DeathTracker((3, 2))
    W0, b0 = params(0.0)
    W1, b1 = params(-1.0)
    W2, b2 = params(-2.0)
    t.update(0, masks([0, 0, 0], [0, 0]))
    t.update(1, masks([0, 0, 0], [0, 0]), W0, b0, W1, b1)
    t.update(2, masks([0, 0, 1], [1, 0]), W1, b1, W2, b2)
    assert t.death_step[0].tolist() == [-1, -1, 1]  # killed by the update of step 1 (1 -> 2)
    assert t.death_step[1].tolist() == [1, -1]
    kill = t.killing_update(0, 2)
    assert kill["step"] == 1
    assert (kill["bias_before"], kill["bias_after"]) == (1.0, 0.0)
    assert kill["w_before"].tolist() == [1.0, 4.0] and kill["w_after"].tolist() == [0.0, 3.0]
    assert t.killing_update(1, 0)["w_after"].tolist() == [-1.0, -1.0, -1.0]

    t.update(3, masks([0, 0, 0], [1, 0]), W2, b2, W2, b2)
    assert t.death_step[0].tolist() == [-1, -1, -1]
    assert t.revived[0].tolist() == [False, False, True]
    assert t.ever_died[0].tolist() == [False, False, True]
    assert t.killing_update(0, 2)["step"] == 1  # the record of the last death stays

    t.update(4, masks([0, 0, 1], [1, 0]), W2, b2, W1, b1)
    assert t.death_step[0].tolist() == [-1, -1, 3]
    assert t.revived[0].tolist() == [False, False, True]
    assert t.killing_update(0, 2)["step"] == 3
    assert t.death_step[1].tolist() == [1, -1]  # still dead since step 1's update


def test_killing_update_is_a_copy_of_the_weights_at_that_time():
    t = DeathTracker((3, 2))
    W0, b0 = params(0.0)
    W1, b1 = params(-1.0)
    t.update(1, masks([1, 0, 0], [0, 0]), W0, b0, W1, b1)
    W1[0][:] = 99.0
    kill = t.killing_update(0, 0)
    assert kill["w_after"].tolist() == [-1.0, 2.0]
    kill["w_after"][:] = 7.0
    assert t.killing_update(0, 0)["w_after"].tolist() == [-1.0, 2.0]


def test_dead_from_init_revived_keeps_no_killing_update():
    t = DeathTracker((1,))
    W, b = [np.ones((2, 1)), np.ones((1, 1))], [np.zeros(1), np.zeros(1)]
    t.update(0, [np.array([True])])
    t.update(1, [np.array([False])], W, b, W, b)
    assert t.revived[0].tolist() == [True] and t.death_step[0].tolist() == [-1]
    assert t.killing_update(0, 0) is None


def test_tracker_argument_checks():
    t = DeathTracker((3, 2))
    with pytest.raises(ValueError, match="do not match"):
        t.update(0, masks([0, 0], [0, 0]))
    with pytest.raises(ValueError, match="required for step > 0"):
        t.update(1, masks([0, 0, 0], [0, 0]))
    with pytest.raises(IndexError):
        t.killing_update(2, 0)
    with pytest.raises(IndexError):
        t.killing_update(0, 3)
    with pytest.raises(ValueError):
        DeathTracker((3, 0))
    assert DeathTracker(()).death_step == []


def test_tracker_follows_a_real_training_run_that_kills_relus():
    """A huge learning rate knocks ReLUs dead; each recorded killing update must
    leave the neuron dead on the data and come from a step where it was alive."""
    from relutui.engine import MLP, make_optimizer, train_step

    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(128, 2))
    y = (X[:, :1] * X[:, 1:] < 0).astype(np.float64)
    net = MLP((2, 16, 16, 1), seed=3)
    opt = make_optimizer("sgd", 5.0)
    tracker = DeathTracker(net.layer_sizes[1:-1])

    def dead_masks():
        trace = net.forward(X)
        return [np.all(net.activations[l].derivative(trace.z[l]) == 0.0, axis=0)
                for l in range(net.hidden_layers)]

    tracker.update(0, dead_masks())
    for step in range(1, 31):
        W0, b0 = [w.copy() for w in net.weights], [b.copy() for b in net.biases]
        if train_step(net, X, y, opt).diverged:
            break
        tracker.update(step, dead_masks(), W0, b0, net.weights, net.biases)

    assert sum(int(e.sum()) for e in tracker.ever_died) > 0
    first = X  # a dead first-layer neuron must be dead on the inputs with its killing params
    for i in np.flatnonzero(tracker.death_step[0] > 0):
        kill = tracker.killing_update(0, int(i))
        assert kill["step"] == tracker.death_step[0][i]
        assert np.all(first @ kill["w_after"] + kill["bias_after"] <= 0.0)
        assert np.any(first @ kill["w_before"] + kill["bias_before"] > 0.0)
