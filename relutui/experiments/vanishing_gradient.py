"""Sigmoid hidden layers make the gradient vanish; ReLU does not."""

from __future__ import annotations

import math
import statistics

from collections.abc import Sequence

from .common import HOLDS, DOES_NOT_HOLD, DEPENDS, Arm, Experiment, Records, _r, _median
from .conditions import arm_uses, cfg, deep


def _grad_ratio_per_seed(records: Sequence[dict]) -> list[float | None]:
    """Geometric mean over logged steps of ||dL/dW first|| / ||dL/dW last||."""
    out = []
    for r in records:
        logs = []
        for row in r["history"]["grad_norm"]:
            if not row or row[0] is None or row[-1] is None or row[-1] <= 0:
                continue
            logs.append(math.log10(max(row[0] / row[-1], 1e-300)))
        out.append(10 ** statistics.fmean(logs) if logs else None)
    return out


def _verdict_vanishing(rec: Records) -> tuple[str, dict]:
    ratios = {lab: _grad_ratio_per_seed(rs) for lab, rs in rec.items()}
    med = {lab: _median(v) for lab, v in ratios.items()}
    ev = {
        "first_over_last_grad_norm_per_seed": {lab: [_r(x, 3) for x in v] for lab, v in ratios.items()},
        "median_ratio": {lab: _r(v, 3) for lab, v in med.items()},
        "vanishes": {lab: (None if v is None else v < 0.01) for lab, v in med.items()},
        "criterion": "ratio = ||dL/dW|| of the first layer over the last, geometric mean over "
                     "training; vanishing = median ratio under 0.01 (two orders of magnitude). "
                     "Holds if sigmoid vanishes and relu keeps a ratio of 0.1 or more; does not "
                     "hold if sigmoid does not vanish or relu vanishes too. tanh is measured "
                     "for comparison and does not enter the verdict",
    }
    sig, relu = med.get("sigmoid"), med.get("relu")
    if sig is None or relu is None:
        return DEPENDS, ev
    if sig >= 0.01 or relu < 0.01:
        return DOES_NOT_HOLD, ev
    return (HOLDS if relu >= 0.1 else DEPENDS), ev


_DEEP = (8,) * 8

EXPERIMENT = Experiment(
    name="vanishing-gradient",
    title="Sigmoid makes gradients vanish in deep nets; ReLU does not",
    claim="Sigmoid in the hidden layers causes the dreaded vanishing gradient: in a deep net "
          "the first layer gets a tiny fraction of the last layer's gradient. ReLU does not. "
          "(The article names tanh too: tanh is shown for comparison, not judged.)",
    explanation="Backprop multiplies by f'(z) at every layer. sigmoid' is at most 0.25, so "
                "eight layers shrink the gradient by orders of magnitude; relu' is 1 where "
                "the neuron is on, and He init keeps the scale. The article lumps tanh in "
                "with sigmoid: tanh' is 1 at 0, and with Xavier init it keeps the gradient "
                "at this depth (its ratio is shown, not judged).",
    arms=(Arm("sigmoid", cfg(activation="sigmoid", init="xavier", layers=_DEEP, lr=0.1)),
          Arm("tanh", cfg(activation="tanh", init="xavier", layers=_DEEP, lr=0.1)),
          Arm("relu", cfg(activation="relu", init="he", layers=_DEEP, lr=0.1))),
    verdict_fn=_verdict_vanishing, steps=150, seeds=5,
    conditions=(arm_uses("sigmoid", "sigmoid"), arm_uses("relu", "relu"), deep(8)),
    unjudged=("tanh",),
)
