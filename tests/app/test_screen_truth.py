"""Issue 13, what the network panel, the inspector and the compare screen say: each number
agrees with its words, at 80x24, 120x36 and 200x60 (Pilot)."""

from __future__ import annotations

import re

import numpy as np

import pytest
from textual.geometry import Region

from relutui.app.app import ReluApp
from relutui.app.screens.compare import CompareScreen
from relutui.app.widgets.inspector import Inspector
from relutui.app.widgets.network_view import NetworkDiagram
from relutui.session.views import GRAD_RAMP, MARK_SYMBOLS
from relutui.training import TrainConfig

SIZES = [(80, 24), (120, 36), (200, 60)]


def screen_text(app) -> str:
    """The whole screen as plain text, borders and titles included."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


@pytest.mark.parametrize("size", SIZES)
async def test_compare_from_sigmoid_contrasts_with_relu(size):
    """`a` to Sigmoid, then `c`: the other side is ReLU, not a second sigmoid."""
    app = ReluApp(TrainConfig(seed=0))
    async with app.run_test(size=size) as pilot:
        while app.state.config.activation != "sigmoid":
            await pilot.press("a")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert app.state.run.config.activation == "sigmoid"
        assert app.state.run_b.config.activation == "relu"
        titles = [app.screen.query_one(f"#net-{side}", NetworkDiagram).border_title for side in "ab"]
        assert titles[0] != titles[1]


def test_the_compare_default_follows_the_main_activation_until_picked():
    from relutui.session.session import Session

    s = Session(TrainConfig(seed=0))
    assert s.compare_activation == "sigmoid"  # against ReLU
    for main in ("sigmoid", "tanh", "gelu"):
        s.set("activation", main)
        assert s.compare_activation == "relu"
    s.set("activation", "relu")
    assert s.compare_activation == "sigmoid"
    s.set_compare_activation("tanh")  # the user's pick holds
    s.set("activation", "sigmoid")
    assert s.compare_activation == "tanh"


# ---------------------------------------------------------------- helpers
WHOLE = re.compile(r"^[+-]?\d+$")


def panel_lines(widget) -> list[str]:
    """The widget as painted, border and titles included, one string a line."""
    return ["".join(seg.text for seg in line) for line in widget.render_lines(Region(0, 0, *widget.outer_size))]


def network_cells(app, widget_id: str = "#network") -> list[tuple[str, float | None, object]]:
    """(drawn text, value, cell) of every neuron the network panel draws."""
    diagram = app.screen.query_one(widget_id, NetworkDiagram)
    view = diagram._view
    lines = [diagram.render_line(y).text for y in range(diagram.size.height)]
    out = []
    for y, x0, x1, (layer, j) in diagram._cells:
        cell = view.columns[layer + 1].cells[j]
        out.append((lines[y][x0:x1], cell.value, cell))
    return out


def inspector_lines(app) -> list[str]:
    """The inspector as a bordered panel reads: its title, the lines in view (its pane
    scrolls: those from the pane's scroll position), a last line."""
    pane = app.screen.query_one("#inspector-pane")
    ins = app.screen.query_one(Inspector)
    content = ["".join(seg.text for seg in line)
               for line in ins.render_lines(Region(0, 0, ins.size.width, ins.size.height))]
    top, height = int(pane.scroll_y), pane.scrollable_content_region.height
    title = str(pane.border_title or ins.border_title or "")
    return [title] + content[top:top + height] + [""]


def inspector_scrolls(app) -> bool:
    return app.screen.query_one("#inspector-pane").max_scroll_y > 0


def shown(widget) -> bool:
    return widget.display and widget.region.height > 2


SATURATED_SIGMOID = TrainConfig(activation="sigmoid", init="normal", init_std=8.0, seed=0)
DEEP_SIGMOID = TrainConfig(activation="sigmoid", layers=(8, 8, 8, 8, 8), seed=0)


# ---------------------------------------------------------------- 1. rounded ones
@pytest.mark.parametrize("size", SIZES)
async def test_a_saturated_sigmoid_value_is_never_printed_as_a_whole_one(size):
    """Values of 0.9993 showed as `◐ +1` and `max 1`: a value reads 0 or ±1 only when it is."""
    app = ReluApp(SATURATED_SIGMOID)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        cells = network_cells(app)
        near_one = [v for _, v, _ in cells if v is not None and 0.99 < abs(v) < 1]
        for text, value, _ in cells:
            number = text[1:].strip()
            if WHOLE.match(number):
                assert float(number) == value, (text, value)
        app.state.select(0, 0)  # a neuron whose a reaches 0.9987 on the batch
        app.screen.refresh_views(force=True)
        await pilot.pause()
        a = app.state.snapshot().a[0][:, 0]
        assert 0.99 < a.max() < 1
        if shown(app.screen.query_one(Inspector)):
            row = next(line for line in inspector_lines(app) if line.strip("│ ").startswith("a "))
            assert row.strip("│ ").split()[-1] not in ("1", "+1"), row
    if size == (200, 60):  # (the widest cells show every value)
        assert near_one


@pytest.mark.parametrize("size", [(120, 36), (200, 60)])
async def test_a_sigmoid_rounded_to_one_by_floats_reads_below_one(size):
    """σ(z) is 1.0 in float64 from z ≈ 36.7 (a value sigmoid never takes): it showed as `◐ +1`.
    The panel says "<1", and the inspector's max too."""
    app = ReluApp(SATURATED_SIGMOID)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        snap = app.state.snapshot()
        i = app.state.sample
        exact = [(l, j) for l in range(2) for j in range(8) if snap.a[l][i, j] == 1.0]
        assert exact  # (the configuration gives some: the test means something)
        drawn = {(cell_l, j): text for text, _, cell in network_cells(app)
                 for cell_l, j in [_where(app, cell)]}
        for l, j in exact:
            assert drawn[(l, j)][1:].strip() == "<1", drawn[(l, j)]
        assert not any(t[1:].strip() in ("1", "+1") for t in drawn.values()), drawn
        l, j = exact[0]
        app.state.select(l, j)
        app.screen.refresh_views(force=True)
        await pilot.pause()
        row = next(line for line in inspector_lines(app) if line.strip("│ ").startswith("a "))
        assert row.strip("│ ").split()[-1] == "<1" and "+1" not in row.split(), row


def _where(app, cell) -> tuple[int, int]:
    """(layer, neuron) of a cell of the network view."""
    view = app.screen.query_one("#network", NetworkDiagram)._view
    for l, col in enumerate(view.columns[1:]):
        for j, c in enumerate(col.cells):
            if c is cell:
                return l, j
    raise LookupError


# ---------------------------------------------------------------- 3. numbers against their text
@pytest.mark.parametrize("size", SIZES)
async def test_a_leaky_neuron_below_zero_is_drawn_leaky_not_active(size):
    app = ReluApp(TrainConfig(activation="leaky_relu", seed=0))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        cells = network_cells(app)
        weak = [(text, cell) for text, _, cell in cells if cell.mark == "weak"]
        assert weak, "a neuron with z < 0 on sample #0"
        assert all(text.startswith(MARK_SYMBOLS["weak"]) for text, _ in weak)
        legend = app.screen.query_one("#network", NetworkDiagram).render_line(
            app.screen.query_one("#network").size.height - 1).text
        assert MARK_SYMBOLS["weak"] in legend
        if size != (80, 24):
            assert "◌4 leaky" in legend and "✕0 dead" in legend  # (the help: f' = 0.01)


async def test_a_clipped_hardtanh_neuron_is_saturated_not_off():
    app = ReluApp(TrainConfig(activation="hardtanh", init="normal", init_std=4.0, seed=0))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        cells = network_cells(app)
        clipped = [(text, v) for text, v, cell in cells if cell.mark == "clipped"]
        assert clipped and all(abs(v) == 1 and text.startswith(MARK_SYMBOLS["clipped"]) for text, v in clipped)
        assert not any(text.startswith(MARK_SYMBOLS["off"]) and v != 0 for text, v, _ in cells)


async def test_the_inspector_gives_a_saturated_neurons_flat_share():
    """`f'=0 on 0%` said nothing about a saturated sigmoid neuron: its weak-gradient share."""
    app = ReluApp(SATURATED_SIGMOID)
    async with app.run_test(size=(120, 36)) as pilot:
        state = app.state
        snap = state.snapshot()
        l, j = next((l, j) for l in range(2) for j in range(8) if snap.states[l][j] == 1)
        state.select(l, j)
        app.screen.refresh_views(force=True)
        await pilot.pause()
        head = " ".join(inspector_lines(app)[1:3])  # (the share on a line of its own when long)
        assert "◐ saturated" in head and "f'≤0.0025 on" in head and "f'=0 on 0%" not in head


def test_the_flat_share_says_the_weak_share_for_an_activation_that_can_saturate():
    """An active sigmoid neuron: "f'≤0.0025 on 0%" (not saturated), never "f'=0 on 0%"; ReLU keeps
    its zero share (it cannot saturate); a share of each when both are there."""
    from relutui.activations import get_activation
    from relutui.session.present.inspector import _flat_share

    sig, relu = get_activation("sigmoid"), get_activation("relu")
    assert _flat_share(np.array([0.2, 0.25, 0.1]), sig) == "f'≤0.0025 on 0%"
    assert _flat_share(np.array([0.2, 0.001, 0.1, 0.0]), sig) == "f'=0 on 25%  f'≤0.0025 on 25%"
    assert _flat_share(np.array([1.0, 0.0]), relu) == "f'=0 on 50%"
    assert _flat_share(np.array([1.0, 1.0]), relu) == "f'=0 on 0%"


# ---------------------------------------------------------------- 4. the death record
@pytest.mark.parametrize("size", SIZES)
async def test_the_death_record_comes_first_at_every_size(size):
    app = ReluApp(TrainConfig(lr=5.0, seed=0))
    async with app.run_test(size=size) as pilot:
        state = app.state
        state.train_steps(60)
        death = state.run.death
        l, j = next((l, j) for l in range(2) for j in range(8) if death.killing_update(l, j) is not None)
        step = int(death.death_step[l][j])
        state.select(l, j)
        app.screen.refresh_views(force=True)
        await pilot.pause()
        assert shown(app.screen.query_one(Inspector))
        lines = inspector_lines(app)
        died = next(k for k, line in enumerate(lines) if "✕ died" in line)
        assert died <= 3  # right under the neuron's name and state, before its table
        assert f"✕ died in the update of step {step} → {step + 1}" in lines[died]
        assert "bias" in lines[died + 1] and "→" in lines[died + 1]
        assert not any(line.strip("│ ").startswith("z ") for line in lines[:died])


def test_no_inspector_line_is_wider_than_the_narrowest_panel():
    """Lines built to fit 35 columns (80x24, with the scrollbar): nothing cut with "…" at the right edge."""
    from relutui.session.present.inspector import LOSS_WIDTH, WIDTH
    from relutui.session.session import Session

    for cfg in (DEEP_SIGMOID, TrainConfig(activation="leaky_relu", seed=0), TrainConfig(lr=5.0, seed=0),
                TrainConfig(activation="gelu", lr=10.0, seed=0), TrainConfig(n_samples=2000, seed=0)):
        s = Session(cfg)
        s.train_steps(30)
        for l in range(s.n_layers):
            for j in range(s.run.net.layer_sizes[l + 1]):
                s.select(l, j)
                for line in s.inspector_lines()[1]:
                    assert len("".join(t for t, _ in line)) <= WIDTH, line
        s.select(0, 0)
        for _ in range(len(s.phases)):
            s.next_phase()
            for mean in (False, True):
                if s.use_mean != mean:
                    s.toggle_mean()
                width = LOSS_WIDTH if s.phase.kind == "loss" else WIDTH
                for line in s.inspector_lines()[1]:
                    assert len("".join(t for t, _ in line)) <= width, (s.phase, line)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_no_ledger_line_is_cut_on_screen(size):
    """Through every phase of a deep sigmoid net, the panel's own lines end inside it: "a3 =
    Sigmoid(z…" was cut at 80x24 once the phase scrolled (its scrollbar takes a column)."""
    app = ReluApp(DEEP_SIGMOID)
    async with app.run_test(size=size) as pilot:
        await pilot.press("s")
        for _ in range(len(app.state.phases)):
            await pilot.press("n")
            await pilot.pause()
            for line in inspector_lines(app)[1:]:
                text = line.rstrip()
                assert not text.endswith("…") or re.search(r"… \d+ more", text), (app.state.phase, line)


# ---------------------------------------------------------------- 5. the vanishing gradient live

@pytest.mark.parametrize("size", SIZES)
async def test_the_backward_phases_shade_each_neuron_by_its_gradient(size):
    """Every neuron of a deep net was the same ●: |dL/dz| by decades below the largest."""
    app = ReluApp(DEEP_SIGMOID)
    async with app.run_test(size=size) as pilot:
        await pilot.press("s", *["n"] * 11)
        await pilot.pause()
        assert app.state.phase.kind == "backward"
        cells = network_cells(app)
        computed = [(text, cell) for text, _, cell in cells if cell.level is not None]
        assert computed
        assert all(text[0] == GRAD_RAMP[cell.level] for text, cell in computed)
        assert len({cell.level for _, cell in computed}) >= 2  # the gradient shrinks layer by layer
        diagram = app.screen.query_one("#network", NetworkDiagram)
        legend = diagram.render_line(diagram.size.height - 1).text
        assert "".join(GRAD_RAMP) in legend and "÷10" in legend


# ---------------------------------------------------------------- 6. the step-through
@pytest.mark.parametrize("size", SIZES)
async def test_the_forward_phase_shows_a_neurons_sum_and_says_what_is_left_out(size):
    app = ReluApp(DEEP_SIGMOID)
    async with app.run_test(size=size) as pilot:
        await pilot.press("s", "n")
        await pilot.pause()
        lines = inspector_lines(app)
        body = [line.strip("│ ") for line in lines[1:-1]]
        assert "…" not in lines[0]  # the title fits: "forward · layer 1/6 · sample #0 y=0"
        assert "a1 = Sigmoid(z1)" in body[0]
        assert body[1].startswith("z1[1] = Σ w·x + b = ")
        assert "×" in body[2] and "b=" in body[2]
        rows = [line for line in body if re.match(r"^▸?\s*\d+\s", line)]
        if len(rows) < 8:  # the rest is below, and the pane scrolls to it (page keys)
            assert inspector_scrolls(app)


@pytest.mark.parametrize("size", SIZES)
async def test_the_backward_ledger_puts_the_chain_table_first(size):
    """`s`, then `n` eleven times on a deep sigmoid net: the chain table (the vanishing gradient
    itself) was below the edge; it comes first now, the Σ terms after."""
    app = ReluApp(DEEP_SIGMOID)
    async with app.run_test(size=size) as pilot:
        await pilot.press("s", *["n"] * 11)
        await pilot.pause()
        lines = inspector_lines(app)
        body = [line.strip("│ ") for line in lines[1:-1]]
        assert "…" not in lines[0]
        assert body[0].startswith("chain") and body[1].startswith("L6")
        title, content = app.state.inspector_lines()
        texts = ["".join(t for t, _ in line) for line in content]
        assert texts.index(next(t for t in texts if t.startswith("‖dL/dW‖"))) < \
            texts.index(next(t for t in texts if t.startswith("dL/da")))
        if len(content) > len(body):  # the rest is below, and the pane scrolls to it
            assert inspector_scrolls(app)


@pytest.mark.parametrize("size", SIZES)
async def test_titles_fit_without_a_cut(size):
    """`neuron · sample #0 x=(-0.021, -0.86) …` and the compare panels' `sample #0 x=(-0.021, -0.8…`."""
    app = ReluApp(TrainConfig(seed=0))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert "…" not in inspector_lines(app)[0]
        await pilot.press("c")
        await pilot.pause()
        for side in "ab":
            diagram = app.screen.query_one(f"#net-{side}", NetworkDiagram)
            assert "…" not in panel_lines(diagram)[-1] and "#0" in panel_lines(diagram)[-1]


async def test_the_selected_neurons_row_stays_in_view_when_rows_are_left_out():
    app = ReluApp(DEEP_SIGMOID)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s", "n")
        app.state.select(0, 7)
        app.screen.refresh_views(force=True)
        await pilot.pause()
        await pilot.pause()
        body = [line.strip("│ ") for line in inspector_lines(app)[1:-1]]
        assert any(line.startswith("▸  8") for line in body)  # scrolled into view
        texts = ["".join(t for t, _ in line) for line in app.state.inspector_lines()[1]]
        assert texts[1].startswith("z1[8] = Σ w·x + b")
