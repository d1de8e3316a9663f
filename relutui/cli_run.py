"""The subcommands that show and run things: ``relutui list``, ``relutui plot`` and ``relutui run``
(an experiment of the article's claims, or one free-form training).

Each is a pair: ``build_<name>_parser(sub)`` adds its subparser, ``run_<name>(args)`` runs it.
"""

from __future__ import annotations

import argparse
import os
import sys

from relutui.cli_config import (UsageError, _check_data_file, activation_params as _params, add_config_flags,
                                config_changes, config_from_args, flag_error as _flag_error,
                                number as _float, positive as _positive)
from relutui.cli_output import (_VERDICT_STYLE, _count, _print_json, _Progress, _stat_cells, _stdout_console,
                                _csv_on_stdout, _word_width, check_writable, write_atomic)
from relutui.safe_text import printable
from relutui.settings import setting_text

def build_list_parser(sub) -> argparse.ArgumentParser:
    return sub.add_parser("list", help="table of every activation function",
                          description="Every activation: name, formula, output range and the "
                                      "derivative used exactly at its kinks.")


def run_list(args: argparse.Namespace) -> int:
    """One row per activation where the terminal is wide enough for the formulas (~150
    columns); else (80 columns, a pipe) two columns, name and definition, the definition's
    formula, range with f' at the kinks, and parameters each on a line of their own: no cell
    is cut mid-word ("negative_slo|pe=0.01")."""
    from rich.table import Table

    from .activations import ACTIVATIONS, ALIASES, get_activation

    aliases: dict[str, list[str]] = {}
    for alias, target in ALIASES.items():
        aliases.setdefault(target, []).append(alias)
    rows = []
    for name in ACTIVATIONS:
        act = get_activation(name)
        label = name + (f" ({', '.join(aliases[name])})" if name in aliases else "")
        params = ", ".join(f"{k}={v:g}" for k, v in act.params.items())
        rows.append((label, act.formula, act.describe_range(), act.describe_kinks(), params))
    console = _stdout_console()
    table = Table(title="Activation functions", show_lines=False)
    table.add_column("name", no_wrap=True)
    for col in ("formula", "range", "f' at kinks", "parameters"):
        table.add_column(col, no_wrap=True)
    for label, formula, range_, kinks, params in rows:
        table.add_row(label, formula, range_, kinks, params or "-")
    if console.measure(table, options=console.options.update_width(10_000)).maximum > console.width:
        table = Table(title="Activation functions", show_lines=True)
        table.add_column("name", no_wrap=True)
        table.add_column("f(x) · range · f' at kinks · parameters")
        for label, formula, range_, kinks, params in rows:
            table.add_row(label, "\n".join(filter(None, [formula, f"range {range_} · {kinks}", params])))
    console.print(table)
    return 0


# ------------------------------------------------------------------ plot
def build_plot_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("plot", help="plot f and f' of an activation in the terminal",
                       description="Plot an activation f and its derivative f' with plotext, "
                                   "kinks marked (the article's pyplot demo, in the terminal).")
    p.add_argument("name", metavar="NAME", help="activation name (see 'relutui list')")
    p.add_argument("--range", nargs=2, metavar=("A", "B"), default=["-10", "10"],
                   help="x range (default -10 10)")
    p.add_argument("--param", action="append", metavar="K=V", default=None,
                   help="activation parameter, e.g. negative_slope=0.1; derivative_at_kink=0.5")
    p.add_argument("--points", default="801", metavar="N", help="samples along x (default 801)")
    p.add_argument("--size", nargs=2, metavar=("W", "H"), default=None,
                   help="chart size in characters (default: terminal size, at most 100x30)")
    return p


def run_plot(args: argparse.Namespace) -> int:
    a, b = (_float(v, "--range") for v in args.range)
    if not a < b:
        raise UsageError(f"--range needs A < B, got {args.range[0]} {args.range[1]}")
    if max(abs(a), abs(b)) > 1e6:
        raise UsageError("--range must lie within -1e6 and 1e6")
    points = _positive(args.points, "--points", 20_000, lo=2)
    params = _params(args.param)
    if args.size:
        width = _positive(args.size[0], "--size W", 1000, lo=20)
        height = _positive(args.size[1], "--size H", 500, lo=8)
    else:
        cols, rows = _terminal_size()
        width, height = min(cols, 100), min(max(rows - 2, 12), 30)

    from .activations import get_activation

    try:
        act = get_activation(args.name, **params)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if "derivative_at_kink" in params and not act.kinks:
        raise UsageError(f"--param derivative_at_kink: {act.name} is smooth (no kink), so the value "
                         f"of f' at a kink does not apply")
    import numpy as np
    import plotext as plt

    x = np.linspace(a, b, points)
    kinks = [k for k in act.kinks if a <= k <= b]
    x = np.union1d(x, np.asarray(kinks, dtype=np.float64))  # the kink itself, exactly
    with np.errstate(over="ignore", invalid="ignore"):
        f = act.forward(x)
        fp = act.derivative(x)
    _check_plottable(act, f, fp, params, a, b)
    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    plt.clear_figure()
    plt.plotsize(width, height)
    if not colour:
        plt.theme("clear")
    plt.plot(x.tolist(), f.tolist(), label="f(x)", marker="braille")
    plt.plot(x.tolist(), fp.tolist(), label="f'(x)", marker="braille" if colour else "·")
    for k, d in zip(act.kinks, act.kink_derivatives):
        if a <= k <= b:
            plt.vline(k)
            plt.scatter([k], [float(act.forward(np.array([k]))[0])], marker="●")
            plt.scatter([k], [d], marker="○")
    title = f"{act.display_name}: f(x) = {act.formula}"
    kinks_text = act.describe_kinks()
    plt.title(title if kinks_text == "smooth" else f"{title}   kinks: {kinks_text}")
    plt.xlabel("x")
    chart = plt.build()
    sys.stdout.write((chart if colour else plt.uncolorize(chart)) + "\n")
    plt.clear_figure()
    return 0


PLOT_MAX_ABS = 1e12  # plotext turns each value into a screen row: beyond this its arithmetic fails


def _check_plottable(act, f, fp, params: dict, a: float, b: float) -> None:
    """Refuse values plotext cannot draw (it crashed on inf and nan): one clear line."""
    import numpy as np

    kink_values = np.asarray(act.kink_derivatives, dtype=np.float64)
    for what, values in (("f(x)", f), ("f'(x)", fp), ("f' at the kink", kink_values)):
        if values.size and not (np.all(np.isfinite(values)) and np.max(np.abs(values)) <= PLOT_MAX_ABS):
            given = ", ".join(f"{k}={v:g}" for k, v in params.items())
            raise UsageError(f"{what} of {act.name}{' with ' + given if given else ''} goes beyond "
                             f"±{PLOT_MAX_ABS:g} on [{a:g}, {b:g}]: too large to plot; "
                             f"choose smaller parameters or a narrower --range")


def _terminal_size() -> tuple[int, int]:
    size = os.get_terminal_size(sys.stdout.fileno()) if sys.stdout.isatty() else None
    if size is None:
        return 100, 30
    return size.columns, size.lines


# ------------------------------------------------------------------ run
def build_run_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "run", help="run an experiment (or one free-form training) without the UI",
        description="Run one of the article's claims as an experiment over several seeds and "
                    "print the measured verdict, or train one free-form config. Config flags "
                    "given with --experiment change that setting in every arm, or with --arm KEY "
                    "in that arm only.")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--experiment", "-e", metavar="NAME", help="experiment to run (see --list)")
    what.add_argument("--list", action="store_true", help="list the experiments and their claims")
    p.add_argument("--arm", metavar="KEY", default=None,
                   help="apply the config flags to this arm of the experiment only (its key, "
                        "as printed by the run)")
    p.add_argument("--seeds", metavar="N", default=None,
                   help="number of seeds (default: the experiment's, 1 for a free-form run)")
    p.add_argument("--steps", metavar="N", default=None,
                   help="training steps per run (default: the experiment's, 500 free-form)")
    p.add_argument("--jobs", metavar="N", default="1", help="worker processes (default 1)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    out.add_argument("--csv", metavar="FILE", help="write the per-step histories to a CSV file")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    add_config_flags(p)
    return p


def run_run(args: argparse.Namespace) -> int:
    from . import experiments as ex

    if args.list:
        from relutui.cli_claims import print_experiment_list

        return print_experiment_list(as_json=args.json)
    jobs = _positive(args.jobs, "--jobs", 256)
    steps = None if args.steps is None else _positive(args.steps, "--steps", ex.MAX_STEPS)
    seeds = None if args.seeds is None else _positive(args.seeds, "--seeds", ex.MAX_SEEDS)
    if args.csv is not None:  # --csv '' is refused, not ignored
        check_writable(args.csv, args.force)
    changes = config_changes(args)
    first_seed = changes.pop("seed", 0)
    if args.experiment is not None:
        try:
            exp = ex.get_experiment(args.experiment)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        if args.arm is not None and args.arm not in exp.keys:
            raise UsageError(f"experiment {exp.name} has no arm {args.arm!r}; arms: {', '.join(exp.keys)}")
        try:
            if args.arm is not None:
                exp = exp.with_arm_changes(args.arm, **changes)
            else:
                exp = exp.with_changes(**changes)
            ex._seed_list(seeds or exp.seeds, first_seed)
        except (TypeError, ValueError) as exc:
            raise _flag_error(exc) from None
        _check_data_file(changes.get("data_path"), first_seed)
    else:
        if args.arm is not None:
            raise UsageError("--arm needs --experiment: a free-form run has one arm")
        config = config_from_args(args, seed=first_seed)
        exp = ex.free_form(config, steps=steps or 500, seeds=seeds or 1)
    n_seeds = seeds or exp.seeds
    n_steps = steps or exp.steps
    total_runs = len(exp.arms) * n_seeds
    with _Progress(exp.name, total_runs, long_job=total_runs * n_steps > 200_000) as bar:
        try:
            result = ex.run_experiment(exp, seeds=n_seeds, steps=n_steps, first_seed=first_seed,
                                       jobs=jobs, progress=bar.update)
        except ValueError as exc:
            raise _flag_error(exc) from None
    if args.json:
        _print_json(result.to_json_dict())
        return 0
    if args.csv:
        write_atomic(args.csv, experiment_csv(result), force=args.force)
        if _csv_on_stdout(args.csv):
            return 0  # standard output holds the CSV alone
    _print_result(result, csv_path=args.csv and printable(args.csv))
    return 0


def experiment_csv(result) -> str:
    """One row per arm, seed and logged step; per-layer columns numbered from 1."""
    import csv
    import io

    n_hidden = max((len(r["history"]["dead_fraction"][0]) for recs in result.records.values()
                    for r in recs if r["history"]["dead_fraction"]), default=0)
    n_layers = max((len(r["history"]["grad_norm"][0]) for recs in result.records.values()
                    for r in recs if r["history"]["grad_norm"]), default=0)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["arm", "seed", "step", "loss", "accuracy", "test_loss", "test_accuracy",
                *(f"dead_fraction_{i + 1}" for i in range(n_hidden)),
                *(f"saturated_fraction_{i + 1}" for i in range(n_hidden)),
                *(f"grad_norm_{i + 1}" for i in range(n_layers))])

    def cell(v):
        return "" if v is None else repr(float(v))

    def pad(row, n):
        row = list(row or [])
        return [cell(v) for v in row] + [""] * (n - len(row))

    for label, recs in result.records.items():
        for r in recs:
            h = r["history"]
            for i, step in enumerate(h["step"]):
                w.writerow([label, r["seed"], int(step), cell(h["loss"][i]), cell(h["accuracy"][i]),
                            cell(h["test_loss"][i]), cell(h["test_accuracy"][i]),
                            *pad(h["dead_fraction"][i], n_hidden),
                            *pad(h["saturated_fraction"][i], n_hidden),
                            *pad(h["grad_norm"][i], n_layers)])
    return buf.getvalue()


def _print_result(result, csv_path: str | None = None) -> None:
    from rich.table import Table
    from rich.text import Text

    con = _stdout_console()
    exp = result.experiment
    if not result.free_form:
        con.print(Text(f"{exp.name}: {exp.title}", style="bold"))
        con.print(Text(f"Claim: {exp.claim}"))
        con.print(Text(f"Why: {exp.explanation}", style="dim"))
    else:
        con.print(Text("free-form run", style="bold"))
    con.print(Text(f"{_count(len(result.seeds), 'seed')} ({result.seeds[0]}..{result.seeds[-1]}), "
                   f"{result.steps} steps per run"))
    table = Table(show_lines=False)
    table.add_column("arm", no_wrap=True, min_width=max(len(arm.label) for arm in exp.arms))
    summaries = result.summaries()
    rows = [_stat_cells(summaries[arm.key], saturated=True) for arm in exp.arms]
    for i, col in enumerate(("loss", "accuracy", "dead", "saturated", "diverged")):
        table.add_column(col, justify="right", min_width=_word_width(r[i] for r in rows))
    for arm in exp.arms:
        c = arm.config
        def text(field: str) -> str:
            return setting_text(field, getattr(c, field))

        settings = (f"{c.activation} {text('layers')} lr={text('lr')} bias={text('bias_init')} "
                    f"init={c.init}" + (f"({text('init_std')})" if c.init == "normal" else "")
                    + (f" clip={text('clip_norm')}" if c.clip_norm else "")
                    + (f" f'(kink)={text('derivative_at_kink')}" if c.derivative_at_kink is not None else "")
                    + f" {c.data_path or c.dataset}")
        key = "" if arm.key == arm.label else f" [{arm.key}]"
        con.print(Text.assemble("  ", (arm.label, "bold"), key, f": {settings}"))
    for arm, cells in zip(exp.arms, rows):
        table.add_row(arm.label, *cells)
    con.print(table)
    if result.verdict_obj is not None:
        v = result.verdict_obj
        con.print(Text.assemble("Verdict: ", (v["verdict"], _VERDICT_STYLE[v["verdict"]])))
        for key, value in v["evidence"].items():
            if key == "criterion":
                continue
            con.print(Text(f"  {key.replace('_', ' ')}: {evidence_text(value)}"))
        con.print(Text(f"  rule: {v['evidence'].get('criterion', '')}", style="dim"))
    for t in getattr(result, "tables", None) or []:
        _print_table(con, t)
    if csv_path:
        con.print(Text(f"histories written to {csv_path}", style="dim"))


def evidence_text(value) -> str:
    """An evidence value in words, not JSON: per-arm figures as "negative bias 1, zero bias
    0.0312", lists with commas, numbers as ``fmt_honest`` (never a false whole number)."""
    from relutui.format import fmt_honest

    if isinstance(value, dict) and set(value) == {"what", "value"}:  # the deciding number
        return f"{value['what']} = {evidence_text(value['value'])}"
    if isinstance(value, dict):
        return "; ".join(f"{str(k).replace('_', ' ')} {evidence_text(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(evidence_text(v) for v in value) + "]"
    if isinstance(value, bool) or value is None:
        return {True: "yes", False: "no", None: "-"}[value]
    if isinstance(value, float):
        return fmt_honest(value, 4)
    return str(value)


def _print_table(con, t: dict) -> None:
    """A graded sweep of the experiment (shown beside the verdict, not part of it)."""
    from rich.table import Table
    from rich.text import Text

    def cell(v) -> str:
        if v is None:
            return "-"
        if isinstance(v, float):
            return f"{v:.3g}"
        return str(v)

    con.print(Text(f"Table: {t['title']}", style="bold"))
    table = Table()
    for col in t["columns"]:
        table.add_column(col, justify="right")
    for row in t["rows"]:
        table.add_row(*(cell(v) for v in row))
    con.print(table)
    if t.get("note"):
        con.print(Text(f"  {t['note']}", style="dim"))
