"""The network drawn layer by layer: every neuron's state (colour + symbol) and value.

Each layer is a column: its title, the signs of its incoming weights, then its neurons in a
block under the title, with a wider blank between two blocks than inside one, so that every
neuron visibly belongs to its layer at any size. The block is as wide as it has to be:
neurons with their values (one a row, or several), symbols only, symbols packed, or, when even
those do not fit, the first ones and "+k" for the rest; in a panel too narrow for the columns,
a line per layer with its counts.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from relutui.format import bound_text, fmt, fmt_fit_honest
from relutui.session.present.titles import fit
from relutui.session.views import GRAD_RAMP, MARK_SYMBOLS, STATE_NAMES, STATE_SYMBOLS, NetworkView
from relutui.app.widgets import palette
from relutui.diagnostics import ACTIVE, DEAD, SATURATED

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


VALUE_W = 6  # a neuron's value, a blank after its symbol: "● +0.65", "● -0.038", "● +2e-5"
TIGHT_W = 5  # ... or right after it, in one word, when a layer's neurons are one a line: "●+0.65"
INPUT_SYMBOL = "□"


DEFAULT_MARK_WORDS = {"off": "off", "clipped": "clipped", "weak": "weak f'"}


def cell_mark(cell) -> str | None:
    """The cell's mark for the sample shown (a view built by hand may set ``off`` alone)."""
    if cell.state is None or cell.state == DEAD or cell.level is not None:
        return None  # (a shade of |dL/dz| is drawn in its place)
    return cell.mark or ("off" if cell.off else None)


def cell_symbol(cell) -> str:
    """A neuron's glyph: the shade of its |dL/dz| in the backward phases, else its mark for
    the sample shown, else its state over the batch."""
    if cell.level is not None and cell.state != DEAD:
        return GRAD_RAMP[cell.level]
    m = cell_mark(cell)
    return MARK_SYMBOLS[m] if m else STATE_SYMBOLS[cell.state]


def mark_counts(columns) -> dict[str, int]:
    """How many neurons of ``columns`` carry each mark, in the order off, clipped, weak."""
    counts = {name: 0 for name in MARK_SYMBOLS}
    for col in columns:
        for cell in col.cells:
            m = cell_mark(cell)
            if m:
                counts[m] += 1
    return {k: v for k, v in counts.items() if v}


@dataclass(frozen=True)
class Mode:
    """One way of drawing a column's neurons."""

    name: str
    cell: int  # cells of one neuron
    sep: int  # blanks between two neurons of a column, on one line
    gap: int  # blanks (at least) between two columns
    value: int = 0  # cells of its value (0: the symbol alone)
    glued: bool = False  # the value right after the symbol
    one_a_line: bool = False  # only when every column's neurons are one a line


# widest first: the first that fits is drawn
MODES = (
    Mode("values", 2 + VALUE_W, 1, 3, VALUE_W),  # "● +0.65"
    Mode("tight", 1 + TIGHT_W, 1, 1, TIGHT_W, glued=True, one_a_line=True),  # "●+0.65"
    Mode("spaced", 1, 1, 2),  # "● ● ●"
    Mode("packed", 1, 0, 1),  # "●●●"
)
TRUNCATED = Mode("truncated", 1, 0, 1)  # packed, the first neurons and "+k"


@dataclass
class Block:
    """One column's place: its first cell, width, neurons a line and which neurons it draws."""

    x: int
    width: int
    per_row: int
    shown: list[int]
    more: int = 0  # neurons not drawn ("+k")
    marker: str = ""


@dataclass
class Plan:
    mode: Mode
    rows: int  # lines of neurons
    weights: bool  # a line of weight signs under the titles
    blocks: list[Block]


def _placed(widths: list[int], gap: int, width: int) -> list[int] | None:
    """The first cell of each block: a blank margin when it fits, then an even grid when every
    block fits its share, or else the blocks with equal gaps, as wide as the spare width allows."""
    n = len(widths)
    total = sum(widths) + gap * (n - 1)
    if total > width:
        return None
    margin = 1 if total < width else 0
    slot = (width - margin) // n
    if all(w + gap <= slot for w in widths[:-1]) and widths[-1] <= slot:
        return [margin + i * slot for i in range(n)]
    spare = width - margin - total
    xs, x = [], margin
    for i, w in enumerate(widths):
        xs.append(x)
        if n > 1:  # the gaps widened alike (what is left over stays at the right)
            x += w + gap + spare // (n - 1)
    return xs


def _value_text(v: float, mode: Mode) -> str:
    """A neuron's value as the mode shows it: after a blank (unless glued), its sign or a
    blank where a sign would be, so that the digits of a column line up (" 0", "+0.52")."""
    text = fmt_fit_honest(v, mode.value, 2, signed=True)  # 0.9993 is "+0.999", never "+1"
    edge = bound_text(v)  # a float-rounded σ(z) = 1: "<1", not "1−1e-16"
    if edge is not None and len(edge) <= mode.value:
        text = edge
    if text[0] not in "+-#<>" and len(text) < mode.value:
        text = " " + text
    return text if mode.glued else " " + text


def _marker(n: int, cap: int, width: int) -> tuple[int, str]:
    """How many of ``n`` neurons fit in ``cap`` cells with "+k" (k: the others) after them
    ("…" when "+k" is wider than the block or would leave no neuron in it)."""
    m, mark = cap - 1, "…"
    for _ in range(8):  # len("+k") only grows as m shrinks: a few rounds at most
        mark = f"+{n - m}"
        if len(mark) > width:
            mark = "…"
        m2 = max(cap - len(mark), 0)
        if m2 == m:
            break
        m = m2
    if m < 1 < cap:
        return cap - 1, "…"
    return max(m, 0), mark


def _window(n: int, m: int, selected: int | None) -> list[int]:
    """``m`` of ``n`` neurons: the first ones, or the ones up to the selected one."""
    if selected is not None and selected >= m > 0:
        return list(range(selected - m + 1, selected + 1))
    return list(range(min(m, n)))


def plan_columns(counts: list[int], titles: list[str], width: int, rows: int,
                 weights: list[str] | None = None, selected: dict[int, int] | None = None) -> Plan | None:
    """Where each column's neurons go in ``width`` cells and ``rows`` lines under the titles
    and their weight signs (``rows`` + 1 lines without them):
    the widest of ``MODES`` that fits, with the line of ``weights`` (each column's weight
    signs) when it fits too, else that line for neurons; when not even packed symbols fit,
    the first of a column's neurons and "+k". None when not even the titles fit side by side.
    ``selected``: column -> the neuron to keep in view when a column cannot show them all."""
    selected = selected or {}
    weights = weights or [""] * len(counts)
    n = len(counts)
    if n == 0:
        return None
    for mode in MODES:
        for with_weights in (True, False) if any(weights) and rows >= 1 else (False,):
            r = max(rows if with_weights else rows + 1, 1)
            per_row = [max(math.ceil(c / r), 1) for c in counts]
            if mode.one_a_line and max(per_row) > 1:
                continue
            widths = [max(len(t), p * mode.cell + (p - 1) * mode.sep, len(w) if with_weights else 0)
                      for p, t, w in zip(per_row, titles, weights)]
            xs = _placed(widths, mode.gap, width)
            if xs is not None:
                blocks = [Block(x, w, p, list(range(c))) for x, w, p, c in zip(xs, widths, per_row, counts)]
                return Plan(mode, r, with_weights, blocks)
    # packed, and still too wide: the widest blocks narrowed to a common cap
    rows = max(rows + 1, 1)
    need = [max(len(t), math.ceil(c / rows)) for t, c in zip(titles, counts)]
    budget = width - (n - 1)
    for cap in range(max(need), 0, -1):
        widths = [max(len(t), min(nd, cap)) for t, nd in zip(titles, need)]
        if sum(widths) <= budget:
            break
    else:
        return None
    xs = _placed(widths, 1, width)
    if xs is None:
        return None
    blocks = []
    for i, (x, w, c) in enumerate(zip(xs, widths, counts)):
        room = w * rows
        if c <= room:
            blocks.append(Block(x, w, w, list(range(c))))
            continue
        m, mark = _marker(c, room, w)
        shown = _window(c, m, selected.get(i))
        blocks.append(Block(x, w, w, shown, c - len(shown), mark))
    return Plan(TRUNCATED, rows, False, blocks)


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
            self._title = title
        if subtitle is not None:
            self._subtitle = subtitle
        self._fit_titles()
        self.refresh()

    _title: str | None = None
    _subtitle: str | None = None

    def _fit_titles(self) -> None:
        """The titles' longest variants that fit the border (``present/titles.py``)."""
        width = self.outer_size.width
        if self._title is not None:
            title = fit(self._title, width)
            if title != self.border_title:
                self.border_title = title
        if self._subtitle is not None:
            subtitle = fit(self._subtitle, width)
            if subtitle != self.border_subtitle:
                self.border_subtitle = subtitle

    def on_resize(self, event: events.Resize) -> None:
        self._fit_titles()

    _painted_width = -1

    def render_lines(self, crop):  # noqa: ANN001 (Textual's Region)
        """The titles fit the width painted at (the Resize event comes after the first paint)."""
        if self.size.width != self._painted_width:
            self._painted_width = self.size.width
            self._fit_titles()
        return super().render_lines(crop)

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

    # ------------------------------------------------------------ layout
    def _layout(self, width: int, height: int) -> list[list[Piece]]:
        """The diagram as lines of pieces: a title line, a line of weight signs (when they fit),
        the neurons, each column's in a block under its title, and the legend."""
        view = self._view
        self._cells = []
        if view is None:
            return [[("", None)]]
        cols = view.columns
        titles = [col.title for col in cols]
        counts = [len(col.cells) for col in cols]
        selected = {ci: j for ci, col in enumerate(cols) for j, cell in enumerate(col.cells) if cell.selected}
        weights = ["" if col.kind == "input" else f"+{col.w_pos}−{col.w_neg}" for col in cols]
        plan = plan_columns(counts, titles, width, height - 3, weights, selected)  # titles, weights, legend
        if plan is None:
            lines = self._summary(view, width, max(height - 1, 1))
        else:
            lines = self._columns(view, plan, weights)
        while len(lines) < height - 1:
            lines.append([])
        lines = lines[: max(height - 1, 0)]
        lines.append(self._legend(view, width))
        return lines

    def _columns(self, view: NetworkView, plan: Plan, weights: list[str]) -> list[list[Piece]]:
        app = self.app
        dim = palette.tag_style(app, "dim")
        title_style = Style(color=palette.hex_(app, "primary"), bold=True)
        top = 2 if plan.weights else 1
        lines: list[list[Piece]] = [[] for _ in range(top + plan.rows)]
        used = [0] * len(lines)  # cells filled on each line

        def put(y: int, x: int, text: str, style: Style | None) -> None:
            if used[y] < x:
                lines[y].append((" " * (x - used[y]), None))
                used[y] = x
            lines[y].append((text, style))
            used[y] += len(text)

        mode = plan.mode
        step = mode.cell + mode.sep
        for ci, (col, block) in enumerate(zip(view.columns, plan.blocks)):
            put(0, block.x, col.title.ljust(block.width), title_style + REVERSE if col.highlight else title_style)
            if plan.weights and weights[ci]:
                put(1, block.x, weights[ci], dim)
            for k, j in enumerate(block.shown):
                r, c = divmod(k, block.per_row)
                y, x = top + r, block.x + c * step
                self._cell_pieces(put, y, x, col, col.cells[j], mode, view.scale, dim)
                if col.kind != "input":
                    self._cells.append((y, x, x + mode.cell, (ci - 1, j)))
            if block.marker:
                r, c = divmod(len(block.shown), block.per_row)
                put(top + min(r, plan.rows - 1), block.x + c * step, block.marker, dim)
        return lines

    def _cell_pieces(self, put, y: int, x: int, col, cell, mode: Mode, scale: float, dim: Style) -> None:
        """One neuron at (x, y): its symbol (its state over the batch; hollow when f'(z) = 0 for
        the sample shown) and its value when the mode has room for it."""
        app = self.app
        if col.kind == "input":
            sym, sym_style = INPUT_SYMBOL, dim
        elif cell.state is None:
            sym, sym_style = "·", dim
        else:
            sym_style = palette.state_style(app, cell.state)
            sym = cell_symbol(cell)
        if cell.selected:
            sym_style = sym_style + REVERSE
        put(y, x, sym, sym_style)
        if not mode.value:
            return
        w = mode.cell - 1  # the value, next to its symbol (a blank between unless glued)
        if cell.value is None or not col.computed:
            put(y, x + 1, ("  ·" if not mode.glued else " ·").ljust(w), dim)
            return
        c = palette.signed_color(app, cell.value, scale if col.kind != "input" else max(abs(cell.value), 1.0))
        put(y, x + 1, _value_text(cell.value, mode).ljust(w), Style(color=c.hex6))

    def _summary(self, view: NetworkView, width: int, n_lines: int) -> list[list[Piece]]:
        """A line per layer, for a panel too narrow for the columns: the title, the neurons and,
        for a layer with states, how many are in each."""
        app = self.app
        dim = palette.tag_style(app, "dim")
        title_style = Style(color=palette.hex_(app, "primary"), bold=True)
        tw = max(len(col.title) for col in view.columns)
        lines: list[list[Piece]] = []
        cols = list(enumerate(view.columns))
        if len(cols) > n_lines:  # the inputs go first, then the last line says how many layers are left out
            cols = cols[1:]
            if len(cols) > n_lines:
                cols = cols[: max(n_lines - 1, 0)]
        for ci, col in cols:
            style = title_style + REVERSE if col.highlight else title_style
            line: list[Piece] = [(" " if width > tw + 4 else "", None), (col.title.ljust(tw), style), (" ", None)]
            if col.kind == "input":
                line.append((f"{len(col.cells)} inputs", dim))
            else:
                states = [c.state for c in col.cells]
                for state in (ACTIVE, SATURATED, DEAD):
                    line.append((f"{STATE_SYMBOLS[state]}{states.count(state)} ", palette.state_style(app, state)))
                for name, n in mark_counts([col]).items():
                    line.append((f"{MARK_SYMBOLS[name]}{n} ", palette.state_style(app, ACTIVE)))
                sel = next((j for j, c in enumerate(col.cells) if c.selected), 0)
                self._cells.append((len(lines), 0, width, (ci - 1, sel)))
            lines.append(line)
        left_out = len(view.columns) - 1 - sum(1 for _, col in cols if col.kind != "input")
        if left_out:
            lines.append([(f" +{left_out} layers", dim)])
        return lines

    def _legend(self, view: NetworkView, width: int) -> list[Piece]:
        """The counts of hidden neurons in each state (over the batch), the marks of the sample
        shown (○ off, ◑ clipped, ◌ weak) when some have them, what the numbers are, or in the
        backward phases what the shades of |dL/dz| mean: as much as fits."""
        app = self.app
        dim = palette.tag_style(app, "dim")
        c = view.counts
        hidden = [col for col in view.columns if col.kind == "hidden"]
        marked = mark_counts(hidden)
        words = {**DEFAULT_MARK_WORDS, **(view.mark_words or {})}
        scale = f"±{fmt(view.scale, 2)}"
        if view.ramp:  # the vanishing gradient: what a shade means beats the colour scale
            long_tail, short_tail = f"{''.join(GRAD_RAMP)} = {view.ramp} ÷1 ÷10 ÷100 ÷1000 of max", \
                f"{''.join(GRAD_RAMP)} {view.ramp} ÷10 each"
        else:
            long_tail, short_tail = f"{view.value_name} scale {scale}", f"{view.value_name} {scale}"
        states = ((ACTIVE, "active", "active"), (SATURATED, "saturated", "sat"), (DEAD, "dead", "dead"))

        def variant(names: int, sep: str, mark_names: int | None, tail: str | None) -> list[Piece]:
            pieces: list[Piece] = []
            for state, long, short in states:
                word = (" " + (long if names == 2 else short)) if names else ""
                count = c[STATE_NAMES[state]]
                pieces.append((f"{STATE_SYMBOLS[state]}{count}{word}{sep}", palette.state_style(app, state)))
            if mark_names is not None:
                for name, n in marked.items():
                    long = words[name]
                    word = {3: f" {long} here", 2: f" {long}", 1: f" {long.split()[0]}", 0: ""}[mark_names]
                    pieces.append((f"{MARK_SYMBOLS[name]}{n}{word}{sep}", palette.state_style(app, ACTIVE)))
            if tail:
                pieces.append((tail, dim))
            return pieces

        if view.ramp:
            options = [
                variant(2, "  ", 3, long_tail), variant(1, " ", 2, long_tail), variant(0, " ", 1, long_tail),
                variant(0, " ", 0, long_tail), variant(1, " ", 1, short_tail), variant(0, " ", 1, short_tail),
                variant(0, " ", 0, short_tail), variant(0, " ", None, short_tail),
                variant(0, " ", 0, None), variant(0, " ", None, None),
            ]
        else:
            options = [
                variant(2, "  ", 3, long_tail), variant(2, "  ", 3, short_tail), variant(1, " ", 2, short_tail),
                variant(1, " ", 1, short_tail), variant(1, " ", 2, None), variant(1, " ", 1, None),
                variant(0, " ", 2, short_tail), variant(0, " ", 1, short_tail), variant(0, " ", 1, None),
                variant(0, " ", 0, short_tail), variant(0, " ", 0, None), variant(0, " ", None, None),
            ]
        for pieces in options:
            if sum(len(t) for t, _ in pieces) <= width:
                return pieces
        return options[-1]

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        hit = self._hits.get((offset.x, offset.y))
        if hit is not None:
            self.post_message(self.NeuronClicked(*hit))
