"""The heavy panels' fast paths paint exactly what the straightforward code painted, and their
caches (strips per view, size and theme; colours and styles per theme) never show stale output.

* Each fast path is checked against a plain reference, written out here cell by cell or with
  Rich's ``Text``, the way the panels drew before they were vectorised.
* After a theme change, a resize or control changes, every panel paints what a fresh app in
  that state paints.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region

from relutui.app.app import ReluApp
from relutui.app.views import BoundaryView
from relutui.app.widgets import palette
from relutui.app.widgets.boundary_map import BoundaryMap
from relutui.app.widgets.braille import _clip_params, _clip_segments, _cell_segments
from relutui.app.widgets.network_view import _split_blanks, _strip

from .conftest import SIZE

PANELS = ("#chart", "#loss", "#grads", "#network", "#inspector", "#boundary")


def painted(app) -> dict[str, list[list[tuple[str, Style | None]]]]:
    """Every line of every heavy panel, border included, as (text, style) segments."""
    out = {}
    for wid in PANELS:
        widget = app.screen.query_one(wid)
        lines = widget.render_lines(Region(0, 0, *widget.outer_size))
        out[wid] = [[(seg.text, seg.style) for seg in line] for line in lines]
    return out


async def fresh(config, size=SIZE, theme: str | None = None, keys: str = ""):
    """What a new app with ``config`` paints (after ``keys``)."""
    app = ReluApp(config)
    async with app.run_test(size=size) as pilot:
        if theme is not None:
            app.theme = theme
        for key in keys:
            await pilot.press(key)
        await pilot.pause()
        return painted(app)


# ---------------------------------------------------------------- caches
async def test_a_theme_change_repaints_every_panel_in_the_new_colours(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.press("s")  # a step: the charts have curves, the inspector numbers
        await pilot.pause()
        before = painted(app)
        app.theme = "textual-light"
        await pilot.pause()
        after = painted(app)
    assert after == await fresh(config, theme="textual-light", keys="s")
    assert all(after[w] != before[w] for w in PANELS)


async def test_a_resize_repaints_every_panel_at_the_new_size(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.press("s")
        await pilot.pause()
        await pilot.resize_terminal(140, 42)
        await pilot.pause(0.2)  # (the screen settles its layout classes after a resize)
        after = painted(app)
    assert after == await fresh(config, size=(140, 42), keys="s")
    assert all(after[w] for w in PANELS)


@pytest.mark.parametrize("keys", ["a", "}", "]", "aa{"])
async def test_control_changes_repaint_what_a_fresh_app_paints(app_pilot, config, keys):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        for key in keys:
            await pilot.press(key)
        await pilot.pause()
        after, changed = painted(app), app.state.config
    assert after == await fresh(changed)


# ---------------------------------------------------------------- boundary map
def boundary_reference(app, view: BoundaryView) -> list[list[tuple[str, Style]]]:
    """The map as it was drawn cell by cell: runs of one (top, bottom) colour, points apart."""
    bg, fg = palette.background(app), palette.foreground(app)
    c1, c0 = palette.color(app, palette.POSITIVE_VAR), palette.color(app, palette.NEGATIVE_VAR)

    def pix(p: float) -> str:
        q = int(p * 32) / 32
        return bg.blend(c1 if q >= 0.5 else c0, 0.12 + 0.55 * abs(q - 0.5) * 2).hex6

    points = {(col, row_px // 2): (label, test) for col, row_px, label, test in view.points}
    q = np.clip((view.probs * 32).astype(np.intp), 0, 32)
    lines = []
    for r in range(view.probs.shape[0] // 2):
        top, bot = view.probs[2 * r], view.probs[2 * r + 1]
        segs: list[tuple[str, Style]] = []
        run = None
        for c in range(view.probs.shape[1]):
            point = points.get((c, r))
            if point is None:
                key = (q[2 * r, c], q[2 * r + 1, c])
                if run is not None and run[0] == key:
                    run[1] += 1
                    continue
                if run is not None:
                    segs.append(("▀" * run[1], run[2]))
                run = [key, 1, Style(color=pix(top[c]), bgcolor=pix(bot[c]))]
            else:
                if run is not None:
                    segs.append(("▀" * run[1], run[2]))
                    run = None
                label, test = point
                base = c1.blend(c0, 1 - label) if 0 < label < 1 else (c1 if label >= 0.5 else c0)
                dot = base.blend(fg, 0.35).hex6
                segs.append(("∘" if test else "•", Style(color=dot, bgcolor=pix((top[c] + bot[c]) / 2), bold=True)))
        if run is not None:
            segs.append(("▀" * run[1], run[2]))
        lines.append(segs)
    return lines


@pytest.mark.parametrize("seed", range(4))
async def test_boundary_runs_are_the_cell_by_cell_runs(config, seed):
    """Random confidences (flat stretches included), labels 0/1 and in between, two points in
    one cell (the later one shows) and points off the grid (not drawn)."""
    rng = np.random.default_rng(seed)
    rows_px, cols = 2 * int(rng.integers(1, 9)), int(rng.integers(1, 40))
    probs = rng.random((rows_px, cols))
    probs[:, : cols // 3] = 0.5
    probs[rng.random(probs.shape) < 0.2] = 1.0
    n = int(rng.integers(0, 30))
    points = [(int(rng.integers(-2, cols + 2)), int(rng.integers(-2, rows_px + 2)),
               float(rng.choice([0.0, 1.0, rng.random()])), bool(rng.random() < 0.3)) for _ in range(n)]
    points += points[:3]  # the same cells again, other labels drawn last
    view = BoundaryView(probs, points, (0.0, 1.0, 0.0, 1.0), "classification", None)
    app = ReluApp(config)
    async with app.run_test(size=SIZE):
        got = [[(s.text, s.style) for s in strip] for strip in app.screen.query_one(BoundaryMap)._build(view)]
        assert got == boundary_reference(app, view)


# ---------------------------------------------------------------- network diagram
@pytest.mark.parametrize("seed", range(6))
def test_network_lines_are_segmented_as_rich_text_renders_them(seed):
    rng = np.random.default_rng(seed)
    styles = [None, Style(color="#ff0000"), Style(color="#00ff00", bold=True),
              Style(color="#0000ff", reverse=True), Style(color="#ff0000") + Style(reverse=True)]
    words = [" ", "  ", "ab", " ·", "   -0.12", "● 3 active  ", "x  y", "   "]
    pieces = [(str(rng.choice(words)), styles[int(rng.integers(len(styles)))])
              for _ in range(int(rng.integers(1, 14)))]
    base, pad = Style(color="#e0e0e0", bgcolor="#121212"), Style(bgcolor="#121212")
    width = int(rng.integers(5, 60))
    # the line as it was made: a Rich Text, rendered, styled, cropped or padded, blanks split
    text = Text(no_wrap=True)
    for chunk, style in pieces:
        text.append(chunk, style)
    segments = Segment.apply_style(text.render(Console(), end=""), base)
    line = next(Segment.split_and_crop_lines(segments, width, pad=True, include_new_lines=False))
    assert list(_strip(pieces, base, pad, width)) == _split_blanks(line, pad)


# ---------------------------------------------------------------- braille chart
def cell_segments_reference(char: np.ndarray, col: np.ndarray, styles, pad) -> list[list[Segment]]:
    """Row by row: runs of one colour, each split into its blank and non-blank runs."""
    rows = []
    for r in range(char.shape[0]):
        segs, start = [], 0
        for k in range(1, char.shape[1] + 1):
            if k == char.shape[1] or col[r, k] != col[r, start]:
                text = "".join(chr(c) for c in char[r, start:k])
                style = styles[col[r, start]]
                segs += [Segment(run, pad if run[0] == " " else style) for run in re.findall(r" +|[^ ]+", text)]
                start = k
        rows.append(segs)
    return rows


@pytest.mark.parametrize("seed", range(4))
def test_chart_cells_are_segmented_as_the_row_loop_did(seed):
    rng = np.random.default_rng(seed)
    H, W = int(rng.integers(1, 8)), int(rng.integers(1, 50))
    char = rng.choice(np.array([ord(" "), ord("░"), 0x2801, 0x28FF, ord("●")], dtype=np.uint32), (H, W))
    col = rng.integers(-1, 3, (H, W)).astype(np.int32)
    col[:, W // 2:] = 1  # long runs of one colour too
    styles = [Style(color=c) for c in ("#111111", "#222222", "#333333", "#444444")]  # [-1]: the base
    pad = Style(bgcolor="#000000")
    assert _cell_segments(char, col, styles, pad) == cell_segments_reference(char, col, styles, pad)


def test_clipping_skips_only_the_segments_that_are_inside():
    rng = np.random.default_rng(0)
    x0, y0, x1, y1 = (rng.uniform(-5, 25, 400) for _ in range(4))
    x1[:100], y1[:100] = x0[:100], y0[:100]  # points
    x1[100:150] = x0[100:150]  # vertical
    xmax, ymax = 20.0, 16.0
    t0, t1, keep = _clip_params(x0, y0, x1 - x0, y1 - y0, xmax, ymax)  # every segment clipped
    dx, dy = x1 - x0, y1 - y0
    expected = ((x0 + t0 * dx)[keep], (y0 + t0 * dy)[keep], (x0 + t1 * dx)[keep], (y0 + t1 * dy)[keep])
    got = _clip_segments(x0, y0, x1, y1, xmax, ymax)
    assert all(np.array_equal(g, e) for g, e in zip(got, expected))
