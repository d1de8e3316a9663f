""""When positive, it acts linearly; when negative, it activates non-linearly": relu is
linear on each half-line (x on one, 0 on the other); the non-linearity is the switch at 0.
Measured by additivity, f(a + b) = f(a) + f(b), on pairs of the same sign and of mixed
signs. No training: the function is evaluated."""

from __future__ import annotations

import numpy as np

from ..training import TrainingRun
from .common import DEPENDS, DOES_NOT_HOLD, HOLDS, Arm, Experiment, Records, _r
from .conditions import arm_uses, cfg

N_PAIRS = 200      # pairs per group and seed
REL_TOL = 1e-12    # |f(a+b) - f(a) - f(b)| <= REL_TOL * (|a| + |b|): additive (float rounding aside)
NONLINEAR = 0.01   # a side is non-linear when more than 1% of its pairs fail additivity
EXAMPLE = (3.0, -1.0)


def _pairs(run: TrainingRun, steps: int) -> dict:
    """Additivity failures of the hidden activation on positive, negative and mixed pairs."""
    f = run.net.activations[0].forward
    rng = np.random.default_rng([run.config.seed, 11])
    mag = rng.uniform(1e-3, 10.0, size=(3, 2, N_PAIRS))
    groups = {"positive": (mag[0, 0], mag[0, 1]), "negative": (-mag[1, 0], -mag[1, 1]),
              "mixed": (mag[2, 0], -mag[2, 1])}
    out: dict = {}
    for name, (a, b) in groups.items():
        err = np.abs(f(a + b) - (f(a) + f(b)))
        fails = err > REL_TOL * (np.abs(a) + np.abs(b))
        out[f"{name}_pairs_failing"] = float(np.count_nonzero(fails) / a.size)
        out[f"{name}_max_error"] = float(err.max())
    a, b = EXAMPLE
    out["example"] = [a, b, float(f(np.array([a + b]))[0]),
                      float(f(np.array([a]))[0] + f(np.array([b]))[0])]
    out["activation"] = run.net.activations[0].name
    return out


def rule_text() -> str:
    return (f"additivity f(a + b) = f(a) + f(b) (to float rounding) on {N_PAIRS} random pairs per "
            f"seed with both a, b > 0, both < 0, and of mixed signs; a side is non-linear when "
            f"more than {NONLINEAR:.0%} of its pairs fail. Holds if the positive side is linear and "
            f"the negative side is not; does not hold if both sides are linear (the "
            f"non-linearity is only across 0); depends otherwise")


def _verdict(rec: Records) -> tuple[str, dict]:
    (rs,) = rec.values()
    share = {g: float(np.mean([r["measures"][f"{g}_pairs_failing"] for r in rs]))
             for g in ("positive", "negative", "mixed")}
    worst = {g: max(r["measures"][f"{g}_max_error"] for r in rs) for g in share}
    name = rs[0]["measures"]["activation"]
    a, b, fab, fa_fb = rs[0]["measures"]["example"]
    ev = {
        "pairs_failing_additivity": {g: _r(v) for g, v in share.items()},
        "largest_error": {g: _r(v) for g, v in worst.items()},
        "pairs_per_group": N_PAIRS * len(rs),
        "example": f"{name}({a:g} + {b:g}) = {fab:g}, {name}({a:g}) + {name}({b:g}) = {fa_fb:g}",
        "deciding": {"what": "share of the pairs where f(a + b) = f(a) + f(b) fails",
                     "value": {g: _r(v) for g, v in share.items()}},
        "criterion": rule_text(),
    }
    pos_linear, neg_linear = share["positive"] <= NONLINEAR, share["negative"] <= NONLINEAR
    if pos_linear and not neg_linear:
        return HOLDS, ev
    if pos_linear and neg_linear:
        return DOES_NOT_HOLD, ev
    return DEPENDS, ev


EXPERIMENT = Experiment(
    name="linear-pieces",
    title="ReLU is linear on each side of 0; it bends only at 0",
    claim="When positive, it acts linearly; when negative, it activates non-linearly.",
    explanation="relu(x) = x for x > 0 and 0 for x < 0: both pieces are linear, so "
                "relu(a + b) = relu(a) + relu(b) whenever a and b have the same sign. It fails "
                "only when they straddle 0: relu(3 + -1) = 2, relu(3) + relu(-1) = 3. A stack of "
                "relu layers is non-linear because neurons switch between the two pieces. "
                "Nothing is trained: the function is evaluated on random pairs.",
    arms=(Arm("relu", cfg(activation="relu"), key="relu"),),
    verdict_fn=_verdict, train=_pairs, steps=1, seeds=5,
    conditions=(arm_uses("relu", "relu"),),
)
