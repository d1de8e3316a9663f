"""What the charts' keys and axes say matches what they draw: the function chart's zone key is
the character of its zones, the boundary map's points are the glyphs its caption names, a step
axis has whole, round ticks (1, 2 or 5 × 10^k) and a percentage axis says %."""

from __future__ import annotations

import math

import numpy as np
import pytest
from rich.style import Style

from relutui.app.app import ReluApp
from relutui.app.views import BoundaryView
from relutui.app.widgets.boundary_map import LEGEND, TEST_POINT, TRAIN_POINT, BoundaryMap
from relutui.app.widgets.braille import Plot, nice_labels, nice_ticks
from relutui.app.widgets.function_chart import HIST, ZONE, FunctionChart
from relutui.training import TrainConfig

from .conftest import SIZE


def chart_text(app, wid: str) -> str:
    widget = app.screen.query_one(wid)
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


@pytest.mark.parametrize("activation, zone", [("relu", "dead"), ("sigmoid", "sat"), ("hardtanh", "sat")])
async def test_the_function_charts_zone_key_is_the_character_it_shades_with(app_pilot, activation, zone):
    """The key said "▀ dead" while the zones were shaded with ░."""
    async with app_pilot(TrainConfig(seed=0, activation=activation), size=SIZE) as (app, pilot):
        await pilot.pause()
        chart = app.screen.query_one(FunctionChart)
        subtitle = str(chart.border_subtitle)
        body = chart_text(app, "#chart")
    assert f"{ZONE} {zone}" in subtitle and "▀" not in subtitle
    assert f"{HIST} z of layer 1" in subtitle
    assert ZONE in body and HIST in body


async def test_the_boundary_map_draws_the_glyphs_its_legend_names(config):
    rng = np.random.default_rng(0)
    probs = rng.random((8, 30))
    points = [(int(rng.integers(0, 30)), int(rng.integers(0, 8)), float(rng.integers(0, 2)), k % 3 == 0)
              for k in range(40)]
    view = BoundaryView(probs, points, (0.0, 1.0, 0.0, 1.0), "classification", None)
    app = ReluApp(config)
    async with app.run_test(size=SIZE):
        strips = app.screen.query_one(BoundaryMap)._build(view)
    glyphs = {ch for strip in strips for ch in strip.text} - {"▀"}
    assert glyphs == {TRAIN_POINT, TEST_POINT}
    assert LEGEND == f"{TRAIN_POINT} train {TEST_POINT} test"


# ---------------------------------------------------------------- axes
def is_round(step: float) -> bool:
    """1, 2 or 5 × 10^k."""
    k = math.floor(math.log10(step))
    return any(math.isclose(step, m * 10.0 ** k) for m in (1, 2, 5))


def x_labels(plot: Plot, width: int = 40, height: int = 8) -> list[str]:
    lines = plot.render(width, height, "#ffffff", "#000000")
    return lines[-1].text.split()


@pytest.mark.parametrize("last", [1, 2, 7, 39, 150, 598, 1000, 12345, 100_000])
@pytest.mark.parametrize("width", [30, 40, 120])
def test_a_step_axis_has_whole_round_ticks(last, width):
    """Steps 0..last (history rows: whole numbers): ticks 0 150 299 448 598 and 0.0 9.8 19.5
    became 0 100 200 ... and 0 10 20 30."""
    plot = Plot()
    steps = np.arange(last + 1, dtype=float)
    plot.line(steps, np.sin(steps), "#ff0000")
    labels = x_labels(plot, width)
    values = [int(t) for t in labels]  # whole numbers, written as such
    assert len(values) >= 2 and values[0] >= 0 and values[-1] <= last
    gaps = {b - a for a, b in zip(values, values[1:])}
    assert len(gaps) == 1 and is_round(gaps.pop())


def test_before_the_second_step_the_axis_is_0_to_1_in_whole_steps():
    """A history of one row: the x-axis spans 0..1 (the chart's _xlim) and said 0.00 0.25 ... 1.00."""
    plot = Plot()
    plot.line([0.0], [0.7], "#ff0000")
    plot.xlim(0, 1)
    assert x_labels(plot) == ["0", "1"]


def test_a_fractional_axis_gets_round_ticks_with_the_decimals_of_its_step():
    plot = Plot()
    plot.line([0.0, 0.5, 1.0], [1.0, 2.0, 3.0], "#ff0000")
    labels = x_labels(plot)
    assert labels[0] == "0.0" and labels[-1] == "1.0"
    assert all(is_round(b - a) for a, b in zip(map(float, labels), map(float, labels[1:])))


@pytest.mark.parametrize("height", [5, 8, 14])
def test_a_percentage_axis_says_percent(height):
    plot = Plot()
    plot.line([0.0, 10.0], [0.7, 0.4], "#ff0000")
    plot.line([0.0, 10.0], [0.0, 37.5], "#00ff00", yside="right")
    plot.ylim(0, 100, yside="right")
    plot.yunit("%", yside="right")
    lines = plot.render(40, height, "#ffffff", "#000000")
    right = [line.text.rsplit("├", 1)[1].strip() for line in lines if "├" in line.text]
    assert right and right[0] == "100%" and right[-1] == "0%"
    assert all(lab.endswith("%") and is_round(100 / max(len(right) - 1, 1)) for lab in right)


def test_nice_ticks():
    assert nice_ticks(0, 598, 6, whole=True) == [0, 100, 200, 300, 400, 500]
    assert nice_ticks(0, 39, 6, whole=True) == [0, 10, 20, 30]
    assert nice_ticks(0, 1, 6, whole=True) == [0, 1]
    assert nice_ticks(0, 100, 5) == [0, 50, 100]
    assert nice_labels([0.0, 0.25, 0.5]) == ["0.00", "0.25", "0.50"]
    assert nice_labels([0, 50, 100], "%") == ["0%", "50%", "100%"]
    assert nice_ticks(3.0, 3.0, 5) == [3.0]
    assert nice_labels(nice_ticks(0.3, 0.4, 5, whole=True)) == ["0.30", "0.35", "0.40"]  # no whole number in it


def test_chart_segments_keep_their_style_for_the_new_ticks():
    """The axis lines are plain text in the chart's own style (what the fast path produced)."""
    plot = Plot()
    plot.line(np.arange(600.0), np.arange(600.0), "#ff0000")
    last = plot.render(40, 8, "#ffffff", "#000000")[-1]
    assert {seg.style for seg in last if seg.text.strip()} == {Style(color="#ffffff", bgcolor="#000000")}
