"""Sigmoid's output is not just 0 and 1: mathematically never, in float64 only by rounding.

sigmoid(z) = 1 / (1 + e^-z) lies strictly between 0 and 1 for every finite z. float64 rounds
it to exactly 1.0 once e^-z is below half an ulp of 1 (z above about 36.74) and to 0.0 below
about -745: such values are counted as rounding, apart; the verdict is about the function.
"""

from __future__ import annotations

import numpy as np

from ..training import TrainingRun
from .common import DEPENDS, DOES_NOT_HOLD, HOLDS, NOT_TESTED, NOT_TESTED_KEY, Arm, Experiment, Records, _r
from .conditions import cfg

MOSTLY_BETWEEN = 0.5   # does not hold if under half the outputs are 0 or 1 mathematically


def _sigmoid_outputs(run: TrainingRun, start: dict) -> dict:
    """Every value output by a sigmoid layer (hidden and output) on the training set, with how
    many are exactly 0.0 or 1.0 in float64 although their z is finite (rounding)."""
    trace = run.trace()
    pairs = [(z.ravel(), a.ravel()) for act, z, a in zip(run.net.activations, trace.z, trace.a)
             if act.name == "sigmoid"]
    if not pairs:
        return {"sigmoid_values": 0}
    z = np.concatenate([p[0] for p in pairs])
    v = np.concatenate([p[1] for p in pairs])
    finite = v[np.isfinite(v)]
    exact = (v == 0.0) | (v == 1.0)
    return {
        "sigmoid_values": int(v.size),
        "exactly_0": int(np.count_nonzero(v == 0.0)),
        "exactly_1": int(np.count_nonzero(v == 1.0)),
        "rounded": int(np.count_nonzero(exact & np.isfinite(z))),
        "strictly_between": int(np.count_nonzero((v > 0.0) & (v < 1.0))),
        "distinct_values": int(np.unique(finite).size),
        "min": float(finite.min()) if finite.size else None,
        "max": float(finite.max()) if finite.size else None,
    }


def rule_text() -> str:
    return (f"every value output by a sigmoid layer on the training set after training. A value "
            f"is 0 or 1 mathematically only if its z is infinite; exactly 0.0 or 1.0 in float64 "
            f"with a finite z is rounding (counted apart). Holds if every value is 0 or 1 "
            f"mathematically; does not hold if under {MOSTLY_BETWEEN:.0%} are; depends between")


def _verdict_sigmoid_range(rec: Records) -> tuple[str, dict]:
    totals = {"sigmoid_values": 0, "exactly_0": 0, "exactly_1": 0, "rounded": 0, "strictly_between": 0}
    mins, maxs, distinct = [], [], []
    for rs in rec.values():
        for r in rs:
            m = r["measures"]
            for k in totals:
                totals[k] += m.get(k, 0)
            if m.get("min") is not None:
                mins.append(m["min"])
                maxs.append(m["max"])
            distinct.append(m.get("distinct_values", 0))
    n = totals["sigmoid_values"]
    exact = totals["exactly_0"] + totals["exactly_1"]
    binary = (exact - totals["rounded"]) / n if n else None
    ev = {
        **totals,
        "fraction_0_or_1_mathematically": _r(binary),
        "fraction_exactly_0_or_1_in_float64": _r(exact / n) if n else None,
        "smallest_value": min(mins) if mins else None,
        "largest_value": max(maxs) if maxs else None,
        "distinct_values_per_run_min": min(distinct) if distinct else 0,
        "deciding": {"what": "share of sigmoid outputs that are 0 or 1 mathematically", "value": _r(binary)},
        "criterion": rule_text(),
    }
    if totals["rounded"]:
        ev["rounding"] = (f"{totals['rounded']:,} of {n:,} values are exactly 0.0 or 1.0 in float64 "
                          f"only because float64 rounds: their z is finite, so mathematically they "
                          f"lie strictly between 0 and 1")
    if binary is None:
        ev[NOT_TESTED_KEY] = "no layer of these nets is a sigmoid: there is no sigmoid output to look at"
        return NOT_TESTED, ev
    if binary == 1.0:
        return HOLDS, ev
    return (DOES_NOT_HOLD if binary < MOSTLY_BETWEEN else DEPENDS), ev


EXPERIMENT = Experiment(
    name="sigmoid-range",
    title="Sigmoid outputs are not just 0 and 1",
    claim="the output of the sigmoid function, which is a logistic function, can only take "
          "on the values 0 and 1",
    explanation="sigmoid(z) = 1 / (1 + e^-z) lies strictly between 0 and 1 for every finite z. "
                "float64 rounds it to exactly 1.0 for z above about 36.74 (and to 0.0 below about "
                "-745): those values are reported as rounding, not as the function reaching 1. "
                "The claim mixes sigmoid up with the step function.",
    arms=(Arm("sigmoid", cfg(activation="sigmoid", init="xavier", lr=0.5)),),
    verdict_fn=_verdict_sigmoid_range, measure=_sigmoid_outputs, steps=300, seeds=5,
)
