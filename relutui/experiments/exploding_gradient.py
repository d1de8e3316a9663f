"""ReLU gradients can accumulate and explode."""

from __future__ import annotations

import math
import statistics

from typing import Any

from .common import HOLDS, DOES_NOT_HOLD, DEPENDS, Arm, Experiment, Records, _mean, _r, _per_seed, _measure, _median, _setting
from .conditions import arm_uses, cfg, deep


def _grad_growth(record: dict) -> float:
    """Largest overall gradient norm during training over the one at step 0 (inf if it overflowed)."""
    if record["summary"].get("diverged_at") is not None:
        return math.inf
    rows = [row for row in record["history"]["grad_norm"] if row]
    if not rows:
        return 1.0
    totals = [math.inf if any(g is None for g in row) else math.sqrt(sum(g * g for g in row))
              for row in rows]
    if totals[0] == 0:
        return 1.0 if max(totals) == 0 else math.inf
    return max(totals) / totals[0]


def _verdict_exploding(rec: Records) -> tuple[str, dict]:
    ev: dict[str, Any] = {"median_gradient_growth": {}, "gradient_growth_per_seed": {},
                          "diverged_runs": {}, "median_max_grad_norm": {},
                          "final_loss_finite_runs": {}, "mean_final_loss": {}, "runs": {}}
    growth = {}
    for lab, rs in rec.items():
        growth[lab] = statistics.median(_grad_growth(r) for r in rs)
        ev["runs"][lab] = len(rs)
        ev["median_gradient_growth"][lab] = _r(growth[lab], 3) if math.isfinite(growth[lab]) else "inf"
        ev["gradient_growth_per_seed"][lab] = [
            _r(g, 3) if math.isfinite(g) else "inf" for g in (_grad_growth(r) for r in rs)]
        ev["diverged_runs"][lab] = int(sum(_per_seed(rs, "diverged")))
        ev["median_max_grad_norm"][lab] = _r(_median(_measure(rs, "max_grad_norm")), 3)
        ev["final_loss_finite_runs"][lab] = sum(1 for x in _per_seed(rs, "loss") if x is not None)
        ev["mean_final_loss"][lab] = _r(_mean(_per_seed(rs, "loss")))
    ev["criterion"] = ("gradient growth = largest gradient norm during training over the one at "
                       "step 0 (inf if anything overflowed). Explodes = median growth of 1000x or "
                       "more. Holds if the unclipped net explodes while the clipped net's updates "
                       "stay bounded (growth under 10x, every final loss finite); does not hold if "
                       "the unclipped net does not explode; depends if clipping does not tame it")
    if growth["no clipping"] < 1e3:
        return DOES_NOT_HOLD, ev
    clipped_ok = (growth["clipped"] < 10
                  and ev["final_loss_finite_runs"]["clipped"] == ev["runs"]["clipped"]
                  and ev["diverged_runs"]["clipped"] == 0)
    return (HOLDS if clipped_ok else DEPENDS), ev


def _clipping(exp: Experiment) -> str | None:
    clipped, free = exp.arm("clipped").config.clip_norm, exp.arm("no clipping").config.clip_norm
    if clipped is None:
        return "the clipped arm no longer clips the gradient (clip_norm none)"
    if free is not None:
        return f"the no-clipping arm clips the gradient too (clip_norm {_setting(free)})"
    return None


def _large_weights(exp: Experiment) -> str | None:
    cfg = exp.arm("no clipping").config
    if cfg.init == "normal" and cfg.init_std >= 2.0 and len(cfg.layers) >= 8:
        return None
    init = f"init normal, init_std {_setting(cfg.init_std)}" if cfg.init == "normal" else f"init {cfg.init}"
    return ("the claim is tested on a deep net (8 or more hidden layers) with large initial "
            f"weights (init normal, init_std 2 or more); the no-clipping arm has "
            f"{len(cfg.layers)} hidden layers, {init}")


_DEEP = (8,) * 8

EXPERIMENT = Experiment(
    name="exploding-gradient",
    title="Deep ReLU nets can explode; clipping tames them",
    claim="With ReLU the gradient can accumulate, leading to exploding gradients and huge "
          "weight updates that make learning unstable.",
    explanation="relu' = 1 does not damp anything, so with large weights the signal and the "
                "gradient grow layer by layer; one huge update throws the net far away. "
                "Clipping the gradient norm bounds every update (it does not by itself make "
                "a badly initialised net train well: compare the final losses).",
    arms=(Arm("no clipping", cfg(activation="relu", init="normal", init_std=2.0, layers=_DEEP, lr=0.1)),
          Arm("clipped", cfg(activation="relu", init="normal", init_std=2.0, layers=_DEEP, lr=0.1,
                              clip_norm=1.0))),
    verdict_fn=_verdict_exploding, steps=100, seeds=5,
    conditions=(arm_uses("no clipping", "relu"), _clipping, _large_weights),
)
