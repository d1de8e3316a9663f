"""Toy 2-D datasets, and a strict loader for the user's own CSV files.

Generated inputs are float64 arrays of shape (n, 2). Before jitter they lie in

=========  ==============================  ==============================================
name       inputs (before jitter)          target
=========  ==============================  ==============================================
xor        [-1, 1]^2, 0.1 away from axes   1 where x1 and x2 have opposite signs
circles    rings of radius 1 and 0.5       1 on the inner ring
moons      [-1.5, 1.5] x [-0.75, 0.75]     1 on the lower moon
spiral     disc of radius 2.5              1 on the second arm (1.75 turns each)
gaussians  blobs at -(1, 1) and (1, 1)     1 for the blob at (1, 1); blob std 0.5
linear     [-1, 1]^2                       1 where x1 + 2*x2 > 0
sine       [-1, 1]^2                       sin(pi*x1) * cos(pi*x2/2)  (regression)
=========  ==============================  ==============================================

so every input stays roughly within [-3, 3]. ``noise`` is the standard deviation
of Gaussian jitter in input units: it is added to the inputs of the classification
sets (labels are drawn before the jitter, so large noise mixes the classes) and to
the target of ``sine``. Classification sets have n // 2 points of class 0 and the
rest of class 1, labels 0./1. of shape (n, 1).

Everything, the split included, comes from ``np.random.default_rng(seed)``.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import operator
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from relutui.settings import LIMITS, check_range
from relutui.io import CSV_MAX_BYTES, FileRefused, read_bounded
from relutui.safe_text import control_name, find_control, printable

__all__ = ["DATASETS", "MAX_ROWS", "MIN_ROWS", "DataError", "Dataset", "load_csv", "make_dataset"]

DATASETS = ("xor", "circles", "moons", "spiral", "gaussians", "linear", "sine")
TASKS = ("classification", "regression")
MIN_ROWS, MAX_ROWS = LIMITS["n_samples"]
MAX_NOISE = LIMITS["noise"][1]
MAX_TEST_FRACTION = LIMITS["test_fraction"][1]
CSV_COLUMNS = ("x1", "x2", "label")

_MAX_LINE_BYTES = 10_000
_XOR_MARGIN = 0.1
_LINEAR_NORMAL = np.array([1.0, 2.0]) / math.sqrt(5.0)
_SPIRAL_RADIUS = 2.5
_SPIRAL_TURNS = 1.75
_BLOB_STD = 0.5


class DataError(ValueError):
    """A refused CSV file. ``str(err)`` is ``"FILE:LINE: reason"``.

    LINE is the 1-based line of the file; 0 when the problem is the file as a
    whole (missing, a directory, unreadable).
    """

    def __init__(self, path: str | os.PathLike, line: int, reason: str) -> None:
        super().__init__(os.fspath(path), int(line), reason)
        self.path = os.fspath(path)
        self.line = int(line)
        self.reason = reason

    def __str__(self) -> str:
        return f"{printable(self.path)}:{self.line}: {printable(self.reason)}"


@dataclass(frozen=True)
class Dataset:
    """Train and test points. ``X``/``y`` give all points, train first."""

    name: str
    task: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray

    def __post_init__(self) -> None:
        if self.task not in TASKS:
            raise ValueError(f"task must be one of {', '.join(TASKS)}, got {self.task!r}")
        for part in ("train", "test"):
            X, y = getattr(self, f"X_{part}"), getattr(self, f"y_{part}")
            if X.ndim != 2 or X.shape[1] != 2 or y.shape != (X.shape[0], 1):
                raise ValueError(f"{part} arrays must have shapes (n, 2) and (n, 1), "
                                 f"got {X.shape} and {y.shape}")

    @property
    def X(self) -> np.ndarray:
        return np.concatenate([self.X_train, self.X_test])

    @property
    def y(self) -> np.ndarray:
        return np.concatenate([self.y_train, self.y_test])


# -- argument checks -----------------------------------------------------------

def _check_int(name: str, value, lo: int, hi: int | None = None) -> int:
    try:
        if isinstance(value, bool):
            raise TypeError
        v = operator.index(value)
    except TypeError:
        raise ValueError(f"{name} must be an integer, got {value!r}") from None
    if hi is not None:
        check_range(v, lo, hi, name)
    elif v < lo:
        raise ValueError(f"{name} must be at least {lo}, got {v}")
    return v


def _check_float(name: str, value, lo: float, hi: float) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    check_range(v, lo, hi, name)
    return v


def _check_test_fraction(value) -> float:
    return _check_float("test_fraction", value, 0.0, MAX_TEST_FRACTION)


# -- generators: (rng, n, noise) -> (X (n, 2), y (n, 1)) --------------------------

def _balanced_labels(n: int) -> np.ndarray:
    return np.repeat(np.array([0.0, 1.0]), [n // 2, n - n // 2]).reshape(n, 1)


def _jitter(rng: np.random.Generator, X: np.ndarray, noise: float) -> np.ndarray:
    return X + noise * rng.standard_normal(X.shape)


def _xor(rng, n, noise):
    y = _balanced_labels(n)
    magnitude = rng.uniform(_XOR_MARGIN, 1.0, size=(n, 2))
    s1 = rng.choice(np.array([-1.0, 1.0]), size=n)
    s2 = np.where(y[:, 0] == 1.0, -s1, s1)
    return _jitter(rng, magnitude * np.column_stack([s1, s2]), noise), y


def _circles(rng, n, noise):
    y = _balanced_labels(n)
    theta = rng.uniform(0.0, 2.0 * np.pi, size=n)
    radius = np.where(y[:, 0] == 1.0, 0.5, 1.0)
    X = radius[:, None] * np.column_stack([np.cos(theta), np.sin(theta)])
    return _jitter(rng, X, noise), y


def _moons(rng, n, noise):
    y = _balanced_labels(n)
    t = rng.uniform(0.0, np.pi, size=n)
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)])
    X = np.where(y == 1.0, lower, upper) - np.array([0.5, 0.25])
    return _jitter(rng, X, noise), y


def _spiral(rng, n, noise):
    y = _balanced_labels(n)
    t = rng.uniform(0.0, 1.0, size=n)
    theta = 2.0 * np.pi * _SPIRAL_TURNS * t + np.pi * y[:, 0]
    X = (_SPIRAL_RADIUS * t)[:, None] * np.column_stack([np.cos(theta), np.sin(theta)])
    return _jitter(rng, X, noise), y


def _gaussians(rng, n, noise):
    y = _balanced_labels(n)
    centres = np.where(y == 1.0, 1.0, -1.0) * np.ones((1, 2))
    return _jitter(rng, centres + _BLOB_STD * rng.standard_normal((n, 2)), noise), y


def _linear(rng, n, noise):
    """Reflecting through the origin keeps the classes exactly balanced."""
    y = _balanced_labels(n)
    P = rng.uniform(-1.0, 1.0, size=(n, 2))
    P = np.where((P @ _LINEAR_NORMAL)[:, None] < 0.0, -P, P)
    return _jitter(rng, np.where(y == 1.0, P, -P), noise), y


def _sine(rng, n, noise):
    X = rng.uniform(-1.0, 1.0, size=(n, 2))
    y = np.sin(np.pi * X[:, :1]) * np.cos(0.5 * np.pi * X[:, 1:])
    return X, y + noise * rng.standard_normal((n, 1))


_GENERATORS: dict[str, Callable] = {
    "xor": _xor, "circles": _circles, "moons": _moons, "spiral": _spiral,
    "gaussians": _gaussians, "linear": _linear, "sine": _sine,
}
_REGRESSION = frozenset({"sine"})


def _split(name: str, task: str, X: np.ndarray, y: np.ndarray, test_fraction: float,
           rng: np.random.Generator) -> Dataset:
    """Shuffle with ``rng``; the first floor(n * test_fraction) points are the test set."""
    n = X.shape[0]
    n_test = math.floor(n * test_fraction + 1e-9)
    order = rng.permutation(n)
    test, train = order[:n_test], order[n_test:]
    return Dataset(name, task, X[train], y[train], X[test], y[test])


def make_dataset(name: str, n: int = 200, noise: float = 0.1, test_fraction: float = 0.2,
                 seed: int = 0) -> Dataset:
    """Generate one of ``DATASETS``; same arguments, same arrays."""
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}")
    n = _check_int("n", n, MIN_ROWS, MAX_ROWS)
    noise = _check_float("noise", noise, 0.0, MAX_NOISE)
    test_fraction = _check_test_fraction(test_fraction)
    seed = _check_int("seed", seed, 0)
    rng = np.random.default_rng(seed)
    X, y = _GENERATORS[name](rng, n, noise)
    task = "regression" if name in _REGRESSION else "classification"
    return _split(name, task, X, y, test_fraction, rng)


# -- CSV -------------------------------------------------------------------------

def _text_lines(fh, path: str) -> Iterator[str]:
    """Decoded lines of a binary file, refusing binary data at its line."""
    for lineno in itertools.count(1):
        raw = fh.readline(_MAX_LINE_BYTES + 1)
        if not raw:
            return
        if len(raw) > _MAX_LINE_BYTES:
            raise DataError(path, lineno, f"line longer than {_MAX_LINE_BYTES} bytes; "
                                          "not a CSV of x1, x2, label")
        if b"\x00" in raw:
            raise DataError(path, lineno, "binary data (NUL byte); expected a UTF-8 text CSV file")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DataError(path, lineno, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
                                          "expected a UTF-8 text CSV file") from None
        bad = find_control(text.rstrip("\r\n"))
        if bad >= 0:
            raise DataError(path, lineno, f"terminal control character {control_name(text[bad])} "
                                          "in the file; expected a plain text CSV file")
        yield text.removeprefix("\ufeff") if lineno == 1 else text


def _rows(reader, path: str) -> Iterator[tuple[int, list[str]]]:
    """(line, stripped cells) for every non-blank row."""
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise DataError(path, reader.line_num, f"malformed CSV ({exc})") from None
        if cells and not (len(cells) == 1 and not cells[0].strip()):
            yield reader.line_num, [c.strip() for c in cells]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _column_order(path: str, line: int, cells: list[str]) -> tuple[int, ...]:
    """Index of x1, x2 and label in the header row."""
    names = [c.lower() for c in cells]
    expected = "expected the columns x1, x2, label (in any order)"
    if all(_is_number(name) for name in names):
        raise DataError(path, line, f"header line required: {expected}, got a row of numbers")
    for i, name in enumerate(names):
        if not name:
            raise DataError(path, line, f"empty column name (column {i + 1}) in header; {expected}")
        if names.index(name) != i:
            raise DataError(path, line, f"duplicate column {name!r} in header")
    for name in CSV_COLUMNS:
        if name not in names:
            raise DataError(path, line, f"missing column {name!r} in header; {expected}")
    for name in names:
        if name not in CSV_COLUMNS:
            raise DataError(path, line, f"unknown column {name!r} in header; {expected}, nothing else")
    return tuple(names.index(name) for name in CSV_COLUMNS)


def _number(path: str, line: int, column: str, text: str) -> float:
    if not text:
        raise DataError(path, line, f"empty cell in column {column}")
    try:
        value = float(text)
    except ValueError:
        raise DataError(path, line, f"column {column}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise DataError(path, line, f"column {column}: {text!r} is not a finite number")
    return value


def _read_table(path: str, fh) -> tuple[np.ndarray, int]:
    """(values (n, 3) as x1, x2, label; header line)."""
    reader = csv.reader(_text_lines(fh, path), strict=True)
    rows = _rows(reader, path)
    try:
        header_line, header = next(rows)
    except StopIteration:
        raise DataError(path, 1, "file is empty; expected a header line x1,x2,label") from None
    order = _column_order(path, header_line, header)
    values: list[tuple[float, float, float]] = []
    last_line = header_line
    for line, cells in rows:
        if len(values) == MAX_ROWS:
            raise DataError(path, line, f"more than {MAX_ROWS} data rows (the limit is {MAX_ROWS})")
        if len(cells) != len(CSV_COLUMNS):
            raise DataError(path, line, f"expected {len(CSV_COLUMNS)} cells, got {len(cells)}")
        values.append(tuple(_number(path, line, name, cells[i]) for name, i in zip(CSV_COLUMNS, order)))
        last_line = line
    if len(values) < MIN_ROWS:
        raise DataError(path, last_line, f"only {len(values)} data rows; at least {MIN_ROWS} needed")
    return np.array(values, dtype=np.float64), header_line


def _open(path: str):
    """The file's bytes as a binary stream: a regular file of at most CSV_MAX_BYTES (a FIFO,
    a device or a directory is refused by name, without blocking or reading it)."""
    try:
        return io.BytesIO(read_bounded(path, CSV_MAX_BYTES, "CSV file"))
    except FileRefused as exc:
        raise DataError(path, 0, exc.reason) from None


def load_csv(path: str | os.PathLike, test_fraction: float = 0.2, seed: int = 0) -> Dataset:
    """Load a CSV with a header naming the columns x1, x2 and label, in any order.

    A label column holding only 0 and 1 makes a classification set (both classes
    required); any other real labels make a regression set. Between 4 and
    100_000 data rows; blank lines are skipped. Anything else is refused with a
    ``DataError`` naming the file line, and nothing is returned; at most
    ``MAX_ROWS + 1`` rows are read.
    """
    test_fraction = _check_test_fraction(test_fraction)
    seed = _check_int("seed", seed, 0)
    path_text = os.fspath(path)
    with _open(path_text) as fh:
        table, header_line = _read_table(path_text, fh)
    X, y = table[:, :2], table[:, 2:]
    labels = np.unique(y)
    task = "regression"
    if np.all((labels == 0.0) | (labels == 1.0)):
        if labels.size == 1:
            raise DataError(path_text, header_line,
                            f"label column holds only class {labels[0]:g}; "
                            "a 0/1 classification file needs both classes")
        task = "classification"
    rng = np.random.default_rng(seed)
    return _split(printable(Path(path_text).name), task, X, y, test_fraction, rng)
