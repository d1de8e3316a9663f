"""Loss curves (train, test) with dead % and per-layer gradient norms on a log scale."""

from __future__ import annotations

import math

import numpy as np

from relutui.app.values import fmt
from relutui.session.views import TrainingView
from relutui.app.widgets import palette
from relutui.app.widgets.braille import BrailleChart, Plot

LAYER_VARS = ("primary", "accent", "success", "warning", "error", "secondary")


def _finite(xs: np.ndarray, ys: np.ndarray, positive: bool = False) -> tuple[np.ndarray, np.ndarray]:
    m = np.isfinite(ys) & np.isfinite(xs)
    if positive:
        m &= ys > 0
    return xs[m].astype(float), ys[m].astype(float)


class LossChart(BrailleChart):
    """Train and test loss (left), dead % of hidden neurons (right)."""

    _shown: object = None
    _titles: tuple[str | None, str | None] = (None, None)

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

        def draw(plt: Plot) -> None:
            if not any_data:
                _empty(plt)
                return
            for x, y, c, side in series:
                plt.line(x, y, c, yside=side)
                if side == "right":
                    plt.ylim(0, 100, yside="right")
                    plt.yunit("%", yside="right")
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
            title = "loss · no steps yet: space plays, s steps"
        elif len(views) == 1:
            v = views[0]
            title = f"loss {fmt(v.last_loss)}  test {fmt(v.last_test_loss)}"
            subtitle = (f"[{p(app, 'primary')}]━ train[/] [{p(app, 'secondary')}]━ test[/] "
                        f"[{p(app, 'error')}]━ dead % (right)[/]")
        else:
            title = "loss"
            subtitle = "  ".join(
                f"[{p(app, dash[k % 2])}]━ {v.label} {fmt(v.last_loss)}[/]" for k, v in enumerate(views))
        # (Textual parses and repaints a border title at every assignment: only when it changed)
        old_title, old_subtitle = self._titles
        if title != old_title:
            self.border_title = title
        if subtitle is not None and subtitle != old_subtitle:
            self.border_subtitle = subtitle
        self._titles = (title, subtitle if subtitle is not None else old_subtitle)


class GradChart(BrailleChart):
    """‖dL/dW‖ of every layer over time, log scale: vanishing and exploding gradients show here."""

    _shown: object = None

    def show(self, view: TrainingView, title: str = "", force: bool = False) -> None:
        if view is self._shown and not force:
            return
        self._shown = view
        app = self.app
        gn = view.grad_norms
        L = gn.shape[1] if gn.ndim == 2 else 0
        series = []
        for l in range(L):
            x, y = _finite(view.steps, gn[:, l], positive=True)
            if len(x):
                series.append((x, np.log10(y), palette.rgb(app, LAYER_VARS[l % len(LAYER_VARS)])))
        plotted = bool(series)
        steps = view.steps

        def draw(plt: Plot) -> None:
            if not plotted:
                _empty(plt)
                return
            for x, y, c in series:
                plt.line(x, y, c)
            _xlim(plt, steps)
            lo, hi = plt_limits(gn)
            ticks = list(range(math.floor(lo), math.ceil(hi) + 1))
            if len(ticks) > 6:
                ticks = ticks[:: math.ceil(len(ticks) / 6)]
            plt.yticks(ticks, [f"1e{t}" for t in ticks])

        self.set_draw(draw)
        p = palette.hex_
        if plotted:
            note = ""
        elif len(view.steps):
            note = " · all 0: no gradient flows back"
        else:
            note = " · appears as it trains"
        self.border_title = (title or "‖dL/dW‖ per layer (log)") + note
        parts = []
        for l in range(L):
            v = view.layer_norms[l] if l < len(view.layer_norms) else float("nan")
            parts.append(f"[{p(app, LAYER_VARS[l % len(LAYER_VARS)])}]L{l + 1} {fmt(v, 2)}[/]")
        self.border_subtitle = " ".join(parts)


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
