"""Every activation's range, from its math: the bracket of each end says whether f attains it.

Float64 does not decide: sigmoid(40.0) rounds to exactly 1.0 and softplus(-800) to 0.0, yet
neither value is in the range. Each open end is checked with the exact gap written in closed
form (1 - sigmoid(x) = sigmoid(-x) > 0, ...); each closed end with the point where f takes it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from relutui.activations import ACTIVATIONS, SELU_ALPHA, SELU_SCALE, get_activation
from relutui.ranges import ValueRange, closed, finite_set, format_range, half_open, open_interval

EXPECTED = {
    "identity": "(-∞, ∞)",
    "step": "{0, 1}",
    "sigmoid": "(0, 1)",
    "tanh": "(-1, 1)",
    "relu": "[0, ∞)",
    "leaky_relu": "(-∞, ∞)",
    "relu6": "[0, 6]",
    "elu": "(-1, ∞)",
    "selu": "(-1.7581, ∞)",
    "celu": "(-1, ∞)",
    "gelu": "[-0.16997, ∞)",
    "gelu_tanh": "[-0.17004, ∞)",
    "silu": "[-0.27846, ∞)",
    "mish": "[-0.30884, ∞)",
    "softplus": "(0, ∞)",
    "softsign": "(-1, 1)",
    "hardsigmoid": "[0, 1]",
    "hardtanh": "[-1, 1]",
    "hardswish": "[-0.375, ∞)",
}


def test_every_activation_has_its_expected_notation():
    assert set(EXPECTED) == set(ACTIVATIONS)
    assert {n: get_activation(n).describe_range() for n in ACTIVATIONS} == EXPECTED


def test_parameters_move_the_range():
    assert get_activation("elu", alpha=2).describe_range() == "(-2, ∞)"
    assert get_activation("elu", alpha=0).describe_range() == "[0, ∞)"  # f = 0 for x <= 0
    assert get_activation("leaky_relu", negative_slope=0).describe_range() == "[0, ∞)"
    assert get_activation("leaky_relu", negative_slope=-0.5).describe_range() == "[0, ∞)"
    assert get_activation("hardtanh", min_val=-2, max_val=3).describe_range() == "[-2, 3]"
    assert get_activation("celu", alpha=0.5).describe_range() == "(-0.5, ∞)"


# Closed ends: the x where f takes the bound exactly (mathematically and in float64).
ATTAINED = {
    "step": [(0.0, 0.0), (1.0, 1.0)],
    "relu": [(-3.0, 0.0), (0.0, 0.0)],
    "relu6": [(0.0, 0.0), (6.0, 6.0), (100.0, 6.0)],
    "hardsigmoid": [(-3.0, 0.0), (3.0, 1.0)],
    "hardtanh": [(-1.0, -1.0), (1.0, 1.0), (-50.0, -1.0)],
    "hardswish": [(-1.5, -0.375)],
}


@pytest.mark.parametrize("name", sorted(ATTAINED))
def test_closed_ends_are_attained(name):
    act = get_activation(name)
    for x, y in ATTAINED[name]:
        assert act(np.array([x]))[0] == y
        assert y in act.value_range


@pytest.mark.parametrize("name,x_min", [("gelu", -0.7518), ("gelu_tanh", -0.7528), ("silu", -1.2785),
                                        ("mish", -1.1924)])
def test_smooth_minima_are_attained_where_f_prime_changes_sign(name, x_min):
    """The lower bound is a minimum: f' < 0 just left of x_min and > 0 just right of it, so f
    takes its infimum there; the bracket is closed."""
    act = get_activation(name)
    d = act.derivative(np.array([x_min - 0.01, x_min + 0.01]))
    assert d[0] < 0 < d[1]
    x = np.linspace(x_min - 0.01, x_min + 0.01, 20001)
    assert act(x).min() == pytest.approx(act.value_range.lower, abs=1e-9)
    assert act.value_range.lower_closed


# Open ends: (x, exact gap f(x) - bound written in closed form, float64 f(x)). The gap is > 0
# at every x, so the bound is never attained, even where float64 rounds f(x) onto it.
def _open_end_cases():
    s = lambda v: 1.0 / (1.0 + math.exp(-v))  # noqa: E731  (v small enough not to overflow)
    return {
        "sigmoid upper": ("sigmoid", 40.0, 1.0, s(-40.0)),  # 1 - s(x) = s(-x)
        "sigmoid lower": ("sigmoid", -40.0, 0.0, s(-40.0)),
        "tanh upper": ("tanh", 20.0, 1.0, 2.0 / (math.exp(40.0) + 1.0)),  # 1 - tanh x = 2/(e^2x + 1)
        "tanh lower": ("tanh", -20.0, -1.0, 2.0 / (math.exp(40.0) + 1.0)),
        "softsign upper": ("softsign", 1e17, 1.0, 1.0 / (1.0 + 1e17)),  # 1 - x/(1+x) = 1/(1+x)
        "softplus lower": ("softplus", -40.0, 0.0, math.log1p(math.exp(-40.0))),  # log(1 + e^x) > 0
        "elu lower": ("elu", -40.0, -1.0, math.exp(-40.0)),  # alpha (e^x - 1) + alpha = alpha e^x
        "celu lower": ("celu", -40.0, -1.0, math.exp(-40.0)),
        "selu lower": ("selu", -40.0, -SELU_SCALE * SELU_ALPHA, SELU_SCALE * SELU_ALPHA * math.exp(-40.0)),
    }


@pytest.mark.parametrize("case", sorted(_open_end_cases()))
def test_open_ends_are_approached_but_never_attained(case):
    name, x, bound, gap = _open_end_cases()[case]
    act = get_activation(name)
    r = act.value_range
    assert gap > 0  # mathematically f(x) != bound
    assert bound in (r.lower, r.upper)
    assert not (r.lower_closed if bound == r.lower else r.upper_closed)
    assert bound not in r
    # float64 gets within the gap's size of the bound (or onto it: that is rounding, not math)
    assert abs(float(act(np.array([x]))[0]) - bound) <= max(2 * gap, 1e-15 * max(1.0, abs(bound)))


def test_float64_rounds_sigmoid_onto_its_open_end():
    """Why the brackets come from the math: float64 returns exactly 1.0 and 0.0."""
    sig = get_activation("sigmoid")
    assert sig(np.array([40.0]))[0] == 1.0 and sig(np.array([-800.0]))[0] == 0.0
    assert 1.0 not in sig.value_range and 0.0 not in sig.value_range


def test_the_step_is_a_set_not_an_interval():
    step = get_activation("step")
    y = step(np.linspace(-5, 5, 1001))
    assert set(np.unique(y).tolist()) == {0.0, 1.0}
    assert 0.5 not in step.value_range and 0.5 in get_activation("sigmoid").value_range


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_output_range_is_the_bounds_of_value_range(name):
    act = get_activation(name)
    assert act.output_range == (act.value_range.lower, act.value_range.upper)


def test_format_range_notation():
    assert format_range(half_open(0.0)) == "[0, ∞)"
    assert format_range(open_interval(0.0, 1.0)) == "(0, 1)"
    assert format_range(closed(-1.0, 1.0)) == "[-1, 1]"
    assert format_range(finite_set(1, 0)) == "{0, 1}"
    assert format_range(open_interval(-0.0, math.inf)) == "(0, ∞)"  # never "-0"
    assert str(closed(0.0, 6.0)) == "[0, 6]"
    with pytest.raises(ValueError):
        ValueRange(1.0, 0.0)
    with pytest.raises(ValueError):
        ValueRange(0.0, math.inf, True, True)
