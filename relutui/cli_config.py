"""The command line's training flags, generated from ``relutui.settings``, and the checks of
typed arguments.

Every bad argument is a ``UsageError``: ``relutui.cli.main`` prints ``relutui: error: <message>``
and returns 2. No numpy here (``relutui --help`` stays instant).
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from relutui.settings import Setting, cli_settings, parse_number, parse_whole, setting

__all__ = ["UsageError", "add_config_flags", "config_changes", "config_from_args", "flag_error",
           "flag_of", "grid_values", "number", "whole", "positive", "activation_params", "GRID_FIELDS"]


class UsageError(Exception):
    """A bad argument: ``main`` prints ``relutui: error: <message>`` and returns 2."""


def flag_of(field: str) -> str:
    """The flag of a TrainConfig field, as typed (``--bias`` for ``bias_init``)."""
    try:
        flag = setting(field).flag
    except KeyError:
        flag = None
    return f"--{flag}" if flag else field


def _dest(row: Setting, prefix: str) -> str:
    return prefix + row.flag.replace("-", "_")


#: the fields ``relutui sweep`` takes comma-separated values of
GRID_FIELDS = tuple(row.field for row in cli_settings() if row.sweep)


def add_config_flags(parser: argparse.ArgumentParser, *, grid: bool = False, prefix: str = "",
                     title: str = "network and training") -> None:
    """A flag for every setting that has one, with its help and limits. ``grid``: the
    sweepable ones take comma-separated lists."""
    group = parser.add_argument_group(title)
    for row in cli_settings():
        if row.kind == "params":
            group.add_argument(f"--{row.flag}", dest=_dest(row, prefix), action="append", metavar="K=V",
                               default=None, help=f"{row.help} (repeatable, name=value)")
            continue
        meta, help_text = row.metavar, row.cli_help()
        if grid and row.sweep:
            meta, help_text = meta + ",...", help_text + "; comma-separated values to sweep"
        group.add_argument(f"--{row.flag}", dest=_dest(row, prefix), metavar=meta, default=None,
                           help=help_text.replace("%", "%%"))


def flag_error(exc: Exception) -> UsageError:
    """A core ValueError with the field name replaced by the flag the user typed."""
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    for row in cli_settings():
        if msg.startswith(row.field + " ") or msg.startswith(row.field + ":"):
            msg = f"--{row.flag}" + msg[len(row.field):]
            break
    return UsageError(msg)


def number(text: str, flag: str) -> float:
    try:
        return parse_number(text, flag)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def whole(text: str, flag: str) -> int:
    try:
        return parse_whole(text, flag)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def positive(text: str, flag: str, hi: int, lo: int = 1) -> int:
    value = whole(text, flag)
    if not lo <= value <= hi:
        raise UsageError(f"{flag} must be from {lo} to {hi}, got {value}")
    return value


def activation_params(items: list[str] | None, flag: str = "--param") -> dict[str, float]:
    """``--param K=V`` (repeatable) as a dict of numbers."""
    out: dict[str, float] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"{flag} must look like name=value, got {item!r}")
        out[key] = number(value, f"{flag} {key}")
    return out


def _convert(row: Setting, text: str) -> Any:
    """A flag's text as its setting's value (its row's parser, the flag named in refusals).
    Choices are checked with the whole config (an unknown activation lists the valid ones)."""
    if row.kind == "choice":
        return text
    try:
        value = row.parse(text, f"--{row.flag}")
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if row.kind == "path" and value is not None:
        from relutui.io import FileRefused, check_input_file

        try:  # says what it is: a directory, a FIFO, a device ... (not "no such file")
            check_input_file(value, "CSV data file")
        except FileRefused as exc:
            raise UsageError(f"--{row.flag}: {exc}") from None
    return value


def config_changes(args: argparse.Namespace, prefix: str = "", skip: tuple[str, ...] = ()) -> dict:
    """TrainConfig field values for the flags actually given (one value each). ``skip``:
    fields left out."""
    changes: dict[str, Any] = {}
    for row in cli_settings():
        text = getattr(args, _dest(row, prefix), None)
        if text is None or row.field in skip:
            continue
        if row.kind == "params":
            changes[row.field] = activation_params(text, f"--{row.flag}")
        else:
            changes[row.field] = _convert(row, text)
    return changes


def _check_data_file(path: str | None, seed: int = 0) -> None:
    """Load the CSV once so a bad file is refused before anything starts."""
    if path is None:
        return
    from relutui.datasets import load_csv

    try:
        load_csv(path, seed=seed)
    except (ValueError, OSError) as exc:
        raise UsageError(str(exc).splitlines()[0]) from None


def config_from_args(args: argparse.Namespace, prefix: str = "", skip: tuple[str, ...] = (),
                     **overrides: Any):
    """A validated TrainConfig from the flags; UsageError with a flag-named message."""
    from relutui.training import TrainConfig

    changes = {**config_changes(args, prefix, skip), **overrides}
    try:
        config = TrainConfig(**changes).validate()
    except (TypeError, ValueError) as exc:
        raise flag_error(exc) from None
    _check_data_file(config.data_path, config.seed)
    return config


def grid_values(field: str, text: str) -> list:
    """The comma-separated values of a sweep flag, each parsed by its setting, duplicates
    dropped."""
    row = setting(field)
    items = [t.strip() for t in text.split(",")]
    if not all(items):
        raise UsageError(f"--{row.flag}: empty value in {text!r}; use comma-separated values like a,b")
    return list(dict.fromkeys(_convert(row, t) for t in items))
