"""What the state hands the panels: the neurons off for the sample shown, the inspector's
columns (a blank between numbers at any magnitude, the batch-mean header), and the captions
and help that name the glyphs the panels draw."""

from __future__ import annotations

import numpy as np
import pytest

from relutui.app.state import AppState
from relutui.app.views import OFF_SYMBOL, STATE_SYMBOLS
from relutui.app.widgets.boundary_map import LEGEND, TEST_POINT, TRAIN_POINT
from relutui.diagnostics import ACTIVE, DEAD
from relutui.training import TrainConfig

from .conftest import SIZE


def text(line) -> str:
    return "".join(chunk for chunk, _ in line)


def test_the_network_view_marks_the_neurons_off_for_the_sample_shown():
    """n on a fresh ReLU run: a neuron with f'(z) = 0 for the selected sample is off there
    (hollow in the panels), whatever its state over the batch; layers not computed yet and
    the batch mean have no such sample."""
    s = AppState(TrainConfig(seed=0))
    s.next_phase()  # forward, layer 1
    snap = s.snapshot()
    view = s.network_view()
    fp = snap.fprime[0][s.sample]
    assert [c.off for c in view.columns[1].cells] == list(fp == 0)
    assert any(c.off and c.state == ACTIVE for c in view.columns[1].cells)  # the QA case
    assert not any(c.off for col in view.columns[2:] for c in col.cells)  # not computed yet
    s.toggle_mean()
    assert not any(c.off for col in s.network_view().columns for c in col.cells)


def test_the_forward_table_draws_a_neuron_off_for_this_sample_hollow():
    """The table showed `4  -0.0377  0  0 ●`: ● (active over the batch) in a row whose
    f'(z) is 0. Such a row now ends in ○, its f'(z) in the dead colour; the batch mean keeps
    the batch states."""
    s = AppState(TrainConfig(seed=0))
    s.next_phase()
    snap = s.snapshot()
    fp, states = snap.fprime[0][s.sample], snap.states[0]
    _, lines = s.inspector_lines()
    head = next(k for k, line in enumerate(lines) if "f′(z)" in text(line))
    rows = lines[head + 1:]  # (after the formula and the selected neuron's Σ w·x + b)
    assert len(rows) == len(fp)
    for j, row in enumerate(rows):
        symbol = row[-1][0]
        if fp[j] == 0 and states[j] != DEAD:
            assert symbol == OFF_SYMBOL and row[-2][1] == "dead"
        else:
            assert symbol == STATE_SYMBOLS[int(states[j])]
    assert any(fp == 0)
    s.toggle_mean()
    _, lines = s.inspector_lines()
    assert OFF_SYMBOL not in "".join(text(line) for line in lines)


def test_the_neuron_details_header_names_each_column_once():
    """Batch-mean mode read `mean min mean max`."""
    s = AppState(TrainConfig(seed=0))
    _, lines = s.inspector_lines()
    assert text(lines[1]).split() == [f"#{s.sample}", "min", "mean", "max"]
    assert all(len(text(line).split()) == 5 for line in lines[2:6])
    s.toggle_mean()
    _, lines = s.inspector_lines()
    assert text(lines[1]).split() == ["mean", "min", "max"]
    assert all(len(text(line).split()) == 4 for line in lines[2:6])


@pytest.mark.parametrize("steps", [5, 25, 80])
def test_inspector_numbers_keep_a_blank_between_them_under_gelu_at_lr_10(steps):
    """`a +7.5e+02-4.7e-286 5.4e+02`: numbers at any magnitude ran together. Every column of
    the neuron detail, the forward table and the chain table now holds one number."""
    s = AppState(TrainConfig(seed=0, activation="gelu", lr=10.0))
    s.train_steps(steps)
    for layer in range(s.run.net.hidden_layers):
        for neuron in range(s.run.net.layer_sizes[layer + 1]):
            s.select(layer, neuron)
            for mean in (False, True):
                if s.use_mean != mean:
                    s.toggle_mean()
                _, lines = s.inspector_lines()
                width = 5 if not mean else 4
                head = next(k for k, line in enumerate(lines) if text(line).split()[-1:] == ["max"])
                rows = lines[head + 1:head + 5]  # (a dead neuron's record comes before the table)
                assert all(len(text(line).split()) == width for line in rows), rows
    s.select(0, 0)
    if s.use_mean:
        s.toggle_mean()
    L = s.run.net.n_layers
    for _ in range(L):  # forward through every layer
        s.next_phase()
        _, lines = s.inspector_lines()
        # (▸ marks the selected neuron) #, z, a, f′(z), symbol
        head = next(k for k, line in enumerate(lines) if "f′(z)" in text(line))
        assert all(len(text(line).split()) == 5 + ("▸" in text(line)) for line in lines[head + 1:])
    s.next_phase()  # loss
    for _ in range(L):  # backward: the chain table (layer, mean |dL/dz|, factor, mean f')
        s.next_phase()
        _, lines = s.inspector_lines()
        head = next(k for k, line in enumerate(lines) if text(line).startswith("chain"))
        end = next(k for k, line in enumerate(lines) if text(line).startswith("‖dL/dW‖"))
        for line in lines[head + 1:end]:
            cols = text(line).split()
            assert len(cols) in (3, 4) and all(c[0] in "L0123456789+-n#≈i" for c in cols)


async def test_the_boundary_caption_names_the_glyphs_the_map_draws(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.pause()
        caption = str(app.screen.query_one("#boundary").border_subtitle)
    assert caption.startswith(LEGEND) and TRAIN_POINT in caption and TEST_POINT in caption


async def test_help_names_the_glyphs_the_panels_draw(app_pilot, config):
    async with app_pilot(config, size=(120, 60)) as (app, pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        body = "\n".join(
            "".join(seg.text for seg in strip)
            for w in app.screen.query("Static")
            for strip in w.render_lines(w.region.reset_offset) if w.region.width
        )
    assert f"{TRAIN_POINT} {TEST_POINT}" in body and "● ○" not in body
    assert OFF_SYMBOL in body and "off for the sample shown" in body
    assert "▀ bar" not in body and "░ shades the dead" in body


async def test_the_dead_percent_axis_says_percent(app_pilot):
    async with app_pilot(TrainConfig(seed=0, bias_init=-1.0, lr=0.5), size=SIZE) as (app, pilot):
        app.state.train_steps(200)
        app.refresh_views()
        await pilot.pause()
        chart = app.screen.query_one("#loss")
        lines = [chart.render_line(y).text for y in range(chart.size.height)]
    assert np.any(app.state.training_view().dead > 0)
    right = [line.rsplit("├", 1)[1].strip() for line in lines if "├" in line]
    assert right and all(lab.endswith("%") for lab in right) and right[0] == "100%" and right[-1] == "0%"


async def test_a_change_of_activation_keeps_the_inspectors_height(app_pilot):
    """The inspector is padded to its pane (or, once it scrolls, to PAD_LINES): ReLU6's two-line
    share ("f'=0: off on …, clipped on …") or the neuron's lines coming and going change no
    height, so a control change asks for no layout of the whole screen (the worst redraw)."""
    from relutui.app.widgets.inspector import PAD_LINES, Inspector

    async with app_pilot(TrainConfig(seed=0, bias_init=0.5, lr=0.2), size=(120, 36)) as (app, pilot):
        await pilot.pause()
        inspector = app.screen.query_one(Inspector)
        heights, layouts = set(), []
        real = Inspector.update

        def update(self, *args, **kwargs):
            layouts.append(kwargs.get("layout", True))
            return real(self, *args, **kwargs)

        Inspector.update = update
        try:
            for _ in range(8):  # ReLU, leaky ReLU, ReLU6 (two lines), ELU, ...
                await pilot.press("a")
                await pilot.pause()
                heights.add(inspector.size.height)
        finally:
            Inspector.update = real
        assert heights == {PAD_LINES}, heights
        assert layouts and not any(layouts)
