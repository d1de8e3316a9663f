"""A large negative bias kills ReLU neurons."""

from __future__ import annotations

from typing import Any

from .common import HOLDS, DOES_NOT_HOLD, DEPENDS, Arm, Experiment, Records, _mean, _r, _per_seed, _measure, _setting, _dead_start_end
from .conditions import cfg, dies


def _verdict_dying_bias(rec: Records) -> tuple[str, dict]:
    ev: dict[str, Any] = {"dead_fraction_at_start": {}, "dead_fraction_at_end": {},
                          "dead_fraction_at_end_per_seed": {}, "neurons_revived": {},
                          "neurons_ever_dead": {}, "mean_accuracy": {}}
    for lab, rs in rec.items():
        start, end = _dead_start_end(rs)
        ev["dead_fraction_at_start"][lab] = _r(_mean(start))
        ev["dead_fraction_at_end"][lab] = _r(_mean(end))
        ev["dead_fraction_at_end_per_seed"][lab] = [_r(x) for x in end]
        ev["neurons_revived"][lab] = sum(_measure(rs, "revived"))
        ev["neurons_ever_dead"][lab] = sum(_measure(rs, "ever_died"))
        ev["mean_accuracy"][lab] = _r(_mean(_per_seed(rs, "accuracy")))
    ev["criterion"] = ("holds if the negative-bias net ends with at least half its hidden neurons "
                       "dead, 30 points more than the zero-bias net, and no dead neuron ever comes "
                       "back; depends if some come back; does not hold if the bias kills no more")
    neg, zero = ev["dead_fraction_at_end"]["negative bias"], ev["dead_fraction_at_end"]["zero bias"]
    if neg is None or zero is None:
        return DEPENDS, ev
    if neg < 0.5 or neg < zero + 0.3:
        return DOES_NOT_HOLD, ev
    return (HOLDS if ev["neurons_revived"]["negative bias"] == 0 else DEPENDS), ev


def _negative_bias(exp: Experiment) -> str | None:
    neg, zero = exp.arm("negative bias").config.bias_init, exp.arm("zero bias").config.bias_init
    if neg >= 0:
        return f"no arm has a negative bias (the negative-bias arm now has bias_init {_setting(neg)})"
    if neg >= zero:
        return (f"the negative-bias arm's bias_init ({_setting(neg)}) is not below the "
                f"zero-bias arm's ({_setting(zero)})")
    return None


EXPERIMENT = Experiment(
    name="dying-relu-bias",
    title="A large negative bias kills ReLU neurons, for good",
    claim="Dead neurons arise when there is a considerable amount of negative bias: the neuron "
          "is trapped on the negative side and, with a zero gradient, never recovers.",
    explanation="With every bias at -3 the pre-activation is negative on every input, so "
                "relu'(z) = 0 on the whole batch: no gradient reaches the neuron and nothing "
                "can move it back.",
    arms=(Arm("negative bias", cfg(activation="relu", bias_init=-3.0)),
          Arm("zero bias", cfg(activation="relu", bias_init=0.0))),
    verdict_fn=_verdict_dying_bias, steps=300, seeds=5,
    conditions=(dies("negative bias"), _negative_bias),
)
