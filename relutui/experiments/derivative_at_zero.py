"""relu'(0): the value assumed at the kink, and whether it changes training.

A pre-activation is exactly 0.0 almost never by chance with real-valued data, but it is by
structure: when every unit of the layer below is 0 for a sample (all its ReLUs off) and the
biases are still exactly 0 (they start at 0), the next layer's z is exactly 0.0. There f'(0)
decides whether that sample's gradient reaches the neuron. The verdict reads the claim's
"usually": per seed, how much the final loss moves with the convention, against how much it
moves from seed to seed; the median seed decides.
"""

from __future__ import annotations

import math
import statistics

import numpy as np

from ..training import TrainingRun
from .common import DEPENDS, DOES_NOT_HOLD, HOLDS, Arm, Experiment, Records, _per_seed, _r
from .conditions import activation_of, cfg
from .sweeps import median

NEGLIGIBLE = 0.05   # a seed's loss moves by under this share of the seed-to-seed spread: harmless
MATTERS = 0.5       # half the spread or more: the convention matters for that seed


def _zero_counts(trace, biases) -> tuple[int, int]:
    """(exact zeros among hidden pre-activations, of which structural: the layer below is all 0
    for that sample and the neuron's bias is exactly 0)."""
    hits = structural = 0
    below = trace.x
    for l, z in enumerate(trace.z[:-1]):
        zero = z == 0.0
        hits += int(np.count_nonzero(zero))
        off = np.all(below == 0.0, axis=1)[:, None] & (biases[l] == 0.0)[None, :]
        structural += int(np.count_nonzero(zero & off))
        below = trace.a[l]
    return hits, structural


def _kink_hits(run: TrainingRun, start: dict) -> dict:
    """How many hidden pre-activations are exactly 0 (where f'(0) is used), at the start and at
    the end, and how many of them are structural."""
    end = run.trace()
    h0, s0 = _zero_counts(start["trace"], start["biases"])
    h1, s1 = _zero_counts(end, run.net.biases)
    return {"zero_preactivations_at_start": h0, "structural_zeros_at_start": s0,
            "zero_preactivations_at_end": h1, "structural_zeros_at_end": s1,
            "preactivations_checked": int(sum(z.size for z in end.z[:-1]))}


def rule_text() -> str:
    return (f"per seed: the largest difference in final loss between the f'(0) conventions, over "
            f"the seed-to-seed spread of the final loss (population std over the seeds, first "
            f"arm). Holds if the median seed's is under {NEGLIGIBLE:g} (in most seeds the value "
            f"assumed changes nothing that matters); does not hold if it is {MATTERS:g} or more; "
            f"depends between")


def _verdict_kink(rec: Records) -> tuple[str, dict]:
    keys = list(rec)
    losses = {key: _per_seed(rs, "loss") for key, rs in rec.items()}
    base = losses[keys[0]]
    per_seed = []
    for i in range(len(base)):
        vals = [losses[k][i] for k in keys]
        per_seed.append(math.inf if any(v is None for v in vals) else max(vals) - min(vals))
    finite = [x for x in base if x is not None]
    spread = statistics.pstdev(finite) if len(finite) > 1 else 0.0
    rel = [d / spread if spread > 0 else (0.0 if d == 0 else math.inf) for d in per_seed]
    med = median(rel)
    changed = sum(1 for x in rel if x >= NEGLIGIBLE)
    def both(rs, what: str) -> int:
        return sum(r["measures"][f"{what}_at_start"] + r["measures"][f"{what}_at_end"] for r in rs)
    zeros = {k: both(rs, "zero_preactivations") for k, rs in rec.items()}
    structural = {k: both(rs, "structural_zeros") for k, rs in rec.items()}
    ev = {
        "final_loss_per_seed": {k: [_r(x, 6) for x in v] for k, v in losses.items()},
        "loss_difference_per_seed": [_r(x, 3) if math.isfinite(x) else "inf" for x in per_seed],
        "seed_to_seed_spread_of_loss": _r(spread, 3),
        "seeds_where_it_mattered": (f"{changed} of {len(rel)} (a loss difference of {NEGLIGIBLE:g} x "
                                    f"the seed spread or more)"),
        "preactivations_exactly_zero": zeros,
        "of_which_structural": structural,
        "checked_at_start_and_end": sum(r["measures"]["preactivations_checked"] for r in rec[keys[0]]) * 2,
        "deciding": {"what": "median seed's loss difference over the seed spread",
                     "value": _r(med, 3) if med is not None and math.isfinite(med) else "inf"},
        "criterion": rule_text(),
    }
    if any(structural.values()):
        ev["why_exact_zeros"] = ("structural: every unit of the layer below is 0 for that sample "
                                 "and the bias is exactly 0, so z = 0 + 0 = 0.0 exactly; there "
                                 "f'(0) decides whether the sample's gradient reaches the neuron")
    if med is None:
        return DEPENDS, ev
    if med < NEGLIGIBLE:
        return HOLDS, ev
    return (DOES_NOT_HOLD if med >= MATTERS else DEPENDS), ev


def _has_kink(exp: Experiment) -> str | None:
    cfg = exp.arms[0].config
    if activation_of(cfg).kinks:
        return None
    return (f"{cfg.activation} has no kink, so the value assumed for f' there is never used: "
            f"the claim is about ReLU's kink at 0")


EXPERIMENT = Experiment(
    name="derivative-at-zero",
    title="The value assumed for relu'(0) rarely changes training",
    claim="When x is zero, differentiation becomes impossible, however, this is usually a "
          "harmless assumption.",
    explanation="relu'(0) is used only where z is exactly 0.0. By chance that almost never "
                "happens with real-valued data, but it does by structure: when every ReLU of the "
                "layer below is off for a sample and the biases are still 0 (they start at 0), "
                "the next layer's z is exactly 0.0, and f'(0) decides whether that sample's "
                "gradient reaches the neuron. In most seeds that changes nothing; in a deeper net "
                "it can send one seed to another final loss, by an amount comparable to changing "
                "the seed.",
    arms=(Arm("f'(0) = 0", cfg(activation="relu", derivative_at_kink=0.0), key="kink_0"),
          Arm("f'(0) = 0.5", cfg(activation="relu", derivative_at_kink=0.5), key="kink_half"),
          Arm("f'(0) = 1", cfg(activation="relu", derivative_at_kink=1.0), key="kink_1")),
    verdict_fn=_verdict_kink, measure=_kink_hits, steps=300, seeds=5,
    conditions=(_has_kink,),
)
