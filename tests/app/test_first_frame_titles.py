"""The panels' border titles are fitted for the width they are painted at, from the first paint.

Textual posts the Resize event during a layout and paints before it arrives: titles fitted in
``on_resize`` only were fitted for no width at the first paint (the longest or the shortest
candidate), then changed a frame later ("network · #0" then "sample #0 x=(...) y=0"). Here
the titles each panel had when it was first rendered are those of the settled screen."""

from __future__ import annotations

import pytest

from relutui.app.widgets.function_chart import FunctionChart
from relutui.app.widgets.network_view import NetworkDiagram
from relutui.app.widgets.training_panel import GradChart, LossChart

PANELS = (FunctionChart, LossChart, GradChart, NetworkDiagram)


@pytest.mark.parametrize("size", [(80, 24), (120, 36), (200, 60)])
async def test_titles_at_the_first_paint_are_the_settled_ones(app_pilot, monkeypatch, size):
    first: dict[str, tuple] = {}
    for cls in PANELS:
        original = cls.render_lines

        def render_lines(self, crop, original=original):
            lines = original(self, crop)
            first.setdefault(self.id, (self.border_title, self.border_subtitle))
            return lines

        monkeypatch.setattr(cls, "render_lines", render_lines)
    async with app_pilot(size=size) as (app, pilot):
        for _ in range(4):
            await pilot.pause()
        settled = {w.id: (w.border_title, w.border_subtitle) for cls in PANELS for w in app.screen.query(cls)
                   if w.id in first}
        assert first and settled == first
