"""Measures taken while training: which hidden neurons are dead on the whole training set.

The engine's own death tracker looks at each step's minibatch, so with ``--batch-size 16`` a
neuron off on 16 samples counts as dead and "revives" on the next batch. The claims about
dead neurons are about the training set: a neuron is dead when f'(z) = 0 on every training
sample, checked after every update.
"""

from __future__ import annotations

import numpy as np

from ..training import TrainingRun


def dead_on_training_set(run: TrainingRun) -> np.ndarray:
    """One bool per hidden neuron (layer after layer): f'(z) = 0 on every training sample
    (the diagnostics' DEAD, without their saturation work)."""
    trace = run.trace()
    masks = [np.all(act.derivative(z) == 0.0, axis=0)
             for act, z in zip(run.net.activations[:-1], trace.z[:-1])]
    return np.concatenate(masks) if masks else np.zeros(0, dtype=bool)


def train_watching_deaths(run: TrainingRun, steps: int) -> dict:
    """Train ``steps`` updates, checking the dead set on the whole training set after each.

    Returns counts over the hidden neurons: dead at the start, dead at the end, ever dead,
    revived (dead at some step, alive at a later one), died during training (alive at the
    start, dead later) and the number of neurons. Module-level: picklable for worker processes.
    """
    dead = dead_on_training_set(run)
    start, ever = dead.copy(), dead.copy()
    revived = np.zeros_like(dead)
    for _ in range(steps):
        run.train(1)
        if run.diverged:
            break
        now = dead_on_training_set(run)
        revived |= dead & ~now
        ever |= now
        dead = now
    return {"set_dead_at_start": int(start.sum()), "set_dead_at_end": int(dead.sum()),
            "set_ever_dead": int(ever.sum()), "set_revived": int(revived.sum()),
            "set_died_in_training": int((ever & ~start).sum()), "hidden_neurons": int(dead.size)}
