"""f(x), f'(x), the dead / saturated zones, the pre-activation histogram and operating points."""

from __future__ import annotations

import numpy as np
from textual_plotext import PlotextPlot

from relutui.app.state import ACTIVE, DEAD, SATURATED, ChartView, fmt
from relutui.app.widgets import palette


class FunctionChart(PlotextPlot):
    """Left axis: f(x) with the histogram of z; right axis: f'(x)."""

    _shown: object = None

    def show(self, view: ChartView, force: bool = False) -> None:
        if view is self._shown and not force:
            return
        self._shown = view
        app = self.app
        plt = self.plt
        plt.clear_figure()
        R = view.x_range
        f_lo, f_hi = view.f_limits
        fp_lo, fp_hi = view.fp_limits
        hist_c = palette.color(app, "foreground").blend(palette.background(app), 0.72)
        # Filled areas are drawn as one scatter point per character cell: plotext's filled bars
        # cost ~30 ms a frame, this costs ~2 ms.
        cols = max(self.size.width - 14, 10)
        rows = max(self.size.height - 4, 4)
        dx, dy = 2 * R / cols, (f_hi - f_lo) / rows
        # dead / saturated zones: a faint full-height band
        for zones, var in ((view.dead, "error"), (view.saturated, "warning")):
            shade = palette.background(app).blend(palette.color(app, var), 0.25)
            for x0, x1 in zones:
                gx = np.arange(x0, x1 + 1e-9, 0.6 * dx)  # denser than a cell: no gaps
                gy = np.arange(f_lo + dy / 2, f_hi, dy)
                if gx.size and gy.size:
                    GX, GY = np.meshgrid(gx, gy)
                    plt.scatter(GX.ravel().tolist(), GY.ravel().tolist(), marker="░",
                                color=(shade.r, shade.g, shade.b))
        # histogram of the selected layer's pre-activations, scaled into the lower 60% of the f axis
        counts = view.hist_counts
        if counts.size and counts.max() > 0:
            base = 0.0 if f_lo < 0 < f_hi else f_lo
            heights = counts / counts.max() * 0.6 * (f_hi - base)
            hx, hy = [], []
            for cx, h in zip(view.hist_centers, heights):
                if h > 0:
                    levels = np.arange(base + dy / 2, base + max(h, dy / 2) + 1e-9, dy)
                    hx.extend([float(cx)] * len(levels))
                    hy.extend(levels.tolist())
            if hx:
                plt.scatter(hx, hy, marker="▒", color=(hist_c.r, hist_c.g, hist_c.b))
        plt.plot(view.xs.tolist(), np.nan_to_num(view.f).tolist(), color=palette.rgb(app, "primary"),
                 marker="braille")
        fp = np.nan_to_num(view.fp)
        plt.plot(view.xs.tolist(), fp.tolist(), color=palette.rgb(app, "secondary"),
                 marker="braille", yside="right")
        # operating points of the selected sample
        for state in (ACTIVE, SATURATED, DEAD):
            m = view.points_state == state
            if m.any():
                c = palette.rgb(app, palette.STATE_VAR[state])
                plt.scatter(view.points_z[m].tolist(), view.points_f[m].tolist(), color=c, marker="●")
                plt.scatter(view.points_z[m].tolist(), view.points_fp[m].tolist(), color=c, marker="•",
                            yside="right")
        if view.selected_point is not None:
            i = view.selected_point
            plt.scatter([float(view.points_z[i])], [float(view.points_f[i])],
                        color=palette.rgb(app, "accent"), marker="◆")
        plt.xlim(-R, R)
        plt.ylim(f_lo, f_hi, yside="left")
        plt.ylim(fp_lo, fp_hi, yside="right")
        ticks = [-R, -R / 2, 0.0, R / 2, R]
        plt.xticks(ticks, [fmt(t, 3) for t in ticks])
        self.border_title = f"{view.title}  [dim]f(x) = {view.formula}[/]"
        p = palette.hex_
        sub = (f"[{p(app, 'primary')}]━ f[/] [{p(app, 'secondary')}]━ f′ (right)[/] "
               f"▒ {view.hist_label}")
        if view.outside > 0:
            sub += f" ({100 * view.outside:.0f}% off-range)"
        if view.dead:
            sub += f" [{p(app, 'error')}]▀ dead[/]"
        if view.saturated:
            sub += f" [{p(app, 'warning')}]▀ sat[/]"
        self.border_subtitle = sub
        self.refresh()
