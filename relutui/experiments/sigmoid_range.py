"""Sigmoid's output is not just 0 and 1."""

from __future__ import annotations

import numpy as np

from ..training import TrainingRun
from .common import HOLDS, DOES_NOT_HOLD, DEPENDS, NOT_TESTED, NOT_TESTED_KEY, Arm, Experiment, Records, _r
from .conditions import cfg


def _sigmoid_outputs(run: TrainingRun, start: dict) -> dict:
    """Every value output by a sigmoid layer (hidden and output) on the training set."""
    trace = run.trace()
    vals = [a.ravel() for act, a in zip(run.net.activations, trace.a) if act.name == "sigmoid"]
    if not vals:
        return {"sigmoid_values": 0}
    v = np.concatenate(vals)
    finite = v[np.isfinite(v)]
    return {
        "sigmoid_values": int(v.size),
        "exactly_0": int(np.count_nonzero(v == 0.0)),
        "exactly_1": int(np.count_nonzero(v == 1.0)),
        "strictly_between": int(np.count_nonzero((v > 0.0) & (v < 1.0))),
        "distinct_values": int(np.unique(finite).size),
        "min": float(finite.min()) if finite.size else None,
        "max": float(finite.max()) if finite.size else None,
    }


# ------------------------------------------------------------------ verdicts


def _verdict_sigmoid_range(rec: Records) -> tuple[str, dict]:
    totals = {"sigmoid_values": 0, "exactly_0": 0, "exactly_1": 0, "strictly_between": 0}
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
    binary = (totals["exactly_0"] + totals["exactly_1"]) / n if n else None
    ev = {
        **totals,
        "fraction_exactly_0_or_1": _r(binary),
        "smallest_value": min(mins) if mins else None,
        "largest_value": max(maxs) if maxs else None,
        "distinct_values_per_run_min": min(distinct) if distinct else 0,
        "criterion": "every value output by a sigmoid layer on the training set after training. "
                     "Holds if all are exactly 0 or 1; does not hold if fewer than half are; "
                     "depends in between",
    }
    if binary is None:
        ev[NOT_TESTED_KEY] = "no layer of these nets is a sigmoid: there is no sigmoid output to look at"
        return NOT_TESTED, ev
    if binary == 1.0:
        return HOLDS, ev
    return (DOES_NOT_HOLD if binary < 0.5 else DEPENDS), ev


# ------------------------------------------------------------------ conditions
# Each returns None when the arms meet what the claim is about, else why not: the text follows
# "not tested: " (the panel, ``relutui run``). The arms are the ones run, changes applied.


EXPERIMENT = Experiment(
    name="sigmoid-range",
    title="Sigmoid outputs are not just 0 and 1",
    claim="The output of the sigmoid function can only take on the values 0 and 1.",
    explanation="sigmoid(z) = 1 / (1 + e^-z) lies strictly between 0 and 1 for every finite z "
                "(in float64 it rounds to exactly 1 only past z ~ 37). The claim mixes it up "
                "with the step function.",
    arms=(Arm("sigmoid", cfg(activation="sigmoid", init="xavier", lr=0.5)),),
    verdict_fn=_verdict_sigmoid_range, measure=_sigmoid_outputs, steps=300, seeds=5,
)
