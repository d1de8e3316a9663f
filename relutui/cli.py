"""The ``relutui`` command line.

    relutui [APP FLAGS]              the interactive app (Textual)
    relutui list                     table of every activation
    relutui plot NAME                f and f' in the terminal (plotext)
    relutui run --experiment NAME    one of the article's claims, measured
    relutui run --list               the experiments and their claims
    relutui run --activation relu --lr 0.1 ... --json     one free-form training
    relutui sweep --activation relu,sigmoid --lr 0.01,0.1,1 --bias -3,0 --seeds 10

Structure: each subcommand is a pair of functions, ``build_<name>_parser(sub)``
that adds its subparser and ``run_<name>(args) -> int`` that runs it, listed in
``SUBCOMMANDS``. To add one (``demo``, ``serve``), write the pair and add it to
``SUBCOMMANDS`` (or call ``register_subcommand`` before ``main``).

Every bad argument ends with exit status 2 and one line on stderr,
``relutui: error: ...``. Heavy imports (numpy, rich, plotext, textual) happen
inside the ``run_*`` functions, so ``relutui --help`` stays instant.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Callable
from typing import Any

from .safe_text import glyph, install_ascii_fallback, printable

PROG = "relutui"

__all__ = ["main", "build_parser", "register_subcommand", "SUBCOMMANDS", "UsageError",
           "write_atomic", "config_from_args"]


class UsageError(Exception):
    """A bad argument: ``main`` prints ``relutui: error: <message>`` and returns 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but every error is one line: ``relutui: error: ...``, and values such as
    ``-3,0`` or ``-1e3`` are read as (negative) values, not as unknown options."""

    def __init__(self, *a: Any, **kw: Any) -> None:
        super().__init__(*a, **kw)
        import re

        self._negative_number_matcher = re.compile(r"^-(\d|\.\d|inf|nan)", re.IGNORECASE)

    def error(self, message: str):  # type: ignore[override]
        where = self.prog.split(" ", 1)[1] + ": " if " " in self.prog else ""
        hint = f" (see '{self.prog} --help')"
        self.exit(2, f"{PROG}: error: {where}{printable(message)}{hint}\n")


# ------------------------------------------------------------------ shared flags
# flag (without --) -> TrainConfig field, kind
_CONFIG_FLAGS: dict[str, tuple[str, str, str]] = {
    # flag: (field, kind, help)
    "activation": ("activation", "str", "hidden activation, e.g. relu (see 'relutui list')"),
    "lr": ("lr", "float", "learning rate"),
    "bias": ("bias_init", "float", "initial value of every hidden bias (e.g. -3 kills ReLUs)"),
    "dataset": ("dataset", "str", "xor, circles, moons, spiral, gaussians, linear or sine"),
    "data": ("data_path", "path", "your own CSV (columns x1,x2,label) instead of --dataset"),
    "layers": ("layers", "layers", "hidden layer sizes, e.g. 8,8"),
    "seed": ("seed", "int", "random seed (data, init, batches)"),
    "init": ("init", "str", "he, xavier, normal or zeros"),
    "init-std": ("init_std", "float", "standard deviation of the 'normal' init"),
    "optimizer": ("optimizer", "str", "sgd, momentum or adam"),
    "batch-size": ("batch_size", "int", "minibatch size (0 = full batch)"),
    "noise": ("noise", "float", "noise of the generated dataset"),
    "l2": ("l2", "float", "weight decay"),
    "clip": ("clip_norm", "float", "clip the gradient norm to this value"),
    "kink": ("derivative_at_kink", "float", "value of f' exactly at a kink (e.g. relu'(0))"),
    "samples": ("n_samples", "int", "number of generated points"),
}
_FIELD_TO_FLAG = {field: f"--{flag}" for flag, (field, _, _) in _CONFIG_FLAGS.items()}
_FIELD_TO_FLAG["activation_params"] = "--param"


def add_config_flags(parser: argparse.ArgumentParser, *, grid: bool = False, prefix: str = "",
                     title: str = "network and training") -> None:
    """The TrainConfig flags. ``grid``: the sweepable ones take comma-separated lists."""
    from_sweep = {"activation", "lr", "bias", "init", "optimizer", "dataset"}
    group = parser.add_argument_group(title)
    for flag, (_, kind, help_text) in _CONFIG_FLAGS.items():
        meta = {"str": "NAME", "float": "X", "int": "N", "path": "FILE.csv", "layers": "SIZES"}[kind]
        if grid and flag in from_sweep:
            meta, help_text = meta + ",...", help_text + " (comma-separated values to sweep)"
        group.add_argument(f"--{flag}", dest=prefix + flag.replace("-", "_"), metavar=meta,
                           default=None, help=help_text)
    group.add_argument("--param", dest=prefix + "param", action="append", metavar="K=V", default=None,
                       help="activation parameter, e.g. negative_slope=0.1 (repeatable)")


def _flag_error(exc: Exception) -> UsageError:
    """A core ValueError with the field name replaced by the flag the user typed."""
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    for field, flag in _FIELD_TO_FLAG.items():
        if msg.startswith(field + " ") or msg.startswith(field + ":"):
            msg = flag + msg[len(field):]
            break
    return UsageError(msg)


def _float(text: str, flag: str) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise UsageError(f"{flag} must be a number, got {text!r}") from None
    if not math.isfinite(value):
        raise UsageError(f"{flag} must be a finite number, got {text!r}")
    return value


def _int(text: str, flag: str) -> int:
    try:
        return int(str(text).strip())
    except ValueError:
        raise UsageError(f"{flag} must be a whole number, got {text!r}") from None


def _params(items: list[str] | None, flag: str = "--param") -> dict[str, float]:
    out: dict[str, float] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"{flag} must look like name=value, got {item!r}")
        out[key] = _float(value, f"{flag} {key}")
    return out


def _convert(flag: str, kind: str, text: str) -> Any:
    name = f"--{flag}"
    if kind == "float":
        return _float(text, name)
    if kind == "int":
        return _int(text, name)
    if kind == "layers":
        from .training import parse_layers

        try:
            return parse_layers(text)
        except ValueError as exc:
            raise _flag_error(exc) from None
    if kind == "path":
        from .io import FileRefused, check_input_file

        try:  # says what it is: a directory, a FIFO, a device ... (not "no such file")
            check_input_file(text, "CSV data file")
        except FileRefused as exc:
            raise UsageError(f"--data: {exc}") from None
        return text
    return text


def config_changes(args: argparse.Namespace, prefix: str = "", skip: tuple[str, ...] = ()) -> dict:
    """TrainConfig field values for the flags actually given (one value each)."""
    changes: dict[str, Any] = {}
    for flag, (field, kind, _) in _CONFIG_FLAGS.items():
        text = getattr(args, prefix + flag.replace("-", "_"), None)
        if text is None or flag in skip:
            continue
        changes[field] = _convert(flag, kind, text)
    params = getattr(args, prefix + "param", None)
    if params:
        changes["activation_params"] = _params(params)
    return changes


def _check_data_file(path: str | None, seed: int = 0) -> None:
    """Load the CSV once so a bad file is refused before anything starts."""
    if path is None:
        return
    from .datasets import load_csv

    try:
        load_csv(path, seed=seed)
    except (ValueError, OSError) as exc:
        raise UsageError(str(exc).splitlines()[0]) from None


def config_from_args(args: argparse.Namespace, prefix: str = "", skip: tuple[str, ...] = (),
                     **overrides: Any):
    """A validated TrainConfig from the flags; UsageError with a flag-named message."""
    from .training import TrainConfig

    changes = {**config_changes(args, prefix, skip), **overrides}
    try:
        config = TrainConfig(**changes).validate()
    except (TypeError, ValueError) as exc:
        raise _flag_error(exc) from None
    _check_data_file(config.data_path, config.seed)
    return config


def _positive(text: str, flag: str, hi: int, lo: int = 1) -> int:
    value = _int(text, flag)
    if not lo <= value <= hi:
        raise UsageError(f"{flag} must be from {lo} to {hi}, got {value}")
    return value


# ------------------------------------------------------------------ output files
def check_writable(path: str, force: bool) -> None:
    """Refuse early: an empty name, an existing file without --force, a target that is not a
    regular file (relutui.io.check_output_target: a device or FIFO is written through, ``-``
    is standard output), or a missing directory."""
    from .io import STDOUT_NAMES, FileRefused, check_output_target

    if path == "":
        raise UsageError("--csv needs a file name (or - for standard output)")
    if path in STDOUT_NAMES:
        return
    try:
        if check_output_target(path, force) == "stream":
            return
    except FileExistsError:
        raise UsageError(f"{path!r} already exists; use --force to overwrite it") from None
    except FileRefused as exc:
        raise UsageError(f"cannot write {exc}") from None
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise UsageError(f"cannot write {path!r}: no such directory {parent!r}")
    import tempfile

    try:  # an unwritable folder is refused now, not after the work (and not as a traceback)
        fd, probe = tempfile.mkstemp(prefix=".relutui-", suffix=".tmp", dir=parent)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise UsageError(f"cannot write {path!r}: {exc.strerror or exc}") from None


def write_atomic(path: str, text: str, force: bool = False) -> None:
    """Write ``text`` to ``path`` atomically (``demos.files.atomic_write_text``).

    Never half-written; never overwrites an existing file unless ``force``. A failed write
    (disk full, permissions) is a one-line UsageError, the target left as it was.
    """
    from .io import FileRefused, write_output

    check_writable(path, force)
    try:
        write_output(path, text, overwrite=force)
    except FileExistsError:  # created by someone else meanwhile
        raise UsageError(f"{path!r} already exists; use --force to overwrite it") from None
    except FileRefused as exc:  # replaced by a link, a directory ... meanwhile
        raise UsageError(f"cannot write {exc}") from None
    except OSError as exc:
        raise UsageError(f"cannot write {path!r}: {exc.strerror or exc}") from None


def _csv_on_stdout(path: str) -> bool:
    from .io import STDOUT_NAMES

    return path in STDOUT_NAMES


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


def _stdout_console():
    from rich.console import Console

    return Console(highlight=False)


class _Progress:
    """A Rich progress bar on stderr, shown when stderr is a terminal or the job is long.

    No refresh thread (``auto_refresh=False``), so worker processes can be forked safely.
    """

    def __init__(self, description: str, total: int, long_job: bool) -> None:
        self.total = total
        self.bar = None
        if sys.stderr.isatty() or long_job:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), console=_stderr_console(), auto_refresh=False,
                                transient=sys.stderr.isatty())
            self.task = self.bar.add_task(description, total=total)

    def __enter__(self) -> "_Progress":
        if self.bar is not None:
            self.bar.start()
            self.bar.refresh()
        return self

    def update(self, done: int, *_: Any) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=done)
            self.bar.refresh()

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.stop()


# ------------------------------------------------------------------ the app
def add_app_flags(parser: argparse.ArgumentParser) -> None:
    add_config_flags(parser, prefix="app_", title="app settings (when no subcommand is given)")
    parser.add_argument("--lesson", dest="app_lesson", metavar="FILE", default=None,
                        help="open a lesson file (TOML); flags given too override its settings")


def run_app(args: argparse.Namespace) -> int:
    """Validate every app flag, then start the Textual app."""
    lesson = args.app_lesson
    if lesson is None:
        config = config_from_args(args, prefix="app_")
    else:
        from dataclasses import asdict

        from relutui.lessons import LessonError, load_lesson

        try:
            base = load_lesson(lesson).config
        except LessonError as exc:
            raise UsageError(str(exc)) from None
        config = config_from_args(args, prefix="app_", **{**asdict(base), **config_changes(args, "app_", ())})
    from relutui.app import run_app as start_app

    code = start_app(config, lesson_path=lesson)
    return int(code or 0)


def _app_flags_given(args: argparse.Namespace) -> list[str]:
    return [k for k, v in vars(args).items() if k.startswith("app_") and v is not None]


# ------------------------------------------------------------------ list
def build_list_parser(sub) -> argparse.ArgumentParser:
    return sub.add_parser("list", help="table of every activation function",
                          description="Every activation: name, formula, output range and the "
                                      "derivative used exactly at its kinks.")


def _fmt_bound(v: float) -> str:
    if math.isinf(v):
        return glyph("∞") if v > 0 else "-" + glyph("∞")
    return f"{v:g}"


def run_list(args: argparse.Namespace) -> int:
    from rich.table import Table

    from .activations import ACTIVATIONS, ALIASES, get_activation

    aliases: dict[str, list[str]] = {}
    for alias, target in ALIASES.items():
        aliases.setdefault(target, []).append(alias)
    table = Table(title="Activation functions", show_lines=False)
    table.add_column("name", no_wrap=True)
    for col in ("formula", "range", "f' at kinks", "parameters"):
        table.add_column(col, overflow="fold")
    for name in ACTIVATIONS:
        act = get_activation(name)
        lo, hi = act.output_range
        label = name + (f" ({', '.join(aliases[name])})" if name in aliases else "")
        params = ", ".join(f"{k}={v:g}" for k, v in act.params.items()) or "-"
        table.add_row(label, act.formula, f"{_fmt_bound(lo)} to {_fmt_bound(hi)}",
                      act.describe_kinks(), params)
    _stdout_console().print(table)
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
                    "given with --experiment change that setting in every arm.")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--experiment", "-e", metavar="NAME", help="experiment to run (see --list)")
    what.add_argument("--list", action="store_true", help="list the experiments and their claims")
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
        return _print_experiment_list()
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
        try:
            exp = exp.with_changes(**changes)
            ex._seed_list(seeds or exp.seeds, first_seed)
        except (TypeError, ValueError) as exc:
            raise _flag_error(exc) from None
        _check_data_file(changes.get("data_path"), first_seed)
    else:
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


def _print_json(doc: dict) -> None:
    import json

    sys.stdout.write(json.dumps(doc, allow_nan=False, separators=(",", ":")) + "\n")
    sys.stdout.flush()


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


_VERDICT_STYLE = {"holds": "bold green", "does not hold": "bold red", "depends": "bold yellow",
                  "not tested": "bold cyan"}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _stat_cells(s: dict, saturated: bool = False) -> list[str]:
    """The figures of a results row: loss, accuracy, dead (, saturated) as mean ± std, diverged."""
    div = s["diverged"]
    return [_pm(s["loss"]), _pm(s["accuracy"], pct=True), _pm(s["dead_fraction"], pct=True),
            *([_pm(s["saturated_fraction"], pct=True)] if saturated else []),
            "-" if div["mean"] is None else f"{round(div['mean'] * div['n'])}/{div['n']}"]


def _word_width(cells) -> int:
    """The narrowest a column can be without cutting a word of its cells: on a narrow
    terminal "0.6929 ± 0.00022" may wrap at its spaces, never lose digits."""
    return max(len(word) for cell in cells for word in cell.split())


def _pm(stat: dict, pct: bool = False) -> str:
    if stat["mean"] is None:
        return "-"
    if pct:
        return f"{100 * stat['mean']:.1f}% {glyph('±')} {100 * stat['std']:.1f}"
    return f"{stat['mean']:.4g} {glyph('±')} {stat['std']:.2g}"


def _print_result(result, csv_path: str | None = None) -> None:
    import json

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
    rows = [_stat_cells(summaries[arm.label], saturated=True) for arm in exp.arms]
    for i, col in enumerate(("loss", "accuracy", "dead", "saturated", "diverged")):
        table.add_column(col, justify="right", min_width=_word_width(r[i] for r in rows))
    for arm in exp.arms:
        c = arm.config
        settings = (f"{c.activation} {','.join(map(str, c.layers))} lr={c.lr:g} bias={c.bias_init:g} "
                    f"init={c.init}" + (f"({c.init_std:g})" if c.init == "normal" else "")
                    + (f" clip={c.clip_norm:g}" if c.clip_norm else "")
                    + (f" f'(kink)={c.derivative_at_kink:g}" if c.derivative_at_kink is not None else "")
                    + f" {c.data_path or c.dataset}")
        con.print(Text.assemble("  ", (arm.label, "bold"), f": {settings}"))
    for arm, cells in zip(exp.arms, rows):
        table.add_row(arm.label, *cells)
    con.print(table)
    if result.verdict_obj is not None:
        v = result.verdict_obj
        con.print(Text.assemble("Verdict: ", (v["verdict"], _VERDICT_STYLE[v["verdict"]])))
        for key, value in v["evidence"].items():
            if key == "criterion":
                continue
            con.print(Text(f"  {key}: {json.dumps(value, ensure_ascii=False)}"))
        con.print(Text(f"  rule: {v['evidence'].get('criterion', '')}", style="dim"))
    if csv_path:
        con.print(Text(f"histories written to {csv_path}", style="dim"))


def _print_experiment_list() -> int:
    from rich.table import Table

    from .experiments import list_experiments

    table = Table(title="Experiments (relutui run --experiment NAME)")
    table.add_column("name", no_wrap=True)
    table.add_column("claim", overflow="fold", ratio=3)
    table.add_column("arms", overflow="fold", ratio=1)
    table.add_column("runs", overflow="fold", ratio=1)
    for e in list_experiments():
        table.add_row(e.name, e.claim, ", ".join(e.labels), f"{e.seeds} seeds x {e.steps} steps")
    _stdout_console().print(table)
    return 0


# ------------------------------------------------------------------ sweep
_GRID_FLAGS = {"activation": "activation", "lr": "lr", "bias": "bias_init", "init": "init",
               "optimizer": "optimizer", "dataset": "dataset"}


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


def _grid_values(flag: str, text: str, kind: str) -> list:
    items = [t.strip() for t in text.split(",")]
    if not all(items):
        raise UsageError(f"--{flag}: empty value in {text!r}; use comma-separated values like a,b")
    if kind == "float":
        values = [_float(t, f"--{flag}") for t in items]
    else:
        values = items
    return list(dict.fromkeys(values))


def run_sweep(args: argparse.Namespace) -> int:
    from . import experiments as ex
    from .sweep import METRICS, run_sweep as sweep

    seeds = _positive(args.seeds, "--seeds", ex.MAX_SEEDS)
    steps = _positive(args.steps, "--steps", ex.MAX_STEPS)
    jobs = (os.cpu_count() or 1) if args.jobs is None else _positive(args.jobs, "--jobs", 256)
    if args.csv is not None:  # --csv '' is refused, not ignored
        check_writable(args.csv, args.force)
    grid: dict[str, list] = {}
    for flag, field in _GRID_FLAGS.items():
        text = getattr(args, flag)
        if text is not None:
            kind = _CONFIG_FLAGS[flag][1]
            grid[field] = _grid_values(flag, text, kind)
    if not grid:
        raise UsageError("nothing to sweep: give comma-separated values to --activation, --lr, "
                         "--bias, --init, --optimizer or --dataset")
    base = config_from_args(args, skip=tuple(_GRID_FLAGS), **{f: v[0] for f, v in grid.items()})
    first_seed = base.seed
    from .sweep import plan_sweep

    try:
        cells, _, _ = plan_sweep(base, grid, seeds, steps, first_seed)
    except ValueError as exc:
        raise _flag_error(exc) from None
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


def _setting_text(field: str, value: Any) -> str:
    flag = _FIELD_TO_FLAG.get(field, field).lstrip("-")
    return f"{flag}={value:g}" if isinstance(value, float) else f"{value}"


def _print_sweep(result, metric: str, metrics: dict) -> None:
    from rich.table import Table
    from rich.text import Text

    con = _stdout_console()
    keys = list(result.grid)
    con.print(Text(f"{_count(len(result.cells), 'cell')} x {_count(len(result.seeds), 'seed')}, "
                   f"{result.steps} steps; mean ± std over seeds", style="bold"))
    settings = [[f"{cell.settings[k]:g}" if isinstance(cell.settings[k], float)
                 else str(cell.settings[k]) for k in keys] for cell in result.cells]
    table = Table()
    for i, k in enumerate(keys):
        header = _FIELD_TO_FLAG.get(k, k).lstrip("-")
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
    table.add_column(" ".join(_FIELD_TO_FLAG.get(k, k).lstrip("-") for k in row_axes) or "")
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
            text = f"{100 * m:.0f}%" if key != "loss" else f"{m:.3g}"
            from rich.text import Text

            cells.append(Text(f" {text} ", style=Style(bgcolor=bg, color="white", bold=True)))
        table.add_row(label, *cells)
    return table


# ------------------------------------------------------------------ wiring
def build_demo_parser(sub) -> argparse.ArgumentParser:
    from relutui.demos.commands import add_demo_parser

    return add_demo_parser(sub)


def run_demo(args: argparse.Namespace) -> int:
    from relutui.demos.commands import run_demo as run

    return run(args)


def build_serve_parser(sub) -> argparse.ArgumentParser:
    from relutui.serve import add_serve_parser

    return add_serve_parser(sub)


def run_serve(args: argparse.Namespace) -> int:
    from relutui.serve import run_serve as run

    return run(args)


SUBCOMMANDS: dict[str, tuple[Callable, Callable[[argparse.Namespace], int]]] = {
    "list": (build_list_parser, run_list),
    "plot": (build_plot_parser, run_plot),
    "run": (build_run_parser, run_run),
    "sweep": (build_sweep_parser, run_sweep),
    "demo": (build_demo_parser, run_demo),
    "serve": (build_serve_parser, run_serve),
}


def register_subcommand(name: str, build: Callable, run: Callable[[argparse.Namespace], int]) -> None:
    """Add a subcommand: ``build(subparsers) -> parser`` and ``run(args) -> exit code``."""
    SUBCOMMANDS[name] = (build, run)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="See and poke at why neural networks use ReLU rather than sigmoid. "
                    "Without a subcommand, starts the interactive app.",
        epilog="Examples: relutui --activation sigmoid --layers 8,8,8 | relutui plot relu | "
               "relutui run --list | relutui run -e dying-relu-bias --json | "
               "relutui sweep --activation relu,sigmoid --lr 0.1,1 --bias -3,0",
    )
    add_app_flags(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for build, _ in SUBCOMMANDS.values():
        build(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    # The networks are tiny: BLAS threads cost more than they save, and sweeps already
    # use a process per core. Set before numpy loads; a user's own setting wins.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    install_ascii_fallback()  # PYTHONIOENCODING=ascii: +/- for ±, not UnicodeEncodeError
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help or an argparse error: already printed
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    try:
        if args.command is None:
            return run_app(args)
        given = _app_flags_given(args)
        if given:
            flag = "--" + given[0][len("app_"):].replace("_", "-")
            raise UsageError(f"{flag} is an app setting; with '{args.command}' put it after the "
                             f"subcommand (relutui {args.command} {flag} ...)")
        return SUBCOMMANDS[args.command][1](args)
    except UsageError as exc:  # printable: a path or value from a file never reaches the terminal raw
        sys.stderr.write(f"{PROG}: error: {printable(exc)}\n")
        return 2
    except KeyboardInterrupt as exc:  # ^C; relutui.parallel.Terminated after a SIGTERM (143)
        sys.stderr.write(f"{PROG}: interrupted\n")
        return getattr(exc, "exit_code", 130)
    except BrokenPipeError:  # `relutui run --json | head`
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except OSError:
            pass
        return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
