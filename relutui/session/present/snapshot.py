"""The full-batch forward and backward pass of what is shown (every panel reads it).

Cache inputs (``cache_key``): the run, its step and the pending step-through step."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from relutui.diagnostics import neuron_states
from relutui.training import TrainingRun


@dataclass
class Snapshot:
    """Full-batch forward + backward of the state being shown."""

    x: np.ndarray
    y: np.ndarray
    z: list[np.ndarray]
    a: list[np.ndarray]
    da: list[np.ndarray]
    dz: list[np.ndarray]
    fprime: list[np.ndarray]
    grad_norms: np.ndarray
    loss: float
    states: list[np.ndarray]  # per weight layer (int8 per neuron)
    figures: tuple | None = None  # present.training.figures_now, when a training thread computed them


def cache_key(run: TrainingRun, pending) -> tuple:
    return (id(run), run.step, id(pending))


def _make(net, x, y, trace, grads, norms, loss) -> Snapshot:
    bw = grads.backward
    states = [neuron_states(act, z, fp, a=a) for act, z, a, fp in zip(net.activations, trace.z, trace.a, bw.fprime)]
    return Snapshot(x=x, y=y, z=list(trace.z), a=list(trace.a), da=list(bw.da), dz=list(bw.dz),
                    fprime=list(bw.fprime), grad_norms=np.asarray(norms, dtype=float),
                    loss=float(loss), states=states)


def training_set_snapshot(run: TrainingRun) -> Snapshot:
    """Forward and backward of the whole training set through ``run``'s network, as the panels
    show it. Reads ``run`` only: a training thread computes it for the runs it trained."""
    from relutui.session.present.training import figures_now

    net = run.net
    with np.errstate(all="ignore"):
        x, y = run.dataset.X_train, run.dataset.y_train
        trace = net.forward(x)
        loss, grads = net.loss_and_gradients(x, y, run.loss_name, trace)
        snap = _make(net, x, y, trace, grads, grads.norms(), loss)
    snap.figures = figures_now(run, snap)  # (the test set's pass: as costly)
    return snap


def build(run: TrainingRun, pending) -> Snapshot:
    """Forward/backward of what is shown: the pending step's batch (``pending``, a StepResult),
    or the training set."""
    if pending is None:
        return training_set_snapshot(run)
    net = run.net
    with np.errstate(all="ignore"):
        trace, grads = pending.trace, pending.grads
        x, y = trace.x, pending.y  # the batch and its targets, as the step used them
        # dL/dW of the loss, as the charts show it (the step's own gradient has the
        # weight decay and clipping in it by now)
        return _make(net, x, y, trace, grads, pending.grad_norms, float(pending.loss))
