"""relu'(0): the value assumed at the kink."""

from __future__ import annotations

import math
import statistics
import numpy as np

from ..training import TrainingRun
from .common import HOLDS, DOES_NOT_HOLD, DEPENDS, Arm, Experiment, Records, _r, _per_seed, _measure
from .conditions import activation_of, cfg


def _kink_hits(run: TrainingRun, start: dict) -> dict:
    """How many hidden pre-activations are exactly 0 (where f'(0) matters)."""
    def hits(trace):
        return int(sum(int(np.count_nonzero(z == 0.0)) for z in trace.z[:-1]))

    def total(trace):
        return int(sum(z.size for z in trace.z[:-1]))

    end = run.trace()
    return {"zero_preactivations_at_start": hits(start["trace"]),
            "zero_preactivations_at_end": hits(end),
            "preactivations_checked": total(end)}


def _verdict_kink(rec: Records) -> tuple[str, dict]:
    labels = list(rec)
    losses = {lab: _per_seed(rs, "loss") for lab, rs in rec.items()}
    base = losses[labels[0]]
    diffs = []
    for lab in labels[1:]:
        for a, b in zip(base, losses[lab]):
            diffs.append(math.inf if a is None or b is None else abs(a - b))
    max_diff = max(diffs, default=0.0)
    spread = statistics.pstdev([x for x in base if x is not None]) if len(base) > 1 else 0.0
    hits = {lab: sum(_measure(rs, "zero_preactivations_at_end")) +
            sum(_measure(rs, "zero_preactivations_at_start")) for lab, rs in rec.items()}
    ev = {
        "final_loss_per_seed": {lab: [_r(x, 6) for x in v] for lab, v in losses.items()},
        "max_loss_difference_between_conventions": max_diff if not math.isfinite(max_diff) else _r(max_diff, 3),
        "seed_to_seed_spread_of_loss": _r(spread, 3),
        "preactivations_exactly_zero": hits,
        "preactivations_checked": sum(_measure(rec[labels[0]], "preactivations_checked")) * 2,
        "criterion": "holds if the final losses under the different f'(0) conventions differ by "
                     "less than 5% of the seed-to-seed spread (or 1e-9); does not hold if they "
                     "differ by half the spread or more",
    }
    if max_diff <= max(1e-9, 0.05 * spread):
        return HOLDS, ev
    if max_diff >= 0.5 * spread:
        return DOES_NOT_HOLD, ev
    return DEPENDS, ev


def _has_kink(exp: Experiment) -> str | None:
    cfg = exp.arms[0].config
    if activation_of(cfg).kinks:
        return None
    return (f"{cfg.activation} has no kink, so the value assumed for f' there is never used: "
            f"the claim is about ReLU's kink at 0")


EXPERIMENT = Experiment(
    name="derivative-at-zero",
    title="The derivative convention at 0 does not matter",
    claim="When x is zero ReLU is not differentiable, but assuming a value there is usually "
          "harmless.",
    explanation="With real-valued inputs a pre-activation is exactly 0.0 almost never, so "
                "whether relu'(0) is 0, 0.5 or 1 should not change the training at all.",
    arms=(Arm("f'(0) = 0", cfg(activation="relu", derivative_at_kink=0.0)),
          Arm("f'(0) = 0.5", cfg(activation="relu", derivative_at_kink=0.5)),
          Arm("f'(0) = 1", cfg(activation="relu", derivative_at_kink=1.0))),
    verdict_fn=_verdict_kink, measure=_kink_hits, steps=300, seeds=5,
    conditions=(_has_kink,),
)
