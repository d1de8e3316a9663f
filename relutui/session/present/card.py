"""The activation card in the controls panel: the hidden activation's facts, a line each.
Not cached here: it depends on the activation and the width only (the widget keeps it)."""

from __future__ import annotations

import textwrap

from relutui.format import fmt
from relutui.session.views import Line

# the activation card (controls panel): its content width at the narrowest (the controls column
# of a short terminal, with its scrollbar; 25 at 120x36), and its height (tcss), the longest card's
CARD_WIDTH = 24
CARD_LINES = 8


def build(act, width: int = CARD_WIDTH) -> list[Line]:
    """The hidden activation's facts, a line each, for a card ``width`` columns wide: name,
    formula (the one line that may be cut), range, largest slope, kinks (one per line when
    they do not fit on one) and, for a small largest slope, the warning, wrapped at its spaces.
    No fact line is wider than ``width`` (``CARD_LINES`` lines at most)."""
    rng = act.describe_range()  # [0, ∞), (0, 1), {0, 1}: relutui.ranges
    lines: list[Line] = [
        [(act.display_name, "title")],
        [(act.formula, "num")],
        [("range ", "label"), (rng, "num")],
        [("max f′ ", "label"), (fmt(act.max_derivative), "num")],
    ]
    kinks = act.describe_kinks().split(", ")  # "smooth", or "f'(0) = 0, f'(6) = 0"
    if len("kinks " + max(kinks, key=len)) <= width:  # "kinks f'(0) = 0" / "      f'(6) = 0"
        indents = ["kinks "] + ["      "] * (len(kinks) - 1)
    else:  # the label alone, each kink under it
        lines.append([("kinks", "label")])
        indents = ["  "] * len(kinks)
    lines += [[(indent, "label"), (k, "num")] for indent, k in zip(indents, kinks)]
    if act.max_derivative == 0:
        warnings = ["f′ = 0 everywhere: no gradient gets through"]
    elif act.max_derivative < 0.5:
        m = fmt(act.max_derivative)
        warnings = [f"f′ ≤ {m}: each layer can shrink the gradient ×{m}",
                    f"f′ ≤ {m}: each layer can cut gradients ×{m}"]  # (fewer lines, narrow)
    else:
        warnings = []
    if warnings:
        wrapped = [textwrap.wrap(w, width, break_long_words=False, break_on_hyphens=False) for w in warnings]
        best = next((w for w in wrapped if len(w) <= 2), wrapped[-1])
        lines += [[(text, "warn")] for text in best]
    return lines
