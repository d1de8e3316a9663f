"""ReLU gives representational sparsity: true zeros."""

from __future__ import annotations

from .common import HOLDS, DOES_NOT_HOLD, DEPENDS, Arm, Experiment, Records, _mean, _layer_mean, _r, _per_seed, _measure
from .conditions import arm_uses, cfg


def _verdict_sparsity(rec: Records) -> tuple[str, dict]:
    sp = {lab: _per_seed(rs, "sparsity") for lab, rs in rec.items()}
    mean = {lab: _mean(v) for lab, v in sp.items()}
    ev = {
        "exact_zero_fraction_per_seed": {lab: [_r(x) for x in v] for lab, v in sp.items()},
        "mean_exact_zero_fraction": {lab: _r(v) for lab, v in mean.items()},
        "exact_zero_fraction_at_start": {
            lab: _r(_mean([_layer_mean(x) for x in _measure(rs, "sparsity_at_start")]))
            for lab, rs in rec.items()},
        "criterion": "fraction of hidden activations exactly 0.0 on the training set after "
                     "training. Holds if relu's is 20% or more and sigmoid's under 1%; does not "
                     "hold if relu's is no more than sigmoid's plus 5 points",
    }
    r, s = mean.get("relu"), mean.get("sigmoid")
    if r is None or s is None:
        return DEPENDS, ev
    if r <= s + 0.05:
        return DOES_NOT_HOLD, ev
    return (HOLDS if r >= 0.2 and s < 0.01 else DEPENDS), ev


EXPERIMENT = Experiment(
    name="sparsity",
    title="ReLU gives sparse activations, sigmoid does not",
    claim="ReLU has the property of representational sparsity: it can output a true zero value.",
    explanation="relu(z) = 0 for every z < 0, so a good share of hidden outputs are exactly 0; "
                "sigmoid(z) > 0 for every finite z, so none are.",
    arms=(Arm("relu", cfg(activation="relu")),
          Arm("sigmoid", cfg(activation="sigmoid", init="xavier"))),
    verdict_fn=_verdict_sparsity, steps=300, seeds=5,
    conditions=(arm_uses("relu", "relu"),),
)
