"""A small braille chart drawn with numpy: lines on a 2x4 dot grid per cell, shaded cells,
markers, a frame with ticks, a left and a right y-axis. The app's charts use it instead of
plotext: plotext costs ~7 ms per chart before any data (and an ANSI round trip through Rich);
this draws a whole chart in about a millisecond, so every chart can follow every frame.

``Plot`` collects what to draw in data coordinates; ``Plot.render`` lays it out for a given
cell size and returns one ``Strip`` per line. ``BrailleChart`` is the widget: its subclasses
describe the chart in ``draw(plot)``, which runs at paint time for the size the widget has.
"""

from __future__ import annotations

import math
import re
from typing import Callable

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.strip import Strip
from textual.widget import Widget

from relutui.format import fmt

# dot (row, col) of a cell -> braille bit (U+2800 + bits)
_BITS = np.array([[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]], dtype=np.uint8)
_RUNS = re.compile(r" +|[^ ]+")  # runs of blanks and of the rest


def _cell_segments(char: np.ndarray, col: np.ndarray, styles: list[Style], pad: Style) -> list[list[Segment]]:
    """The plot area's segments, row by row: one per run of cells of one colour, its blanks
    apart (``pad``: SVG screenshots keep their columns). ``char`` holds code points, ``col``
    an index into ``styles`` (-1: the last one). The runs are found with numpy; only the
    segments are made in Python."""
    H, W = char.shape
    code = (col.astype(np.intp) + 1) * 2 + (char == ord(" "))
    starts = np.ones((H, W), dtype=bool)
    starts[:, 1:] = code[:, 1:] != code[:, :-1]
    first = np.flatnonzero(starts)
    ends = np.append(first[1:], H * W)
    text = np.ascontiguousarray(char, dtype="<u4").tobytes().decode("utf-32-le")
    segs = [Segment(text[a:b], pad if k & 1 else styles[(k >> 1) - 1])
            for a, b, k in zip(first.tolist(), ends.tolist(), code.flat[first].tolist())]
    bounds = np.searchsorted(first, np.arange(0, H * W + 1, W, dtype=np.intp)).tolist()
    return [segs[a:b] for a, b in zip(bounds, bounds[1:])]


def color_hex(c) -> str:
    """The "#rrggbb" of a Textual ``Color`` or an (r, g, b) tuple; a string is kept as it is."""
    if isinstance(c, Color):
        return c.hex6
    if isinstance(c, tuple):
        return "#%02x%02x%02x" % (int(c[0]), int(c[1]), int(c[2]))
    return str(c)


def _clip_segments(x0, y0, x1, y1, xmax: float, ymax: float):
    """Liang-Barsky, vectorised: the part of each segment inside [0, xmax] x [0, ymax]."""
    dx, dy = x1 - x0, y1 - y0
    t0 = np.zeros_like(x0)
    t1 = np.ones_like(x0)
    keep = np.ones(x0.shape, dtype=bool)
    # a segment with both ends inside comes out whole (t0 = 0, t1 = 1, exactly): only the
    # others go through the clipping (a chart's curves are mostly inside)
    inside = ((x0 >= 0) & (x0 <= xmax) & (x1 >= 0) & (x1 <= xmax)
              & (y0 >= 0) & (y0 <= ymax) & (y1 >= 0) & (y1 <= ymax))
    out = np.flatnonzero(~inside)
    if len(out):
        t0[out], t1[out], keep[out] = _clip_params(x0[out], y0[out], dx[out], dy[out], xmax, ymax)
    return (x0 + t0 * dx)[keep], (y0 + t0 * dy)[keep], (x0 + t1 * dx)[keep], (y0 + t1 * dy)[keep]


def _clip_params(x0, y0, dx, dy, xmax: float, ymax: float):
    """Liang-Barsky's (t0, t1, keep) of each segment from (x0, y0) by (dx, dy)."""
    t0 = np.zeros_like(x0)
    t1 = np.ones_like(x0)
    keep = np.ones(x0.shape, dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        for p, q in ((-dx, x0), (dx, xmax - x0), (-dy, y0), (dy, ymax - y0)):
            r = q / p
            keep &= ~((p == 0) & (q < 0))
            t0 = np.where(p < 0, np.maximum(t0, r), t0)
            t1 = np.where(p > 0, np.minimum(t1, r), t1)
    return t0, t1, keep & (t0 <= t1)


def raster_line(px: np.ndarray, py: np.ndarray, wdots: int, hdots: int) -> tuple[np.ndarray, np.ndarray]:
    """Dots (column, row) of the polyline through (px, py) in dot coordinates; NaN breaks it."""
    if len(px) == 0:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    if len(px) == 1:  # one point: a segment of length 0
        x0, y0, x1, y1 = px, py, px, py
    else:
        x0, y0, x1, y1 = px[:-1], py[:-1], px[1:], py[1:]
    finite = np.isfinite(px) & np.isfinite(py)
    ok = finite[:-1] & finite[1:] if len(px) > 1 else finite
    lim_x, lim_y = wdots - 0.5, hdots - 0.5
    x0, y0, x1, y1 = _clip_segments(x0[ok] + 0.5, y0[ok] + 0.5, x1[ok] + 0.5, y1[ok] + 0.5, lim_x + 0.5, lim_y + 0.5)
    x0, y0, x1, y1 = x0 - 0.5, y0 - 0.5, x1 - 0.5, y1 - 0.5
    if not len(x0):
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    n = (np.ceil(np.maximum(np.abs(x1 - x0), np.abs(y1 - y0))).astype(np.intp) + 1)
    start = np.cumsum(n) - n
    seg = np.repeat(np.arange(len(n)), n)
    t = (np.arange(int(n.sum())) - start[seg]) / np.maximum(n - 1, 1)[seg]
    xs = np.rint(x0[seg] + t * (x1 - x0)[seg]).astype(np.intp)
    ys = np.rint(y0[seg] + t * (y1 - y0)[seg]).astype(np.intp)
    inside = (xs >= 0) & (xs < wdots) & (ys >= 0) & (ys < hdots)
    return xs[inside], ys[inside]


def nice_step(lo: float, hi: float, n: int, whole: bool = False) -> float:
    """The smallest step of 1, 2 or 5 × 10^k (at least 1 when ``whole``) that puts at most
    ``n`` (at least 2) of its multiples in [lo, hi]."""
    n = max(n, 2)
    span = hi - lo
    if not (span > 0 and math.isfinite(span)):
        return 1.0
    k = math.floor(math.log10(span / n)) - 1
    while True:
        for m in (1, 2, 5):
            step = m * 10.0 ** k
            if whole and step < 1:
                continue
            if math.floor(hi / step + 1e-9) - math.ceil(lo / step - 1e-9) + 1 <= n:
                return step
        k += 1


def nice_ticks(lo: float, hi: float, n: int, whole: bool = False) -> list[float]:
    """At most ``n`` round values in [lo, hi]: the multiples of ``nice_step``."""
    if not (hi > lo and math.isfinite(hi - lo)):
        return [lo]
    step = nice_step(lo, hi, n, whole)
    first, last = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
    if last < first:  # no whole number in a range narrower than 1
        return nice_ticks(lo, hi, n)
    return [k * step + 0.0 for k in range(first, last + 1)]


def nice_labels(values: list[float], unit: str = "") -> list[str]:
    """Labels of ``nice_ticks``: whole numbers as such (0 150 300), the others with the
    decimals of their step (0.25 0.5 → 0.25 0.50), ``unit`` after each."""
    if not values:
        return []
    if len(values) > 1:
        step = min(abs(b - a) for a, b in zip(values, values[1:]))
    else:
        step = abs(values[0]) if values and values[0] else 1.0
    if not math.isfinite(step) or step <= 0:
        return [fmt(v) + unit for v in values]
    big = max(abs(v) for v in values)
    if big >= 1e6 or step < 1e-4:
        return [fmt(v) + unit for v in values]
    d = 0
    while d < 6 and abs(round(step, d) - step) > 1e-9 * step:
        d += 1
    return [f"{v + 0.0:.{d}f}{unit}" for v in values]


def tick_labels(values: list[float]) -> list[str]:
    """Labels with one number of decimals for the whole axis (three significant digits over
    its span): 10.5 8.7 6.8 5.0, or 0.705 0.578 0.450."""
    if not values:
        return []
    span = max(values) - min(values)
    if not math.isfinite(span):
        return [fmt(v) for v in values]
    big = max(abs(v) for v in values)
    if span <= 0 or big >= 1e5 or big < 1e-3:
        return [fmt(v) for v in values]
    d = min(max(0, 2 - math.floor(math.log10(span))), max(0, 3 - math.floor(math.log10(big))), 6)
    out = [f"{v:.{d}f}" for v in values]
    return ["0" if float(t) == 0 and d == 0 else t for t in out]


def _rows_apart(a: float, b: float, lo: float, hi: float, H: int) -> float:
    return abs(a - b) * (H - 1) / (hi - lo) if hi > lo else 0.0


def _with_extras(given: tuple[list[float], list[str]], extras: list[tuple[float, str]],
                 lo: float, hi: float, H: int) -> tuple[list[float], list[str]]:
    """The round ticks ``given`` with the ``extras`` put in first: an extra that would sit
    less than two rows from an extra already placed is left out, a round tick that would
    sit less than two rows from any of them too."""
    placed: list[tuple[float, str]] = []
    same = dict(zip(*given))  # an extra that is a round tick too keeps the axis's decimals
    for v, lab in extras:
        lab = next((g for u, g in same.items() if abs(u - v) <= 1e-12 * max(1.0, abs(v))), lab)
        if lo <= v <= hi and all(_rows_apart(v, p, lo, hi, H) >= 1.5 for p, _ in placed):
            placed.append((v, lab))
    for v, lab in zip(*given):
        if all(_rows_apart(v, p, lo, hi, H) >= 1.5 for p, _ in placed):
            placed.append((v, lab))
    placed.sort(key=lambda t: -t[0])
    return [v for v, _ in placed], [lab for _, lab in placed]


def _even_decades(lo: float, hi: float, H: int) -> tuple[float, float, tuple[list[float], list[str]]]:
    """Limits and ticks of a log10 axis ``H`` rows high showing at least [lo, hi]: whole
    decades from ceil(hi) down, every ``s``-th one labelled, the labelled ones exactly ``r``
    rows apart (``r`` >= 2: a blank row between labels). The axis is widened at the bottom."""
    top = math.ceil(hi - 1e-9)
    bottom = math.floor(lo + 1e-9)
    if top <= bottom:
        top = bottom + 1
    n = top - bottom
    hd = 4 * H
    s = 1
    while (hd - 1) * s // (4 * n) < 2 and s < n:
        s += 1
    r = max(1, (hd - 1) * s // (4 * n))  # rows between two labelled decades
    span = s * (hd - 1) / (4 * r)  # decades the axis shows: a labelled decade every 4r dots
    vals = [float(top - j * s) for j in range(int(span // s) + 1)]
    return top - span, float(top), (vals, [f"1e{int(v)}" for v in vals])


def _limits(arrays: list[np.ndarray]) -> tuple[float, float] | None:
    vals = [a[np.isfinite(a)] for a in arrays]
    vals = [v for v in vals if v.size]
    if not vals:
        return None
    lo = min(float(v.min()) for v in vals)
    hi = max(float(v.max()) for v in vals)
    if hi - lo < 1e-12:
        pad = max(1.0, 1e-6 * max(abs(lo), abs(hi)))  # lo ± 1.0 is lo itself once |lo| > 2**53
        lo, hi = lo - pad, hi + pad
    return lo, hi


class Plot:
    """What one chart shows, in data coordinates (the plotext calls the app used, in numpy)."""

    def __init__(self) -> None:
        self.items: list[tuple] = []  # in drawing order: later items cover earlier ones
        self.xlim_: tuple[float, float] | None = None
        self.ylim_: dict[str, tuple[float, float] | None] = {"left": None, "right": None}
        self.xticks_: tuple[list[float], list[str]] | None = None
        self.yticks_: dict[str, tuple[list[float], list[str]] | None] = {"left": None, "right": None}
        self.yunit_: dict[str, str | None] = {"left": None, "right": None}
        self.x_whole: bool | None = None  # whole-number x ticks (steps); None: when every x is whole
        self.yextra_: dict[str, list[tuple[float, str]]] = {"left": [], "right": []}
        self.ydecades_: dict[str, bool] = {"left": False, "right": False}
        self.note: str | None = None  # a line of text in the middle of the plot area
        self.frame = True

    # -------- what to draw
    def line(self, xs, ys, color, yside: str = "left") -> None:
        self.items.append(("line", np.asarray(xs, dtype=float), np.asarray(ys, dtype=float), color_hex(color), yside))

    def scatter(self, xs, ys, color, marker: str, yside: str = "left") -> None:
        self.items.append(("scatter", np.asarray(xs, dtype=float), np.asarray(ys, dtype=float), color_hex(color),
                           yside, marker))

    def band(self, x0: float, x1: float, color, char: str = "░", y0: float | None = None,
             y1: float | None = None, yside: str = "left") -> None:
        """Shade the cells over [x0, x1] (and [y0, y1]; the whole height when not given)."""
        self.items.append(("band", float(x0), float(x1), color_hex(color), yside, char, y0, y1))

    def xlim(self, lo: float, hi: float) -> None:
        self.xlim_ = (float(lo), float(hi))

    def ylim(self, lo: float, hi: float, yside: str = "left") -> None:
        self.ylim_[yside] = (float(lo), float(hi))

    def xticks(self, values, labels=None) -> None:
        values = [float(v) for v in values]
        self.xticks_ = (values, list(labels) if labels is not None else [fmt(v) for v in values])

    def yunit(self, unit: str, yside: str = "left") -> None:
        """Round ticks on that y-axis, each with ``unit`` after it ("%": 0% 50% 100%)."""
        self.yunit_[yside] = unit

    def ynice(self, extras=(), yside: str = "left") -> None:
        """Round ticks on that y-axis (as many as its height leaves room for), and ``extras``
        ((value, label) pairs, most important first: 0, 1, f'\'s maximum) where they do not
        crowd a tick already there (one blank row between labels)."""
        self.yunit_[yside] = self.yunit_[yside] or ""
        self.yextra_[yside] = [(float(v), str(lab)) for v, lab in extras]

    def ydecades(self, yside: str = "left") -> None:
        """A log10 axis: the y values are exponents; ticks on whole decades (1e-3 1e-2 ...),
        every labelled decade the same number of rows apart (the limits are widened for it)."""
        self.ydecades_[yside] = True

    def yticks(self, values, labels=None, yside: str = "left") -> None:
        values = [float(v) for v in values]
        self.yticks_[yside] = (values, list(labels) if labels is not None else [fmt(v) for v in values])

    # -------- layout and raster
    def _sides(self) -> set[str]:
        return {it[4] for it in self.items}

    def _x_is_whole(self) -> bool:
        """Every x drawn is a whole number (a step axis)."""
        xs = [it[1] for it in self.items if it[0] in ("line", "scatter")]
        return bool(xs) and all(bool(np.all(x[np.isfinite(x)] % 1 == 0)) for x in xs)

    def _x_limits(self) -> tuple[float, float]:
        if self.xlim_ is not None:
            return self.xlim_
        lim = _limits([it[1] for it in self.items if it[0] in ("line", "scatter")])
        return lim or (0.0, 1.0)

    def _y_limits(self, side: str) -> tuple[float, float]:
        if self.ylim_[side] is not None:
            return self.ylim_[side]
        lim = _limits([it[2] for it in self.items if it[0] in ("line", "scatter") and it[4] == side])
        return lim or (0.0, 1.0)

    def render(self, width: int, height: int, fg, bg) -> list[Strip]:
        fg, bg = color_hex(fg), color_hex(bg)
        base = Style(color=fg, bgcolor=bg)
        pad = Style(bgcolor=bg)  # blanks apart from text: SVG screenshots keep their columns
        blank = Strip([Segment(" " * max(width, 0), pad)], max(width, 0))
        if width <= 0 or height <= 0:
            return []
        if not self.frame or not self.items:
            return [blank] * height
        sides = self._sides() | {"left"}
        xlo, xhi = self._x_limits()
        if xhi <= xlo:
            xhi = xlo + max(1.0, 1e-6 * abs(xlo))
        ylims = {s: self._y_limits(s) for s in sides}
        H = height - 3  # top frame, plot rows, bottom frame, x labels
        ticks: dict[str, tuple[list[float], list[str]]] = {}
        n_auto = min(7, max(2, H // 2 + 2))
        for s in sides:
            lo, hi = ylims[s]
            if hi <= lo:
                hi = lo + max(1.0, 1e-6 * abs(lo))  # (a diverged loss of 7e17: lo + 1.0 == lo)
                ylims[s] = (lo, hi)
            given = self.yticks_[s]
            if given is None and self.ydecades_[s] and H > 1:
                lo, hi, given = _even_decades(lo, hi, H)
                ylims[s] = (lo, hi)
            if given is None and self.yunit_[s] is not None:
                # with extras: fewer round ticks (one every third row at most), the extras between
                n = max(3, min(6, H // 3 + 1)) if self.yextra_[s] else max(2, min(6, H // 2 + 1))
                vals = nice_ticks(lo, hi, n)
                given = (vals, nice_labels(vals, self.yunit_[s]))
                if self.yextra_[s]:
                    given = _with_extras(given, self.yextra_[s], lo, hi, H)
            if given is None:
                # evenly spaced rows, each labelled with the value at that row
                rows = sorted({round(i * (H - 1) / (n_auto - 1)) for i in range(n_auto)}) if H > 1 else [0]
                vals = [hi - (hi - lo) * r / (H - 1) for r in rows] if H > 1 else [hi]
                given = (vals, tick_labels(vals))
            ticks[s] = ([v for v in given[0] if lo - 1e-9 * (hi - lo) <= v <= hi + 1e-9 * (hi - lo)],
                        [lab for v, lab in zip(*given) if lo - 1e-9 * (hi - lo) <= v <= hi + 1e-9 * (hi - lo)])
        wl = max((len(t) for t in ticks["left"][1]), default=0)
        wr = max((len(t) for t in ticks["right"][1]), default=0) if "right" in sides else 0
        W = width - wl - wr - 2
        if W < 2 or H < 1:
            return [blank] * height
        wd, hd = 2 * W, 4 * H
        sx = (wd - 1) / (xhi - xlo)

        def dots_x(x):
            return (np.asarray(x, dtype=float) - xlo) * sx

        def dots_y(y, side):
            lo, hi = ylims[side]
            return (hi - np.asarray(y, dtype=float)) * ((hd - 1) / (hi - lo))

        # the same for one value, in plain floats (numpy's scalars cost ~10x more; same result)
        def dot_x(x: float) -> float:
            return (x - xlo) * sx

        def dot_y(y: float, side: str) -> float:
            lo, hi = ylims[side]
            return (hi - y) * ((hd - 1) / (hi - lo))

        # cell layers: 0 = nothing; chars/colours by index
        colors: list[str] = []
        cindex: dict[str, int] = {}

        def ci(c: str) -> int:
            if c not in cindex:
                cindex[c] = len(colors)
                colors.append(c)
            return cindex[c]

        char = np.full((H, W), ord(" "), dtype=np.uint32)  # code points
        col = np.full((H, W), -1, dtype=np.int32)
        bits = np.zeros((H, W), dtype=np.uint8)
        is_dots = np.zeros((H, W), dtype=bool)
        for it in self.items:
            kind, side, c = it[0], it[4], ci(it[3])
            if kind == "line":
                xs, ys = raster_line(dots_x(it[1]), dots_y(it[2], side), wd, hd)
                if not len(xs):
                    continue
                cy, cx = ys >> 2, xs >> 1
                cell_bits = np.zeros((H, W), dtype=np.uint8)
                np.bitwise_or.at(cell_bits, (cy, cx), _BITS[ys & 3, xs & 1])
                hit = cell_bits > 0
                # braille over braille: the dots add up, the later colour wins (as in plotext)
                bits = np.where(hit & is_dots, bits | cell_bits, np.where(hit, cell_bits, bits))
                is_dots |= hit
                col[hit] = c
            elif kind == "scatter":
                px, py = dots_x(it[1]), dots_y(it[2], side)
                ok = np.isfinite(px) & np.isfinite(py)
                px, py = np.rint(px[ok]).astype(np.intp), np.rint(py[ok]).astype(np.intp)
                inside = (px >= 0) & (px < wd) & (py >= 0) & (py < hd)
                cy, cx = py[inside] >> 2, px[inside] >> 1
                char[cy, cx] = ord(it[5])
                col[cy, cx] = c
                is_dots[cy, cx] = False
            else:  # band
                x0, x1 = dot_x(it[1]), dot_x(it[2])
                c0, c1 = max(int(math.floor(max(x0, 0) / 2)), 0), min(int(math.floor(min(x1, wd - 1) / 2)), W - 1)
                if c1 < c0 or x1 < 0 or x0 > wd - 1:
                    continue
                r0, r1 = 0, H - 1
                if it[6] is not None and it[7] is not None:
                    ya, yb = dot_y(float(it[7]), side), dot_y(float(it[6]), side)  # top, bottom (dots)
                    if yb < 0 or ya > hd - 1:
                        continue
                    r0, r1 = max(int(ya) >> 2, 0), min(int(yb) >> 2, H - 1)
                char[r0:r1 + 1, c0:c1 + 1] = ord(it[5])
                col[r0:r1 + 1, c0:c1 + 1] = c
                is_dots[r0:r1 + 1, c0:c1 + 1] = False
        # braille cells take their character from the dots
        char[is_dots] = 0x2800 + bits[is_dots].astype(np.uint32)  # braille: U+2800 + dot bits

        if self.note and H >= 1 and W >= 3:  # centred on the middle row, over what is drawn there
            text = self.note if len(self.note) <= W else self.note[:W - 1] + "…"
            c0, r = (W - len(text)) // 2, (H - 1) // 2
            char[r, c0:c0 + len(text)] = [ord(ch) for ch in text]
            col[r, c0:c0 + len(text)] = -1  # the base style (the chart's foreground)
            is_dots[r, c0:c0 + len(text)] = False
        styles = [Style(color=c, bgcolor=bg) for c in colors]

        def label_cells(text: str, w: int, right: bool) -> str:
            return text.rjust(w)[:w] if right else text.ljust(w)[:w]

        left_rows: dict[int, str] = {}
        for v, lab in zip(*ticks["left"]):
            r = int(dot_y(v, "left") + 1e-6) >> 2  # (a decade's 4k dots may come out as 4k - ε)
            left_rows.setdefault(min(max(r, 0), H - 1), lab)
        right_rows: dict[int, str] = {}
        if "right" in sides:
            for v, lab in zip(*ticks["right"]):
                r = int(dot_y(v, "right") + 1e-6) >> 2
                right_rows.setdefault(min(max(r, 0), H - 1), lab)
        # x ticks: given, or round values (whole numbers on a step axis), as many as their
        # labels leave room for
        if self.xticks_ is not None:
            xv, xl = self.xticks_
        else:
            whole = self.x_whole if self.x_whole is not None else self._x_is_whole()
            label_w = max((len(lab) for lab in nice_labels(nice_ticks(xlo, xhi, 8, whole))), default=1)
            xv = nice_ticks(xlo, xhi, max(2, min(8, (W + 2) // (label_w + 2))), whole)
            xl = nice_labels(xv)
        xcols = []
        for v, lab in zip(xv, xl):
            d = dot_x(v)
            if -0.5 <= d <= wd - 0.5:
                xcols.append((min(max(int(round(d)) >> 1, 0), W - 1), lab))
        strips: list[Strip] = []

        def text_segs(text: str, style: Style) -> list[Segment]:
            """``text`` with its blank runs as separate ``pad`` segments."""
            return [Segment(run, pad if run[0] == " " else style) for run in _RUNS.findall(text)]

        # top frame
        strips.append(Strip(text_segs(" " * wl + "┌" + "─" * W + "┐" + " " * wr, base), width))
        cells = _cell_segments(char, col, [*styles, base], pad)
        for r in range(H):
            segs = text_segs(label_cells(left_rows.get(r, ""), wl, True), base)
            segs.append(Segment("┤" if r in left_rows else "│", base))
            segs.extend(cells[r])
            segs.append(Segment("├" if r in right_rows else "│", base))
            if wr:
                segs.extend(text_segs(label_cells(right_rows.get(r, ""), wr, False), base))
            strips.append(Strip(segs, width))
        bottom = ["─"] * W
        for c, _ in xcols:
            bottom[c] = "┬"
        strips.append(Strip(text_segs(" " * wl + "└" + "".join(bottom) + "┘" + " " * wr, base), width))
        # x labels, centred under their ticks, never overlapping
        line = [" "] * width
        last_end = -1
        for c, lab in xcols:
            pos = wl + 1 + c - len(lab) // 2
            pos = min(max(pos, 0), width - len(lab))
            if pos <= last_end or pos < 0:
                continue
            line[pos:pos + len(lab)] = list(lab)
            last_end = pos + len(lab)
        strips.append(Strip(text_segs("".join(line[:width]), base), width))
        while len(strips) < height:
            strips.append(blank)
        return strips[:height]


class BrailleChart(Widget):
    """A chart widget: subclasses set ``self._draw`` (a function of a ``Plot``) in ``show``;
    the chart is laid out and rastered when painted, for the size the widget has then."""

    DEFAULT_CSS = """
    BrailleChart { width: 1fr; height: 1fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._draw: Callable[[Plot], None] | None = None
        self._lines: list[Strip] = []
        self._lines_key: object = None
        self._version = 0

    def set_draw(self, draw: Callable[[Plot], None]) -> None:
        self._draw = draw
        self._version += 1
        self.refresh()

    def _colors(self) -> tuple[Color, Color]:
        from relutui.app.widgets import palette

        return palette.foreground(self.app), palette.color(self.app, "surface", "#1e1e1e")

    def render_line(self, y: int) -> Strip:
        width, height = self.size.width, self.size.height
        key = (self._version, width, height, self.app.theme)
        if key != self._lines_key:
            self._lines_key = key
            plot = Plot()
            if self._draw is not None:
                self._draw(plot)
            fg, bg = self._colors()
            self._lines = plot.render(width, height, fg, bg)
        if y < len(self._lines):
            return self._lines[y]
        return Strip.blank(width)
