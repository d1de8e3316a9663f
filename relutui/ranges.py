"""The set of values an activation can output, and the one way it is printed.

An interval's end is closed when the function attains it *mathematically* (ReLU's 0 at
x <= 0, ReLU6's 6 at x >= 6), open when it is only approached (sigmoid's 0 and 1, ELU's
-alpha). Float64 does not decide: sigmoid(40.0) rounds to exactly 1.0, yet 1 is not in
sigmoid's range. A function with finitely many values (the step) is a set, ``{0, 1}``.
Plain Python: the core, the command line and the app print ranges with ``format_range``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["ValueRange", "closed", "finite_set", "format_range", "half_open", "open_interval"]


@dataclass(frozen=True)
class ValueRange:
    """An interval from ``lower`` to ``upper`` with each end closed or open, or, when
    ``values`` is given, exactly that finite set (``lower``/``upper`` its min and max)."""

    lower: float
    upper: float
    lower_closed: bool = False
    upper_closed: bool = False
    values: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        if not self.lower <= self.upper:
            raise ValueError(f"range lower {self.lower!r} above upper {self.upper!r}")
        if (self.lower_closed and math.isinf(self.lower)) or (self.upper_closed and math.isinf(self.upper)):
            raise ValueError("an infinite end cannot be closed")

    @property
    def is_set(self) -> bool:
        return self.values is not None

    def __contains__(self, y: float) -> bool:
        if self.values is not None:
            return y in self.values
        above = y >= self.lower if self.lower_closed else y > self.lower
        below = y <= self.upper if self.upper_closed else y < self.upper
        return above and below

    def __str__(self) -> str:
        return format_range(self)


def open_interval(lower: float, upper: float) -> ValueRange:
    return ValueRange(lower, upper)


def closed(lower: float, upper: float) -> ValueRange:
    return ValueRange(lower, upper, True, True)


def half_open(lower: float, upper: float = math.inf) -> ValueRange:
    """[lower, upper): the lower end attained (ReLU's [0, ∞))."""
    return ValueRange(lower, upper, True, False)


def finite_set(*values: float) -> ValueRange:
    vals = tuple(sorted(float(v) for v in values))
    return ValueRange(vals[0], vals[-1], True, True, vals)


def _bound(v: float, digits: int) -> str:
    if math.isinf(v):
        return "∞" if v > 0 else "-∞"
    text = f"{v + 0.0:.{digits}g}"  # + 0.0: never "-0"
    return text


def format_range(r: ValueRange, digits: int = 5) -> str:
    """``[0, ∞)``, ``(0, 1)``, ``[-1, 1]``, ``{0, 1}``, ``[-0.16997, ∞)``: brackets for
    attained ends, parentheses for approached ones, braces for a finite set. ``digits``
    significant digits for an irrational bound (GELU's minimum)."""
    if r.values is not None:
        return "{" + ", ".join(_bound(v, digits) for v in r.values) + "}"
    left = "[" if r.lower_closed else "("
    right = "]" if r.upper_closed else ")"
    return f"{left}{_bound(r.lower, digits)}, {_bound(r.upper, digits)}{right}"
