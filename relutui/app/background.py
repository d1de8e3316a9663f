"""Training that does not fit in a frame runs in a thread, on copies of the runs.

At the largest sizes the limits allow (10 layers of 32, 100,000 samples, full batch) one
training step takes seconds: on the UI thread every key waited for it (1.7-4.4 s), and a
lesson's ``steps`` trained before the first frame (minutes, on a blank screen that ignored
``q``). A :class:`TrainJob` trains *copies* of the runs in a daemon thread while the app keeps
drawing the runs it has (no thread ever touches what the UI reads); when the job is done
the app adopts the copies, unless the network changed meanwhile (a key reset it, changed a
setting...), in which case the job's steps are dropped. A job stops after ``max_seconds``
(at least one step) so that progress shows and a cancel is noticed between steps.
"""

from __future__ import annotations

import copy
import threading
import time
from typing import Callable

import numpy as np

__all__ = ["TrainJob", "copy_run", "step_work", "SLOW_WORK"]

# Multiply-adds of one step (rows of the batch x weights) above which a step may not fit in a
# frame: the first step of such a network (its cost still unknown) goes to a thread too.
# The default network (200 points, 2-8-8-1) is ~2e4; 10 layers of 32 on 80,000 rows ~8e8.
SLOW_WORK = 2_000_000


def step_work(run) -> int:
    """Rows of one batch times the network's weights: a size estimate of one step's cost."""
    n_train = len(run.dataset.X_train)
    bs = run.config.batch_size
    rows = n_train if not bs or bs >= n_train else bs
    sizes = run.net.layer_sizes
    return rows * sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))


def copy_run(run):
    """A copy that training can change without touching ``run``: the data set is shared (never
    written) and so is the last step's result (each step replaces it; at the largest sizes it
    holds a gigabyte of activations)."""
    memo = {id(run.dataset): run.dataset}
    if run.last is not None:
        memo[id(run.last)] = run.last
    return copy.deepcopy(run, memo)


class TrainJob:
    """Up to ``n`` steps of every run in ``runs`` (copies: see ``copy_run``), in a daemon thread.

    ``done`` is set when it ends; ``steps`` says how many steps it trained, ``seconds`` how
    long they took, ``snapshots`` what the panels show of each run (``snapshot(run)``, so that
    the UI thread does not compute it: at the largest sizes it costs as much as a step),
    ``error`` what went wrong. ``on_done`` is called from the thread (the app
    passes ``post_message``-based callbacks, which are thread-safe)."""

    def __init__(self, runs: list, n: int, *, generation: int, purpose: str,
                 max_seconds: float = 0.25, on_done: Callable[["TrainJob"], None] | None = None,
                 snapshot: Callable | None = None) -> None:
        self.runs = [copy_run(r) for r in runs]
        self.n = max(1, int(n))
        self.generation = generation
        self.purpose = purpose
        self.max_seconds = max_seconds
        self.steps = 0
        self.seconds = 0.0
        self.error: BaseException | None = None
        self.done = threading.Event()
        self._cancel = threading.Event()
        self._on_done = on_done
        self._snapshot = snapshot  # what the panels show of a run (computed here, not on the UI thread)
        self.snapshots: list | None = None
        self._thread = threading.Thread(target=self._work, name=f"relutui-train-{purpose}", daemon=True)

    def start(self) -> "TrainJob":
        self._thread.start()
        return self

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _work(self) -> None:
        t0 = time.perf_counter()
        try:
            with np.errstate(all="ignore"):
                for _ in range(self.n):  # (as AppState._train: each run until it diverges)
                    if self._cancel.is_set() or all(r.diverged_at is not None for r in self.runs):
                        break
                    for r in self.runs:
                        if r.diverged_at is None:
                            r.train(1)
                    self.steps += 1
                    if time.perf_counter() - t0 >= self.max_seconds:
                        break
            self.seconds = time.perf_counter() - t0
            if self._snapshot is not None and self.steps and not self._cancel.is_set():
                self.snapshots = [self._snapshot(r) for r in self.runs]
        except BaseException as exc:  # reported by the app, never lost in the thread
            self.error = exc
        self.seconds = self.seconds or time.perf_counter() - t0
        self.done.set()
        if self._on_done is not None:
            try:
                self._on_done(self)
            except Exception:  # the app is gone (quit while the step ran)
                pass
