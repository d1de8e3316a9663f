"""Decision boundary drawn with coloured half-blocks (two pixels per cell), data points on top."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from relutui.app.state import BoundaryView
from relutui.app.widgets import palette


class BoundaryMap(Widget):
    DEFAULT_CSS = """
    BoundaryMap { height: 1fr; width: 1fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._view: BoundaryView | None = None
        self._lines: list[Strip] = []

    @property
    def grid_size(self) -> tuple[int, int]:
        """(columns, pixel rows) the state should compute."""
        return max(self.size.width, 1), max(self.size.height, 1) * 2

    def show(self, view: BoundaryView, force: bool = False) -> None:
        if view is self._view and not force:
            return
        self._view = view
        self._lines = self._build(view)
        self.refresh()

    def _build(self, view: BoundaryView) -> list[Strip]:
        app = self.app
        bg = palette.background(app)
        c1 = palette.color(app, palette.POSITIVE_VAR)
        c0 = palette.color(app, palette.NEGATIVE_VAR)
        probs = view.probs
        rows_px, cols = probs.shape
        # colour of every pixel: class colour blended with the background by confidence
        cache: dict[int, str] = {}

        def pix(p: float) -> str:
            key = int(p * 32)
            hit = cache.get(key)
            if hit is None:
                q = key / 32
                base = c1 if q >= 0.5 else c0
                hit = bg.blend(base, 0.12 + 0.55 * abs(q - 0.5) * 2).hex6
                cache[key] = hit
            return hit

        points: dict[tuple[int, int], tuple[float, bool]] = {}
        for col, row_px, label, is_test in view.points:
            points[(col, row_px // 2)] = (label, is_test)
        fg_hi = palette.foreground(app)
        strips = []
        for r in range(rows_px // 2):
            segs = []
            top, bot = probs[2 * r], probs[2 * r + 1]
            for c in range(cols):
                pt = points.get((c, r))
                if pt is None:
                    segs.append(Segment("▀", Style(color=pix(top[c]), bgcolor=pix(bot[c]))))
                else:
                    label, is_test = pt
                    base = c1.blend(c0, 1 - label) if 0 < label < 1 else (c1 if label >= 0.5 else c0)
                    dot = base.blend(fg_hi, 0.35).hex6
                    segs.append(Segment("∘" if is_test else "•", Style(color=dot, bgcolor=pix((top[c] + bot[c]) / 2), bold=True)))
            strips.append(Strip(segs, cols))
        return strips

    def render_line(self, y: int) -> Strip:
        if y < len(self._lines):
            return self._lines[y].crop(0, self.size.width)
        return Strip.blank(self.size.width)
