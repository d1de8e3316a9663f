"""ReLU gradients can accumulate and explode.

The subject is the gradient's size, measured at initialisation (before any update, so the
learning rate cannot change it) against the same net with ReLU and He init on the same data
and seed, and its growth across layers (first layer's norm over the last's). Clipping is an
extension the article does not make: the clipped arm is shown, not judged, with what its loss
is at the end (clipping bounds each step; it does not make a badly initialised net learn).
"""

from __future__ import annotations

import math
from dataclasses import replace

from ..training import TrainingRun
from .common import DEPENDS, DOES_NOT_HOLD, HOLDS, Arm, Experiment, Records, _per_seed, _r
from .conditions import cfg
from .sweeps import first_over_last, init_grad_norms, median, seeded, sig, table, total_norm

EXPLODES = 1e3      # the gradient at init this many times a He-init ReLU net's, or more: exploded
TAME = 1e1          # at most this many times: not exploded
CHANCE_LOSS = math.log(2)  # bce of a constant 0.5 output on two balanced classes
INIT_ROWS = (("he", None), ("normal", 0.5), ("normal", 1.0), ("normal", 1.5), ("normal", 2.0),
             ("normal", 3.0))
TABLE_SEEDS = 3
_DEEP = (8,) * 8


def _reference(config):
    """The same net with ReLU and He init (no clipping): the baseline gradient size."""
    return replace(config, activation="relu", activation_params={}, init="he", init_std=1.0,
                   clip_norm=None).validate()


def _sizes(run: TrainingRun, start: dict) -> dict:
    ref = total_norm(init_grad_norms(_reference(run.config)))
    h = run.history.to_dict()
    norms = h["grad_norm"][0] if h["step"] and h["step"][0] == 0 else None
    own = None if norms is None else total_norm(norms)
    return {"grad_norm_at_init": own, "he_relu_grad_norm_at_init": ref,
            "first_over_last_at_init": None if norms is None else first_over_last(norms),
            "overflowed_at_init": norms is None or own is None}


def _size_ratio(record: dict) -> float:
    m = record["measures"]
    if m.get("overflowed_at_init"):
        return math.inf
    own, ref = m.get("grad_norm_at_init"), m.get("he_relu_grad_norm_at_init")
    if own is None or not ref:
        return math.nan
    return own / ref


def rule_text() -> str:
    return (f"size = the gradient's norm at initialisation (step 0, before any update) over that "
            f"of the same net with relu and He init, same data and seed; median over seeds of "
            f"the unclipped arm. Holds if it is {EXPLODES:g}x or more (exploded); does not hold "
            f"if {TAME:g}x or less; depends between. The clipped arm is shown, not judged")


def _clip_note(ev: dict, clip: float | None, lr: float) -> str:
    loss = ev["mean_final_loss"].get("clipped")
    if clip is None or loss is None:
        return "the clipped arm does not clip or has no finite final loss"
    where = ("above" if loss > CHANCE_LOSS else "below")
    learnt = ("bounded steps do not make this net learn" if loss >= CHANCE_LOSS
              else "the bounded steps let it learn something")
    free = ev["mean_final_loss"].get("unclipped")
    free_text = "" if free is None else f" (the unclipped nets: {sig(free, 4)})"
    return (f"clipping bounds each update to lr x clip_norm = {lr * clip:g}; the clipped nets "
            f"end at mean loss {sig(loss, 4)}{free_text}, {where} chance (ln 2 = 0.6931): {learnt}")


def _verdict(rec: Records) -> tuple[str, dict]:
    ev: dict = {"gradient_size_vs_he_relu": {}, "gradient_size_per_seed": {},
                "gradient_norm_at_init": {}, "first_over_last_at_init": {},
                "diverged_runs": {}, "mean_final_loss": {}}
    size = {}
    for key, rs in rec.items():
        ratios = [_size_ratio(r) for r in rs]
        finite_or_inf = [x for x in ratios if not math.isnan(x)]
        size[key] = median(finite_or_inf) if finite_or_inf else None
        ev["gradient_size_vs_he_relu"][key] = _cell(size[key])
        ev["gradient_size_per_seed"][key] = [_cell(x) for x in ratios]
        ev["gradient_norm_at_init"][key] = _r(median(r["measures"].get("grad_norm_at_init") for r in rs), 3)
        ev["first_over_last_at_init"][key] = _r(median(
            r["measures"].get("first_over_last_at_init") for r in rs), 3)
        ev["diverged_runs"][key] = int(sum(_per_seed(rs, "diverged")))
        losses = [x for x in _per_seed(rs, "loss") if x is not None]
        ev["mean_final_loss"][key] = _r(sum(losses) / len(losses)) if losses else None
    ev["chance_loss"] = _r(CHANCE_LOSS)
    x = size.get("unclipped")
    ev["deciding"] = {"what": "unclipped gradient at init over a He-init relu net's", "value": _cell(x)}
    ev["criterion"] = rule_text()
    if x is None:
        return DEPENDS, ev
    if x >= EXPLODES:
        return HOLDS, ev
    return (DOES_NOT_HOLD if x <= TAME else DEPENDS), ev


def _cell(x: float | None):
    if x is None or math.isnan(x):
        return None
    return "inf" if math.isinf(x) else _r(x, 3)


def _verdict_with_clip(rec: Records, exp: Experiment) -> tuple[str, dict]:
    verdict, ev = _verdict(rec)
    c = exp.arm("clipped").config
    ev["clipping"] = _clip_note(ev, c.clip_norm, c.lr)
    return verdict, ev


def _tables(exp: Experiment, seeds: list[int]) -> list[dict]:
    seeds = seeds[:TABLE_SEEDS]
    base = exp.arm("unclipped").config
    rows = []
    for init, std in INIT_ROWS:
        changes = {"init": init} if std is None else {"init": init, "init_std": std}
        norms = [init_grad_norms(seeded(base, s, **changes)) for s in seeds]
        refs = [total_norm(init_grad_norms(_reference(seeded(base, s)))) for s in seeds]
        tot = [total_norm(n) for n in norms]
        size = median(None if t is None or not r else t / r for t, r in zip(tot, refs))
        rows.append([init if std is None else f"normal({std:g})", _r(median(tot), 3), _r(size, 3),
                     _r(median(first_over_last(n) for n in norms), 3)])
    he = rows[0]
    return [table(
        "size_by_init", f"gradient at initialisation by init ({base.activation}, "
        f"{len(base.layers)} hidden layers of {base.layers[0]}, median of {len(seeds)} seeds)",
        ["init", "norm at init", "x He-init relu", "first/last layer"], rows,
        f"with He init the gradient norm is {sig(he[1])} and the first layer's is {sig(he[3])}x the "
        f"last's; it grows with the weights' scale: exploded ({EXPLODES:g}x or more) for "
        + (", ".join(r[0] for r in rows if r[2] is not None and r[2] >= EXPLODES) or "none of these"))]


EXPERIMENT = Experiment(
    name="exploding-gradient",
    title="Large initial weights make a deep ReLU net's gradient explode; He init does not",
    claim="The gradient accumulates, leading to explosive gradients and huge discrepancies "
          "in successive weight updates.",
    explanation="relu' = 1 where a neuron is on, so nothing damps the signal: with weights from "
                "N(0, 2^2), four times He's scale for 8 inputs, the signal grows layer by layer, "
                "and the gradient at the start is orders of magnitude larger than a He-init net's "
                "on the same data. The table shows it by init: with He init it does not explode. "
                "Clipping the gradient norm (an extension, shown, not judged) bounds every "
                "update; whether the clipped net then learns is in the clipping line (at the "
                "defaults it does not: its loss stays far above chance).",
    arms=(Arm("no clipping", cfg(activation="relu", init="normal", init_std=2.0, layers=_DEEP, lr=0.1),
              key="unclipped"),
          Arm("clipped", cfg(activation="relu", init="normal", init_std=2.0, layers=_DEEP, lr=0.1,
                             clip_norm=1.0), key="clipped")),
    verdict_fn=_verdict_with_clip, measure=_sizes, steps=100, seeds=5,
    unjudged=("clipped",), tables=_tables,
)
