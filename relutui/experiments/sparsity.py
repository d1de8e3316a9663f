"""ReLU gives representational sparsity: true zeros, on neurons that are alive.

A dead neuron outputs 0 on every input: that is a neuron lost, not a sparse code. The
verdict counts exact zeros on the live neurons only (a neuron is live if it is non-zero on
some training sample); the dead neurons' zeros are shown apart.
"""

from __future__ import annotations

import numpy as np

from ..training import TrainingRun
from .common import DEPENDS, DOES_NOT_HOLD, HOLDS, Arm, Experiment, Records, _mean, _r
from .conditions import arm_uses, cfg

SPARSE = 0.2        # relu's live neurons exactly 0 on this share of the samples or more: sparse
NONE = 0.01         # sigmoid's under this: no true zeros
MARGIN = 0.05       # relu's no more than sigmoid's plus this: no sparsity to speak of


def _zeros(run: TrainingRun, start: dict) -> dict:
    """Exact zeros of the hidden outputs on the training set after training, split into
    live neurons (non-zero on some sample) and dead ones (zero on every sample)."""
    trace = run.trace()
    live_zero = live_total = dead_neurons = neurons = 0
    for a in trace.a[:-1]:
        zero = a == 0.0
        dead = np.all(zero, axis=0)
        live = ~dead
        live_zero += int(np.count_nonzero(zero[:, live]))
        live_total += int(zero[:, live].size)
        dead_neurons += int(np.count_nonzero(dead))
        neurons += int(dead.size)
    return {"live_zero_fraction": live_zero / live_total if live_total else None,
            "dead_neuron_fraction": dead_neurons / neurons if neurons else None}


def rule_text() -> str:
    return (f"live-zero share = fraction of the live hidden neurons' outputs that are exactly 0.0 "
            f"on the training set after training (dead neurons, 0 on every sample, are counted "
            f"apart). Holds if relu's is {SPARSE:.0%} or more and sigmoid's under {NONE:.0%}; does "
            f"not hold if relu's is no more than sigmoid's plus {MARGIN * 100:g} points; depends "
            f"otherwise")


def _verdict(rec: Records) -> tuple[str, dict]:
    live = {k: _mean(r["measures"].get("live_zero_fraction") for r in rs) for k, rs in rec.items()}
    dead = {k: _mean(r["measures"].get("dead_neuron_fraction") for r in rs) for k, rs in rec.items()}
    r, s = live.get("relu"), live.get("sigmoid")
    ev = {
        "live_neurons_zero_fraction": {k: _r(v) for k, v in live.items()},
        "dead_neuron_fraction": {k: _r(v) for k, v in dead.items()},
        "live_zero_fraction_per_seed": {
            k: [_r(x["measures"].get("live_zero_fraction")) for x in rs] for k, rs in rec.items()},
        "deciding": {"what": "share of exact zeros on live neurons, relu and sigmoid",
                     "value": {"relu": _r(r), "sigmoid": _r(s)}},
        "criterion": rule_text(),
    }
    if r is None or s is None:
        return DEPENDS, ev
    if r <= s + MARGIN:
        return DOES_NOT_HOLD, ev
    return (HOLDS if r >= SPARSE and s < NONE else DEPENDS), ev


EXPERIMENT = Experiment(
    name="sparsity",
    title="ReLU's live neurons output exact zeros; sigmoid's never do",
    claim="It possesses the property of representational sparsity, which allows it to "
          "provide a valid zero value.",
    explanation="relu(z) = 0 for every z < 0, so a live neuron is exactly 0 on the inputs that "
                "switch it off and non-zero on the others: a sparse code. sigmoid(z) > 0 for "
                "every finite z, so none are. A dead neuron (0 on every input) is not sparsity: "
                "its zeros are counted apart.",
    arms=(Arm("relu", cfg(activation="relu")),
          Arm("sigmoid", cfg(activation="sigmoid", init="xavier"))),
    verdict_fn=_verdict, measure=_zeros, steps=300, seeds=5,
    conditions=(arm_uses("relu", "relu"),),
)
