"""The charts' axes teach the right numbers at every size: round function-chart ticks with 0
and 1 (and sigmoid's largest f', 0.25), a loss axis with a minimum span that only grows during
a run, evenly spaced decades on the log axis, lines that stop where a gradient is 0 with
"no gradient" said in the plot, and a gradient legend that always fits (first/last)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from textual.geometry import Region

from relutui.app.app import ReluApp
from relutui.app.widgets.braille import Plot, _even_decades
from relutui.app.widgets.training_panel import (
    GradChart, LossChart, first_last, grad_legend, loss_limits, no_gradient_note,
)
from relutui.training import TrainConfig

SIZES = [(80, 24), (120, 36), (200, 60)]


def axis_labels(text: str, side: str) -> list[str]:
    """The tick labels on the left (before ┤) or right (after ├) of a chart's rows."""
    pat = r"(\S+)┤" if side == "left" else r"├(\S+)"
    return [m.group(1).strip("│") for line in text.splitlines() for m in [re.search(pat, line)] if m]


def widget_text(app, wid: str) -> str:
    """Every line of a panel, its border (title, legend) included."""
    w = app.screen.query_one(wid)
    return "\n".join(line.text for line in w.render_lines(Region(0, 0, *w.outer_size)))


@pytest.mark.parametrize("size", SIZES)
async def test_the_sigmoid_chart_labels_0_1_and_its_largest_slope(size):
    app = ReluApp(TrainConfig(seed=0, activation="sigmoid"))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        text = widget_text(app, "#chart")
    left, right = axis_labels(text, "left"), axis_labels(text, "right")
    assert {float(v) for v in left} >= {0.0, 1.0}, left
    assert {float(v) for v in right} >= {0.0, 0.25, 1.0}, right
    # round values only: no 1.05 / 0.83 / -0.05 left from the padded limits
    assert all(float(v) in (0, 0.25, 0.5, 1) or float(v) * 10 == int(float(v) * 10) for v in left + right)


@pytest.mark.parametrize("act,label", [("hardswish", "1.5"), ("gelu", "1.13"), ("hardsigmoid", "0.167"),
                                       ("selu", "1.76")])
@pytest.mark.parametrize("size", SIZES)
async def test_the_f_prime_axis_labels_the_activations_largest_slope(act, label, size):
    """Above 1 too (hard swish 1.5, GELU 1.13): the largest factor a layer can scale the
    gradient by, from the activation (the curve's grid misses hard swish's 1.5 at x = 3)."""
    app = ReluApp(TrainConfig(seed=0, activation=act))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        text = widget_text(app, "#chart")
        assert app.state.chart_view().fp_max == pytest.approx(float(label), rel=5e-3)
    right = axis_labels(text, "right")
    assert label in right and any(float(v) == 0 for v in right), right
    if float(label) > 1:
        assert right[0] == label, right  # the top of the axis


@pytest.mark.parametrize("size", SIZES)
async def test_the_relu_chart_has_round_ticks_from_0(size):
    app = ReluApp(TrainConfig(seed=0, activation="relu"))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        text = widget_text(app, "#chart")
    left = [float(v) for v in axis_labels(text, "left")]
    assert 0.0 in left and 10.0 in left
    assert all(v == int(v) for v in left)  # not 10.5 8.3 7.2 ...
    if size == (200, 60):
        assert 1.0 in left  # room for it


def test_extras_never_crowd_a_label_and_keep_the_axis_decimals():
    plot = Plot()
    plot.line([0, 1], [-0.05, 1.05], "#ffffff")
    plot.ylim(-0.05, 1.05)
    plot.ynice([(0.0, "0"), (1.0, "1"), (0.25, "0.25")])
    lines = plot.render(30, 14, "#ffffff", "#000000")
    rows = [i for i, s in enumerate(lines) if "┤" in s.text]
    labels = axis_labels("\n".join(s.text for s in lines), "left")
    assert labels == ["1.0", "0.5", "0.25", "0.0"]
    assert all(b - a >= 2 for a, b in zip(rows, rows[1:]))


# ---------------------------------------------------------------- loss axis
def test_a_flat_loss_is_not_stretched_to_full_height():
    lo, hi = loss_limits([np.array([0.6924, 0.6995, 0.6950])])
    assert hi - lo >= 0.2 * 0.6995 * (1 - 1e-12) and lo <= 0.6924 and hi >= 0.6995
    assert (0.6995 - 0.6924) / (hi - lo) < 0.1  # the wiggle uses < 10% of the height


def test_the_loss_axis_only_grows_within_a_run():
    first = loss_limits([np.array([0.2, 1.5])])
    later = loss_limits([np.array([0.1, 0.3])], first)
    assert later[0] <= first[0] and later[1] >= first[1]
    assert loss_limits([], first) == first


async def test_the_loss_chart_keeps_its_axis_while_playing_and_resets_on_reset(config):
    app = ReluApp(config)
    async with app.run_test(size=(120, 36)) as pilot:
        chart = app.screen.query_one(LossChart)
        await pilot.press("s", "s", "s")
        await pilot.pause()
        seen = [chart._ylim]
        for _ in range(6):
            await pilot.press("s")
            await pilot.pause()
            seen.append(chart._ylim)
        for a, b in zip(seen, seen[1:]):
            assert b[0] <= a[0] and b[1] >= a[1]  # never shrinks during the run
        await pilot.press("r")
        await pilot.pause()
        assert chart._ylim is None  # a reset forgets the old axis: the next is the new run's alone
        await pilot.press("s")
        await pilot.pause()
        v = app.state.training_view()
        assert chart._ylim == loss_limits([v.loss[np.isfinite(v.loss)], v.test_loss[np.isfinite(v.test_loss)]])


# ---------------------------------------------------------------- log axis
@pytest.mark.parametrize("lo,hi", [(-4.3, 0.2), (-9.1, -0.5), (-1.5, 1.2), (-0.2, 0.1), (-30, 8)])
@pytest.mark.parametrize("H", [3, 5, 9, 14, 40])
def test_decades_are_evenly_spaced(lo, hi, H):
    a, b, (vals, labels) = _even_decades(lo, hi, H)
    assert a <= lo and b >= hi and all(v == int(v) for v in vals)
    plot = Plot()
    plot.line([0, 1], [lo, hi], "#ffffff")
    plot.ylim(lo, hi)
    plot.ydecades()
    lines = plot.render(40, H + 3, "#ffffff", "#000000")
    rows = [i for i, s in enumerate(lines) if "┤" in s.text]
    gaps = {b - a for a, b in zip(rows, rows[1:])}
    assert len(gaps) <= 1 and (not gaps or min(gaps) >= 2 or H < 4), (rows, labels)
    assert all(lab.startswith("1e") for lab in axis_labels("\n".join(s.text for s in lines), "left"))


def test_a_dead_net_says_no_gradient_and_its_lines_stop():
    steps = np.arange(6.0)
    gn = np.array([[1.0, 2.0], [0.5, 1.0], [0.1, 0.2], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]])
    assert no_gradient_note(steps, gn) == "no gradient since step 3"
    assert no_gradient_note(steps, gn[:3]) is None
    assert no_gradient_note(steps * 4, gn) == "no gradient: all 0 by step 12"  # a sparse history
    gn2 = gn.copy()
    gn2[3:, 1] = 0.3
    assert no_gradient_note(steps, gn2) == "no gradient in L1"


async def test_the_dead_net_chart_shows_the_note_in_the_plot():
    app = ReluApp(TrainConfig(seed=0, lr=5.0))
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(12):
            await pilot.press("s")
        await pilot.pause()
        view = app.state.training_view()
        if not np.all(view.layer_norms == 0):
            pytest.fail("lr 5 did not kill this net: pick another config for the test")
        text = widget_text(app, "#grads")
        legend = str(app.screen.query_one(GradChart).border_subtitle)
    assert "no gradient since step" in text
    assert "L1 0" in legend


# ---------------------------------------------------------------- legend
def test_the_gradient_legend_always_fits():
    norms = [0.003, 0.0066, 0.016, 0.02, 0.5, 1.2, 2.5, 12.0]
    for room in range(20, 90):
        items = grad_legend(norms, room)
        text = " ".join(t for _, t in items)
        assert len(text) <= room, (room, text)
        assert "L8" in text or "first/last" in text  # the output layer's side is never cut off
    assert first_last(norms) == "first/last ≈ 1/4000"
    assert first_last([2.0, 0.5]) == "first/last ≈ 4"
    assert first_last([0.0727, 0.0758]) == "first/last ≈ 0.96"  # not 1/1
    assert first_last([0.01, 0.2]) == "first/last ≈ 1/20"
    assert first_last([0.0, 0.0]) == "first/last: no gradient"


@pytest.mark.parametrize("size", SIZES)
async def test_a_deep_sigmoid_nets_legend_is_not_cut(size):
    app = ReluApp(TrainConfig(seed=0, activation="sigmoid", layers=(8, 8, 8, 8, 8)))
    async with app.run_test(size=size) as pilot:
        await pilot.press("s", "s")
        await pilot.pause()
        grads = app.screen.query_one(GradChart)
        if not grads.display or grads.size.width == 0:
            return  # folded away at this size (another branch makes it reachable)
        bottom = widget_text(app, "#grads").splitlines()[-1]
    assert "…─" not in bottom and ("L6" in bottom or "first/last" in bottom), bottom


@pytest.mark.parametrize("activation,label", [("hardsigmoid", "0.167"), ("hardswish", None), ("relu", None)])
async def test_a_largest_slope_below_1_is_labelled_and_no_other(activation, label):
    """hard swish's sup f' is 1.5, approached at x -> 3 from the left, which no grid point
    reaches: no label rather than a wrong 1.48."""
    app = ReluApp(TrainConfig(seed=0, activation=activation))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        right = axis_labels(widget_text(app, "#chart"), "right")
    extra = [v for v in right if float(v) not in (0.0, 0.5, 1.0, 1.5, -0.5)]
    assert extra == ([label] if label else []), right
