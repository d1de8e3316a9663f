"""What a neuron does for the sample shown, beyond its state over the batch, and the shade of
its |dL/dz| in the backward phases: the network panel, the forward table and their legends
say the same thing with the same glyphs (``views.MARK_SYMBOLS``, ``views.GRAD_RAMP``)."""

from __future__ import annotations

import math

import numpy as np

from relutui.diagnostics import ACTIVE, DEAD, SATURATION_RATIO
from relutui.format import fmt
from relutui.session.views import GRAD_RAMP


def weak_limit(act) -> float:
    """The f'(z) at and under which a gradient is weak: 1% of the activation's largest f'."""
    return SATURATION_RATIO * float(act.max_derivative)


def mark(state: int, a: float, fp: float, limit: float) -> str | None:
    """"off" (f' = 0 and output 0: a ReLU's z < 0), "clipped" (f' = 0 with the output at a
    bound that is not 0: hard tanh's +1, saturation), "weak" (0 < |f'| ≤ limit, in a neuron
    active over the batch: a leaky ReLU's 0.01) or None. A dead neuron keeps its ✕."""
    if state == DEAD:
        return None
    if fp == 0:
        return "off" if a == 0 else "clipped"
    if state == ACTIVE and abs(fp) <= limit:
        return "weak"
    return None


def marks(states: np.ndarray, a: np.ndarray, fp: np.ndarray, limit: float) -> list[str | None]:
    return [mark(int(s), float(x), float(d), limit) for s, x, d in zip(states, a, fp)]


def words(act) -> dict[str, str]:
    """Each mark's words in a legend, for this activation: "leaky f'=0.01" rather than a rule."""
    slope = getattr(act, "negative_slope", None)
    weak = f"leaky f'={fmt(slope)}" if slope else f"f'≤{fmt(weak_limit(act))}"
    return {"off": "off", "clipped": "clipped", "weak": weak}


def level(value: float, largest: float) -> int | None:
    """The decades of |value| below ``largest`` (0: within a factor 10), capped at the ramp's
    last shade; None for an exact 0 (no gradient at all) or a value that is not finite."""
    v = abs(value)
    if v == 0 or not math.isfinite(v) or not largest > 0:
        return None
    return min(max(int(math.floor(math.log10(largest / v))), 0), len(GRAD_RAMP) - 1)


def inside(values: np.ndarray, act) -> np.ndarray:
    """``act``'s outputs with those that float rounding put on an open end of its range moved
    one ulp inside: σ(z) is 1.0 in float64 from z ≈ 36.7 and tanh(z) ±1.0 from |z| ≈ 19, values
    they never take ("◐ +1" backed the article's false "only 0 and 1"). ``format.bound_text`` then
    says "<1"."""
    r = act.value_range
    v = np.asarray(values, dtype=float)
    if r.is_set:
        return v
    out = v
    for end, closed, toward in ((r.upper, r.upper_closed, -math.inf), (r.lower, r.lower_closed, math.inf)):
        if math.isfinite(end) and not closed:
            hit = v == end
            if hit.any():
                out = out.copy() if out is v else out
                out[hit] = np.nextafter(end, toward)
    return out
