"""Every panel at 80x24, 120x36 and 200x60 (a small terminal, the default, a projector): the
main screen, the step-through's phases, compare mode and the claim panel. Fails on a panel
narrower than its minimum, a title or caption cut with "…", a status line cut or too long, a
ledger or claim line cut at the panel's edge. One app start per size."""

from __future__ import annotations

import re

import pytest
from textual.geometry import Region

from relutui.app.app import ReluApp
from relutui.experiments import get_experiment
from relutui.training import TrainConfig

SIZES = [(80, 24), (120, 36), (200, 60)]
MIN_WIDTH, MIN_HEIGHT = 24, 5  # a panel smaller than this shows nothing a student can read
CUT_BORDER = re.compile(r"… ─[╮╯]$")  # Textual's cut of a border title or subtitle
SCROLLBAR = " ▁▂▃▄▅▆▇█▔▕▏▐▌"


def lines_of(widget) -> list[str]:
    return [strip.text for strip in widget.render_lines(Region(0, 0, *widget.outer_size))]


def shown_panels(app):
    return [w for w in app.screen.query(".panel") if w.display and w.region.width > 0
            and all(a.display for a in w.ancestors_with_self if hasattr(a, "display"))]


def check_screen(app, where: str) -> None:
    width = app.size.width
    status = str(app.screen.query_one("#status").render())
    assert "…" not in status and len(status.rstrip()) <= width, (where, status)
    for panel in shown_panels(app):
        name = f"{where} #{panel.id}"
        assert panel.outer_size.width >= MIN_WIDTH and panel.outer_size.height >= MIN_HEIGHT, (
            name, panel.outer_size)
        rows = lines_of(panel)
        for border in (rows[0], rows[-1]):
            assert not CUT_BORDER.search(border), (name, border)


def cut_lines(widget) -> list[str]:
    """Lines of a borderless text widget that end in "…" at its right edge (cut by it)."""
    width = widget.outer_size.width
    return [row for row in lines_of(widget) if row.rstrip().endswith("…") and len(row.rstrip()) >= width - 2]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_panel_fits_at_every_size(size):
    app = ReluApp(TrainConfig(seed=0, activation="sigmoid", layers=(8, 8, 8, 8, 8)))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        check_screen(app, "main")
        # the step-through: forward, loss, backward, update; the ledger is never cut
        await pilot.press("s")
        n_phases = 2 * app.state.n_layers + 2
        for k in range(n_phases):
            await pilot.press("n")
            await pilot.pause()
            phase = app.state.phase
            where = f"phase {phase.kind} {phase.layer}"
            check_screen(app, where)
            inspector = app.screen.query_one("#inspector")
            if phase.kind in ("backward", "update"):
                assert not cut_lines(inspector), (where, cut_lines(inspector))
                # the page keys scroll it, and the footer says so
                assert app.screen.check_action("scroll_side", (1,))
                assert "scroll_side(1)" in {b.action for _n, b, *_ in app.screen.active_bindings.values()}
                pane = app.screen.query_one("#inspector-pane")
                if pane.max_scroll_y > 0:
                    await pilot.press("pagedown")
                    await pilot.pause()
                    assert pane.scroll_y > 0, where
                    await pilot.press("pageup")
                    await pilot.pause()
                    assert pane.scroll_y == 0, where
        await pilot.press("escape")
        await pilot.pause()
        assert app.state.phase is None
        if app.screen.has_class("-short"):  # v reaches every panel a short terminal hides
            for _ in range(4):
                await pilot.press("v")
                await pilot.pause()
                check_screen(app, "short: v")
        # compare mode: both runs' figures in the status line
        await pilot.press("c")
        await pilot.pause()
        await pilot.pause()
        check_screen(app, "compare")
        status = str(app.screen.query_one("#status").render())
        assert "Sigmoid" in status and "ReLU" in status and status.count("loss") == 2, status
        await pilot.press("c")
        await pilot.pause()
        # the claim panel: the verdict in its first lines, nothing cut, it scrolls
        app.load_experiment(get_experiment("dying-relu-bias").with_changes(steps=40, seeds=2))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        check_screen(app, "claim")
        panel = app.screen.query_one("#experiment")
        text = app.screen.query_one("#experiment-text")
        first = "\n".join(line.text for line in text.render_lines(Region(0, 0, text.size.width, 3)))
        assert "HOLD" in first, first  # the verdict in the first line, at every size
        assert not any(line.rstrip().endswith("…") for line in panel.plain.splitlines())
        # it takes focus and scrolls from the keyboard
        scroll = app.screen.query_one("#experiment-scroll")
        assert scroll.can_focus and app.screen.check_action("scroll_side", (1,))
        assert "clip_norm" not in panel.plain and "None" not in panel.plain
