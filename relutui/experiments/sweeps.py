"""Helpers for graded claims: gradient norms at initialisation, sweep tables, number words.

A sweep table is a plain dict (JSON-ready) that ``relutui run`` prints and ``--json`` carries:
``{"name", "title", "columns": [str], "rows": [[cell]], "note"}``; a cell is a number, a
string or None (not measured / not finite).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from ..training import TrainConfig, TrainingRun


def init_grad_norms(config: TrainConfig) -> list[float | None]:
    """||dL/dW|| of every weight layer at initialisation (step 0, before any update)."""
    run = TrainingRun(config.validate(), history_capacity=4)
    run.train(1)
    rows = run.history.to_dict()["grad_norm"]
    if not rows:  # diverged at step 0: the gradient overflowed
        return [None] * (len(config.layers) + 1)
    return rows[0]


def first_over_last(norms: Sequence[float | None]) -> float | None:
    """||dL/dW_1|| / ||dL/dW_last||, None if not finite or the last is 0."""
    if not norms or norms[0] is None or norms[-1] is None or norms[-1] <= 0:
        return None
    return norms[0] / norms[-1]


def total_norm(norms: Sequence[float | None]) -> float | None:
    if not norms or any(g is None for g in norms):
        return None
    t = math.sqrt(sum(g * g for g in norms))
    return t if math.isfinite(t) else None


def geo_mean(values: Iterable[float | None]) -> float | None:
    """Geometric mean of the positive finite values (None if there are none)."""
    logs = [math.log(v) for v in values if v is not None and v > 0 and math.isfinite(v)]
    return math.exp(statistics.fmean(logs)) if logs else None


def median(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return statistics.median(vals) if vals else None


def seeded(config: TrainConfig, seed: int, **changes: Any) -> TrainConfig:
    return replace(config, seed=seed, **changes).validate()


def table(name: str, title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]],
          note: str = "") -> dict:
    return {"name": name, "title": title, "columns": list(columns),
            "rows": [list(r) for r in rows], "note": note}


def sig(x: float | None, digits: int = 2) -> str:
    """A number in words: 3 significant digits at most, 1.2e-05 style when tiny or huge."""
    if x is None or not math.isfinite(x):
        return "n/a"
    if x == 0:
        return "0"
    if 1e-3 <= abs(x) < 1e5:
        return f"{x:.{digits}g}" if abs(x) < 10 ** digits else f"{x:,.0f}"
    return f"{x:.{max(digits - 1, 1)}e}"


def times(ratio: float | None) -> str:
    """A ratio under 1 as "N× less" / over 1 as "N× more": 0.2 -> "5× less"."""
    if ratio is None or not math.isfinite(ratio) or ratio <= 0:
        return "n/a"
    if ratio < 1:
        return f"{sig(1 / ratio)}× less"
    return f"{sig(ratio)}× more"
