"""Panel titles that fit: a title carries shorter variants, and a widget shows the longest
that fits its border (rather than Textual's cut with "…" in the middle of a number)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from relutui.format import fmt

if TYPE_CHECKING:
    from relutui.session.session import Session
    from relutui.training import TrainingRun


class Fitted(str):
    """A title (the longest variant) and its shorter variants, longest first."""

    variants: tuple[str, ...]

    def __new__(cls, *variants: str) -> "Fitted":
        self = super().__new__(cls, variants[0])
        self.variants = tuple(variants)
        return self


def where(s: Session, run: TrainingRun | None = None) -> Fitted:
    """The sample shown (or the batch mean), from the full "sample #0 x=(-0.021, -0.86) y=0"
    down to "#0"."""
    snap = s.snapshot(run)
    if s.use_mean:
        n = len(snap.x)
        return Fitted(f"batch mean over {n} samples", f"mean of {n}", "mean")
    i = min(s.sample, len(snap.x) - 1)
    x = snap.x[i]
    y = fmt(float(snap.y[i, 0]), 2)
    return Fitted(f"sample #{i} x=({fmt(x[0], 2)}, {fmt(x[1], 2)}) y={y}", f"#{i} x=({fmt(x[0], 2)}, {fmt(x[1], 2)})",
                  f"sample #{i} y={y}", f"#{i} y={y}", f"#{i}")


def joined(head: str, tail: Fitted, sep: str = " · ") -> Fitted:
    """``head`` then each variant of ``tail``, then ``head`` alone."""
    return Fitted(*(f"{head}{sep}{t}" for t in tail.variants), head)


def fit(title: str, width: int) -> str:
    """The longest variant of ``title`` that fits a border ``width`` cells wide (the last
    variant when none does: Textual cuts it)."""
    room = width - 6  # "╭─ " and " ─╮"
    variants = getattr(title, "variants", (str(title),))
    for v in variants:
        if len(v) <= room:
            return v
    return variants[-1]
