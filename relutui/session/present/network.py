"""The network panel: one column per layer, each neuron's state and value for the sample
shown (or the step-through phase's value)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from relutui.session.present import marks
from relutui.session.present.titles import where
from relutui.session.views import STATE_NAMES, LayerColumn, NetworkView, NeuronCell
from relutui.training import TrainingRun

if TYPE_CHECKING:
    from relutui.session.session import Session


def cache_key(s: Session, run: TrainingRun) -> tuple:
    return (s.generation, id(run), run.step, s.phase_index, s.selected, s.sample, s.use_mean)


def build(s: Session, run: TrainingRun) -> NetworkView:
    snap = s.snapshot(run)
    net = run.net
    L = net.n_layers
    phase = s.phase if run is s.run else None
    cols: list[LayerColumn] = []
    value_name = "a"
    if phase is not None:
        value_name = {"forward": "a", "loss": "a", "backward": "dL/dz", "update": "Δb"}[phase.kind]
    xrow = s.pick(snap.x)
    cols.append(LayerColumn("x", "input", [NeuronCell(None, float(v), False) for v in xrow], False, True))
    i = None if s.use_mean else min(s.sample, len(snap.x) - 1)  # the sample shown
    counts = {"active": 0, "saturated": 0, "dead": 0}
    for l in range(L):
        kind = "output" if l == L - 1 else "hidden"
        computed = True
        if phase is not None:
            if phase.kind == "forward":
                values = s.pick(snap.a[l])
                computed = l <= phase.layer
            elif phase.kind == "backward":
                values = s.pick(snap.dz[l])
                computed = l >= phase.layer
            elif phase.kind == "update":
                values = _bias_delta(s, l)
            else:
                values = s.pick(snap.a[l])
        else:
            values = s.pick(snap.a[l])
        if phase is None or phase.kind in ("forward", "loss"):  # outputs: never a rounded-off 1
            values = marks.inside(values, net.activations[l])
        highlight = phase is not None and (
            phase.layer == l or (phase.kind == "loss" and l == L - 1) or phase.kind == "update"
        )
        # f'(z) = 0 (or tiny) for the sample shown, once its layer is computed (a batch mean: never)
        n_out = net.layer_sizes[l + 1]
        if i is not None and computed:
            off = snap.fprime[l][i] == 0
            mk = marks.marks(snap.states[l], snap.a[l][i], snap.fprime[l][i], marks.weak_limit(net.activations[l]))
        else:
            off, mk = np.zeros(n_out, dtype=bool), [None] * n_out
        cells = []
        for j in range(n_out):
            st = int(snap.states[l][j])
            if kind == "hidden":
                counts[STATE_NAMES[st]] += 1
            v = float(values[j]) if computed else None
            cells.append(NeuronCell(st, v, (l, j) == s.selected, bool(off[j]), mk[j]))
        W = net.weights[l]
        cols.append(
            LayerColumn(
                "out" if kind == "output" else f"h{l + 1}",
                kind, cells, highlight, computed,
                int((W > 0).sum()), int((W < 0).sum()),
                float(np.max(np.abs(W))) if W.size else 0.0,
            )
        )
    vals = [abs(c.value) for col in cols[1:] for c in col.cells if c.value is not None and math.isfinite(c.value)]
    scale = max(vals) if vals else 1.0
    ramp = None
    if phase is not None and phase.kind == "backward":  # the vanishing gradient, by shade
        ramp = "|dL/dz|" if i is not None else "|mean dL/dz|"
        for col in cols[1:]:
            for c in col.cells:
                if c.value is not None:
                    c.level = marks.level(c.value, scale)
    return NetworkView(
        columns=cols,
        value_name=value_name,
        scale=scale if scale > 0 else 1.0,
        where=where(s, run),
        phase_label=phase.label(L) if phase is not None else "trained state",
        counts=counts,
        mark_words=marks.words(net.activations[0]),
        ramp=ramp,
    )


def _bias_delta(s: Session, l: int) -> np.ndarray:
    if s.preview is None:
        return np.zeros(s.run.net.layer_sizes[l + 1])
    with np.errstate(all="ignore"):
        return s.preview.net.biases[l] - s.run.net.biases[l]
