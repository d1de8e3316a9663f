"""What the command line writes: output files (atomic, checked before the work), the consoles,
the progress bar, and the pieces of its result tables.

No numpy or Rich at import: each is loaded by the function that needs it.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from relutui.cli_config import UsageError, flag_of
from relutui.format import fmt_pm
from relutui.settings import setting_text as _value_text

__all__ = ["check_writable", "write_atomic"]


def check_writable(path: str, force: bool) -> None:
    """Refuse early: an empty name, an existing file without --force, a target that is not a
    regular file (relutui.io.check_output_target: a device or FIFO is written through, ``-``
    is standard output), or a missing directory."""
    from relutui.io import STDOUT_NAMES, FileRefused, check_output_target

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
    """Write ``text`` to ``path`` atomically (``relutui.io.write_output``).

    Never half-written; never overwrites an existing file unless ``force``. A failed write
    (disk full, permissions) is a one-line UsageError, the target left as it was.
    """
    from relutui.io import FileRefused, write_output

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
    from relutui.io import STDOUT_NAMES

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


def _print_json(doc: dict) -> None:
    import json

    sys.stdout.write(json.dumps(doc, allow_nan=False, separators=(",", ":")) + "\n")
    sys.stdout.flush()

_VERDICT_STYLE = {"holds": "bold green", "does not hold": "bold red", "depends": "bold yellow",
                  "not tested": "bold cyan"}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _stat_cells(s: dict, saturated: bool = False) -> list[str]:
    """The figures of a results row: loss, accuracy, dead (, saturated) as mean ± std, diverged."""
    div = s["diverged"]
    return [fmt_pm(s["loss"]), fmt_pm(s["accuracy"], pct=True), fmt_pm(s["dead_fraction"], pct=True),
            *([fmt_pm(s["saturated_fraction"], pct=True)] if saturated else []),
            "-" if div["mean"] is None else f"{round(div['mean'] * div['n'])}/{div['n']}"]


def _word_width(cells) -> int:
    """The narrowest a column can be without cutting a word of its cells: on a narrow
    terminal "0.6929 ± 0.00022" may wrap at its spaces, never lose digits."""
    return max(len(word) for cell in cells for word in cell.split())


def _setting_text(field: str, value: Any) -> str:
    """"lr=0.1" for a number (the setting's exact text), the bare value for a name ("relu")."""
    if isinstance(value, str):
        return value
    return f"{flag_of(field).lstrip('-')}={_value_text(field, value)}"
