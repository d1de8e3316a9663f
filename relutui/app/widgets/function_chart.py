"""f(x), f'(x), the dead / saturated zones, the pre-activation histogram and operating points."""

from __future__ import annotations

import numpy as np

from relutui.format import fmt
from relutui.session.views import ChartView
from relutui.diagnostics import ACTIVE, DEAD, SATURATED
from relutui.app.widgets import palette
from relutui.app.widgets.braille import BrailleChart, Plot, color_hex
from relutui.app.widgets.titles import FittedTitles


ZONE = "░"  # the dead and saturated zones (their colours tell them apart)
HIST = "▒"  # the histogram of z


class FunctionChart(FittedTitles, BrailleChart):
    """Left axis: f(x) with the histogram of z; right axis: f'(x)."""

    _shown: object = None

    def show(self, view: ChartView, force: bool = False) -> None:
        if view is self._shown and not force:
            return
        self._shown = view
        app = self.app
        R = view.x_range
        f_lo, f_hi = view.f_limits
        fp_lo, fp_hi = view.fp_limits
        # colours as the strings the plot keeps (converted here once, not at every paint)
        hist_c = color_hex(palette.color(app, "foreground").blend(palette.background(app), 0.72))
        zone_c = {var: color_hex(palette.background(app).blend(palette.color(app, var), 0.25))
                  for var in ("error", "warning")}
        c_f, c_fp, c_sel = (color_hex(palette.rgb(app, var)) for var in ("primary", "secondary", "accent"))
        state_c = {s: color_hex(palette.rgb(app, palette.STATE_VAR[s])) for s in (ACTIVE, SATURATED, DEAD)}
        xs, f, fp = view.xs, np.nan_to_num(view.f), np.nan_to_num(view.fp)
        fp_max = view.fp_max

        def draw(plt: Plot) -> None:
            # dead / saturated zones: a faint full-height band
            for zones, var in ((view.dead, "error"), (view.saturated, "warning")):
                for x0, x1 in zones:
                    plt.band(x0, x1, zone_c[var], ZONE)
            # histogram of the selected layer's pre-activations, in the lower 60% of the f axis
            counts = view.hist_counts
            if counts.size and counts.max() > 0:
                base = 0.0 if f_lo < 0 < f_hi else f_lo
                heights = counts / counts.max() * 0.6 * (f_hi - base)
                half = (view.hist_centers[1] - view.hist_centers[0]) / 4 if len(counts) > 1 else 0.0
                for cx, h in zip(view.hist_centers.tolist(), heights.tolist()):
                    if h > 0:
                        plt.band(cx - half, cx + half, hist_c, HIST, base, base + h)
            plt.line(xs, f, c_f)
            plt.line(xs, fp, c_fp, yside="right")
            # operating points of the selected sample
            for state in (ACTIVE, SATURATED, DEAD):
                m = view.points_state == state
                if m.any():
                    plt.scatter(view.points_z[m], view.points_f[m], state_c[state], "●")
                    plt.scatter(view.points_z[m], view.points_fp[m], state_c[state], "•", yside="right")
            if view.selected_point is not None:
                i = view.selected_point
                plt.scatter([view.points_z[i]], [view.points_f[i]], c_sel, "◆")
            plt.xlim(-R, R)
            plt.ylim(f_lo, f_hi, yside="left")
            plt.ylim(fp_lo, fp_hi, yside="right")
            # round ticks with 0 and 1 labelled, and on the f' axis the activation's largest
            # slope (sigmoid's 0.25, hard sigmoid's 1/6, hard swish's 1.5: the factor each layer
            # can shrink or grow the gradient by), before 0 and 1 when they crowd each other
            plt.ynice([(0.0, "0"), (1.0, "1")], yside="left")
            top = [(fp_max, fmt(fp_max))] if fp_max > 0 and fp_max != 1.0 else []
            plt.ynice(top + [(0.0, "0"), (1.0, "1")], yside="right")
            ticks = [-R, -R / 2, 0.0, R / 2, R]
            plt.xticks(ticks, [fmt(t, 3) for t in ticks])

        self.set_draw(draw)
        self.fit_titles(chart_titles(view), chart_subtitles(app, view))


def chart_titles(view: ChartView) -> list[str]:
    """Longest first: the name with its parameters and the formula, the short name and the
    formula, the formula, the short name (the activation card has the rest)."""
    short = view.title.split(" (")[0]  # 'Sigmoid (logistic)' -> 'Sigmoid'
    formula = f"[dim]f(x) = {view.formula}[/]"
    return [f"{view.title}  {formula}", f"{short}  {formula}", f"{short}  [dim]{view.formula}[/]", formula, short]


def chart_subtitles(app, view: ChartView) -> list[str]:
    """The key of the lines, the histogram and the zones, saying less as the chart narrows."""
    p = palette.hex_
    zones = ""  # the zones' key: their character, in the colour of the zone's state
    if view.dead:
        zones += f" [{p(app, 'error')}]{ZONE} dead[/]"
    if view.saturated:
        zones += f" [{p(app, 'warning')}]{ZONE} sat[/]"
    f_key = f"[{p(app, 'primary')}]━ f[/] [{p(app, 'secondary')}]━ f′"
    hist_short = view.hist_label.replace("z of layer ", "z L")
    off = f" ({100 * view.outside:.0f}% off-range)" if view.outside > 0 else ""
    off_short = f" ({100 * view.outside:.0f}% off)" if view.outside > 0 else ""
    return [
        f"{f_key} (right)[/] {HIST} {view.hist_label}{off}{zones}",
        f"{f_key}[/] {HIST} {view.hist_label}{off}{zones}",
        f"{f_key}[/] {HIST} {hist_short}{off_short}{zones}",
        f"{f_key}[/] {HIST} {hist_short}{zones}",
        f"{f_key}[/]{zones}",
        f"{f_key}[/]",
    ]
