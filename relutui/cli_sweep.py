"""``relutui sweep``: a grid of settings trained over seeds in worker processes, a table of
the cells and a heat-map of one metric. The sweepable settings are the rows of
``relutui.settings`` marked ``sweep``.
"""

from __future__ import annotations

import argparse
import os

from relutui.cli_config import (GRID_FIELDS, UsageError, add_config_flags, config_from_args, flag_error,
                                flag_of, grid_values, positive as _positive)
from relutui.cli_output import (_Progress, _count, _print_json, _setting_text, _stat_cells, _stdout_console,
                                _csv_on_stdout, _word_width, check_writable, write_atomic)
from relutui.safe_text import printable
from relutui.format import fmt_honest, fmt_pct
from relutui.settings import setting, setting_text

def build_sweep_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "sweep", help="train a grid of settings over seeds, in parallel",
        description="Train every combination of the comma-separated values over several seeds "
                    "in worker processes; print final loss, accuracy and dead fraction per cell "
                    "(mean ± std over seeds) and a heat-map of one metric.")
    p.add_argument("--seeds", metavar="N", default="5", help="seeds per cell (default 5)")
    p.add_argument("--steps", metavar="N", default="300", help="training steps per run (default 300)")
    p.add_argument("--jobs", metavar="N", default=None,
                   help=f"worker processes (default: every core, {os.cpu_count()})")
    p.add_argument("--metric", choices=("dead", "loss", "accuracy", "saturated", "sparsity"),
                   default="dead", help="metric of the heat-map (default dead)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--csv", metavar="FILE", help="write one row per cell to a CSV file")
    out.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    add_config_flags(p, grid=True)
    return p


def _words(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " or " + items[-1] if len(items) > 1 else "".join(items)


def _value(field: str, value) -> str:
    """A cell's setting as its column shows it: a number exactly, a name as such."""
    return value if isinstance(value, str) else setting_text(field, value)


def run_sweep(args: argparse.Namespace) -> int:
    from . import experiments as ex
    from .sweep import METRICS, run_sweep as sweep

    seeds = _positive(args.seeds, "--seeds", ex.MAX_SEEDS)
    steps = _positive(args.steps, "--steps", ex.MAX_STEPS)
    jobs = (os.cpu_count() or 1) if args.jobs is None else _positive(args.jobs, "--jobs", 256)
    if args.csv is not None:  # --csv '' is refused, not ignored
        check_writable(args.csv, args.force)
    grid: dict[str, list] = {}
    for field in GRID_FIELDS:
        text = getattr(args, setting(field).flag.replace("-", "_"))
        if text is not None:
            grid[field] = grid_values(field, text)
    if not grid:
        raise UsageError("nothing to sweep: give comma-separated values to "
                         + _words([flag_of(f) for f in GRID_FIELDS]))
    base = config_from_args(args, skip=GRID_FIELDS, **{f: v[0] for f, v in grid.items()})
    first_seed = base.seed
    from .sweep import plan_sweep

    try:
        cells, _, _ = plan_sweep(base, grid, seeds, steps, first_seed)
    except ValueError as exc:
        raise flag_error(exc) from None
    total = len(cells) * seeds
    with _Progress("sweep", total, long_job=total * steps > 200_000) as bar:
        result = sweep(base, grid, seeds=seeds, steps=steps, jobs=jobs, first_seed=first_seed,
                       progress=bar.update)
    if args.json:
        _print_json(ex._jsonable(result.to_json_dict()))
        return 0
    if args.csv:
        write_atomic(args.csv, result.to_csv(), force=args.force)
        if _csv_on_stdout(args.csv):
            return 0  # standard output holds the CSV alone
    _print_sweep(result, args.metric, METRICS)
    if args.csv:
        from rich.text import Text

        _stdout_console().print(Text(f"cells written to {printable(args.csv)}", style="dim"))
    return 0


def _print_sweep(result, metric: str, metrics: dict) -> None:
    from rich.table import Table
    from rich.text import Text

    con = _stdout_console()
    keys = list(result.grid)
    con.print(Text(f"{_count(len(result.cells), 'cell')} x {_count(len(result.seeds), 'seed')}, "
                   f"{result.steps} steps; mean ± std over seeds", style="bold"))
    settings = [[_value(k, cell.settings[k]) for k in keys] for cell in result.cells]
    table = Table()
    for i, k in enumerate(keys):
        header = flag_of(k).lstrip("-")
        # the settings name the cells: never cut (relu6 must not read "rel…"); the figures wrap
        table.add_column(header, no_wrap=True,
                         min_width=max(len(header), *(len(row[i]) for row in settings)))
    rows = [_stat_cells(cell.summary) for cell in result.cells]
    for i, col in enumerate(("loss", "accuracy", "dead", "diverged")):
        table.add_column(col, justify="right", min_width=_word_width(r[i] for r in rows))
    for names, cells in zip(settings, rows):
        table.add_row(*names, *cells)
    con.print(table)
    con.print(heatmap(result, metric, metrics))


def heatmap(result, metric: str, metrics: dict):
    """A Rich table: one row per combination of the other axes, one column per value of
    the column axis (lr if swept, else the last swept axis); cells coloured by the metric."""
    from rich.color import Color
    from rich.style import Style
    from rich.table import Table

    key, higher_better = metrics[metric]
    multi = [k for k, v in result.grid.items() if len(v) > 1]
    col_axis = "lr" if "lr" in multi else (multi[-1] if multi else list(result.grid)[-1])
    row_axes = [k for k in result.grid if k != col_axis]
    values = [c.summary[key]["mean"] for c in result.cells if c.summary[key]["mean"] is not None]
    if key in ("accuracy", "dead_fraction", "saturated_fraction", "sparsity"):
        lo, hi = 0.0, 1.0
    else:
        lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    table = Table(title=f"{metric} (mean over seeds; {'green = high' if higher_better else 'green = low'})")
    table.add_column(" ".join(flag_of(k).lstrip("-") for k in row_axes) or "")
    for v in result.grid[col_axis]:
        table.add_column(_setting_text(col_axis, v), justify="center")
    rows: dict[tuple, dict] = {}
    for cell in result.cells:
        rkey = tuple(cell.settings[k] for k in row_axes)
        rows.setdefault(rkey, {})[cell.settings[col_axis]] = cell.summary[key]["mean"]
    for rkey, by_col in rows.items():
        label = " ".join(_setting_text(k, v) for k, v in zip(row_axes, rkey))
        cells = []
        for v in result.grid[col_axis]:
            m = by_col.get(v)
            if m is None:
                cells.append("-")
                continue
            t = 0.5 if hi == lo else (m - lo) / (hi - lo)
            good = t if higher_better else 1.0 - t
            r, g = int(200 * (1 - good)) + 30, int(170 * good) + 30
            bg = Color.from_rgb(r, g, 40)
            text = fmt_pct(m, 0) if key != "loss" else fmt_honest(m)
            from rich.text import Text

            cells.append(Text(f" {text} ", style=Style(bgcolor=bg, color="white", bold=True)))
        table.add_row(label, *cells)
    return table
