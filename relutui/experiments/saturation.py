"""Sigmoid and tanh saturate and lose their sensitivity."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..training import TrainingRun
from ..diagnostics import SATURATION_RATIO
from .common import HOLDS, DOES_NOT_HOLD, DEPENDS, NOT_TESTED, NOT_TESTED_KEY, Arm, Experiment, Records, _mean, _r, _hist_first
from .conditions import cfg, deep


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


def _verdict_saturation(rec: Records) -> tuple[str, dict]:
    """Within each arm (same net, same scale), compare neurons saturated on 90%+ of the
    samples at the start with neurons saturated on under 10%."""
    ev: dict[str, Any] = {"saturated_fraction_at_start": {}, "neurons_saturated_90pct": {},
                          "neurons_unsaturated": {}, "mean_move_saturated_90pct": {},
                          "mean_move_unsaturated": {}, "move_ratio": {}, "pooled": {}}
    deep_all, free_all = [], []
    for lab, rs in rec.items():
        # an activation without flat tails (relu...): |f'| < 1% of its max there means f' = 0,
        # a neuron switched off, not a saturated one
        saturating = all(r["measures"].get("activation_can_saturate", True) for r in rs)
        deep, free = [], []
        for r in rs:
            m = r["measures"]
            for mv, share in zip(m["neuron_move"], m["neuron_saturated_share_at_start"]):
                if mv is None:
                    continue
                if share >= 0.9:
                    deep.append(mv)
                elif share < 0.1:
                    free.append(mv)
        d, f = _mean(deep), _mean(free)
        ev["saturated_fraction_at_start"][lab] = _r(_mean(_hist_first(rs, "saturated_fraction")))
        ev["neurons_saturated_90pct"][lab] = len(deep)
        ev["neurons_unsaturated"][lab] = len(free)
        ev["mean_move_saturated_90pct"][lab] = _r(d)
        ev["mean_move_unsaturated"][lab] = _r(f)
        ev["move_ratio"][lab] = _r(d / f) if d is not None and f else None
        pooled = len(deep) >= 3 and len(free) >= 3 and saturating
        ev["pooled"][lab] = pooled
        if pooled:
            deep_all.extend(deep)
            free_all.extend(free)
    d, f = _mean(deep_all), _mean(free_all)
    ratio = d / f if d is not None and f else None
    ev["pooled_move_ratio"] = _r(ratio)
    ev["criterion"] = ("move = distance travelled by a hidden neuron's incoming weights and bias "
                       "during training. Within each arm with 3+ neurons in each group, neurons "
                       "saturated (|f'| < 1% of its max) on 90%+ of the samples at the start are "
                       "compared with neurons saturated on under 10%. Holds if the saturated ones "
                       "move less than a quarter as far (pooled); does not hold if half as far or "
                       "more; not tested if no arm has both kinds of neuron. An arm whose "
                       "activation cannot saturate (relu...) is not pooled")
    if ratio is None:
        ev[NOT_TESTED_KEY] = ("no arm whose activation can saturate had both kinds of neuron at "
                              "the start (3+ saturated on 90% of the samples and 3+ unsaturated): "
                              "large initial weights are what saturate neurons")
        return NOT_TESTED, ev
    if ratio < 0.25:
        return HOLDS, ev
    return (DOES_NOT_HOLD if ratio >= 0.5 else DEPENDS), ev


def _saturating(exp: Experiment) -> str | None:
    if any(a.config.activation in ("sigmoid", "tanh") for a in exp.arms):
        return None
    return "no arm uses sigmoid or tanh, the activations the claim is about"


# ------------------------------------------------------------------ the experiments


EXPERIMENT = Experiment(
    name="saturation",
    title="Saturated sigmoid/tanh neurons stop learning",
    claim="Sigmoid and tanh both reach saturation and lose their sensitivity: a neuron with a "
          "large pre-activation barely changes.",
    explanation="Far from 0 the sigmoid is flat, f'(z) ~ 0, so the gradient reaching the "
                "neuron's weights is tiny: large initial weights saturate neurons and they "
                "hardly move while the others learn.",
    arms=(Arm("sigmoid, large weights", cfg(activation="sigmoid", init="normal", init_std=8.0, lr=0.5)),
          Arm("tanh, large weights", cfg(activation="tanh", init="normal", init_std=8.0, lr=0.5)),
          Arm("sigmoid, xavier", cfg(activation="sigmoid", init="xavier", lr=0.5))),
    verdict_fn=_verdict_saturation, measure=_hidden_weight_moves, steps=150, seeds=5,
    conditions=(_saturating,),
)
