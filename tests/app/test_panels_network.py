"""The network diagram at every size: each layer's neurons inside their column (under its
title, a blank between two columns, wider than the blanks inside one), all of them or the
first ones and "+k", or a line per layer when not even the titles fit; the per-sample symbol
(hollow: f'(z) = 0 for the sample shown) apart from the state over the batch; values that
never run into each other."""

from __future__ import annotations

import math
import random
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.app import App

from relutui.app.views import STATE_SYMBOLS, LayerColumn, NetworkView, NeuronCell
from relutui.app.values import fmt_fit
from relutui.app.views import OFF_SYMBOL
from relutui.app.widgets.network_view import INPUT_SYMBOL, MODES, NetworkDiagram, plan_columns
from relutui.diagnostics import ACTIVE, DEAD, SATURATED
from relutui.training import TrainConfig

SYMBOLS = set(STATE_SYMBOLS.values()) | {OFF_SYMBOL, INPUT_SYMBOL}
LAYERS = [(8, 8), (8, 8, 8, 8), (8,) * 8, (64, 64), (32,) * 10, (3,), (1, 32, 1)]
# the panel's inside at 120x36 and 200x60 (42x11), 80x24 and 90x30 (38x9), and smaller and
# larger ones than the app gives it (60x20 is the too-small notice; 18x3: compare mode at 80x24)
PANELS = [(42, 11), (38, 9), (28, 7), (20, 6), (18, 3), (60, 20), (100, 20)]


def make_view(layers, seed: int = 0, selected: tuple[int, int] | None = None, off_every: int = 0) -> NetworkView:
    """A view like the state's: 2 inputs, ``layers`` hidden, 1 output, random states and values."""
    rng = random.Random(seed)
    cols = [LayerColumn("x", "input", [NeuronCell(None, rng.uniform(-1, 1), False) for _ in range(2)], False, True)]
    sizes = [*layers, 1]
    for l, n in enumerate(sizes):
        cells = []
        for j in range(n):
            cell = NeuronCell(rng.choice([ACTIVE, ACTIVE, SATURATED, DEAD]), rng.uniform(-3, 3), (l, j) == selected)
            cell.off = bool(off_every) and j % off_every == 0
            cells.append(cell)
        last = l == len(sizes) - 1
        cols.append(LayerColumn("out" if last else f"h{l + 1}", "output" if last else "hidden", cells, False, True,
                                rng.randint(0, 99), rng.randint(0, 99)))
    counts = {"active": 0, "saturated": 0, "dead": 0}
    for col in cols[1:-1]:
        for c in col.cells:
            counts[{ACTIVE: "active", SATURATED: "saturated", DEAD: "dead"}[c.state]] += 1
    return NetworkView(cols, "a", 3.0, "sample #0", "trained state", counts)


class Host(App):
    """A NetworkDiagram ``width`` x ``height`` cells, nothing else."""

    def __init__(self, view: NetworkView, width: int, height: int) -> None:
        super().__init__()
        self.view, self.w, self.h = view, width, height

    def compose(self):
        diagram = NetworkDiagram()
        diagram.styles.width, diagram.styles.height = self.w, self.h
        yield diagram

    def on_mount(self) -> None:
        self.query_one(NetworkDiagram).show(self.view)


async def drawn(view: NetworkView, width: int, height: int) -> tuple[list[str], dict]:
    """The diagram's lines and its neurons' cells ((x, y) -> (layer, neuron))."""
    app = Host(view, width, height)
    async with app.run_test(size=(width + 2, height + 2)) as pilot:
        await pilot.pause()
        diagram = app.query_one(NetworkDiagram)
        lines = [diagram.render_line(y).text for y in range(height)]
        return lines, diagram._hits


def column_spans(header: str, titles: list[str]) -> list[tuple[int, int]]:
    """[start, end) of each column: from its title to the next title (the last: the line's end)."""
    starts, pos = [], 0
    for t in titles:
        pos = header.index(t, pos)
        starts.append(pos)
        pos += len(t)
    return list(zip(starts, [*starts[1:], len(header)]))


def check_columns(view: NetworkView, lines: list[str], hits: dict, truncated: bool) -> None:
    """``lines``: the titles, the neuron lines, the legend; ``hits``: (x, line) -> neuron.
    Every neuron drawn sits under its own title and before a blank cell on every line just
    ahead of the next title; each column draws all its neurons, or the others are counted
    in its "+k" (or, in a block too narrow for "+k", announced by "…")."""
    titles = [c.title for c in view.columns]
    spans = column_spans(lines[0], titles)
    body = lines[1:-1]
    for ci, (col, (x0, x1)) in enumerate(zip(view.columns, spans)):
        symbols = [(y, x) for y, line in enumerate(body) for x in range(x0, x1) if line[x] in SYMBOLS]
        assert symbols, f"column {col.title} draws no neuron"
        assert not any(line[x] in SYMBOLS for line in body for x in range(0, x0) if ci == 0)
        if ci + 1 < len(spans):
            assert all(line[x1 - 1] == " " for line in body), f"no gap before column {titles[ci + 1]}"
        shown = len(symbols)
        if shown < len(col.cells):
            assert truncated
            more = [int(m) for line in body for m in re.findall(r"\+(\d+)", line[x0:x1])]
            assert more == [len(col.cells) - shown] or (not more and any("…" in line[x0:x1] for line in body))
        else:
            assert shown == len(col.cells)
        if col.kind != "input":
            assert {hits[(x, y + 1)][0] for y, x in symbols} == {ci - 1}  # a click: a neuron of this layer


@pytest.mark.parametrize("layers", LAYERS, ids=lambda ls: ",".join(map(str, ls)))
@pytest.mark.parametrize("size", PANELS, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_each_layers_neurons_stay_in_their_column(layers, size):
    width, height = size
    view = make_view(layers)
    lines, hits = await drawn(view, width, height)
    assert all(len(line) == width for line in lines)
    weights = ["" if c.kind == "input" else f"+{c.w_pos}−{c.w_neg}" for c in view.columns]
    plan = plan_columns([len(c.cells) for c in view.columns], [c.title for c in view.columns], width,
                        height - 3, weights)
    if plan is None:  # a line per layer (the inputs' first to go): its title, then its counts
        layers = {c.title: c for c in view.columns[1:]}
        listed = []
        for line in lines[:-1]:
            words = line.split()
            if not words or words[1:] == ["inputs"]:
                continue
            if words[1:] == ["layers"]:
                assert int(words[0]) == len(layers) - len(listed)
                break
            listed.append(words[0])
            assert sum(int(w[1:]) for w in words[1:4]) == len(layers[words[0]].cells)
        assert listed == list(layers)[: len(listed)] and listed
        return
    # the titles, the neurons' lines (after the weight signs, when shown), the legend
    skip = 1 if plan.weights else 0
    check_columns(view, [lines[0], *lines[1 + skip:]], {(x, y - skip): v for (x, y), v in hits.items()},
                  plan.mode.name == "truncated")


async def test_sigmoid_8_8_8_8_at_80x24_one_block_per_layer_in_the_app(app_pilot):
    """The QA case: 4 layers of 8 at 80x24 drew two neurons a column's width apart, with no
    gap between the layers. Each layer's 8 neurons now sit in a block under its title."""
    async with app_pilot(TrainConfig(seed=0, activation="sigmoid", layers=(8, 8, 8, 8)), size=(80, 24)) as (app, pilot):
        await pilot.pause()
        diagram = app.screen.query_one(NetworkDiagram)
        width, height = diagram.size
        lines = [diagram.render_line(y).text for y in range(height)]
        view = diagram._view
    assert lines[0].split() == ["x", "h1", "h2", "h3", "h4", "out"]
    spans = column_spans(lines[0], ["x", "h1", "h2", "h3", "h4", "out"])
    body = lines[2:-1]  # titles, weight signs
    for col, (x0, x1) in zip(view.columns, spans):
        drawn_ = sum(1 for line in body for ch in line[x0:x1] if ch in SYMBOLS)
        assert drawn_ == len(col.cells)
        assert all(line[x1 - 2:x1] == "  " for line in body) or col.title == "out"  # a 2-cell gap


def test_the_widest_mode_that_fits_is_chosen():
    titles = ["x", "h1", "h2", "out"]
    assert plan_columns([2, 8, 8, 1], titles, 42, 8, ["", "+7−9", "+37−27", "+4−4"]).mode.name == "values"
    assert plan_columns([2, 8, 8, 1], titles, 38, 6, ["", "+7−9", "+37−27", "+4−4"]).mode.name == "spaced"
    t6 = ["x", "h1", "h2", "h3", "h4", "out"]
    assert plan_columns([2, 8, 8, 8, 8, 1], t6, 42, 8, [""] + ["+37−27"] * 5).mode.name == "tight"
    assert plan_columns([2] + [8] * 8 + [1], ["x"] + [f"h{i}" for i in range(1, 9)] + ["out"], 38, 6).mode.name \
        == "packed"
    plan = plan_columns([2, 32, 32, 1], titles, 12, 2)
    assert plan is not None and plan.mode.name == "truncated"
    assert all(len(b.shown) + b.more == n for b, n in zip(plan.blocks, [2, 32, 32, 1]))
    assert plan_columns([2] + [8] * 10 + [1], ["x"] + [f"h{i}" for i in range(1, 11)] + ["out"], 20, 6) is None
    # the gap between two columns is wider than the blank between two neurons of one column
    assert all(m.gap > m.sep or m.one_a_line for m in MODES)


def test_a_truncated_column_keeps_the_selected_neuron_in_view():
    plan = plan_columns([2, 32, 1], ["x", "h1", "out"], 10, 2, selected={1: 30})
    block = plan.blocks[1]
    assert 30 in block.shown and block.more == 32 - len(block.shown) and block.marker


async def test_a_neuron_off_for_the_sample_is_hollow_and_the_legend_says_so():
    """In a per-sample row, f'(z) = 0 (a ReLU's z < 0) is ○ in the colour of the neuron's state
    over the batch, not ● (active); a dead neuron stays ✕; the legend counts the hollow ones."""
    view = make_view((4,), seed=3)
    cells = view.columns[1].cells
    cells[0].state, cells[0].off = ACTIVE, True
    cells[1].state, cells[1].off = ACTIVE, False
    cells[2].state, cells[2].off = DEAD, True
    cells[3].state, cells[3].off = SATURATED, True
    lines, _ = await drawn(view, 42, 11)
    column = [line[lines[0].index("h1"):lines[0].index("out")] for line in lines[2:6]]
    assert [c.split()[0] for c in column] == [OFF_SYMBOL, STATE_SYMBOLS[ACTIVE], STATE_SYMBOLS[DEAD], OFF_SYMBOL]
    assert f"{OFF_SYMBOL}2 off" in lines[-1]
    for c in cells:
        c.off = False
    lines, _ = await drawn(view, 42, 11)
    assert OFF_SYMBOL not in "".join(lines)  # nothing off: no hollow symbol, no legend entry


@pytest.mark.parametrize("width", [20, 30, 38, 42, 80])
async def test_the_legend_fits_the_panel(width):
    view = make_view((8, 8), off_every=3)
    lines, _ = await drawn(view, width, 9)
    legend = lines[-1]
    assert legend.rstrip() and len(legend.rstrip()) <= width
    assert STATE_SYMBOLS[ACTIVE] in legend and STATE_SYMBOLS[DEAD] in legend and OFF_SYMBOL in legend


async def test_values_keep_a_blank_between_them_at_any_magnitude():
    """Values as the GELU at lr 10 gave them (+750, -4.7e-286, 540): each in its own cells,
    rounded, never cut ("-1.6e-5" was once shown as "-1.6"), a blank before the next column."""
    view = make_view((8, 8))
    magnitudes = [7.5e2, -4.7e-286, 5.4e2, -1.6e-5, 1e308, -math.inf, math.nan, 12345.0]
    for col in view.columns[1:3]:
        for cell, v in zip(col.cells, magnitudes):
            cell.value = v
    lines, _ = await drawn(view, 42, 11)
    h1 = [line[lines[0].index("h1"):lines[0].index("h2")].split() for line in lines[2:10]]
    assert [cell[1] for cell in h1] == ["+750", "≈0", "+540", "-2e-5", "+1e308", "-inf", "nan", "+1.2e4"]
    assert all(len(cell) == 2 for cell in h1)  # symbol, value: nothing runs into the next column


@given(st.floats(allow_nan=True, allow_infinity=True), st.integers(5, 12), st.booleans())
def test_fmt_fit_stays_in_its_width(v, width, signed):
    text = fmt_fit(v, width, 3, signed)
    assert 1 <= len(text) <= width
    if math.isfinite(v) and text not in ("≈0", "#" * width):
        back = Decimal(text)  # (a float would overflow: 1.5e308 to one digit is 2e308)
        assert (back == 0) == (v == 0)  # a number that is not 0 never shows as 0
        assert abs(back - Decimal(v)) <= abs(Decimal(v)) / 2  # at least one significant digit
        assert text.startswith("+") == (signed and v > 0)


@pytest.mark.parametrize("v, width, text", [
    (750.0, 8, "750"), (-4.7e-286, 8, "-5e-286"), (-4.7e-286, 9, "-4.7e-286"),
    (0.0377, 7, "0.0377"), (-0.0377, 5, "-0.04"), (1.6e-5, 6, "1.6e-5"), (1.6e-5, 5, "2e-5"),
    (12345.0, 6, "1.2e4"), (0.0, 5, "0"), (1e-300, 4, "≈0"), (1e300, 4, "####"), (9.9996, 4, "10"),
])
def test_fmt_fit_examples(v, width, text):
    assert fmt_fit(v, width) == text


def test_an_output_rounded_onto_an_open_bound_moves_inside_and_reads_as_a_bound():
    """σ(z) = 1.0 and tanh(z) = ±1.0 in float64 are values those functions never take: one ulp
    inside, said "<1" / ">-1"; a closed bound (hard tanh's 1, ReLU's 0) stays as it is."""
    import numpy as np

    from relutui.activations import get_activation
    from relutui.format import bound_text
    from relutui.session.present.marks import inside

    sig, tanh, hardtanh = (get_activation(n) for n in ("sigmoid", "tanh", "hardtanh"))
    moved = inside(np.array([1.0, 0.5, 0.0]), sig)
    assert moved[0] < 1.0 and moved[1] == 0.5 and 0.0 < moved[2]
    assert [bound_text(float(v)) for v in moved] == ["<1", None, ">0"]
    assert [bound_text(float(v)) for v in inside(np.array([-1.0, 1.0]), tanh)] == [">-1", "<1"]
    assert inside(np.array([-1.0, 1.0]), hardtanh).tolist() == [-1.0, 1.0]
    assert bound_text(1e-20) is None and bound_text(0.9999) is None and bound_text(2.0) is None
