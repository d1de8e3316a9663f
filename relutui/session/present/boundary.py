"""The boundary map: the network's prediction on a grid over the data, and the data points."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from relutui.session.views import BoundaryView
from relutui.training import TrainingRun

if TYPE_CHECKING:
    from relutui.session.session import Session


def cache_key(s: Session, run: TrainingRun, cols: int, rows_px: int) -> tuple:
    return (id(run), run.step, cols, rows_px, s.generation)


def build(s: Session, run: TrainingRun, cols: int, rows_px: int) -> BoundaryView:
    cols, rows_px = max(cols, 1), max(rows_px, 1)
    ds = run.dataset
    X = ds.X
    lo = X.min(axis=0)
    hi = X.max(axis=0)
    span = np.maximum(hi - lo, 1e-9)
    lo, hi = lo - 0.08 * span, hi + 0.08 * span
    gx = np.linspace(lo[0], hi[0], cols)
    gy = np.linspace(hi[1], lo[1], rows_px)  # top row = max y
    GX, GY = np.meshgrid(gx, gy)
    grid = np.c_[GX.ravel(), GY.ravel()]
    with np.errstate(all="ignore"):
        p = np.asarray(run.net.predict(grid), dtype=float).reshape(rows_px, cols)
    ynorm = ds.y.ravel()
    if ds.task != "classification":  # targets and predictions on the same 0..1 scale
        ylo, yhi = float(ynorm.min()), float(ynorm.max())
        scale = yhi - ylo if yhi > ylo else 1.0
        p = (p - ylo) / scale
        ynorm = (ynorm - ylo) / scale
    p = np.nan_to_num(np.clip(p, 0.0, 1.0), nan=0.5)
    cx = np.clip(((X[:, 0] - lo[0]) / (hi[0] - lo[0]) * (cols - 1)).round().astype(int), 0, cols - 1)
    cy = np.clip(((hi[1] - X[:, 1]) / (hi[1] - lo[1]) * (rows_px - 1)).round().astype(int), 0, rows_px - 1)
    is_test = np.arange(len(X)) >= len(ds.X_train)
    points = list(zip(cx.tolist(), cy.tolist(), ynorm.tolist(), is_test.tolist()))
    acc = s.boundary_accuracy(run)
    return BoundaryView(p, points, (float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])), ds.task, acc)
