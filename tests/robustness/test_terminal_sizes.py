"""Every screen at 60x20, 80x24, 120x36 and 200x60: renders without error; below the
minimum (80x24), the "terminal too small" notice instead; growing back brings the
screen back. Starting at each size is tested for the main screen; every screen is
opened and then the terminal resized through every size (cheaper than a start-up each).

"Renders" means a full repaint (``export_screenshot`` composes every visible widget) plus
the app's own view refresh, with no exception and the invariants intact.
"""

from __future__ import annotations

import pytest
from textual.widgets import Static

from relutui.app.screens.compare import CompareScreen
from relutui.app.screens.help import HelpScreen
from relutui.app.screens.main import MainScreen
from relutui.app.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen

from robust_helpers import assert_app_healthy

pytestmark = pytest.mark.slow
SIZES = [(60, 20), (80, 24), (120, 36), (200, 60)]


def _picker():
    from relutui.app.screens.experiments import ExperimentPicker

    return ExperimentPicker


# screen name -> (keys that open it, class)
SCREENS = {
    "main": ([], lambda: MainScreen),
    "step-through": (["n", "n", "n"], lambda: MainScreen),
    "help": (["question_mark"], lambda: HelpScreen),
    "compare": (["c"], lambda: CompareScreen),
    "experiment-picker": (["e"], _picker),
    "controls-toggled": (["o"], lambda: MainScreen),
}


def _notice(app) -> str:
    return str(app.screen.query_one("#too-small", Static).render())


async def _open(app, pilot, keys):
    await pilot.pause()
    for key in keys:
        await pilot.press(key)
    await pilot.pause()


def _check_at(app, name, size, expected) -> None:
    w, h = size
    if w < MIN_WIDTH or h < MIN_HEIGHT:
        assert isinstance(app.screen, TooSmallScreen), (name, size, type(app.screen))
        assert _notice(app) == (f"terminal too small: need {MIN_WIDTH}x{MIN_HEIGHT}, have {w}x{h}\n"
                                "enlarge the window (q quits)")
    else:
        assert type(app.screen) is expected, (name, size, type(app.screen))
        app.refresh_views()
    svg = app.export_screenshot()  # a full repaint of every visible widget
    assert "<svg" in svg
    if (w < MIN_WIDTH or h < MIN_HEIGHT) and w >= 40:  # (at 20x5 the notice itself wraps)
        assert "terminal&#160;too&#160;small" in svg or "terminal too small" in svg
    assert_app_healthy(app)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_starting_at_each_size(app_pilot, size, tmp_path, monkeypatch):
    """Started at the size (below the minimum: straight to the notice); keys for the other
    screens do nothing harmful there; growing to 120x36 shows the main screen."""
    monkeypatch.chdir(tmp_path)
    async with app_pilot(size=size) as (app, pilot):
        await pilot.press("s", "s")
        await pilot.pause()
        _check_at(app, "main", size, MainScreen)
        for keys, _ in SCREENS.values():
            await _open(app, pilot, keys)
        if isinstance(app.screen, TooSmallScreen):
            await pilot.resize_terminal(120, 36)
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
            _check_at(app, "main", (120, 36), MainScreen)
    assert app._exception is None


@pytest.mark.parametrize("name", list(SCREENS))
async def test_every_screen_at_every_size(app_pilot, name, tmp_path, monkeypatch):
    """Each screen opened at 120x36, then the terminal resized through every size (and
    some just below the minimum, and 1x1) and back: the screen renders at each usable
    size, the notice takes over below the minimum, and the screen comes back after."""
    monkeypatch.chdir(tmp_path)
    keys, cls = SCREENS[name]
    async with app_pilot(size=(120, 36)) as (app, pilot):
        await pilot.press("s", "s")
        await _open(app, pilot, keys)
        expected = cls()
        assert type(app.screen) is expected
        for size in [*SIZES, (79, 24), (80, 23), (20, 5), (1, 1), (80, 24), (200, 60), (120, 36)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            _check_at(app, name, size, expected)
        # the app still works after all that
        await pilot.press("escape")
        await pilot.pause()
        if not app.state.diverged and app.state.phase is None and type(app.screen) in (MainScreen, CompareScreen):
            step = app.state.step
            await pilot.press("s")
            assert app.state.step == step + 1
        assert_app_healthy(app)
    assert app._exception is None
