"""Sigmoid hidden layers make the gradient vanish; ReLU does not.

Measured where the claim lives: at initialisation and over the first steps, as the ratio of
the first layer's gradient norm to the last layer's, its per-layer decay factor, and how far
layer 1's weights move. Not a time average over training: once a deep sigmoid net has
collapsed to the class prior every gradient is tiny and their ratio tells nothing.
Depth and init scale are graded: the tables show where the ratio turns.
"""

from __future__ import annotations

import numpy as np

from ..training import TrainingRun
from .common import DEPENDS, DOES_NOT_HOLD, HOLDS, Arm, Experiment, Records, _r
from .conditions import arm_uses, cfg
from .sweeps import first_over_last, geo_mean, init_grad_norms, median, seeded, sig, table

WINDOW = 20          # the first steps over which the ratio is averaged (geometrically)
VANISH = 1e-2        # first/last under this: the gradient has vanished (two orders of magnitude)
KEEP = 1e-1          # first/last over this: the gradient is kept (within one order)
DEPTHS = tuple(range(1, 11))
INIT_STDS = (0.1, 0.5, 1.0, 2.0, 4.0)
TABLE_SEEDS = 3
_DEEP = (8,) * 8


def _moves(run: TrainingRun, start: dict) -> dict:
    """Relative movement of the first and last weight layers: ||W_end - W_0|| / ||W_0||."""
    def rel(l: int) -> float | None:
        w0 = start["weights"][l]
        n0 = float(np.linalg.norm(w0))
        d = float(np.linalg.norm(run.net.weights[l] - w0))
        return d / n0 if n0 > 0 and np.isfinite(d) else None
    return {"layer1_relative_move": rel(0), "last_layer_relative_move": rel(-1)}


def _early_ratio(record: dict) -> tuple[float | None, float | None, float | None]:
    """(ratio at step 0, geometric mean over the first WINDOW steps, per-layer decay at step 0)."""
    h = record["history"]
    rows = [row for step, row in zip(h["step"], h["grad_norm"]) if step < WINDOW and row]
    if not rows:
        return None, None, None
    r0 = first_over_last(rows[0]) if h["step"][0] == 0 else None
    early = geo_mean(first_over_last(row) for row in rows)
    layers = len(rows[0])
    decay = None if r0 is None or r0 <= 0 or layers < 2 else r0 ** (1 / (layers - 1))
    return r0, early, decay


def rule_text() -> str:
    return (f"ratio = ||dL/dW|| of the first weight layer over the last's, geometric mean over "
            f"the first {WINDOW} steps (step 0 = initialisation), median over seeds. Vanished: "
            f"under {VANISH:g}; kept: over {KEEP:g}. Holds if sigmoid's has vanished and relu's is "
            f"kept; does not hold if sigmoid's is kept or relu's has vanished; depends otherwise "
            f"(between {VANISH:g} and {KEEP:g}). tanh is measured for comparison, not judged")


def _verdict(rec: Records) -> tuple[str, dict]:
    at0, early, decay, move1, move_last = {}, {}, {}, {}, {}
    for key, rs in rec.items():
        rows = [_early_ratio(r) for r in rs]
        at0[key] = median(x[0] for x in rows)
        early[key] = median(x[1] for x in rows)
        decay[key] = median(x[2] for x in rows)
        move1[key] = median(r["measures"].get("layer1_relative_move") for r in rs)
        move_last[key] = median(r["measures"].get("last_layer_relative_move") for r in rs)
    sig_r, relu_r = early.get("sigmoid"), early.get("relu")
    ev = {
        "ratio_first_steps": {k: _r(v, 3) for k, v in early.items()},
        "ratio_at_init": {k: _r(v, 3) for k, v in at0.items()},
        "per_layer_factor_at_init": {k: _r(v, 3) for k, v in decay.items()},
        "layer1_relative_move": {k: _r(v, 3) for k, v in move1.items()},
        "last_layer_relative_move": {k: _r(v, 3) for k, v in move_last.items()},
        "deciding": {"what": "first/last gradient ratio over the first steps, sigmoid and relu",
                     "value": {"sigmoid": _r(sig_r, 3), "relu": _r(relu_r, 3)}},
        "criterion": rule_text(),
    }
    if sig_r is None or relu_r is None:
        return DEPENDS, ev
    if sig_r > KEEP or relu_r < VANISH:
        return DOES_NOT_HOLD, ev
    if sig_r < VANISH and relu_r > KEEP:
        return HOLDS, ev
    return DEPENDS, ev


def _tables(exp: Experiment, seeds: list[int]) -> list[dict]:
    seeds = seeds[:TABLE_SEEDS]
    sig_cfg, relu_cfg = exp.arm("sigmoid").config, exp.arm("relu").config
    tanh_cfg = exp.arm("tanh").config
    width = sig_cfg.layers[0]

    def ratio(config, **changes) -> float | None:
        return median(first_over_last(init_grad_norms(seeded(config, s, **changes))) for s in seeds)

    rows, turns = [], None
    for depth in DEPTHS:
        layers = (width,) * depth
        cells = [ratio(c, layers=layers) for c in (sig_cfg, tanh_cfg, relu_cfg)]
        if turns is None and cells[0] is not None and cells[0] < VANISH:
            turns = depth
        rows.append([depth, *(_r(c, 3) for c in cells)])
    by_depth = table(
        "ratio_by_depth", f"first/last gradient ratio at initialisation by depth (width {width}, "
        f"median of {len(seeds)} seeds)",
        ["hidden layers", f"sigmoid ({sig_cfg.init})", f"tanh ({tanh_cfg.init})", f"relu ({relu_cfg.init})"],
        rows,
        (f"sigmoid's ratio falls under {VANISH:g} from {turns} hidden layers on: depth is a graded "
         f"decay, not a gate" if turns else
         f"sigmoid's ratio stays at {VANISH:g} or more up to {DEPTHS[-1]} hidden layers"))
    rows = []
    for std in INIT_STDS:
        cells = [ratio(c, init="normal", init_std=std) for c in (sig_cfg, relu_cfg)]
        rows.append([std, *(_r(c, 3) for c in cells)])
    by_scale = table(
        "ratio_by_init_std", f"first/last gradient ratio at initialisation by init scale "
        f"(init normal, {len(sig_cfg.layers)} hidden layers of {width}, median of {len(seeds)} seeds)",
        ["init_std", "sigmoid", "relu"], rows, _scale_note(rows))
    return [by_depth, by_scale]


def _scale_note(rows: list) -> str:
    """Where sigmoid's ratio turns with the init scale, and relu's range, from the rows."""
    parts = []
    for col, name in ((1, "sigmoid"), (2, "relu")):
        vals = [(r[0], r[col]) for r in rows if r[col] is not None]
        if not vals:
            continue
        gone = [std for std, v in vals if v < VANISH]
        kept = [std for std, v in vals if v > KEEP]
        if gone and kept:
            parts.append(f"{name}: vanished at init_std {', '.join(f'{x:g}' for x in gone)}, "
                         f"kept at {', '.join(f'{x:g}' for x in kept)} (the scale of the weights "
                         f"is the lever)")
        else:
            lo, hi = min(v for _, v in vals), max(v for _, v in vals)
            parts.append(f"{name}: between {sig(lo)} and {sig(hi)} at every scale")
    return "; ".join(parts)


EXPERIMENT = Experiment(
    name="vanishing-gradient",
    title="Sigmoid makes gradients vanish in deep nets; ReLU does not",
    claim="Instead of employing Sigmoid or tanh in the hidden layers, which can cause the "
          "dreaded “Vanishing Gradient” issue, we turn to ReLU.",
    explanation="Judged: sigmoid against relu in an 8-layer net (the article names tanh too: "
                "tanh is shown for comparison, not judged). Backprop multiplies by f'(z) at every layer. sigmoid' is at most 0.25, so with "
                "Xavier init each layer shrinks the gradient by a roughly constant factor and "
                "eight layers shrink it by orders of magnitude; relu' is 1 where the neuron is "
                "on, and He init keeps the scale. Measured at initialisation and over the first "
                "steps; the tables show the decay by depth and by init scale. tanh'(0) = 1: with "
                "Xavier init it keeps far more of the gradient than sigmoid.",
    arms=(Arm("sigmoid", cfg(activation="sigmoid", init="xavier", layers=_DEEP, lr=0.1)),
          Arm("tanh", cfg(activation="tanh", init="xavier", layers=_DEEP, lr=0.1)),
          Arm("relu", cfg(activation="relu", init="he", layers=_DEEP, lr=0.1))),
    verdict_fn=_verdict, measure=_moves, steps=150, seeds=5,
    conditions=(arm_uses("sigmoid", "sigmoid"), arm_uses("relu", "relu")),
    unjudged=("tanh",),
    tables=_tables,
)

__all__ = ["EXPERIMENT", "rule_text", "VANISH", "KEEP", "WINDOW"]
