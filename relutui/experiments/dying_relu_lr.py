"""A high learning rate kills ReLU neurons during training (graded by lr in a table)."""

from __future__ import annotations

from typing import Any

from .common import (DEPENDS, DOES_NOT_HOLD, HOLDS, Arm, Experiment, Records, _mean, _per_seed, _r,
                     _setting, run_one)
from .conditions import cfg, dies
from .sweeps import seeded, table
from .watch import train_watching_deaths

RISE = 0.15          # holds needs the high lr to kill this share of the neurons during training...
MORE = 0.15          # ... this many points more than the low lr
ALIKE = 0.05         # does not hold if the high lr kills no more than the low lr plus this
TABLE_LRS = (0.1, 0.3, 1.0, 2.0, 5.0, 10.0)
TABLE_SEEDS = 3


def rule_text() -> str:
    return (f"rise = share of the hidden neurons dead at the end minus at the start, dead = "
            f"f'(z) = 0 on every training sample, pooled over seeds. Holds if the high learning "
            f"rate's rise is {RISE * 100:g}+ points and {MORE * 100:g}+ more than the low rate's; "
            f"does not hold if it is no more than the low rate's plus {ALIKE * 100:g} points; "
            f"depends between")


def _rise(rs) -> tuple[float | None, float | None, float | None]:
    tot = {k: sum(r["measures"].get(k, 0) for r in rs)
           for k in ("set_dead_at_start", "set_dead_at_end", "hidden_neurons")}
    n = tot["hidden_neurons"]
    if not n:
        return None, None, None
    a, b = tot["set_dead_at_start"] / n, tot["set_dead_at_end"] / n
    return a, b, b - a


def _verdict(rec: Records) -> tuple[str, dict]:
    ev: dict[str, Any] = {"dead_at_start": {}, "dead_at_end": {}, "rise": {}, "diverged_runs": {},
                          "mean_accuracy": {}}
    rise = {}
    for key, rs in rec.items():
        a, b, rise[key] = _rise(rs)
        ev["dead_at_start"][key] = _r(a)
        ev["dead_at_end"][key] = _r(b)
        ev["rise"][key] = _r(rise[key])
        ev["diverged_runs"][key] = int(sum(_per_seed(rs, "diverged")))
        ev["mean_accuracy"][key] = _r(_mean(_per_seed(rs, "accuracy")))
    hi, lo = rise.get("high_lr"), rise.get("low_lr")
    ev["deciding"] = {"what": "rise of the dead share, high lr and low lr",
                      "value": {"high_lr": _r(hi), "low_lr": _r(lo)}}
    ev["criterion"] = rule_text()
    if hi is None or lo is None:
        return DEPENDS, ev
    if hi <= lo + ALIKE:
        return DOES_NOT_HOLD, ev
    return (HOLDS if hi >= RISE and hi >= lo + MORE else DEPENDS), ev


def _tables(exp: Experiment, seeds: list[int]) -> list[dict]:
    seeds = seeds[:TABLE_SEEDS]
    base = exp.arm("high_lr").config
    rows, first = [], None
    for lr in TABLE_LRS:
        recs = [run_one(seeded(base, s, lr=lr), exp.steps, keep_history=False,
                        train=train_watching_deaths) for s in seeds]
        a, b, rise = _rise(recs)
        acc = _mean(_per_seed(recs, "accuracy"))
        div = int(sum(_per_seed(recs, "diverged")))
        if first is None and rise is not None and rise >= RISE:
            first = lr
        rows.append([lr, _r(a), _r(b), _r(rise), _r(acc), div])
    note = (f"the rise reaches {RISE * 100:g} points from lr {first:g} on in this table"
            if first is not None else f"the rise stays under {RISE * 100:g} points at every lr here")
    return [table("dead_by_lr", f"dead share by learning rate ({exp.steps} steps, "
                  f"{len(seeds)} seeds pooled)",
                  ["lr", "dead at start", "dead at end", "rise", "accuracy", "diverged"], rows, note)]


def _higher_lr(exp: Experiment) -> str | None:
    hi, lo = exp.arm("high_lr").config.lr, exp.arm("low_lr").config.lr
    if hi > lo:
        return None
    return f"the high-lr arm's lr ({_setting(hi)}) is not higher than the low-lr arm's ({_setting(lo)})"


EXPERIMENT = Experiment(
    name="dying-relu-lr",
    title="A high learning rate kills ReLU neurons during training",
    claim="This occurs when there is a considerable amount of negative bias or a fast "
          "learning rate.",
    explanation="Tested here: the fast learning rate (dying-relu-bias tests the negative bias). "
                "One large step can move a neuron's weights and bias so far that z < 0 on every "
                "training input; from then on its gradient is 0. The dead share rises during "
                "training, more the larger the rate (the table grades it by lr).",
    arms=(Arm("high lr", cfg(activation="relu", lr=5.0), key="high_lr"),
          Arm("low lr", cfg(activation="relu", lr=0.1), key="low_lr")),
    verdict_fn=_verdict, train=train_watching_deaths, steps=300, seeds=5,
    conditions=(dies("high_lr"), _higher_lr), tables=_tables,
)
