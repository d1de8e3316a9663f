"""Decision boundary drawn with coloured half-blocks (two pixels per cell), data points on top."""

from __future__ import annotations

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from relutui.app.views import BoundaryView
from relutui.app.widgets import palette


class BoundaryMap(Widget):
    DEFAULT_CSS = """
    BoundaryMap { height: 1fr; width: 1fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._lines: list[Strip] = []
        self._source = None  # (cols, rows_px) -> BoundaryView, asked when painted
        self._source_key: object = None
        self._built_for: object = None
        self._palette_key: object = None
        self._pix_cache: dict[int, str] = {}
        self._style_cache: dict[tuple[int, int], Style] = {}

    @property
    def grid_size(self) -> tuple[int, int]:
        """(columns, pixel rows) the state should compute."""
        return max(self.size.width, 1), max(self.size.height, 1) * 2

    def show_source(self, key: object, source, force: bool = False, title: str | None = None,
                    subtitle: str | None = None) -> None:
        """Show ``source(cols, rows_px)``, a view for a grid size, computed when the map is
        painted, at the size it has then: the views can be pushed before the first layout, and
        a resize needs no push. ``key`` names the state shown (same key: nothing to do, the
        titles included: Textual parses and repaints a border title at every assignment)."""
        if key == self._source_key and self._source is not None and not force:
            return
        self._source, self._source_key, self._built_for = source, key, None
        if title is not None:
            self.border_title = title
        if subtitle is not None:
            self.border_subtitle = subtitle
        self.refresh()

    def _build_from_source(self) -> None:
        cols, rows_px = self.grid_size
        built_for = (self._source_key, cols, rows_px, self.app.theme)
        if built_for != self._built_for:
            self._built_for = built_for
            self._lines = self._build(self._source(cols, rows_px))

    def _build(self, view: BoundaryView) -> list[Strip]:
        app = self.app
        bg = palette.background(app)
        c1 = palette.color(app, palette.POSITIVE_VAR)
        c0 = palette.color(app, palette.NEGATIVE_VAR)
        probs = view.probs
        rows_px, cols = probs.shape
        # Colours and styles depend only on the theme and the quantised confidence: kept from
        # one build to the next (building ~200 of them took most of a build's time).
        if self._palette_key != (bg, c1, c0):
            self._palette_key = (bg, c1, c0)
            self._pix_cache, self._style_cache = {}, {}
        cache: dict[int, str] = self._pix_cache
        styles: dict[tuple[int, int], Style] = self._style_cache

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
        # quantised confidence of every pixel; one Style per (top, bottom) pair, runs merged
        q = np.clip((probs * 32).astype(np.intp), 0, 32)
        strips = []
        for r in range(rows_px // 2):
            segs = []
            top, bot = probs[2 * r], probs[2 * r + 1]
            qt, qb = q[2 * r].tolist(), q[2 * r + 1].tolist()
            run_key, run_len = None, 0
            for c in range(cols):
                pt = points.get((c, r))
                if pt is None:
                    key = (qt[c], qb[c])
                    if key == run_key:
                        run_len += 1
                        continue
                    if run_key is not None:
                        segs.append(Segment("▀" * run_len, styles[run_key]))
                    if key not in styles:
                        styles[key] = Style(color=pix(top[c]), bgcolor=pix(bot[c]))
                    run_key, run_len = key, 1
                else:
                    if run_key is not None:
                        segs.append(Segment("▀" * run_len, styles[run_key]))
                        run_key, run_len = None, 0
                    label, is_test = pt
                    base = c1.blend(c0, 1 - label) if 0 < label < 1 else (c1 if label >= 0.5 else c0)
                    dot = base.blend(fg_hi, 0.35).hex6
                    segs.append(Segment("∘" if is_test else "•", Style(color=dot, bgcolor=pix((top[c] + bot[c]) / 2), bold=True)))
            if run_key is not None:
                segs.append(Segment("▀" * run_len, styles[run_key]))
            strips.append(Strip(segs, cols))
        return strips

    def render_line(self, y: int) -> Strip:
        if self._source is not None:
            self._build_from_source()
        if y < len(self._lines):
            line = self._lines[y]
            return line if line.cell_length == self.size.width else line.crop(0, self.size.width)
        return Strip.blank(self.size.width)
