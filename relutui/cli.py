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
``SUBCOMMANDS`` (or call ``register_subcommand`` before ``main``). The pairs live in
``cli_run`` (list, plot, run) and ``cli_sweep``; the training flags, generated from
``relutui.settings``, in ``cli_config``; output files and tables in ``cli_output``.

Every bad argument ends with exit status 2 and one line on stderr,
``relutui: error: ...``. Heavy imports (numpy, rich, plotext, textual) happen
inside the ``run_*`` functions, so ``relutui --help`` stays instant.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

from relutui.cli_config import UsageError, add_config_flags, config_changes, config_from_args  # noqa: F401
from relutui.cli_output import _Progress, check_writable, write_atomic  # noqa: F401
from relutui.cli_run import (build_list_parser, build_plot_parser, build_run_parser, experiment_csv,  # noqa: F401
                             run_list, run_plot, run_run)
from relutui.cli_sweep import build_sweep_parser, heatmap, run_sweep  # noqa: F401

from relutui import __version__
from relutui.safe_text import install_ascii_fallback, printable

PROG = "relutui"

__all__ = ["main", "build_parser", "register_subcommand", "SUBCOMMANDS", "UsageError",
           "write_atomic", "check_writable", "config_from_args", "config_changes", "add_config_flags"]


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


# ------------------------------------------------------------------ the app
def add_app_flags(parser: argparse.ArgumentParser) -> None:
    add_config_flags(parser, prefix="app_", title="app settings (when no subcommand is given)")
    parser.add_argument("--lesson", dest="app_lesson", metavar="FILE|NAME", default=None, action="append",
                        help="open a lesson file (TOML) or a bundled lesson by name (relutui lessons "
                             "lists them); several make a sequence (m / M: next / previous); flags "
                             "given too override the first one's settings")
    parser.add_argument("--no-preferences", dest="app_no_preferences", action="store_const", const=True,
                        default=None, help="ignore (and do not save) the theme and layout kept in "
                                           "$XDG_CONFIG_HOME/relutui/preferences.toml")


def run_app(args: argparse.Namespace) -> int:
    """Validate every app flag, then start the Textual app."""
    lesson = args.app_lesson
    if lesson is None:
        config = config_from_args(args, prefix="app_")
    else:
        from dataclasses import asdict

        from relutui.lessons import LessonError, load_lesson

        try:
            base = [load_lesson(p) for p in lesson][0].config  # every file checked before the app starts
        except LessonError as exc:
            raise UsageError(str(exc)) from None
        config = config_from_args(args, prefix="app_", **{**asdict(base), **config_changes(args, "app_", ())})
    from relutui.app import run_app as start_app

    ignore = {"preferences": False} if args.app_no_preferences else {}  # (default: read and saved)
    code = start_app(config, lesson_path=lesson, **ignore)
    return int(code or 0)


def _app_flags_given(args: argparse.Namespace) -> list[str]:
    return [k for k, v in vars(args).items() if k.startswith("app_") and v is not None]


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


from relutui.cli_claims import build_claims_parser, run_claims  # noqa: E402

register_subcommand("claims", build_claims_parser, run_claims)

from relutui.cli_lessons import build_lessons_parser, run_lessons  # noqa: E402

register_subcommand("lessons", build_lessons_parser, run_lessons)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="See and poke at why neural networks use ReLU rather than sigmoid. "
                    "Without a subcommand, starts the interactive app.",
        epilog="Examples: relutui --activation sigmoid --layers 8,8,8 | relutui plot relu | "
               "relutui run --list | relutui run -e dying-relu-bias --json | "
               "relutui sweep --activation relu,sigmoid --lr 0.1,1 --bias -3,0",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
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
