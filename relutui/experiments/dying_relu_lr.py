"""A high learning rate kills ReLU neurons."""

from __future__ import annotations

from typing import Any

from .common import HOLDS, DOES_NOT_HOLD, DEPENDS, Arm, Experiment, Records, _mean, _r, _per_seed, _setting, _dead_start_end
from .conditions import cfg, dies


def _verdict_dying_lr(rec: Records) -> tuple[str, dict]:
    ev: dict[str, Any] = {"dead_fraction_at_start": {}, "dead_fraction_at_end": {},
                          "rise": {}, "rise_per_seed": {}, "diverged_runs": {}, "mean_accuracy": {}}
    for lab, rs in rec.items():
        start, end = _dead_start_end(rs)
        rise = [None if a is None or b is None else b - a for a, b in zip(start, end)]
        ev["dead_fraction_at_start"][lab] = _r(_mean(start))
        ev["dead_fraction_at_end"][lab] = _r(_mean(end))
        ev["rise"][lab] = _r(_mean(rise))
        ev["rise_per_seed"][lab] = [_r(x) for x in rise]
        ev["diverged_runs"][lab] = int(sum(_per_seed(rs, "diverged")))
        ev["mean_accuracy"][lab] = _r(_mean(_per_seed(rs, "accuracy")))
    ev["criterion"] = ("rise = dead fraction at the end minus at the start. Holds if the high "
                       "learning rate's rise is at least 15 points and 15 more than the low "
                       "rate's; does not hold if it is within 5 points of the low rate's")
    hi, lo = ev["rise"]["high lr"], ev["rise"]["low lr"]
    if hi is None or lo is None:
        return DEPENDS, ev
    if hi <= lo + 0.05:
        return DOES_NOT_HOLD, ev
    return (HOLDS if hi >= 0.15 and hi >= lo + 0.15 else DEPENDS), ev


def _higher_lr(exp: Experiment) -> str | None:
    hi, lo = exp.arm("high lr").config.lr, exp.arm("low lr").config.lr
    if hi > lo:
        return None
    return f"the high-lr arm's lr ({_setting(hi)}) is not higher than the low-lr arm's ({_setting(lo)})"


EXPERIMENT = Experiment(
    name="dying-relu-lr",
    title="A high learning rate kills ReLU neurons during training",
    claim="Dead neurons also arise with a fast learning rate: big updates push neurons to the "
          "negative side, where they stay.",
    explanation="One large step can move a neuron's bias so far down that z < 0 on every "
                "input; from then on its gradient is 0. The dead fraction rises during training.",
    arms=(Arm("high lr", cfg(activation="relu", lr=5.0)),
          Arm("low lr", cfg(activation="relu", lr=0.1))),
    verdict_fn=_verdict_dying_lr, steps=300, seeds=5,
    conditions=(dies("high lr"), _higher_lr),
)
