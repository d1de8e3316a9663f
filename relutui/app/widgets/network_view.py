"""The network drawn layer by layer: every neuron's state (colour + symbol) and value."""

from __future__ import annotations

import math
import re

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from relutui.app.values import fmt, fmt_signed
from relutui.app.views import STATE_NAMES, STATE_SYMBOLS, NetworkView
from relutui.app.widgets import palette


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
        self._hits: dict[tuple[int, int], tuple[int, int]] = {}
        self._lines: list[Strip] = []
        self._lines_key: object = None
        self._version = 0

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
        """The Text below, turned into strips once per view and size (Rich segments straight to
        strips: ~4x cheaper than Textual's conversion of a Text with a hundred styled spans)."""
        width, height = self.size.width, self.size.height
        key = (self._version, width, height, self.app.theme)
        if key != self._lines_key:
            self._lines_key = key
            base = self.visual_style.rich_style
            pad = Style(bgcolor=base.bgcolor)
            segments = Segment.apply_style(self.render().render(self.app.console, end=""), base)
            self._lines = [Strip(_split_blanks(line, pad), width) for line in
                           Segment.split_and_crop_lines(segments, width, pad=True, include_new_lines=False)][:height]
        if y < len(self._lines):
            return self._lines[y]
        return Strip.blank(width)

    def render(self) -> Text:
        view = self._view
        if view is None:
            return Text("")
        app = self.app
        width, height = self.size.width, self.size.height
        ncols = len(view.columns)
        cw = max(width // ncols, 3)
        rows = max(height - 3, 1)  # header, weights, neurons..., legend
        dim = palette.tag_style(app, "dim")
        grid: list[Text] = [Text(no_wrap=True) for _ in range(rows + 2)]
        self._hits = {}
        for ci, col in enumerate(view.columns):
            n = len(col.cells)
            per_row = max(math.ceil(n / rows), 1)
            cell_w = max(cw // per_row, 2)
            show_val = cell_w >= 7
            title_style = Style(color=palette.hex_(app, "primary"), bold=True, reverse=col.highlight)
            grid[0].append(f" {col.title}".ljust(cw)[:cw], title_style)
            if col.kind == "input":
                grid[1].append("".ljust(cw), dim)
            else:
                grid[1].append(f" +{col.w_pos}−{col.w_neg}".ljust(cw)[:cw], dim)
            for j, cell in enumerate(col.cells):
                r, k = divmod(j, per_row)
                if r >= rows:
                    continue
                line = grid[2 + r]
                # pad the line to this column's start + k cells
                start = ci * cw + k * cell_w
                if len(line.plain) < start:
                    line.append(" " * (start - len(line.plain)))
                if cell.state is None:
                    sym = Text("○" if col.kind == "input" else "·", style=dim)
                else:
                    sym = Text(STATE_SYMBOLS[cell.state], style=palette.state_style(app, cell.state))
                if cell.selected:
                    sym.stylize(Style(reverse=True))
                piece = Text(" ")
                piece.append_text(sym)
                if show_val:
                    if cell.value is None or not col.computed:
                        piece.append(" ·", dim)
                    else:
                        c = palette.signed_color(app, cell.value, view.scale if col.kind != "input" else max(abs(cell.value), 1.0))
                        piece.append(f"{fmt_signed(cell.value, 2):>{cell_w - 3}}"[: cell_w - 3], Style(color=c.hex6))
                piece.truncate(cell_w, pad=True)
                line.append_text(piece)
                if col.kind != "input":
                    layer = ci - 1
                    for x in range(start, start + cell_w):
                        self._hits[(x, 2 + r)] = (layer, j)
        text = Text(no_wrap=True, overflow="crop")
        for i, line in enumerate(grid):
            if i:
                text.append("\n")
            text.append_text(line)
        c = view.counts
        legend = Text("\n", no_wrap=True)
        for state, key in ((0, "active"), (1, "saturated"), (2, "dead")):
            legend.append(f"{STATE_SYMBOLS[state]}{c[key]} {STATE_NAMES[state]}  ", palette.state_style(app, state))
        legend.append(f"{view.value_name} scale ±{fmt(view.scale, 2)}", dim)
        text.append_text(legend)
        return text

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        hit = self._hits.get((offset.x, offset.y))
        if hit is not None:
            self.post_message(self.NeuronClicked(*hit))
