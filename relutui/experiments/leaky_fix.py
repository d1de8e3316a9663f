"""Leaky ReLU and ELU under the settings that kill ReLU (an extension, not the article's words).

That leaky_relu' and elu' are never exactly 0 is true by definition: it is not what is tested.
What is measured is whether that rescues the net: do the neurons pushed to the negative side
come back on, and does it train, compared with ReLU under the same settings.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..training import TrainingRun
from .common import (DEPENDS, DOES_NOT_HOLD, HOLDS, NOT_TESTED, NOT_TESTED_KEY, Arm, Experiment, Records,
                     _mean, _per_seed, _r)
from .conditions import cfg, dies, fix

RESCUED = 0.2      # a fix arm's mean accuracy this many points above relu's or more: it trains
NOT_RESCUED = 0.1  # under this many points above relu's: it does not
RELU_DEAD = 0.3    # relu must end with this share of dead neurons, or there is nothing to fix


def _off(trace) -> np.ndarray:
    """Per hidden neuron: z <= 0 on every training sample (relu: dead; leaky/elu: in the
    negative zone, still passing a small gradient)."""
    return np.concatenate([np.all(z <= 0.0, axis=0) for z in trace.z[:-1]])


def _back_on(run: TrainingRun, start: dict) -> dict:
    off0, off1 = _off(start["trace"]), _off(run.trace())
    return {"off_at_start": int(off0.sum()), "off_at_end": int(off1.sum()),
            "back_on": int((off0 & ~off1).sum()), "hidden_neurons": int(off0.size)}


def rule_text() -> str:
    return (f"gain = a fix arm's mean training accuracy minus relu's, same settings. A fix arm "
            f"rescues the net if its gain is {RESCUED * 100:g} points or more, does not if under "
            f"{NOT_RESCUED * 100:g}. Holds if both leaky_relu and elu rescue it; does not hold if "
            f"neither does; depends otherwise. Not tested if relu ends with under {RELU_DEAD:.0%} "
            f"of its neurons dead (nothing to fix)")


def _verdict_leaky(rec: Records) -> tuple[str, dict]:
    ev: dict[str, Any] = {"mean_accuracy": {}, "dead_at_end": {}, "off_at_start": {},
                          "off_at_end": {}, "off_neurons_back_on": {}, "gain_over_relu": {}}
    acc = {}
    for key, rs in rec.items():
        tot = {k: sum(r["measures"].get(k, 0) for r in rs)
               for k in ("off_at_start", "off_at_end", "back_on", "hidden_neurons")}
        n = tot["hidden_neurons"] or 1
        acc[key] = _mean(_per_seed(rs, "accuracy"))
        ev["mean_accuracy"][key] = _r(acc[key])
        ev["dead_at_end"][key] = _r(_mean(_per_seed(rs, "dead_fraction")))
        ev["off_at_start"][key] = _r(tot["off_at_start"] / n)
        ev["off_at_end"][key] = _r(tot["off_at_end"] / n)
        ev["off_neurons_back_on"][key] = (_r(tot["back_on"] / tot["off_at_start"])
                                          if tot["off_at_start"] else None)
    fixes = [k for k in rec if k != "relu"]
    gain = {k: None if acc[k] is None or acc["relu"] is None else acc[k] - acc["relu"] for k in fixes}
    ev["gain_over_relu"] = {k: _r(v) for k, v in gain.items()}
    rescued = [k for k in fixes if gain[k] is not None and gain[k] >= RESCUED]
    failed = [k for k in fixes if gain[k] is None or gain[k] < NOT_RESCUED]
    ev["rescues"] = {k: (True if k in rescued else False if k in failed else None) for k in fixes}
    def does(k: str) -> str:
        return "rescues the net" if k in rescued else "does not rescue it" if k in failed else "partly rescues it"
    ev["in_words"] = "; ".join(
        f"{k} {does(k)} at these settings (accuracy {ev['mean_accuracy'][k]}, relu {ev['mean_accuracy']['relu']})"
        for k in fixes)
    ev["deciding"] = {"what": "accuracy gain over relu per fix arm", "value": ev["gain_over_relu"]}
    ev["criterion"] = rule_text()
    relu_dead = _mean(_per_seed(rec["relu"], "dead_fraction"))
    if relu_dead is None or relu_dead < RELU_DEAD:
        dead = "no run finished" if relu_dead is None else f"{relu_dead:.0%} of its neurons dead at the end"
        ev[NOT_TESTED_KEY] = f"relu does not die with these settings ({dead}): there is nothing to fix"
        return NOT_TESTED, ev
    if len(rescued) == len(fixes):
        return HOLDS, ev
    if len(failed) == len(fixes):
        return DOES_NOT_HOLD, ev
    return DEPENDS, ev


EXPERIMENT = Experiment(
    name="leaky-fix",
    title="Leaky ReLU and ELU under the settings that kill ReLU (an extension)",
    claim="An extension the article does not make: variants with a non-zero slope for negative "
          "inputs (leaky_relu, elu) rescue a net whose ReLU neurons a large negative bias killed: "
          "their neurons come back on and the net trains.",
    explanation="leaky_relu'(z) = 0.01 and elu'(z) = e^z for z < 0: never exactly 0, so a "
                "neuron pushed to the negative side still gets a gradient. Whether that is "
                "enough is measured. At the defaults (bias -3, lr 1, 300 steps) elu's e^z lets "
                "many neurons come back on and the net trains in most seeds, while leaky_relu's "
                "0.01 slope gives them a hundredth of an active neuron's gradient and the net "
                "stays near chance, like relu's.",
    arms=(Arm("relu", cfg(activation="relu", bias_init=-3.0, lr=1.0)),
          Arm("leaky_relu", cfg(activation="leaky_relu", bias_init=-3.0, lr=1.0)),
          Arm("elu", cfg(activation="elu", bias_init=-3.0, lr=1.0))),
    verdict_fn=_verdict_leaky, measure=_back_on, steps=300, seeds=5,
    conditions=(dies("relu"), fix("leaky_relu"), fix("elu")),
)
