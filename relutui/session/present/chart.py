"""The activation chart: f and f' over the x-range, the pre-activation histogram of the
selected layer and every hidden neuron's operating point for the sample shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from relutui.format import fmt
from relutui.diagnostics import flat_samples
from relutui.session.views import ChartView

if TYPE_CHECKING:
    from relutui.session.session import Session

HIST_BINS = 41
CURVE_POINTS = 401


def cache_key(s: Session) -> tuple:
    """What the chart depends on: the network's numbers, the x-range and what is selected."""
    return (s.generation, s.x_range, s.selected, s.sample, s.use_mean)


def _intervals(xs: np.ndarray, mask: np.ndarray) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    if not mask.any():
        return out
    edges = np.flatnonzero(np.diff(np.r_[0, mask.astype(np.int8), 0]))
    for start, stop in zip(edges[::2], edges[1::2]):
        out.append((float(xs[start]), float(xs[stop - 1])))
    return out


def build(s: Session) -> ChartView:
    act = s.activation
    R = s.x_range
    xs = np.linspace(-R, R, CURVE_POINTS)
    if 0.0 not in xs:
        xs = np.sort(np.r_[xs, 0.0])
    with np.errstate(all="ignore"):
        f = np.asarray(act.forward(xs), dtype=float)
        fp = np.asarray(act.derivative(xs), dtype=float)
    # as the diagnostics count a sample: f' = 0 with output 0 is the dead (off) zone; f' = 0 at
    # another output (hard tanh's ±1: clipped) and a flat tail are the saturated zones
    tail, clipped = flat_samples(act, fp, f)
    dead_mask = (fp == 0) & ~clipped
    sat_mask = tail | clipped
    snap = s.snapshot()
    hidden = s.run.net.hidden_layers
    layer = min(s.selected[0], hidden - 1)
    z = snap.z[layer].ravel() if hidden > 0 else np.zeros(0)
    finite = z[np.isfinite(z)]
    counts, edges = np.histogram(np.clip(finite, -R, R), bins=HIST_BINS, range=(-R, R))
    outside = float(np.mean(np.abs(finite) > R)) if len(finite) else 0.0
    centers = (edges[:-1] + edges[1:]) / 2
    # operating points of the selected sample, every hidden neuron
    pz, pstate, sel = [], [], None
    for l in range(hidden):
        row = s.pick(snap.z[l])
        for j, v in enumerate(row):
            if (l, j) == s.selected:
                sel = len(pz)
            pz.append(float(v))
            pstate.append(int(snap.states[l][j]))
    pz_arr = np.clip(np.asarray(pz, dtype=float), -R, R)
    with np.errstate(all="ignore"):
        pf = np.asarray(act.forward(pz_arr), dtype=float) if len(pz_arr) else np.zeros(0)
        pfp = np.asarray(act.derivative(pz_arr), dtype=float) if len(pz_arr) else np.zeros(0)
    ffin = f[np.isfinite(f)]
    flo, fhi = (float(ffin.min()), float(ffin.max())) if len(ffin) else (-1.0, 1.0)
    if fhi - flo < 1e-9:
        flo, fhi = flo - 1, fhi + 1
    pad = 0.05 * (fhi - flo)
    fpfin = fp[np.isfinite(fp)]
    fp_max = float(act.max_derivative)  # sup |f'|: the grid of the curve may miss it (hard swish at 3)
    fplo = min(0.0, float(fpfin.min()) if len(fpfin) else 0.0)
    fphi = max(1.0, fp_max, float(fpfin.max()) if len(fpfin) else 1.0)
    name = act.display_name
    if act.params:
        name += " (" + ", ".join(f"{k}={fmt(v)}" for k, v in act.params.items()) + ")"
    return ChartView(
        title=name,
        formula=act.formula,
        x_range=R,
        xs=xs, f=f, fp=fp,
        fp_limits=(fplo - 0.05, fphi + 0.05),
        fp_max=fp_max,
        f_limits=(flo - pad, fhi + pad),
        dead=_intervals(xs, dead_mask),
        saturated=_intervals(xs, sat_mask),
        hist_centers=centers,
        hist_counts=counts.astype(float),
        hist_label=f"z of layer {layer + 1}" if hidden else "no hidden layer",
        outside=outside,
        points_z=pz_arr, points_f=pf, points_fp=pfp,
        points_state=np.asarray(pstate, dtype=int), selected_point=sel,
    )
