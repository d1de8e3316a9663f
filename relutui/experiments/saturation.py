"""Sigmoid and tanh saturate and lose their sensitivity."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..training import TrainingRun
from ..diagnostics import SATURATION_RATIO
from .common import (DEPENDS, DOES_NOT_HOLD, HOLDS, NOT_TESTED, NOT_TESTED_KEY, Arm, Experiment, Records,
                     _hist_first, _mean, _r)
from .conditions import cfg
from .sweeps import times


def _hidden_weight_moves(run: TrainingRun, start: dict) -> dict:
    """Per hidden neuron: how far its incoming weights and bias moved during training,
    its state at the start, and on what share of the samples it was saturated
    (|f'(z)| < SATURATION_RATIO * max f', the diagnostics rule) at the start."""
    moves, states, shares = [], [], []
    trace = start["trace"]
    for l, diag in enumerate(start["diagnostics"]):
        w0, b0 = start["weights"][l], start["biases"][l]
        dw = run.net.weights[l] - w0
        db = run.net.biases[l] - b0
        moves.extend(np.sqrt(np.sum(dw * dw, axis=0) + db * db).tolist())
        states.extend(int(s) for s in diag.states)
        act = run.net.activations[l]
        fp = np.abs(act.derivative(trace.z[l]))
        shares.extend(np.mean(fp < SATURATION_RATIO * act.max_derivative, axis=0).tolist())
    saturating = bool(run.net.activations[0].can_saturate) if run.net.hidden_layers else False
    return {"neuron_move": moves, "neuron_state_at_start": states, "neuron_saturated_share_at_start": shares,
            "activation_can_saturate": saturating}


MOVES_LESS = 0.5     # saturated neurons move under half as far as unsaturated ones: holds
MOVES_ALIKE = 0.8    # 0.8 as far or more: does not hold
DEEP_SHARE, FREE_SHARE = 0.9, 0.1  # saturated on 90%+ of the samples / on under 10%
MIN_NEURONS = 3


def rule_text() -> str:
    return (f"move = distance travelled by a hidden neuron's incoming weights and bias during "
            f"training. In each arm whose activation can saturate and that has {MIN_NEURONS}+ "
            f"neurons in each group, neurons saturated (|f'| < {SATURATION_RATIO:g} x its max) on "
            f"{DEEP_SHARE:.0%}+ of the samples at the start are compared with neurons saturated on "
            f"under {FREE_SHARE:.0%}; ratio = mean move of the first over the second, pooled over "
            f"those arms and the seeds. Holds if the ratio is under {MOVES_LESS:g}; does not hold "
            f"if {MOVES_ALIKE:g} or more; depends between; not tested if no arm has both kinds")


def _verdict_saturation(rec: Records) -> tuple[str, dict]:
    """Within each arm (same net, same scale), compare neurons saturated on 90%+ of the
    samples at the start with neurons saturated on under 10%."""
    ev: dict[str, Any] = {"saturated_fraction_at_start": {}, "neurons_saturated_90pct": {},
                          "neurons_unsaturated": {}, "mean_move_saturated_90pct": {},
                          "mean_move_unsaturated": {}, "move_ratio": {}, "pooled": {}}
    deep_all, free_all = [], []
    for key, rs in rec.items():
        # an activation without flat tails (relu...): |f'| < 1% of its max there means f' = 0,
        # a neuron switched off, not a saturated one
        saturating = all(r["measures"].get("activation_can_saturate", True) for r in rs)
        deep, free = [], []
        for r in rs:
            m = r["measures"]
            for mv, share in zip(m["neuron_move"], m["neuron_saturated_share_at_start"]):
                if mv is None:
                    continue
                if share >= DEEP_SHARE:
                    deep.append(mv)
                elif share < FREE_SHARE:
                    free.append(mv)
        d, f = _mean(deep), _mean(free)
        ev["saturated_fraction_at_start"][key] = _r(_mean(_hist_first(rs, "saturated_fraction")))
        ev["neurons_saturated_90pct"][key] = len(deep)
        ev["neurons_unsaturated"][key] = len(free)
        ev["mean_move_saturated_90pct"][key] = _r(d)
        ev["mean_move_unsaturated"][key] = _r(f)
        ev["move_ratio"][key] = _r(d / f) if d is not None and f else None
        pooled = len(deep) >= MIN_NEURONS and len(free) >= MIN_NEURONS and saturating
        ev["pooled"][key] = pooled
        if pooled:
            deep_all.extend(deep)
            free_all.extend(free)
    d, f = _mean(deep_all), _mean(free_all)
    ratio = d / f if d is not None and f else None
    ev["pooled_move_ratio"] = _r(ratio)
    if ratio is not None:
        ev["in_words"] = (f"neurons saturated at the start moved {times(ratio)} than unsaturated "
                          f"ones ({len(deep_all)} and {len(free_all)} neurons)")
    ev["deciding"] = {"what": "saturated over unsaturated neurons' move (pooled)", "value": _r(ratio)}
    ev["criterion"] = rule_text()
    if ratio is None:
        ev[NOT_TESTED_KEY] = ("no arm whose activation can saturate had both kinds of neuron at "
                              f"the start ({MIN_NEURONS}+ saturated on {DEEP_SHARE:.0%} of the "
                              f"samples and {MIN_NEURONS}+ unsaturated): large initial weights are "
                              f"what saturate neurons")
        return NOT_TESTED, ev
    if ratio < MOVES_LESS:
        return HOLDS, ev
    return (DOES_NOT_HOLD if ratio >= MOVES_ALIKE else DEPENDS), ev


def _saturating(exp: Experiment) -> str | None:
    if any(a.config.activation in ("sigmoid", "tanh") for a in exp.arms):
        return None
    return "no arm uses sigmoid or tanh, the activations the claim is about"


EXPERIMENT = Experiment(
    name="saturation",
    title="Saturated sigmoid and tanh neurons move less while training",
    claim="Sigmoid and tanh both reach saturation and lose some of their sensitivity.",
    explanation="Far from 0 sigmoid and tanh are flat, f'(z) ~ 0, so the gradient reaching a "
                "saturated neuron's weights is small: large initial weights saturate many "
                "neurons, and they move several times less than the unsaturated ones (the "
                "factor is measured). They still move: a smaller gradient, not none. Adam, "
                "which rescales each weight's step, undoes much of this.",
    arms=(Arm("sigmoid, large weights", cfg(activation="sigmoid", init="normal", init_std=8.0, lr=0.5),
              key="sigmoid_large"),
          Arm("tanh, large weights", cfg(activation="tanh", init="normal", init_std=8.0, lr=0.5),
              key="tanh_large"),
          Arm("sigmoid, xavier", cfg(activation="sigmoid", init="xavier", lr=0.5), key="sigmoid_xavier")),
    verdict_fn=_verdict_saturation, measure=_hidden_weight_moves, steps=150, seeds=5,
    conditions=(_saturating,),
)
