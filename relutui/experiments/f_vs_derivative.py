""""Values larger than zero return 1.0, whereas values less than zero return 0.0": that is
relu' (or the step function), not relu. No training: the function is evaluated."""

from __future__ import annotations

import numpy as np

from ..activations import get_activation
from ..training import TrainingRun
from .common import DEPENDS, DOES_NOT_HOLD, HOLDS, Arm, Experiment, Records, _r
from .conditions import arm_uses, cfg

X_SHOWN = 2.5  # the point printed as evidence: relu(2.5), relu'(2.5), step(2.5)
N_POINTS = 50  # random points per side and seed
TOL = 1e-9     # |f(x) - 1| <= TOL counts as returning 1.0
HOLD_SHARE = 0.99  # the sentence holds where f returns 1.0 (0.0) on this share of the x > 0 (x < 0)
FAIL_SHARE = 0.5   # it does not hold where f returns 1.0 on this share of the x > 0 or fewer


def _evaluate(run: TrainingRun, steps: int) -> dict:
    """f, f' and step at ``X_SHOWN`` and at seeded random points on each side of 0
    (the hidden activation as configured, kink convention included; nothing is trained)."""
    act = run.net.activations[0]
    step = get_activation("step")
    rng = np.random.default_rng([run.config.seed, 7])
    pos = np.concatenate([[X_SHOWN], rng.uniform(1e-3, 10.0, N_POINTS)])
    neg = -np.concatenate([[X_SHOWN], rng.uniform(1e-3, 10.0, N_POINTS)])
    x = np.array([X_SHOWN])

    def share(values: np.ndarray, target: float) -> float:
        return float(np.count_nonzero(np.abs(values - target) <= TOL) / values.size)

    return {
        "activation": act.name,
        "f_at_x": float(act.forward(x)[0]), "fprime_at_x": float(act.derivative(x)[0]),
        "step_at_x": float(step.forward(x)[0]),
        "f_at_minus_x": float(act.forward(-x)[0]), "fprime_at_minus_x": float(act.derivative(-x)[0]),
        "f_is_1_on_positives": share(act.forward(pos), 1.0),
        "f_is_0_on_negatives": share(act.forward(neg), 0.0),
        "fprime_is_1_on_positives": share(act.derivative(pos), 1.0),
        "fprime_is_0_on_negatives": share(act.derivative(neg), 0.0),
    }


def _mean(rs, key: str) -> float:
    return float(np.mean([r["measures"][key] for r in rs]))


def rule_text() -> str:
    return (f"f evaluated at x = {X_SHOWN:g} and at {N_POINTS} random x in (0, 10) per seed, and "
            f"at their negatives. Holds if f(x) = 1.0 at {HOLD_SHARE:.0%} or more of the positive "
            f"x and f(x) = 0.0 at {HOLD_SHARE:.0%} or more of the negative x; does not hold if "
            f"f(x) = 1.0 at {FAIL_SHARE:.0%} of the positive x or fewer; depends in between")


def _verdict(rec: Records) -> tuple[str, dict]:
    (rs,) = rec.values()
    m = rs[0]["measures"]
    name = m["activation"]
    pos, neg = _mean(rs, "f_is_1_on_positives"), _mean(rs, "f_is_0_on_negatives")
    ev = {
        "x": X_SHOWN,
        f"{name}(x)": m["f_at_x"], f"{name}'(x)": m["fprime_at_x"], "step(x)": m["step_at_x"],
        f"{name}(-x)": m["f_at_minus_x"], f"{name}'(-x)": m["fprime_at_minus_x"],
        "share_of_positive_x_where_f_is_1": _r(pos),
        "share_of_negative_x_where_f_is_0": _r(neg),
        "share_of_positive_x_where_fprime_is_1": _r(_mean(rs, "fprime_is_1_on_positives")),
        "points_per_side": (N_POINTS + 1) * len(rs),
        "deciding": {"what": f"{name}(x), {name}'(x) and step(x) at x = {X_SHOWN:g}",
                     "value": {f"{name}": m["f_at_x"], f"{name}'": m["fprime_at_x"],
                               "step": m["step_at_x"]}},
        "criterion": rule_text(),
    }
    if pos >= HOLD_SHARE and neg >= HOLD_SHARE:
        return HOLDS, ev
    return (DOES_NOT_HOLD if pos <= FAIL_SHARE else DEPENDS), ev


EXPERIMENT = Experiment(
    name="f-vs-derivative",
    title="ReLU returns x for x > 0, not 1.0: the article describes relu'",
    claim="Values larger than zero return 1.0, whereas values less than zero return 0.0.",
    explanation="The article says it of relu(x) = max(0.0, x). But relu(x) = x for x > 0, so "
                "relu(2.5) = 2.5. The sentence describes relu'(x) "
                "(1 for x > 0, 0 for x < 0) or the step function, not relu. Nothing is trained: "
                "the function is evaluated at 2.5 and at random points on both sides of 0.",
    arms=(Arm("relu", cfg(activation="relu"), key="relu"),),
    verdict_fn=_verdict, train=_evaluate, steps=1, seeds=5,
    conditions=(arm_uses("relu", "relu"),),
)
