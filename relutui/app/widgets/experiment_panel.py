"""The claims-lab panel: the loaded experiment's claim, its run and the measured verdict."""

from __future__ import annotations

import textwrap
from io import StringIO

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from relutui.session.views import VERDICT_SYMBOLS, ExperimentView
from relutui.app.widgets import palette
from relutui.format import fmt

BAR = 16
NBSP = "\u00a0"  # padding the table: Textual's wrapping does not keep runs of plain spaces


def arm_letter(i: int) -> str:
    return chr(ord("A") + i) if i < 26 else str(i + 1)


DECIDING = {"what", "value"}  # an evidence row that names the deciding number: {"what": ..., "value": ...}


def evidence_sentence(view: ExperimentView) -> str | None:
    """The deciding number in one plain sentence: the experiment's own "deciding" row when it
    has one ("unclipped gradient at init over a He-init relu net's 7.6e4."), else the first
    row ("dead fraction at start: negative bias 1, zero bias 0.0312."): the figures of the
    table below it."""
    for _name, items in view.evidence:
        got = dict(items)
        if set(got) == DECIDING:
            return f"{got['what']} {got['value']}."
    for name, items in view.evidence:
        if len(items) == 1 and not items[0][0]:
            return f"{name}: {items[0][1]}."
        parts = [f"{label.replace('_', ' ')} {value}" for label, value in items]
        if parts:
            return f"{name}: " + ", ".join(parts) + "."
    return None


def graded_table(app, table: dict, width: int = 40) -> list:
    """A graded sweep (``ExperimentResult.tables``): its title, its rows, its note. A table
    wider than the panel reads as a line a row ("normal(2): norm at init 3.71e+03 · …")."""
    tag = lambda name: palette.tag_style(app, name)  # noqa: E731
    out: list = []
    title = str(table.get("title") or table.get("name") or "")
    if title:
        out.append(Text(title, tag("label")))
    grid = Table(box=None, padding=(0, 1), pad_edge=False, header_style=tag("sel"))
    rows = [[cell_text(v) for v in row] for row in table.get("rows") or []]
    for k, col in enumerate(table.get("columns") or []):
        # a cell never wraps (its column is as wide as its widest cell); a heading wraps at
        # its spaces ("first/last" over "layer")
        widest = max((len(row[k]) for row in rows if k < len(row)), default=1)
        grid.add_column(str(col), justify="left" if k == 0 else "right", overflow="fold", min_width=widest)
    for row in rows:
        grid.add_row(*[Text(v, tag("label") if k == 0 else tag("num")) for k, v in enumerate(row)])
    columns = [str(c) for c in table.get("columns") or []]
    # the narrowest the table can be: each column its widest cell or heading word, 2 between
    need = sum(max([len(r[k]) for r in rows if k < len(r)] + [len(w) for w in col.split()] + [1])
               for k, col in enumerate(columns)) + 2 * max(len(columns) - 1, 0)
    if need <= width:
        out.append(grid)
    else:
        lines = Text()
        for row in rows:
            if len(lines):
                lines.append("\n")
            lines.append(row[0] if row else "", tag("label"))
            for k, v in enumerate(row[1:], start=1):
                lines.append((": " if k == 1 else " · ") + (columns[k] + " " if k < len(columns) else ""),
                             tag("dim"))
                lines.append(v, tag("num"))
        out.append(lines)
    note = table.get("note")
    if note:
        out.append(Text(str(note), tag("dim")))
    return out


def cell_text(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "—"
    if isinstance(value, float):
        return fmt(value)
    return str(value)


def verdict_renderable(app, view: ExperimentView, width: int = 40) -> Group:
    """Everything the panel shows, the verdict first: the verdict, the deciding number in a
    sentence, the rule (criterion), the claim, the graded sweeps, then the runs, the deciding
    numbers by arm and the explanation."""
    tag = lambda name: palette.tag_style(app, name)  # noqa: E731
    head = Text()
    done, total = view.progress
    if view.status == "running":
        filled = 0 if total <= 0 else round(BAR * done / total)
        head.append("running ", tag("sel"))
        head.append("━" * filled, tag("sel"))
        head.append("─" * (BAR - filled), tag("dim"))
        head.append(f" {done}/{total} runs\n", tag("sel"))
        head.append(view.ran + "\n", tag("dim"))
    elif view.status == "failed":
        head.append(f"✘ run failed: {view.error}\n", tag("dead"))
    elif view.verdict is not None:
        head.append(f"{VERDICT_SYMBOLS.get(view.verdict, '')} {view.verdict.upper()}", tag(view.verdict_tag))
        if view.previous is not None and view.previous != view.verdict:
            head.append(f" · was: {view.previous}", tag("dim"))
        head.append("\n")
        if view.untested:
            head.append(view.untested + "\n", tag("warn"))
        sentence = evidence_sentence(view)
        if sentence:
            head.append(sentence + "\n", tag("num"))
    else:
        head.append("not run yet: R runs it\n", tag("dim"))
    if view.criterion:
        head.append("rule: ", tag("label"))
        head.append(view.criterion + "\n", tag("dim"))
    head.append("\n" + view.title + "\n", tag("title"))
    # quotation marks only around the article's own words (an extension is the lab's words)
    head.append(f"“{view.claim}”\n" if view.claim_quoted else f"{view.claim}\n", tag("num"))
    head.rstrip()
    parts: list = [head]
    for table in view.tables:
        parts.append(Text(""))
        parts += graded_table(app, table, width)
    more = Text()
    if view.verdict is not None and view.status == "done":
        more.append(f"measured over {view.ran}\n", tag("dim"))
    if view.ran_changes and view.status in ("running", "done"):
        more.append("with ", tag("label"))
        more.append("; ".join(view.ran_changes) + "\n", tag("warn"))
    if view.stale and view.status == "done":
        more.append("settings changed since: R re-runs", tag("warn"))
        more.append(" (" + ("; ".join(view.pending) or "as the experiment defines") + ")\n", tag("dim"))
    if view.pending_untested and view.status != "running" and (view.stale or view.verdict is None):
        more.append("with the settings in force the claim would not be tested: ", tag("label"))
        more.append(view.pending_untested + "\n", tag("dim"))
    for i, arm in enumerate(view.arms):
        more.append(f"{arm_letter(i)} ", tag("sel"))
        more.append(arm + "\n", tag("dim"))
    more.rstrip()
    if more.plain:
        parts += [Text(""), more]
    # the table: the rows by arm (the labels of the first such row); other rows read as text
    multi = [(name, items) for name, items in view.evidence
             if not (len(items) == 1 and not items[0][0]) and set(dict(items)) != DECIDING]
    arm_labels = [label for label, _ in multi[0][1]] if multi else []
    per_arm = [(name, items) for name, items in multi if {label for label, _ in items} <= set(arm_labels)]
    scalars = [(name, items[0][1]) for name, items in view.evidence if len(items) == 1 and not items[0][0]]
    scalars += [(name, ", ".join(f"{label.replace('_', ' ')} {value}" for label, value in items))
                for name, items in multi if (name, items) not in per_arm]
    if per_arm:
        labels: list[str] = []
        for _, items in per_arm:
            labels += [label for label, _ in items if label not in labels]
        rows = [(name, [dict(items).get(label, "") for label in labels]) for name, items in per_arm]
        heads = [arm_letter(i) if len(view.arms) > 1 else "" for i in range(len(labels))]
        widths = [max([len(h)] + [len(r[1][i]) for r in rows]) for i, h in enumerate(heads)]
        label_w = max(width - sum(w + 1 for w in widths), 10)
        t = Text()
        t.append(NBSP * label_w, tag("label"))
        for h, w in zip(heads, widths):
            t.append(NBSP + h.rjust(w, NBSP), tag("sel"))
        for name, values in rows:
            lines = textwrap.wrap(name, label_w) or [""]
            t.append("\n" + lines[0].ljust(label_w, NBSP), tag("label"))
            for v, w in zip(values, widths):
                t.append(NBSP + v.rjust(w, NBSP), tag("num"))
            for more_line in lines[1:]:
                t.append("\n  " + more_line, tag("label"))
        parts += [Text(""), t]
    if scalars:
        t = Text()
        for name, value in scalars:
            t.append(f"{name}  ", tag("label"))
            t.append(value + "\n", tag("num"))
        t.rstrip()
        parts += [Text(""), t]
    if view.explanation:
        tail = Text()
        tail.append("\nwhy: ", tag("label"))
        tail.append(view.explanation, tag("dim"))
        parts.append(tail)
    return Group(*parts)


def prewrapped(renderable, width: int) -> Text:
    """Lay the renderable out with Rich at ``width`` (tables aligned, words wrapped) and hand
    Textual finished lines: its own wrapping would collapse the table's padding."""
    console = Console(width=width, file=StringIO(), color_system="truecolor", legacy_windows=False)
    out = Text(no_wrap=True, overflow="crop")
    for i, line in enumerate(console.render_lines(renderable, console.options, pad=False)):
        if i:
            out.append("\n")
        for seg in line:
            if not seg.control:
                out.append(seg.text, seg.style)
    out.rstrip()
    return out


def plain_text(app, view: ExperimentView, width: int = 42) -> str:
    """The panel's text without styles (tests, the README)."""
    console = Console(width=width, file=StringIO(), record=True, color_system=None)
    console.print(verdict_renderable(app, view, width))
    return console.export_text()


def subtitle(app, view: ExperimentView) -> str:
    p = palette.hex_
    if view.status == "running":
        done, total = view.progress
        return f"[{p(app, 'accent')}]running {done}/{total}[/]"
    if view.status == "failed":
        return f"[{p(app, 'error')}]failed[/]"
    if view.verdict is not None:
        var = {"active": "success", "dead": "error", "saturated": "warning",
               "sel": "accent"}.get(view.verdict_tag, "foreground")
        return f"[b {p(app, var)}]{view.verdict}[/]"
    return "R runs it"


class ExperimentPanel(Vertical):
    """Renders an ExperimentView; its buttons run the screen's re-run and close actions."""

    _shown: object = None

    def compose(self) -> ComposeResult:
        # focusable (tab, a click): up / down / page keys scroll it; the screen's page keys too
        with VerticalScroll(id="experiment-scroll", can_focus=True):
            yield Static("", id="experiment-text")
        with Horizontal(id="experiment-buttons"):
            yield Button("Re-run (R)", id="btn-rerun", action="screen.rerun_experiment", compact=True,
                         variant="primary")
            yield Button("Close (x)", id="btn-exp-close", action="screen.close_experiment", compact=True)

    def show(self, view: ExperimentView | None, force: bool = False) -> None:
        if view is self._shown and not force:
            return
        self._shown = view
        if view is None:
            return
        self.border_title = f"claim · {view.name}"
        self.border_subtitle = subtitle(self.app, view)
        self._render_text(view)
        rerun = self.query_one("#btn-rerun", Button)
        rerun.disabled = view.status == "running"

    def _text_width(self) -> int:
        """The panel's inner width less the scrollbar's column (before the first layout: the
        44-column panel's)."""
        return max(self.content_region.width - 1, 20) if self.content_region.width else 39

    def _render_text(self, view: ExperimentView) -> None:
        width = self._text_width()
        self._text_width_shown = width
        text = self.query_one("#experiment-text", Static)
        text.update(prewrapped(verdict_renderable(self.app, view, width), width))

    _text_width_shown = 0

    def on_resize(self) -> None:
        """The text is wrapped for a width: wrapped again when the panel's width changes."""
        if self._shown is not None and self._text_width() != self._text_width_shown:
            self._render_text(self._shown)

    @property
    def plain(self) -> str:
        """The panel's text (tests)."""
        view = self._shown
        if view is None:
            return ""
        return plain_text(self.app, view, self._text_width())
