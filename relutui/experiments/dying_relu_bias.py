"""A large negative bias kills ReLU neurons, and they stay dead (deaths on the whole training set)."""

from __future__ import annotations

from typing import Any

from .common import DEPENDS, DOES_NOT_HOLD, HOLDS, Arm, Experiment, Records, _mean, _per_seed, _r, _setting
from .conditions import cfg, dies
from .watch import train_watching_deaths


DEAD_END = 0.6        # holds needs this share of the negative-bias net's neurons dead at the end
KILLED = 0.3          # ... and this many points more than the zero-bias net's
KILLED_NONE = 0.2     # does not hold if the bias kills fewer than this many points more
STAY_DEAD = 0.05      # holds needs at most this share of the ever-dead neurons to come back
MANY_BACK = 0.5       # does not hold if this share of them or more come back


def rule_text() -> str:
    return (f"dead = f'(z) = 0 on every sample of the training set, checked after every update "
            f"(not on the minibatch). killed = dead share at the end, negative-bias net minus "
            f"zero-bias net; back = share of the negative-bias net's ever-dead neurons alive at a "
            f"later step. Holds if {DEAD_END:.0%}+ are dead at the end, killed is {KILLED * 100:g} "
            f"points or more and back is at most {STAY_DEAD:.0%}; does not hold if killed is under "
            f"{KILLED_NONE * 100:g} points or back is {MANY_BACK:.0%} or more; depends otherwise")


def _verdict_dying_bias(rec: Records) -> tuple[str, dict]:
    ev: dict[str, Any] = {"dead_fraction_at_start": {}, "dead_fraction_at_end": {},
                          "dead_fraction_at_end_per_seed": {},
                          "neurons_ever_dead": {}, "neurons_back": {}, "neurons_died_in_training": {},
                          "mean_accuracy": {}}
    share_end, back = {}, {}
    for key, rs in rec.items():
        tot = {k: sum(r["measures"].get(k, 0) for r in rs) for k in (
            "set_dead_at_start", "set_dead_at_end", "set_ever_dead", "set_revived",
            "set_died_in_training", "hidden_neurons")}
        n = tot["hidden_neurons"]
        share_end[key] = tot["set_dead_at_end"] / n if n else None
        back[key] = tot["set_revived"] / tot["set_ever_dead"] if tot["set_ever_dead"] else 0.0
        ev["dead_fraction_at_start"][key] = _r(tot["set_dead_at_start"] / n) if n else None
        ev["dead_fraction_at_end"][key] = _r(share_end[key])
        ev["dead_fraction_at_end_per_seed"][key] = [
            _r(r["measures"]["set_dead_at_end"] / r["measures"]["hidden_neurons"])
            if r["measures"].get("hidden_neurons") else None for r in rs]
        ev["neurons_ever_dead"][key] = tot["set_ever_dead"]
        ev["neurons_back"][key] = tot["set_revived"]
        ev["neurons_died_in_training"][key] = tot["set_died_in_training"]
        ev["mean_accuracy"][key] = _r(_mean(_per_seed(rs, "accuracy")))
    neg, zero = share_end.get("negative_bias"), share_end.get("zero_bias")
    killed = None if neg is None or zero is None else neg - zero
    ev["killed"] = _r(killed)
    ev["back_share"] = _r(back.get("negative_bias"))
    ev["deciding"] = {"what": "dead at the end (negative bias), killed, share back",
                      "value": {"dead_at_end": _r(neg), "killed": _r(killed),
                                "back": _r(back.get("negative_bias"))}}
    ev["criterion"] = rule_text()
    if killed is None:
        return DEPENDS, ev
    b = back["negative_bias"]
    if killed < KILLED_NONE or b >= MANY_BACK:
        return DOES_NOT_HOLD, ev
    if neg >= DEAD_END and killed >= KILLED and b <= STAY_DEAD:
        return HOLDS, ev
    return DEPENDS, ev


def _negative_bias(exp: Experiment) -> str | None:
    neg, zero = exp.arm("negative_bias").config.bias_init, exp.arm("zero_bias").config.bias_init
    if neg >= 0:
        return f"no arm has a negative bias (the negative-bias arm now has bias_init {_setting(neg)})"
    if neg >= zero:
        return (f"the negative-bias arm's bias_init ({_setting(neg)}) is not below the "
                f"zero-bias arm's ({_setting(zero)})")
    return None


EXPERIMENT = Experiment(
    name="dying-relu-bias",
    title="A large negative bias kills ReLU neurons, and they stay dead",
    claim="If the gradient is 0, the neuron won’t recover. This occurs when there is a "
          "considerable amount of negative bias",
    explanation="Tested here: the negative bias, and whether its dead neurons recover "
                "(dying-relu-lr tests the learning rate). With every bias at -3, z < 0 on every training input, so relu'(z) = 0 on the "
                "whole training set and no gradient reaches the neuron. Deaths are counted on "
                "the whole training set; a deeper neuron can come back when the layers below "
                "change (bias -1 shows some).",
    arms=(Arm("negative bias", cfg(activation="relu", bias_init=-3.0), key="negative_bias"),
          Arm("zero bias", cfg(activation="relu", bias_init=0.0), key="zero_bias")),
    verdict_fn=_verdict_dying_bias, train=train_watching_deaths, steps=300, seeds=5,
    conditions=(dies("negative_bias"), _negative_bias),
)
