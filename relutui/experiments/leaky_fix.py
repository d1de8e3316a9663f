"""Leaky ReLU and ELU under the settings that kill ReLU (an extension)."""

from __future__ import annotations

from typing import Any

from .common import HOLDS, DOES_NOT_HOLD, NOT_TESTED, NOT_TESTED_KEY, Arm, Experiment, Records, _mean, _r, _per_seed, _measure
from .conditions import cfg, dies, fix


def _verdict_leaky(rec: Records) -> tuple[str, dict]:
    ev: dict[str, Any] = {"dead_fraction_at_end": {}, "max_dead_fraction_any_seed": {},
                          "neurons_ever_dead": {}, "mean_accuracy": {}}
    for lab, rs in rec.items():
        end = _per_seed(rs, "dead_fraction")
        ev["dead_fraction_at_end"][lab] = _r(_mean(end))
        ev["max_dead_fraction_any_seed"][lab] = _r(max((x for x in end if x is not None), default=None))
        ev["neurons_ever_dead"][lab] = sum(_measure(rs, "ever_died"))
        ev["mean_accuracy"][lab] = _r(_mean(_per_seed(rs, "accuracy")))
    ev["criterion"] = ("holds if the same settings leave relu with 30% or more dead neurons and "
                       "no neuron of the leaky_relu or elu nets ever dies; does not hold if a fix "
                       "arm has dead neurons; not tested if relu does not die here (nothing to fix)")
    fixes = [lab for lab in rec if lab != "relu"]
    if any(ev["neurons_ever_dead"][lab] > 0 for lab in fixes):
        return DOES_NOT_HOLD, ev
    relu = ev["dead_fraction_at_end"].get("relu")
    if relu is None or relu < 0.3:
        dead = "no run finished" if relu is None else f"{100 * relu:.0f}% of its neurons dead at the end"
        ev[NOT_TESTED_KEY] = f"relu does not die with these settings ({dead}): there is nothing to fix"
        return NOT_TESTED, ev
    return HOLDS, ev


EXPERIMENT = Experiment(
    name="leaky-fix",
    title="Leaky ReLU and ELU cannot die",
    claim="Variants with a non-zero slope for negative inputs (leaky_relu, elu) fix the "
          "dying ReLU: the same settings leave no neuron dead.",
    explanation="leaky_relu'(z) = 0.01 and elu'(z) = e^z for z < 0: small, never exactly zero, "
                "so a neuron pushed to the negative side still gets a gradient.",
    arms=(Arm("relu", cfg(activation="relu", bias_init=-3.0, lr=1.0)),
          Arm("leaky_relu", cfg(activation="leaky_relu", bias_init=-3.0, lr=1.0)),
          Arm("elu", cfg(activation="elu", bias_init=-3.0, lr=1.0))),
    verdict_fn=_verdict_leaky, steps=300, seeds=5,
    conditions=(dies("relu"), fix("leaky_relu"), fix("elu")),
)
