"""The network drawn layer by layer: every neuron's state (colour + symbol) and value."""

from __future__ import annotations

import math
import re

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from relutui.app.values import fmt, fmt_signed
from relutui.app.views import STATE_NAMES, STATE_SYMBOLS, NetworkView
from relutui.app.widgets import palette

Piece = tuple[str, "Style | None"]  # text and its style; None: no style of its own (the widget's)
REVERSE = Style(reverse=True)


def _split_blanks(line: list[Segment], pad: Style) -> list[Segment]:
    """Runs of two or more blanks as segments of their own (SVG screenshots then keep every
    column; single spaces stay inside their words, so the text reads as it did)."""
    out: list[Segment] = []
    for seg in line:
        text, style = seg.text, seg.style
        if "  " not in text or (style is not None and style.reverse):
            out.append(seg)
            continue
        for k, part in enumerate(re.split(r"( {2,})", text)):
            if part:
                out.append(Segment(part, pad if k % 2 else style))
    return out


def _strip(pieces: list[Piece], base: Style, pad: Style, width: int) -> Strip:
    """One line of pieces as a strip ``width`` cells wide, segmented as Rich renders a ``Text``
    with a span per styled piece: unstyled neighbours are one segment, styled pieces one each;
    the widget's style under all of them; cropped or padded to the width."""
    segs: list[Segment] = []
    plain = ""
    for text, style in pieces:
        if style is None:
            plain += text
        elif text:
            if plain:
                segs.append(Segment(plain, base))
                plain = ""
            segs.append(Segment(text, base + style))
    if plain:
        segs.append(Segment(plain, base))
    return Strip(_split_blanks(Segment.adjust_line_length(segs, width, pad=True), pad), width)


class NetworkDiagram(Widget):
    """Renders a NetworkView; a click on a neuron posts NeuronClicked."""

    DEFAULT_CSS = """
    NetworkDiagram { height: 1fr; width: 1fr; }
    """

    class NeuronClicked(Message):
        def __init__(self, layer: int, neuron: int) -> None:
            self.layer = layer
            self.neuron = neuron
            super().__init__()

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._view: NetworkView | None = None
        self._cells: list[tuple[int, int, int, tuple[int, int]]] = []  # (y, x0, x1, (layer, neuron))
        self._lines: list[Strip] = []
        self._lines_key: object = None
        self._version = 0

    @property
    def _hits(self) -> dict[tuple[int, int], tuple[int, int]]:
        """(x, y) of every cell of a neuron -> (layer, neuron), as last painted (built when asked,
        for a click, rather than at every paint)."""
        return {(x, y): hit for y, x0, x1, hit in self._cells for x in range(x0, x1)}

    def show(self, view: NetworkView, force: bool = False, title: str | None = None,
             subtitle: str | None = None) -> None:
        """Show ``view``, and the panel's titles with it (set only with a new view: Textual
        parses and repaints a border title at every assignment)."""
        if view is self._view and not force:
            return
        self._view = view
        self._version += 1
        if title is not None:
            self.border_title = title
        if subtitle is not None:
            self.border_subtitle = subtitle
        self.refresh()

    def render_line(self, y: int) -> Strip:
        """The lines below, turned into strips once per view and size (pieces of text straight to
        segments: Rich's ``Text`` with a hundred spans, rendered and split, cost ~3x more)."""
        width, height = self.size
        key = (self._version, width, height, self.app.theme)
        if key != self._lines_key:
            self._lines_key = key
            base = self.visual_style.rich_style
            pad = Style(bgcolor=base.bgcolor)
            self._lines = [_strip(line, base, pad, width) for line in self._layout(width, height)[:height]]
        if y < len(self._lines):
            return self._lines[y]
        return Strip.blank(width)

    def _layout(self, width: int, height: int) -> list[list[Piece]]:
        """The diagram as lines of pieces: a header and a weights line per layer column, the
        neurons (several to a row when a column has more than the rows), the legend."""
        view = self._view
        self._cells = []
        if view is None:
            return [[("", None)]]
        app = self.app
        ncols = len(view.columns)
        cw = max(width // ncols, 3)
        rows = max(height - 3, 1)  # header, weights, neurons..., legend
        dim = palette.tag_style(app, "dim")
        primary = palette.hex_(app, "primary")
        lines: list[list[Piece]] = [[] for _ in range(rows + 2)]
        used = [0] * (rows + 2)  # cells filled on each neuron line
        for ci, col in enumerate(view.columns):
            n = len(col.cells)
            per_row = max(math.ceil(n / rows), 1)
            cell_w = max(cw // per_row, 2)
            show_val = cell_w >= 7
            lines[0].append((f" {col.title}".ljust(cw)[:cw], Style(color=primary, bold=True, reverse=col.highlight)))
            weights = "" if col.kind == "input" else f" +{col.w_pos}−{col.w_neg}"
            lines[1].append((weights.ljust(cw)[:cw], dim))
            for j, cell in enumerate(col.cells):
                r, k = divmod(j, per_row)
                if r >= rows:
                    continue
                y = 2 + r
                line = lines[y]
                start = ci * cw + k * cell_w
                if used[y] < start:  # pad the line to this column's start + k cells
                    line.append((" " * (start - used[y]), None))
                    used[y] = start
                self._cell_pieces(line, col, cell, cell_w, show_val, view.scale, dim)
                used[y] += cell_w
                if col.kind != "input":
                    self._cells.append((y, start, start + cell_w, (ci - 1, j)))
        legend: list[Piece] = []
        c = view.counts
        for state, key in ((0, "active"), (1, "saturated"), (2, "dead")):
            legend.append((f"{STATE_SYMBOLS[state]}{c[key]} {STATE_NAMES[state]}  ", palette.state_style(app, state)))
        legend.append((f"{view.value_name} scale ±{fmt(view.scale, 2)}", dim))
        lines.append(legend)
        return lines

    def _cell_pieces(self, line: list[Piece], col, cell, cell_w: int, show_val: bool, scale: float,
                     dim: Style) -> None:
        """Append one neuron (a blank, its symbol, its value when there is room), ``cell_w`` cells
        wide, to ``line``."""
        app = self.app
        if cell.state is None:
            sym_style = dim
            sym = "○" if col.kind == "input" else "·"
        else:
            sym_style = palette.state_style(app, cell.state)
            sym = STATE_SYMBOLS[cell.state]
        if cell.selected:
            sym_style = sym_style + REVERSE
        line.append((" ", None))
        line.append((sym, sym_style))
        used = 2
        if show_val:
            if cell.value is None or not col.computed:
                value, style = " ·", dim
            else:
                c = palette.signed_color(app, cell.value, scale if col.kind != "input" else max(abs(cell.value), 1.0))
                value, style = f"{fmt_signed(cell.value, 2):>{cell_w - 3}}"[: cell_w - 3], Style(color=c.hex6)
            value = value[: cell_w - used]
            line.append((value, style))
            used += len(value)
        if used < cell_w:
            line.append((" " * (cell_w - used), None))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        hit = self._hits.get((offset.x, offset.y))
        if hit is not None:
            self.post_message(self.NeuronClicked(*hit))
