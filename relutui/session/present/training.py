"""The training panel: loss, accuracy, gradient norms and dead/saturated fractions over the
steps (downsampled), and the figures of the network as it is now."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from relutui.format import short_name
from relutui.diagnostics import DEAD, SATURATED
from relutui.engine import accuracy
from relutui.session.present.snapshot import Snapshot
from relutui.session.views import TrainingView
from relutui.training import TrainingRun

if TYPE_CHECKING:
    from relutui.session.session import Session

HISTORY_POINTS = 240  # what charts plot, at most


def cache_key(s: Session, run: TrainingRun) -> tuple:
    return (s.generation, run.step, id(run))


def _downsample(n: int, limit: int = HISTORY_POINTS) -> np.ndarray:
    if n <= limit:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, limit).round().astype(int))


def build(s: Session, run: TrainingRun) -> TrainingView:
    h = run.history
    steps = h["step"]
    n = len(steps)
    idx = _downsample(n)
    L = run.net.n_layers
    H = run.net.hidden_layers

    def series(key: str) -> np.ndarray:
        arr = h[key]
        return arr[idx] if len(arr) == n else np.full(len(idx), np.nan)

    def per_layer(key: str, cols: int) -> np.ndarray:
        arr = h[key]
        if n == 0 or arr.ndim != 2:
            return np.zeros((len(idx), cols))
        return arr[idx]

    gn = per_layer("grad_norm", L)
    dead = per_layer("dead_fraction", max(H, 1))
    sat = per_layer("saturated_fraction", max(H, 1))
    dead_all = dead.mean(axis=1) if dead.size else np.zeros(len(idx))
    sat_all = sat.mean(axis=1) if sat.size else np.zeros(len(idx))

    # current neuron states (what is shown, exact, not downsampled)
    snap = s.snapshot(run)
    loss_now, acc_now, test_loss_now, test_acc_now = figures_now(run, snap)
    states, layer_norms = snap.states[:H], snap.grad_norms
    all_states = np.concatenate(states) if states else np.zeros(0, dtype=int)
    n_hidden = int(all_states.size)
    n_dead = int((all_states == DEAD).sum())
    n_sat = int((all_states == SATURATED).sum())
    name = short_name(run.net.activations[0]) if H else "linear"
    return TrainingView(
        steps=steps[idx], loss=series("loss"), test_loss=series("test_loss"),
        accuracy=series("accuracy"), grad_norms=gn, dead=dead_all, saturated=sat_all,
        step=int(run.step), last_loss=loss_now, last_test_loss=test_loss_now,
        last_acc=acc_now, last_test_acc=test_acc_now,
        dead_pct=100.0 * n_dead / n_hidden if n_hidden else 0.0,
        sat_pct=100.0 * n_sat / n_hidden if n_hidden else 0.0,
        n_dead=n_dead, n_sat=n_sat, n_hidden=n_hidden,
        layer_norms=np.asarray(layer_norms, dtype=float),
        diverged_at=run.diverged_at, task=run.dataset.task, label=name,
    )


def figures_now(run: TrainingRun, snap: Snapshot) -> tuple[float, float | None, float | None, float | None]:
    """Loss and accuracy of the network as it is now (after ``run.step`` updates) on the whole
    training set, then on the test set: what the status line, the loss panel's title, the
    boundary map and a step-through's loss phase (full batch) all show. (The history's last
    row is older: the loss of the last step's batch, measured before that step's update.)"""
    ds = run.dataset
    if snap.figures is not None:
        return snap.figures
    classification = ds.task == "classification"
    with np.errstate(all="ignore"):
        if snap.x is ds.X_train:  # the snapshot is the training set (no pending mini-batch)
            loss = float(snap.loss)
            acc = accuracy(snap.a[-1], snap.y) if classification else None
        else:
            loss, acc = run.evaluate(ds.X_train, ds.y_train)
        test_loss = test_acc = None
        if len(ds.X_test):
            test_loss, test_acc = run.evaluate(ds.X_test, ds.y_test)
    return float(loss), acc, (None if test_loss is None else float(test_loss)), test_acc
