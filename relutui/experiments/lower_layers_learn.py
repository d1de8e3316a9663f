"""The vanishing gradient "inhibits lower levels from gaining useful knowledge": how far the
first layer's weights move during training, deep sigmoid against deep relu (tanh shown)."""

from __future__ import annotations

import statistics

import numpy as np

from ..training import TrainingRun
from .common import DEPENDS, DOES_NOT_HOLD, HOLDS, Arm, Experiment, Records, _r
from .conditions import arm_uses, cfg
from .sweeps import median, seeded, table

STALLED = 0.01    # sigmoid's layer-1 movement at most this share of relu's: the lower layer stalls
LEARNS = 0.3      # this share or more: it learns about as well
TABLE_DEPTHS = (1, 2, 3, 4, 6, 8)
TABLE_SEEDS = 3


def _moves(run: TrainingRun, start: dict) -> dict:
    """Per weight layer: ||W_end - W_start|| / ||W_start|| (relative movement)."""
    rel = []
    for w, w0 in zip(run.net.weights, start["weights"]):
        n0 = float(np.linalg.norm(w0))
        rel.append(float(np.linalg.norm(w - w0)) / n0 if n0 > 0 else None)
    return {"relative_move": rel}


def rule_text() -> str:
    return ("move = ||W1 after training - W1 before|| / ||W1 before|| for the first layer's "
            "weights (median over seeds). Holds if sigmoid's first layer moves at most "
            f"{STALLED:g}x as far as relu's; does not hold if it moves {LEARNS:g}x as far or more; "
            "depends in between. tanh is measured for comparison and does not enter the verdict")


def _verdict(rec: Records) -> tuple[str, dict]:
    def med(key: str, layer: int) -> float | None:
        vals = [r["measures"]["relative_move"][layer] for r in rec[key]]
        vals = [v for v in vals if v is not None]
        return statistics.median(vals) if vals else None

    first = {k: med(k, 0) for k in rec}
    top = {k: med(k, -2) for k in rec}  # the last hidden layer's incoming weights
    acc = {k: statistics.median(r["summary"]["accuracy"] for r in rs) for k, rs in rec.items()}
    ev: dict = {
        "layer1_relative_move": {k: _r(v, 3) for k, v in first.items()},
        "last_hidden_layer_relative_move": {k: _r(v, 3) for k, v in top.items()},
        "final_accuracy_median": {k: _r(v) for k, v in acc.items()},
    }
    s, r = first.get("sigmoid"), first.get("relu")
    ratio = None if s is None or not r else s / r
    ev["sigmoid_over_relu_layer1_move"] = _r(ratio, 3)
    ev["deciding"] = {"what": "layer 1's relative weight movement, sigmoid over relu",
                      "value": _r(ratio, 3)}
    ev["criterion"] = rule_text()
    if ratio is None:
        return DEPENDS, ev
    if ratio <= STALLED:
        return HOLDS, ev
    return (DOES_NOT_HOLD if ratio >= LEARNS else DEPENDS), ev


def _layer1_move(config, steps: int) -> float | None:
    run = TrainingRun(config, history_capacity=4)
    w0 = run.net.weights[0].copy()
    run.train(steps)
    n0 = float(np.linalg.norm(w0))
    return float(np.linalg.norm(run.net.weights[0] - w0)) / n0 if n0 > 0 else None


def _tables(exp: Experiment, seeds: list[int]) -> list[dict]:
    """Layer 1's movement, sigmoid over relu, by depth: where the stall sets in."""
    seeds = seeds[:TABLE_SEEDS]
    sig, relu = exp.arm("sigmoid").config, exp.arm("relu").config
    width = sig.layers[0]
    rows, turns = [], None
    for depth in TABLE_DEPTHS:
        layers = (width,) * depth
        moves = [median(_layer1_move(seeded(c, s, layers=layers), exp.steps) for s in seeds)
                 for c in (sig, relu)]
        ratio = moves[0] / moves[1] if None not in moves and moves[1] else None
        if turns is None and ratio is not None and ratio <= STALLED:
            turns = depth
        rows.append([depth, _r(moves[0], 3), _r(moves[1], 3), _r(ratio, 3)])
    note = (f"sigmoid's first layer moves at most {STALLED:g}x as far as relu's from {turns} hidden "
            f"layers on: the stall grows with depth" if turns else
            f"sigmoid's first layer moves more than {STALLED:g}x as far as relu's up to "
            f"{TABLE_DEPTHS[-1]} hidden layers")
    return [table("layer1_move_by_depth",
                  f"layer 1's relative weight movement by depth ({exp.steps} steps, width {width}, "
                  f"median of {len(seeds)} seeds)",
                  ["hidden layers", "sigmoid", "relu", "sigmoid / relu"], rows, note)]


_DEEP = (8,) * 6

EXPERIMENT = Experiment(
    name="lower-layers-learn",
    title="With sigmoid, a deep net's first layer hardly moves; with ReLU it learns",
    claim="Backpropagation in a network is inhibited by the “Vanishing Gradient,” which inhibits "
          "lower levels from gaining useful knowledge.",
    explanation="Six sigmoid layers multiply the gradient by f' <= 0.25 six times on its way "
                "down, so the first layer's weights barely change and the net stays near "
                "chance; relu passes the gradient through active neurons unchanged and every "
                "layer moves. tanh (f'(0) = 1, Xavier init) does not stall at this depth: it is "
                "shown, not judged.",
    arms=(Arm("sigmoid", cfg(activation="sigmoid", init="xavier", layers=_DEEP, lr=0.1), key="sigmoid"),
          Arm("tanh", cfg(activation="tanh", init="xavier", layers=_DEEP, lr=0.1), key="tanh"),
          Arm("relu", cfg(activation="relu", init="he", layers=_DEEP, lr=0.1), key="relu")),
    verdict_fn=_verdict, measure=_moves, steps=150, seeds=5,
    conditions=(arm_uses("sigmoid", "sigmoid"), arm_uses("relu", "relu")),
    unjudged=("tanh",), tables=_tables,
)
