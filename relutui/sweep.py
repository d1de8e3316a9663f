"""Grid sweeps: every combination of a few settings, over several seeds, in parallel.

    from relutui.sweep import run_sweep
    result = run_sweep(TrainConfig(), {"activation": ["relu", "sigmoid"], "lr": [0.1, 1.0]},
                       seeds=5, steps=300, jobs=2)
    for cell in result.cells:
        print(cell.settings, cell.summary["dead_fraction"]["mean"])

Each run is ``experiments.run_one`` in a worker process; results come back in grid
order whatever the number of jobs, so the numbers do not depend on ``jobs``.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .experiments import MAX_SEEDS, MAX_STEPS, _seed_list, run_one, summarize
from .parallel import pmap
from .training import TrainConfig

__all__ = ["GRID_FIELDS", "MAX_RUNS", "METRICS", "SweepCell", "SweepResult", "run_sweep"]

GRID_FIELDS = ("activation", "lr", "bias_init", "init", "optimizer", "dataset")
MAX_RUNS = 20_000
# metric name -> (summary key, higher is better)
METRICS = {"loss": ("loss", False), "accuracy": ("accuracy", True), "dead": ("dead_fraction", False),
           "saturated": ("saturated_fraction", False), "sparsity": ("sparsity", True)}


@dataclass
class SweepCell:
    settings: dict[str, Any]           # the grid values of this cell
    config: TrainConfig                # full config (seed = first seed)
    records: list[dict]                # per-seed run records (no history)
    summary: dict[str, dict]           # experiments.summarize(records)


@dataclass
class SweepResult:
    grid: dict[str, list]
    seeds: list[int]
    steps: int
    cells: list[SweepCell]

    def to_csv(self) -> str:
        """One row per cell: the grid values, then mean and std of each metric over seeds."""
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        keys = list(self.grid)
        metrics = ("loss", "accuracy", "test_accuracy", "dead_fraction", "saturated_fraction",
                   "sparsity", "diverged")
        w.writerow([*keys, "seeds", "steps", *(f"{m}_{s}" for m in metrics for s in ("mean", "std"))])
        for cell in self.cells:
            row: list[Any] = [cell.settings[k] for k in keys] + [len(self.seeds), self.steps]
            for m in metrics:
                s = cell.summary[m]
                row += ["" if s["mean"] is None else repr(s["mean"]),
                        "" if s["std"] is None else repr(s["std"])]
            w.writerow(row)
        return buf.getvalue()

    def to_json_dict(self) -> dict:
        return {
            "grid": self.grid, "seeds": self.seeds, "steps": self.steps,
            "cells": [{"settings": c.settings, "summary": c.summary,
                       "runs": [{"seed": r["seed"], "summary": r["summary"]} for r in c.records]}
                      for c in self.cells],
        }


def _task(task: tuple) -> dict:
    config, steps = task
    return run_one(config, steps, keep_history=False)


def plan_sweep(base: TrainConfig, grid: Mapping[str, Sequence[Any]], seeds: int | Sequence[int],
               steps: int, first_seed: int = 0) -> tuple[list[dict], list[TrainConfig], list[int]]:
    """Validate the grid: the cells' settings, their configs, and the seed list.

    ValueError with a clear message on an unknown setting, an empty axis, a bad value
    or a grid too large.
    """
    unknown = [k for k in grid if k not in GRID_FIELDS]
    if unknown:
        raise ValueError(f"cannot sweep {unknown[0]!r}; sweepable: {', '.join(GRID_FIELDS)}")
    for k, values in grid.items():
        if not values:
            raise ValueError(f"{k}: no values to sweep")
    if not isinstance(steps, int) or not 1 <= steps <= MAX_STEPS:
        raise ValueError(f"steps must be a whole number from 1 to {MAX_STEPS}, got {steps!r}")
    seed_list = _seed_list(seeds, first_seed)
    if len(seed_list) > MAX_SEEDS:
        raise ValueError(f"at most {MAX_SEEDS} seeds")
    keys = list(grid)
    n_cells = math.prod(len(grid[k]) for k in keys)  # before building any cell: a 4-million-cell
    n_runs = n_cells * len(seed_list)                   # grid must not be built to be refused
    if n_runs > MAX_RUNS:
        raise ValueError(f"the grid needs {n_runs} runs ({n_cells} cells x {len(seed_list)} seeds); "
                         f"the limit is {MAX_RUNS}")
    cells, configs = [], []
    for combo in itertools.product(*(grid[k] for k in keys)):
        settings = dict(zip(keys, combo))
        cfg = replace(base, **settings).validate()
        settings = {k: getattr(cfg, k) for k in keys}
        cells.append(settings)
        configs.append(cfg)
    return cells, configs, seed_list


def run_sweep(base: TrainConfig, grid: Mapping[str, Sequence[Any]], seeds: int | Sequence[int] = 5,
              steps: int = 300, jobs: int = 1, first_seed: int = 0,
              progress: Callable[[int, int], None] | None = None) -> SweepResult:
    """Train every cell of the grid over every seed; ``progress(done, total)`` after each run."""
    cells, configs, seed_list = plan_sweep(base, grid, seeds, steps, first_seed)
    tasks = [(replace(cfg, seed=s), steps) for cfg in configs for s in seed_list]
    records = pmap(_task, tasks, jobs,
                   None if progress is None else (lambda done, i: progress(done, len(tasks))))
    n = len(seed_list)
    out = []
    for i, (settings, cfg) in enumerate(zip(cells, configs)):
        recs = records[i * n:(i + 1) * n]
        out.append(SweepCell(settings, replace(cfg, seed=seed_list[0]), recs, summarize(recs)))
    axes = {k: list(dict.fromkeys(c[k] for c in cells)) for k in grid}
    return SweepResult(axes, seed_list, steps, out)
