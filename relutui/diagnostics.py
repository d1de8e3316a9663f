"""Neuron health: which hidden neurons are active, saturated or dead, and when they died.

A neuron's state is judged from f'(z) over one batch (usually the training set):

* DEAD: f'(z) == 0 exactly on every sample. No gradient flows through the
  neuron on this data, so its incoming weights and bias stop moving (a ReLU
  whose pre-activation is negative for every input). Only a change upstream can
  bring it back. 'step' has f' = 0 everywhere, so its neurons are always DEAD;
  identity (f' = 1) never is.
* SATURATED: not dead, and on more than SATURATION_MAJORITY of the samples the
  gradient through it is shrunk or cut at a flat part that is not "off":
  0 < |f'(z)| < SATURATION_RATIO * activation.max_derivative (a flat tail: sigmoid
  beyond |z| ~ 6, tanh beyond |z| ~ 3), or f'(z) == 0 with an output other than 0
  (clipped at a bound: hard tanh's +-1, ReLU6's 6, hard sigmoid's 1). The network
  panel marks those samples ◌ weak and ◑ clipped.
  Samples where f'(z) == 0 with output 0 do not count: that is a ReLU switched off
  for that input (sparsity, ○ off), not a flat tail. Counting them would call most
  healthy ReLU neurons saturated, the opposite of the lesson. So ReLU and leaky
  ReLU are never SATURATED.
* ACTIVE: anything else.

Activations are used only through ``.derivative(z)``, ``.max_derivative``, ``.can_saturate``
and ``.forward(z)`` (when no ``a`` is given, for the outputs where f' is 0).
An empty batch gives no evidence: every neuron is ACTIVE.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass

import numpy as np

__all__ = [
    "ACTIVE", "DEAD", "SATURATED", "SATURATION_MAJORITY", "SATURATION_RATIO",
    "DeathTracker", "LayerDiagnostics", "can_clip", "gradient_ratio", "layer_diagnostics", "neuron_states",
]

ACTIVE, SATURATED, DEAD = 0, 1, 2
STATE_NAMES = ("active", "saturated", "dead")
SATURATION_RATIO = 0.01
SATURATION_MAJORITY = 0.5


# far out on the line, where sigmoid's, tanh's and ELU's f' are still > 0 in float64
_FAR = 100.0


def can_clip(activation) -> bool:
    """Whether f is flat at a bound other than 0 at either end of the line (hard tanh, ReLU6,
    hard sigmoid): f' = 0 there with an output that is not 0, a saturation (``clipped``)."""
    x = np.array([-_FAR, _FAR])
    return bool(np.any((activation.derivative(x) == 0.0) & (activation.forward(x) != 0.0)))


def flat_samples(activation, fp, a) -> tuple[np.ndarray, np.ndarray]:
    """Per sample: (tail, clipped) boolean arrays shaped like ``fp``. tail: 0 < |f'| < 1% of
    its max (for an activation that can saturate); clipped: f' = 0 with output a != 0."""
    fp = np.asarray(fp, dtype=np.float64)
    limit = SATURATION_RATIO * float(activation.max_derivative)
    if math.isfinite(limit) and getattr(activation, "can_saturate", True):
        magnitude = np.abs(fp)
        tail = (magnitude > 0.0) & (magnitude < limit)
    else:
        tail = np.zeros(fp.shape, dtype=bool)
    clipped = (fp == 0.0) & (np.asarray(a, dtype=np.float64) != 0.0)
    return tail, clipped


def neuron_states(activation, z, fprime=None, dead=None, a=None) -> np.ndarray:
    """State of each neuron, shape (fan_out,) int8, from z of shape (n, fan_out).

    ``fprime`` (= activation.derivative(z)) and ``a`` (= activation(z)) are used when given,
    saving the recomputation.
    """
    z = np.asarray(z, dtype=np.float64)
    if z.ndim != 2:
        raise ValueError(f"z must have shape (n_samples, n_neurons), got {z.shape}")
    fp = activation.derivative(z) if fprime is None else fprime
    fp = np.asarray(fp, dtype=np.float64)
    if fp.shape != z.shape:
        raise ValueError(f"fprime shape {fp.shape} does not match z shape {z.shape}")
    states = np.full(z.shape[1], ACTIVE, dtype=np.int8)
    n = z.shape[0]
    if n == 0:
        return states
    if dead is None:
        dead = np.all(fp == 0.0, axis=0)
    if a is None:
        a = activation.forward(z) if np.any(fp == 0.0) else np.broadcast_to(1.0, z.shape)
    a = np.asarray(a, dtype=np.float64)
    if a.shape != z.shape:
        raise ValueError(f"a shape {a.shape} does not match z shape {z.shape}")
    tail, clipped = flat_samples(activation, fp, a)
    flat = np.count_nonzero(tail | clipped, axis=0)
    states[flat > SATURATION_MAJORITY * n] = SATURATED
    states[dead] = DEAD
    return states


@dataclass
class LayerDiagnostics:
    """One hidden layer. ``sparsity`` is the fraction of exact zeros in its output a."""

    states: np.ndarray
    dead_fraction: float
    saturated_fraction: float
    sparsity: float


def _layer(activation, z, a, fprime) -> LayerDiagnostics:
    states = neuron_states(activation, z, fprime, a=a)
    a = np.asarray(a, dtype=np.float64)
    sparsity = np.count_nonzero(a == 0.0) / a.size if a.size else 0.0
    return LayerDiagnostics(
        states=states,
        dead_fraction=float(np.mean(states == DEAD)),
        saturated_fraction=float(np.mean(states == SATURATED)),
        sparsity=float(sparsity),
    )


def layer_diagnostics(net, trace, backward=None) -> list[LayerDiagnostics]:
    """Diagnostics of every hidden layer (the output layer is left out).

    Uses ``net.activations[l]``, ``trace.z[l]``, ``trace.a[l]`` and, if ``backward``
    is given, its ``fprime[l]`` instead of recomputing f'(z).
    """
    return [
        _layer(net.activations[l], trace.z[l], trace.a[l],
               None if backward is None else backward.fprime[l])
        for l in range(len(net.activations) - 1)
    ]


def gradient_ratio(grad_norms) -> float:
    """||dL/dW|| of the first layer over that of the last: << 1 means vanishing gradients.

    0.0 when the first norm is 0 (even 0/0), inf when only the last is 0, nan if a norm is nan.
    """
    g = np.asarray(grad_norms, dtype=np.float64).ravel()
    if g.size == 0:
        raise ValueError("gradient_ratio needs at least one layer norm")
    first, last = float(g[0]), float(g[-1])
    if first == 0.0:
        return 0.0
    if last == 0.0:
        return math.inf
    return first / last


class DeathTracker:
    """When each hidden neuron died, which update killed it, and whether it came back.

    Call ``update(0, masks)`` with the dead masks of the initial network, then
    ``update(k, masks, W_before, b_before, W_after, b_after)`` with the masks of the network
    after k updates and the parameters before and after the k-th update. Steps are counted
    as the training run counts them: step s is the forward/backward on the network after s
    updates and the update s -> s + 1. A neuron alive after k - 1 updates and dead after k
    was killed by the update of step k - 1: its death_step is k - 1 and that update (its
    bias and incoming weights column, before and after) is kept. A neuron dead at step 0 is
    dead from init: death_step 0 and no killing update (``killing_update`` tells it apart
    from a neuron killed by step 0's update). If no step-0 call is made, neurons start alive.

    ``death_step[l][i]`` is the step whose update began the neuron's current death, -1
    while it is alive; ``ever_died`` and ``revived`` are sticky.
    """

    def __init__(self, layer_sizes) -> None:
        """``layer_sizes``: the widths of the tracked (hidden) layers, e.g. (8, 8)."""
        sizes = tuple(operator.index(s) for s in layer_sizes)
        if any(s < 1 for s in sizes):
            raise ValueError(f"hidden layer sizes must be >= 1, got {sizes}")
        self.hidden_sizes = sizes
        self.death_step = [np.full(k, -1, dtype=np.int64) for k in self.hidden_sizes]
        self.ever_died = [np.zeros(k, dtype=bool) for k in self.hidden_sizes]
        self.revived = [np.zeros(k, dtype=bool) for k in self.hidden_sizes]
        self._dead = [np.zeros(k, dtype=bool) for k in self.hidden_sizes]
        self._killings: list[dict[int, dict]] = [{} for _ in self.hidden_sizes]

    def _masks(self, dead_masks) -> list[np.ndarray]:
        masks = [np.asarray(m, dtype=bool) for m in dead_masks]
        shapes = [m.shape for m in masks]
        if shapes != [(k,) for k in self.hidden_sizes]:
            raise ValueError(f"dead_masks shapes {shapes} do not match hidden layer sizes "
                             f"{self.hidden_sizes}")
        return masks

    def update(self, step, dead_masks, net_before_weights=None, net_before_biases=None,
               net_after_weights=None, net_after_biases=None) -> None:
        """Record the dead masks of the network after ``step`` updates (0: the initial network);
        a death is recorded at step ``step - 1``, whose update caused it."""
        step = operator.index(step)
        masks = self._masks(dead_masks)
        params = (net_before_weights, net_before_biases, net_after_weights, net_after_biases)
        if step > 0 and any(p is None for p in params):
            raise ValueError("weights and biases before and after the update are required for step > 0")
        for l, dead in enumerate(masks):
            died = dead & ~self._dead[l]
            came_back = self._dead[l] & ~dead
            self.death_step[l][died] = max(step - 1, 0)
            self.death_step[l][came_back] = -1
            self.ever_died[l] |= died
            self.revived[l] |= came_back
            self._dead[l] = dead.copy()
            if step > 0:
                self._record(l, np.flatnonzero(died), step - 1, *params)

    def _record(self, l, neurons, step, w_before, b_before, w_after, b_after) -> None:
        if neurons.size == 0:
            return
        wb = np.asarray(w_before[l], dtype=np.float64)[:, neurons]
        wa = np.asarray(w_after[l], dtype=np.float64)[:, neurons]
        bb = np.asarray(b_before[l], dtype=np.float64)[neurons]
        ba = np.asarray(b_after[l], dtype=np.float64)[neurons]
        for j, i in enumerate(neurons.tolist()):
            self._killings[l][i] = {
                "step": step, "bias_before": float(bb[j]), "bias_after": float(ba[j]),
                "w_before": wb[:, j].copy(), "w_after": wa[:, j].copy(),
            }

    def killing_update(self, layer, neuron) -> dict | None:
        """The update behind the neuron's latest death during training, or None.

        None if it never died, or if it has only been dead from init.
        """
        if not 0 <= layer < len(self.hidden_sizes) or not 0 <= neuron < self.hidden_sizes[layer]:
            raise IndexError(f"no hidden neuron ({layer}, {neuron}); hidden sizes {self.hidden_sizes}")
        record = self._killings[layer].get(neuron)
        if record is None:
            return None
        return {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in record.items()}
