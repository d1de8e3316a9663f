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


def cache_key(run: TrainingRun, pending) -> tuple:
    return (id(run), run.step, id(pending))


def build(run: TrainingRun, pending) -> Snapshot:
    """Forward/backward of what is shown: the pending step's batch (``pending``, a StepResult),
    or the training set."""
    net = run.net
    with np.errstate(all="ignore"):
        if pending is not None:
            trace, grads = pending.trace, pending.grads
            x, y = trace.x, pending.y  # the batch and its targets, as the step used them
            loss = float(pending.loss)
            # dL/dW of the loss, as the charts show it (the step's own gradient has the
            # weight decay and clipping in it by now)
            norms = pending.grad_norms
        else:
            x, y = run.dataset.X_train, run.dataset.y_train
            trace = net.forward(x)
            loss, grads = net.loss_and_gradients(x, y, run.loss_name, trace)
            norms = grads.norms()
        bw = grads.backward
        states = [
            neuron_states(act, z, fp)
            for act, z, fp in zip(net.activations, trace.z, bw.fprime)
        ]
        snap = Snapshot(
            x=x, y=y, z=list(trace.z), a=list(trace.a), da=list(bw.da), dz=list(bw.dz),
            fprime=list(bw.fprime), grad_norms=np.asarray(norms, dtype=float),
            loss=float(loss), states=states,
        )
    return snap
