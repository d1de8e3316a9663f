"""Compare mode's table at the three sizes: the first/last ratio (the vanishing gradient itself)
and the first and last layer's gradient norms are always in view, a deep net's other rows
scroll, and a big terminal gives the boundary maps the width the networks leave."""

from __future__ import annotations

import pytest

from relutui.app.screens.compare import CompareScreen, table_rows
from relutui.training import TrainConfig

SIZES = [(80, 24), (120, 36), (200, 60)]
DEEP = TrainConfig(seed=0, activation="sigmoid", layers=(8,) * 6)


async def open_compare(app, pilot):
    await pilot.press("c")
    await pilot.pause()
    await pilot.pause()
    assert isinstance(app.screen, CompareScreen)
    return app.screen


def visible_text(screen) -> str:
    """The table's rows as painted: the body's lines in the table's visible window."""
    table = screen.query_one("#cmp-table")
    body = screen.query_one("#cmp-table-body")
    lines = [strip.text for strip in body.render_lines(body.region.reset_offset)]
    top = round(table.scroll_y)
    return "\n".join(lines[top: top + table.scrollable_content_region.height])


@pytest.mark.parametrize("size", SIZES)
async def test_first_last_and_last_layer_in_view_for_a_deep_net(app_pilot, size):
    async with app_pilot(DEEP, size=size) as (app, pilot):
        screen = await open_compare(app, pilot)
        await pilot.press("s", "s")
        await pilot.pause()
        text = visible_text(screen)
        assert "first/last" in text
        assert "‖dL/dW1‖" in text and "‖dL/dW7‖" in text  # the output layer's norm too
        assert "…" not in text


async def test_rows_by_what_teaches(app_pilot):
    """first/last, the first and the last layer, the layers between, then the rest; 80-column
    labels are short."""
    async with app_pilot(DEEP, size=(120, 36)) as (app, pilot):
        await open_compare(app, pilot)
        views = [app.state.training_view(r) for r in app.state.runs()]
        labels = [name for name, _values, _kind in table_rows(views)]
        assert labels[:3] == ["first/last", "‖dL/dW1‖ first", "‖dL/dW7‖ last"]
        assert labels[3:8] == [f"‖dL/dW{l}‖" for l in range(2, 7)]
        assert labels[8:] == ["✕ dead", "◐ saturated", "accuracy", "loss", "status"]
        short = [name for name, _values, _kind in table_rows(views, short=True)]
        assert short[:3] == ["first/last", "‖dL/dW1‖", "‖dL/dW7‖"] and "◐ sat" in short
        assert max(map(len, short)) <= 10


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_table_scrolls_from_the_keyboard(app_pilot, size):
    async with app_pilot(DEEP, size=size) as (app, pilot):
        screen = await open_compare(app, pilot)
        table = screen.query_one("#cmp-table")
        assert table.max_scroll_y > 0  # 14 rows and a header do not fit
        assert "PgDn" in str(table.border_subtitle)
        assert "status" not in visible_text(screen)
        await pilot.press("pagedown", "pagedown", "pagedown")
        await pilot.pause()
        assert table.scroll_y == table.max_scroll_y
        assert "status" in visible_text(screen)
        assert "PgUp" in str(table.border_subtitle)
        await pilot.press("pageup", "pageup", "pageup")
        await pilot.pause()
        assert table.scroll_y == 0
        assert "first/last" in visible_text(screen)


async def test_big_terminal_grows_the_table_and_the_boundary_maps(app_pilot):
    async with app_pilot(DEEP, size=(200, 60)) as (app, pilot):
        screen = await open_compare(app, pilot)
        table = screen.query_one("#cmp-table")
        assert table.max_scroll_y == 0 and not str(table.border_subtitle)  # every row in view
        assert "status" in visible_text(screen)
        for side in "ab":
            boundary = screen.query_one(f"#map-{side}")
            assert boundary.size.width > 28
            # the network keeps its values ("●+0.65"): the map took only what it leaves
            net = screen.query_one(f"#net-{side}")
            assert any("+0." in strip.text for strip in net.render_lines(net.region.reset_offset))


@pytest.mark.parametrize("size", SIZES)
async def test_no_value_cut_in_the_table(app_pilot, tmp_path, size):
    """The vanishing-gradient lesson (9 layers, values like 0.00418 on both sides): every row
    whole, also at 80 columns with the scrollbar."""
    from relutui.lessons import resolve_lesson

    text = resolve_lesson("vanishing-gradient-class").read_text(encoding="utf-8")
    path = tmp_path / "vanishing.toml"  # without its experiment: no background run
    path.write_text(text.replace('experiment = "vanishing-gradient"\n', ""), encoding="utf-8")
    async with app_pilot(size=size, lesson_path=path) as (app, pilot):
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        body = screen.query_one("#cmp-table-body")
        lines = [strip.text for strip in body.render_lines(body.region.reset_offset)]
        assert len(lines) == 1 + 1 + 9 + 5 and not any("…" in line for line in lines), lines
        assert "0.00418" in "\n".join(lines)
