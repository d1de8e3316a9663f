"""The activation library: values, exact derivatives, kink conventions, stability."""

import math

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from relutui import activations as A
from relutui.activations import (
    ACTIVATIONS, ALIASES, Activation, canonical_name, erf, get_activation, normal_cdf,
)

H = 1e-6
GRID = np.linspace(-12.0, 12.0, 9601)

# Closed forms independent of the implementation (scalar math on purpose).
REFERENCE = {
    "identity": lambda x: x,
    "step": lambda x: 1.0 if x > 0 else 0.0,
    "sigmoid": lambda x: 1 / (1 + math.exp(-x)),
    "tanh": math.tanh,
    "relu": lambda x: max(0.0, x),
    "leaky_relu": lambda x: x if x > 0 else 0.01 * x,
    "relu6": lambda x: min(max(0.0, x), 6.0),
    "elu": lambda x: x if x > 0 else math.expm1(x),
    "selu": lambda x: 1.0507009873554805 * (x if x > 0 else 1.6732632423543772 * math.expm1(x)),
    "celu": lambda x: max(0.0, x) + min(0.0, math.expm1(x)),
    "gelu": lambda x: 0.5 * x * (1 + math.erf(x / math.sqrt(2))),
    "gelu_tanh": lambda x: 0.5 * x * (1 + math.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3))),
    "silu": lambda x: x / (1 + math.exp(-x)),
    "mish": lambda x: x * math.tanh(math.log1p(math.exp(x))),
    "softplus": lambda x: x if x > 20 else math.log1p(math.exp(x)),
    "softsign": lambda x: x / (1 + abs(x)),
    "hardsigmoid": lambda x: min(max(0.0, x / 6 + 0.5), 1.0),
    "hardtanh": lambda x: min(max(-1.0, x), 1.0),
    "hardswish": lambda x: x * min(max(0.0, x + 3), 6.0) / 6,
}

KINKS = {
    "step": {0.0: 0.0},
    "relu": {0.0: 0.0},
    "leaky_relu": {0.0: 0.01},
    "relu6": {0.0: 0.0, 6.0: 0.0},
    "elu": {0.0: 1.0},
    "selu": {0.0: 1.0507009873554805 * 1.6732632423543772},
    "celu": {0.0: 1.0},
    "hardtanh": {-1.0: 0.0, 1.0: 0.0},
    "hardsigmoid": {-3.0: 0.0, 3.0: 0.0},
    "hardswish": {-3.0: 0.0, 3.0: 1.0},
}


def away_from_kinks(act: Activation, x: np.ndarray, margin: float = 1e-3) -> np.ndarray:
    keep = np.ones_like(x, dtype=bool)
    for k in act.kinks:
        keep &= np.abs(x - k) > margin
    return x[keep]


def test_registry_has_every_required_name():
    assert set(REFERENCE) <= set(ACTIVATIONS)
    assert ALIASES == {"linear": "identity", "swish": "silu"}
    assert get_activation("linear").name == "identity"
    assert get_activation("swish").name == "silu"


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_forward_matches_closed_form(name):
    act = get_activation(name)
    x = GRID
    expected = np.array([REFERENCE[name](v) for v in x])
    np.testing.assert_allclose(act(x), expected, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_derivative_matches_central_differences(name):
    act = get_activation(name)
    x = away_from_kinks(act, GRID)
    numeric = (act(x + H) - act(x - H)) / (2 * H)
    np.testing.assert_allclose(act.derivative(x), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name,params", [
    ("leaky_relu", {"negative_slope": 0.2}), ("elu", {"alpha": 0.5}), ("celu", {"alpha": 2.0}),
    ("softplus", {"beta": 2.0, "threshold": 10.0}), ("hardtanh", {"min_val": -2.0, "max_val": 3.0}),
])
def test_derivative_with_parameters(name, params):
    act = get_activation(name, **params)
    x = away_from_kinks(act, GRID)
    numeric = (act(x + H) - act(x - H)) / (2 * H)
    np.testing.assert_allclose(act.derivative(x), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", sorted(KINKS))
def test_kink_conventions_follow_pytorch(name):
    act = get_activation(name)
    kinks = dict(zip(act.kinks, act.kink_derivatives))
    assert kinks == pytest.approx(KINKS[name], abs=1e-15)
    for k, v in KINKS[name].items():
        assert act.derivative(np.array([k]))[0] == pytest.approx(v, abs=1e-15)


def test_selu_constants_full_precision():
    from relutui.activations import SELU_ALPHA, SELU_SCALE
    assert SELU_ALPHA == 1.6732632423543772848170429916717
    assert SELU_SCALE == 1.0507009873554804934193349852946
    assert get_activation("selu").derivative(np.array([0.0]))[0] == pytest.approx(1.7580993408473766, abs=1e-15)


def test_softplus_above_threshold_is_exactly_x():
    act = get_activation("softplus")
    x = np.array([20.5, 50.0, 1e6])
    assert np.array_equal(act(x), x)
    assert np.array_equal(act.derivative(x), np.ones(3))


@pytest.mark.parametrize("name", ["relu", "leaky_relu", "relu6", "hardtanh", "hardswish", "elu"])
@pytest.mark.parametrize("value", [0.0, 0.5, 1.0])
def test_derivative_at_kink_override(name, value):
    act = get_activation(name, derivative_at_kink=value)
    kinks = np.array(act.kinks)
    assert np.all(act.derivative(kinks) == value)
    assert act.kink_derivatives == tuple(value for _ in kinks)
    x = away_from_kinks(act, GRID)
    np.testing.assert_array_equal(act.derivative(x), get_activation(name).derivative(x))


LIMITS_AT_1000 = {
    "sigmoid": (0.0, 1.0), "softplus": (0.0, 1000.0), "mish": (0.0, 1000.0),
    "selu": (-1.7580993408473766, 1050.7009873554805), "gelu": (0.0, 1000.0),
    "gelu_tanh": (0.0, 1000.0), "silu": (0.0, 1000.0), "tanh": (-1.0, 1.0),
    "elu": (-1.0, 1000.0), "softsign": (-0.999000999000999, 0.999000999000999),
}


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_stable_over_the_whole_line(name):
    act = get_activation(name)
    top = 1e300 if name == "selu" else np.finfo(float).max  # selu(max) = 1.05 * max is not a float
    x = np.array([-np.finfo(float).max, -1e300, -1000.0, -745.0, -40.0, 40.0, 745.0, 1000.0, 1e300, top])
    with np.errstate(all="raise", under="ignore"):
        y, d = act(x), act.derivative(x)
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(d))
    if name in LIMITS_AT_1000:
        lo, hi = LIMITS_AT_1000[name]
        assert act(np.array([-1000.0, 1000.0])) == pytest.approx([lo, hi], abs=1e-12)


def test_unknown_name_lists_valid_ones():
    with pytest.raises(ValueError) as err:
        get_activation("relu7")
    assert "unknown activation 'relu7'" in str(err.value)
    for name in ACTIVATIONS:
        assert name in str(err.value)
    assert canonical_name("Leaky-ReLU") == "leaky_relu"


@pytest.mark.parametrize("name,params,message", [
    ("elu", {"alpha": -1.0}, "alpha must be >= 0"),
    ("celu", {"alpha": 0.0}, "alpha must be > 0"),
    ("leaky_relu", {"negative_slope": float("nan")}, "must be finite"),
    ("leaky_relu", {"negative_slope": float("inf")}, "must be finite"),
    ("leaky_relu", {"negative_slope": "steep"}, "must be a number"),
    ("relu", {"alpha": 1.0}, "has no parameter 'alpha'"),
    ("hardtanh", {"min_val": 2.0}, "must be below max_val"),
    ("softplus", {"beta": 0.0}, "beta must be > 0"),
    ("relu", {"derivative_at_kink": float("nan")}, "derivative_at_kink must be finite"),
])
def test_bad_parameters_are_refused(name, params, message):
    with pytest.raises(ValueError, match=message):
        get_activation(name, **params)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_metadata(name):
    act = get_activation(name)
    assert act.name == name and act.display_name and act.formula
    lo, hi = act.output_range
    assert lo < hi
    y = act(GRID)
    assert np.all(y >= lo - 1e-9) and np.all(y <= hi + 1e-9)
    assert len(act.kinks) == len(act.kink_derivatives)
    d = np.abs(act.derivative(GRID))
    assert d.max() <= act.max_derivative * (1 + 1e-9)
    assert isinstance(act.params, dict) and set(act.params) == set(act.defaults)


@pytest.mark.parametrize("name", ["gelu", "gelu_tanh", "silu", "mish", "hardswish"])
def test_lower_bound_of_range_is_attained(name):
    act = get_activation(name)
    lo, _ = act.output_range
    x = np.linspace(-5, 0, 200001)
    assert act(x).min() == pytest.approx(lo, abs=1e-6)


def test_erf_and_normal_cdf_match_math():
    x = np.concatenate([np.linspace(-9, 9, 20001), [-38.0, -30.0, 0.0, 27.0, 40.0]])
    np.testing.assert_allclose(erf(x), [math.erf(v) for v in x], rtol=0, atol=4e-16)
    np.testing.assert_allclose(normal_cdf(x), [0.5 * math.erfc(-v / math.sqrt(2)) for v in x],
                               rtol=2e-15, atol=1e-300)


def test_shapes_and_dtype_preserved():
    act = get_activation("tanh")
    x = np.zeros((3, 4, 5), dtype=np.float32)
    assert act(x).shape == (3, 4, 5) and act(x).dtype == np.float64
    assert act.derivative(x).dtype == np.float64
    assert act(2.0).shape == ()


MONOTONE = ["identity", "step", "sigmoid", "tanh", "relu", "leaky_relu", "relu6", "elu", "selu",
            "celu", "softplus", "softsign", "hardsigmoid", "hardtanh"]


@given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=50))
def test_monotone_activations_are_monotone(values):
    x = np.sort(np.array(values))
    for name in MONOTONE:
        y = get_activation(name)(x)
        assert np.all(np.diff(y) >= 0), name


@given(st.floats(allow_nan=False, allow_infinity=False))
@example(1.7976931348623157e308)
@example(-1.7976931348623157e308)
def test_bounded_activations_stay_in_range(v):
    x = np.array([v])
    for name in ACTIVATIONS:
        act = get_activation(name)
        lo, hi = act.output_range
        y = act(x)[0]
        assert lo - 1e-12 <= y <= hi or (hi == math.inf and y <= hi), name
        assert math.isfinite(y) or (name == "selu" and v > np.finfo(float).max / 1.0507009873554805)
        assert math.isfinite(act.derivative(x)[0])


@given(st.floats(-50, 50))
def test_sigmoid_and_tanh_derivative_bounds(v):
    """The bound behind vanishing gradients: sigmoid' <= 1/4, tanh' <= 1."""
    x = np.array([v])
    assert get_activation("sigmoid").derivative(x)[0] <= 0.25
    assert get_activation("tanh").derivative(x)[0] <= 1.0


def test_sigmoid_output_is_strictly_between_0_and_1_in_the_useful_range():
    """The article says sigmoid outputs 'only 0 and 1': not so."""
    y = get_activation("sigmoid")(np.linspace(-30, 30, 1001))
    assert np.all((y > 0) & (y < 1))
    assert np.unique(y).size == y.size


@pytest.mark.parametrize("key", list(A.GRID_FACTS), ids=lambda k: k[0])
def test_precomputed_grid_facts_match_the_sweeps(key, monkeypatch):
    """The table that spares the first frame the grid sweeps says what the sweeps say."""
    name, params = key
    for cache in ("_MAX_DERIVATIVE", "_CAN_SATURATE", "_NONNEGATIVE"):
        monkeypatch.setattr(A, cache, {})
    act = get_activation(name)
    assert tuple(sorted(act.params.items())) == params  # the defaults the row was made for
    max_derivative, can_saturate, nonnegative = A.GRID_FACTS[key]
    # the sweep's maximum may differ in the last bits from one CPU's vector paths to another's
    assert act.max_derivative == pytest.approx(max_derivative, rel=1e-12, abs=0)
    assert (act.can_saturate, act.nonnegative_derivative) == (can_saturate, nonnegative)


def test_grid_facts_cover_every_activation():
    assert sorted(name for name, _ in A.GRID_FACTS) == sorted(ACTIVATIONS)
