"""Loss curves (train, test) with dead % and per-layer gradient norms on a log scale."""

from __future__ import annotations

import math

import numpy as np

from relutui.format import fmt, fmt_fit
from relutui.session.views import TrainingView
from relutui.app.widgets import palette
from relutui.app.widgets.braille import BrailleChart, Plot
from relutui.app.widgets.titles import FittedTitles, fitting

LAYER_VARS = ("primary", "accent", "success", "warning", "error", "secondary")


def _finite(xs: np.ndarray, ys: np.ndarray, positive: bool = False) -> tuple[np.ndarray, np.ndarray]:
    m = np.isfinite(ys) & np.isfinite(xs)
    if positive:
        m &= ys > 0
    return xs[m].astype(float), ys[m].astype(float)


# The loss axis spans at least this share of its top value (a flat 0.6924-0.6995 loss is a
# flat line, not a cliff), and it only grows while a run goes on: no re-scaling every frame.
MIN_LOSS_SPAN = 0.2
MIN_LOSS_SPAN_ABS = 1e-3


def loss_limits(values: list[np.ndarray], old: tuple[float, float] | None = None) -> tuple[float, float] | None:
    """The loss axis: the data's range widened to the minimum span (about its middle, never
    below 0 for a loss that is not), then joined with the ``old`` axis (it only grows)."""
    vals = [v[np.isfinite(v)] for v in values]
    vals = [v for v in vals if v.size]
    if not vals:
        return old
    lo, hi = min(float(v.min()) for v in vals), max(float(v.max()) for v in vals)
    span = max(hi - lo, MIN_LOSS_SPAN * max(abs(hi), abs(lo)), MIN_LOSS_SPAN_ABS)
    if span > hi - lo:
        mid = (lo + hi) / 2
        lo, hi = mid - span / 2, mid + span / 2
        if lo < 0 <= min(float(v.min()) for v in vals):
            lo, hi = 0.0, span
    if old is not None:
        lo, hi = min(lo, old[0]), max(hi, old[1])
    return lo, hi


class LossChart(FittedTitles, BrailleChart):
    """Train and test loss (left), dead % of hidden neurons (right)."""

    _shown: object = None
    _ylim: tuple[float, float] | None = None
    _run: tuple | None = None  # (labels, first step, last step) of the runs the axis was made for

    def show(self, views: list[TrainingView], force: bool = False) -> None:
        key = [id(v) for v in views]
        if key == self._shown and not force:
            return
        self._shown = key
        app = self.app
        dash = ("primary", "accent")
        series = []  # (x, y, colour, side)
        any_data = False
        for k, v in enumerate(views):
            x, y = _finite(v.steps, v.loss)
            if len(x):
                any_data = True
                series.append((x, y, palette.rgb(app, dash[k % 2]), "left"))
            if len(views) == 1:
                x, y = _finite(v.steps, v.test_loss)
                if len(x):
                    series.append((x, y, palette.rgb(app, "secondary"), "left"))
                x, y = _finite(v.steps, 100 * v.dead)
                if len(x) and y.max() > 0:
                    series.append((x, y, palette.rgb(app, "error"), "right"))
        steps = views[0].steps if views else np.zeros(0)
        # a reset or a new run (fewer steps than before, another start, other runs): a new axis
        run = (tuple(v.label for v in views), float(steps[0]) if len(steps) else None,
               float(steps[-1]) if len(steps) else None)
        old = self._run
        if old is None or run[:2] != old[:2] or run[2] is None or (old[2] is not None and run[2] < old[2]):
            self._ylim = None
        self._run = run
        self._ylim = ylim = loss_limits([y for _x, y, _c, side in series if side == "left"], self._ylim)

        def draw(plt: Plot) -> None:
            if not any_data:
                _empty(plt)
                return
            for x, y, c, side in series:
                plt.line(x, y, c, yside=side)
                if side == "right":
                    plt.ylim(0, 100, yside="right")
                    plt.yunit("%", yside="right")
            if ylim is not None:
                plt.ylim(*ylim)
                plt.ynice()
            _xlim(plt, steps)

        self.set_draw(draw)
        self.show_titles(views)

    def show_titles(self, views: list[TrainingView]) -> None:
        """The titles alone: the figures of the network as it is now (the status line's), every
        frame while playing, also when the curves wait for their turn to be redrawn."""
        app = self.app
        dash = ("primary", "accent")
        p = palette.hex_
        subtitle = None
        if not any(len(v.steps) for v in views):
            title = ["loss · no steps yet: space plays, s steps", "loss · no steps yet", "loss"]
        elif len(views) == 1:
            v = views[0]
            title = [f"loss {fmt(v.last_loss)}  test {fmt(v.last_test_loss)}", f"loss {fmt(v.last_loss)}"]
            subtitle = (f"[{p(app, 'primary')}]━ train[/] [{p(app, 'secondary')}]━ test[/] "
                        f"[{p(app, 'error')}]━ dead % (right)[/]")
        else:
            title = ["loss"]
            subtitle = "  ".join(
                f"[{p(app, dash[k % 2])}]━ {v.label} {fmt(v.last_loss)}[/]" for k, v in enumerate(views))
        # (only what changed is set again: see FittedTitles)
        self.fit_titles(title, None if subtitle is None else [subtitle])


class GradChart(FittedTitles, BrailleChart):
    """‖dL/dW‖ of every layer over time, log scale: vanishing and exploding gradients show here."""

    _shown: object = None
    _title_pad = 0

    def show(self, view: TrainingView, title: str = "", force: bool = False, title_pad: int = 0) -> None:
        """``title_pad``: the cells the title's label is shorter than its neighbour's (compare
        mode: "ReLU" beside "Sigmoid"), so that both titles choose the same wording."""
        if view is self._shown and not force and title_pad == self._title_pad:
            return
        self._shown = view
        self._title_pad = title_pad
        app = self.app
        gn = view.grad_norms
        L = gn.shape[1] if gn.ndim == 2 else 0
        steps = np.asarray(view.steps, dtype=float)
        series = []
        for l in range(L):
            # a log axis cannot show 0: the line stops there (NaN breaks it) and the plot says so
            with np.errstate(divide="ignore", invalid="ignore"):
                y = np.where(np.isfinite(gn[:, l]) & (gn[:, l] > 0), np.log10(np.where(gn[:, l] > 0, gn[:, l], 1.0)), np.nan)
            if np.isfinite(y).any():
                series.append((steps, y, palette.rgb(app, LAYER_VARS[l % len(LAYER_VARS)])))
        plotted = bool(series)
        note = no_gradient_note(steps, gn)

        def draw(plt: Plot) -> None:
            if not plotted:
                _empty(plt)
                return
            for x, y, c in series:
                plt.line(x, y, c)
            _xlim(plt, steps)
            lo, hi = plt_limits(gn)
            plt.ylim(lo, hi)
            plt.ydecades()
            plt.note = note

        self.set_draw(draw)
        base = title or "‖dL/dW‖ per layer (log)"
        if plotted:
            titles = [base, "‖dL/dW‖ (log)"]
        elif len(view.steps):
            titles = [base + " · all 0: no gradient flows back", base + " · all 0", "‖dL/dW‖ · all 0"]
        else:
            titles = [base + " · appears as it trains", base, "‖dL/dW‖ (log)"]
        self.fit_titles(titles)
        self._legend_view = view
        self._set_legend()

    _legend_view: TrainingView | None = None

    def apply_titles(self) -> None:
        if not self._title_pad:
            super().apply_titles()
            return
        width = self.size.width
        title = fitting(self._title_options, max(width - self._title_pad, 1) if width > 0 else 0)
        if title != self._fitted[0]:
            self.border_title = title
        self._fitted = (title, None)

    def on_resize(self) -> None:
        self.fit_to_width()

    def fit_to_width(self) -> None:
        self.apply_titles()
        self._set_legend()

    def _set_legend(self) -> None:
        """Every layer's norm when they fit in the border, else fewer digits, else the first and
        the last layer; with "first/last" (how much the gradient shrinks or grows on its way
        back) when there are two or more layers."""
        view = self._legend_view
        if view is None:
            return
        app = self.app
        p = palette.hex_
        norms = [float(v) for v in view.layer_norms]
        room = max(self.size.width - 6, 8) if self.size.width else 10_000
        items = grad_legend(norms, room)
        legend = " ".join(f"[{p(app, LAYER_VARS[l % len(LAYER_VARS)])}]{text}[/]" if l is not None else text
                          for l, text in items)
        if legend != self._legend:  # (Textual parses and repaints a border title at every assignment)
            self._legend = legend
            self.border_subtitle = legend

    _legend: str | None = None


def _ratio_text(x: float) -> str:
    """x >= 1 in two significant digits: 4.2, 42, 4200, 4.2e5."""
    if x < 100:
        return f"{x:.2g}"
    if x < 1e5:
        e = math.floor(math.log10(x))
        return str(int(round(x, 1 - e)))
    return fmt(x, 3)


def first_last(norms: list[float], label: str = "first/last") -> str | None:
    """"first/last ≈ 1/4000": the first layer's gradient norm over the last one's."""
    if len(norms) < 2:
        return None
    first, last = norms[0], norms[-1]
    if not (math.isfinite(first) and math.isfinite(last)):
        return None
    if first == 0 and last == 0:
        return f"{label}: no gradient"
    if last == 0:
        return "last layer 0"
    if first == 0:
        return f"{label} = 0"
    r = first / last
    if r >= 1:
        return f"{label} ≈ {_ratio_text(r)}"
    if r >= 0.1:  # 0.96, 0.54: a decimal reads better than 1/1.04
        return f"{label} ≈ {r:.2g}"
    return f"{label} ≈ 1/{_ratio_text(1 / r)}"  # 1/4000: how many times smaller


def grad_legend(norms: list[float], room: int) -> list[tuple[int | None, str]]:
    """(layer index or None, text) items whose texts, joined by spaces, fit in ``room``."""
    L = len(norms)
    ratio = first_last(norms)
    tail = [(None, "·"), (None, ratio)] if ratio and L > 2 else []

    def width(items):
        return sum(len(t) for _, t in items) + max(len(items) - 1, 0)

    candidates = []
    def short(v: float) -> str:  # 4 characters at most: 7e-3, 0.02, 12
        return fmt_fit(v, 4, digits=2)

    for number in (lambda v: fmt(v, 2), short):  # 0.0066, then 7e-3
        layers = [(l, f"L{l + 1} {number(v)}") for l, v in enumerate(norms)]
        candidates += [layers + tail, layers]
    if L > 2:
        ends = [(0, f"L1 {short(norms[0])}"), (None, "…"), (L - 1, f"L{L} {short(norms[-1])}")]
        named = first_last(norms, f"L1/L{L}")  # the ends are on screen: name them
        candidates += [ends + tail, ends + [(None, "·"), (None, named)], ([(None, ratio)] if ratio else ends)]
    for items in candidates:
        if width(items) <= room:
            return items
    return candidates[-1]


def no_gradient_note(steps: np.ndarray, gn: np.ndarray) -> str | None:
    """"no gradient since step N" when the latest norms of every layer are 0 (a dead net),
    "no gradient in L1 L2" when some are (0 is off a log axis); None otherwise."""
    if gn.ndim != 2 or not len(gn):
        return None
    zero = gn[-1] == 0
    if not zero.any():
        return None
    if zero.all():
        alive = np.flatnonzero((gn != 0).any(axis=1))
        if not len(alive):
            return f"no gradient since step {int(steps[0])}"
        last, since = int(steps[alive[-1]]), int(steps[alive[-1] + 1])
        # the history keeps every k-th step of a long run: exact only when the two are adjacent
        return f"no gradient since step {since}" if since == last + 1 else f"no gradient: all 0 by step {since}"
    return "no gradient in " + " ".join(f"L{l + 1}" for l in np.flatnonzero(zero))


def plt_limits(gn: np.ndarray) -> tuple[float, float]:
    v = gn[np.isfinite(gn) & (gn > 0)]
    if not v.size:
        return 0.0, 1.0
    return float(np.log10(v.min())), float(np.log10(v.max()))


def _empty(plt: Plot) -> None:
    plt.frame = False


def _xlim(plt, steps: np.ndarray) -> None:
    if len(steps):
        lo, hi = float(steps[0]), float(steps[-1])
        plt.xlim(lo, hi if hi > lo else lo + 1)
