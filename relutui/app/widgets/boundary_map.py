"""Decision boundary drawn with coloured half-blocks (two pixels per cell), data points on top."""

from __future__ import annotations

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from relutui.session.views import BoundaryView
from relutui.app.widgets import palette
from relutui.app.widgets.titles import FittedTitles

LEVELS = 32  # confidence quantised to 0..LEVELS: one colour per level
TRAIN_POINT, TEST_POINT = "•", "∘"  # a training and a test sample, drawn over the map
LEGEND = f"{TRAIN_POINT} train {TEST_POINT} test"  # what the panel's caption says of them
POINT_STYLES_MAX = 4096  # regression labels are all different: the points' styles cache is bounded


class BoundaryMap(FittedTitles, Widget):
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
        self._bg = self._fg = self._c1 = self._c0 = None  # the theme's colours the caches hold
        self._pix_cache: dict[int, str] = {}
        self._style_cache: dict[int, Style] = {}
        self._dot_cache: dict[float, str] = {}
        self._point_style_cache: dict[tuple[str, int], Style] = {}

    @property
    def grid_size(self) -> tuple[int, int]:
        """(columns, pixel rows) the state should compute."""
        width, height = self.size
        return max(width, 1), max(height, 1) * 2

    def show_source(self, key: object, source, force: bool = False, title: str | list[str] | None = None,
                    subtitle: str | None = None) -> None:
        """Show ``source(cols, rows_px)``, a view for a grid size, computed when the map is
        painted, at the size it has then: the views can be pushed before the first layout, and
        a resize needs no push. ``key`` names the state shown (same key: nothing to do, the
        titles included: Textual parses and repaints a border title at every assignment)."""
        if key == self._source_key and self._source is not None and not force:
            return
        self._source, self._source_key, self._built_for = source, key, None
        if title is not None:  # candidates, longest first (``FittedTitles``)
            self.fit_titles([title] if isinstance(title, str) else title)
        if subtitle is not None:
            self.border_subtitle = subtitle
        self.refresh()

    def _build_from_source(self) -> None:
        cols, rows_px = self.grid_size
        built_for = (self._source_key, cols, rows_px, self.app.theme)
        if built_for != self._built_for:
            self._built_for = built_for
            self._lines = self._build(self._source(cols, rows_px))

    # -------- colours, kept from one build to the next (making them took most of a build)
    def _check_palette(self) -> None:
        """Forget the colours and styles when the theme's colours change."""
        app = self.app
        self._bg, self._fg = palette.background(app), palette.foreground(app)
        self._c1, self._c0 = palette.color(app, palette.POSITIVE_VAR), palette.color(app, palette.NEGATIVE_VAR)
        key = (self._bg, self._fg, self._c1, self._c0)
        if key != self._palette_key:
            self._palette_key = key
            self._pix_cache, self._style_cache = {}, {}
            self._dot_cache, self._point_style_cache = {}, {}

    def _pix(self, level: int) -> str:
        """The colour of a pixel of confidence ``level / LEVELS``: the class's hue, stronger
        away from 0.5."""
        hit = self._pix_cache.get(level)
        if hit is None:
            q = level / LEVELS
            base = self._c1 if q >= 0.5 else self._c0
            hit = self._pix_cache[level] = self._bg.blend(base, 0.12 + 0.55 * abs(q - 0.5) * 2).hex6
        return hit

    def _pair_style(self, code: int) -> Style:
        """The style of a cell whose (top, bottom) levels are ``divmod(code, LEVELS + 1)``."""
        hit = self._style_cache.get(code)
        if hit is None:
            top, bottom = divmod(code, LEVELS + 1)
            hit = self._style_cache[code] = Style(color=self._pix(top), bgcolor=self._pix(bottom))
        return hit

    def _point_style(self, label: float, level: int) -> Style:
        """A data point: its label's colour, lightened, over the cell's mean confidence."""
        dot = self._dot_cache.get(label)
        if dot is None:
            c1, c0 = self._c1, self._c0
            base = c1.blend(c0, 1 - label) if 0 < label < 1 else (c1 if label >= 0.5 else c0)
            dot = self._dot_cache[label] = base.blend(self._fg, 0.35).hex6
        hit = self._point_style_cache.get((dot, level))
        if hit is None:
            if len(self._point_style_cache) >= POINT_STYLES_MAX:
                self._point_style_cache.clear()
            hit = self._point_style_cache[(dot, level)] = Style(color=dot, bgcolor=self._pix(level), bold=True)
        return hit

    # -------- build
    def _point_segments(self, view: BoundaryView, rows: int, cols: int,
                        mid: np.ndarray) -> tuple[np.ndarray, list[Segment]]:
        """The cells (flat indices, ascending) that show a data point, and their segments.
        Two points in one cell: the later one is drawn."""
        pts = np.asarray(view.points, dtype=np.float64).reshape(-1, 4)
        col = pts[:, 0].astype(np.intp)
        row = pts[:, 1].astype(np.intp) // 2
        inside = np.flatnonzero((col >= 0) & (col < cols) & (row >= 0) & (row < rows))
        cells = row[inside] * cols + col[inside]
        # last occurrence of every cell: the first one in the reversed order
        cells_rev = cells[::-1]
        cell, first_rev = np.unique(cells_rev, return_index=True)
        which = inside[::-1][first_rev]
        levels = (mid.flat[cell] * LEVELS).astype(np.intp).tolist()
        segs = [Segment(TEST_POINT if is_test else TRAIN_POINT, self._point_style(label, level))
                for label, is_test, level in zip(pts[which, 2].tolist(), pts[which, 3].astype(bool).tolist(), levels)]
        return cell, segs

    def _build(self, view: BoundaryView) -> list[Strip]:
        """One strip per cell row: runs of equal (top, bottom) colour become one segment of "▀",
        a data point a segment of its own. The runs are found with numpy over the whole grid;
        only the segments themselves are made in Python."""
        self._check_palette()
        probs = view.probs
        rows, cols = probs.shape[0] // 2, probs.shape[1]
        if rows == 0 or cols == 0:
            return [Strip([], cols) for _ in range(rows)]
        top, bottom = probs[0:2 * rows:2], probs[1:2 * rows:2]
        # a plain cell's code is its (top, bottom) pair of levels; a point's cell gets a code of
        # its own (negative), so that it is never merged with its neighbours
        code = (np.clip((top * LEVELS).astype(np.intp), 0, LEVELS) * (LEVELS + 1)
                + np.clip((bottom * LEVELS).astype(np.intp), 0, LEVELS))
        cells, dots = self._point_segments(view, rows, cols, (top + bottom) / 2)
        code.flat[cells] = -1 - np.arange(len(cells), dtype=np.intp)
        # a run starts at every row's first cell and wherever the code changes
        starts = np.ones((rows, cols), dtype=bool)
        starts[:, 1:] = code[:, 1:] != code[:, :-1]
        first = np.flatnonzero(starts)
        lengths = np.diff(first, append=rows * cols).tolist()
        pair_style = self._pair_style
        segs = [Segment("▀" * n, pair_style(k)) if k >= 0 else dots[-1 - k]
                for k, n in zip(code.flat[first].tolist(), lengths)]
        bounds = np.searchsorted(first, np.arange(0, rows * cols + 1, cols, dtype=np.intp)).tolist()
        return [Strip(segs[a:b], cols) for a, b in zip(bounds, bounds[1:])]

    def render_line(self, y: int) -> Strip:
        if self._source is not None:
            self._build_from_source()
        width = self.size.width
        if y < len(self._lines):
            line = self._lines[y]
            return line if line.cell_length == width else line.crop(0, width)
        return Strip.blank(width)
