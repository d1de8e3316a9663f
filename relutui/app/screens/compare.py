"""Compare mode: two networks, same data, same initial weights, same seed, different activation."""

from __future__ import annotations

import math
from functools import partial

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Static

from relutui.app.screens.actions import SharedActions
from relutui.app.screens.bindings import COMPARE
from relutui.format import fmt
from relutui.session.present.titles import Fitted
from relutui.session.views import TrainingView
from relutui.app.widgets import palette
from relutui.app.widgets.boundary_map import BoundaryMap
from relutui.app.widgets.experiment_panel import subtitle as experiment_subtitle
from relutui.app.widgets.footer import FoldingFooter
from relutui.app.widgets.network_view import NetworkDiagram, plan_columns
from relutui.app.widgets.notes_panel import NotesPanel, NotesStrip
from relutui.app.widgets.status_bar import StatusBar
from relutui.app.widgets.titles import cell_len, fitting
from relutui.app.widgets.training_panel import GradChart, LossChart


GRAD_ROWS = 10  # the gradient charts' height (the CSS's)
TOP_MIN = 16  # rows the networks keep before the table grows
MAP_MIN = 28  # the boundary map's width in the CSS


def network_width(view, width: int, rows: int) -> int:
    """The fewest cells in which the diagram is drawn as in ``width`` (its mode, its line of
    weight signs, its lines of neurons): what a wider boundary map may take from it."""
    titles = [col.title for col in view.columns]
    counts = [len(col.cells) for col in view.columns]
    weights = ["" if col.kind == "input" else f"+{col.w_pos}−{col.w_neg}" for col in view.columns]

    def plan(w: int):
        p = plan_columns(counts, titles, w, rows, weights)
        return None if p is None else (p.mode.name, p.weights, p.rows)

    best = plan(width)
    if best is None:
        return width
    lo, hi = 1, width  # the plans only get better with width: the first width that draws it
    while lo < hi:
        mid = (lo + hi) // 2
        if plan(mid) == best:
            hi = mid
        else:
            lo = mid + 1
    return lo + 1  # a blank margin


class CompareTable(VerticalScroll):
    """The comparison table's panel: it scrolls (PgUp / PgDn, the mouse) where a deep net's
    rows do not fit, and its subtitle says so. Not focusable: in compare mode nothing takes
    the keys (``CompareScreen.AUTO_FOCUS``), tab included."""

    can_focus = False
    BINDINGS: list = []  # (never focused: the screen's PgUp / PgDn scroll it; a scroll view's keys inherited)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self._hint()

    def on_resize(self) -> None:
        self.call_after_refresh(self._hint)

    def watch_virtual_size(self) -> None:  # the rows changed (another net)
        self.call_after_refresh(self._hint)

    def _hint(self) -> None:
        screen = self.screen if self.is_attached else None
        if isinstance(screen, CompareScreen):
            screen._scroll_hint()


NARROW_FOLDS = frozenset({"reset", "lr(-1)", "lr(1)", "bias(-1)", "bias(1)", "dataset(1)", "command_palette"})


def table_rows(views: list[TrainingView], short: bool = False) -> list[tuple[str, list[str], str]]:
    """The comparison table's rows (label, a value per run, kind), by what teaches: the
    first/last ratio (the vanishing gradient itself), the first and the last layer's
    gradient norm, the layers between, then the neurons' states, accuracy, loss and status
    (a panel that cuts the table cuts from the end; ``short``: 80-column labels)."""
    rows: list[tuple[str, list[str], str]] = []
    ratios = []
    for v in views:
        n = v.layer_norms
        finite = len(n) and math.isfinite(n[0]) and math.isfinite(n[-1]) and n[-1] > 0
        ratios.append(fmt(n[0] / n[-1]) if finite else "—")
    rows.append(("first/last", ratios, "warn"))
    L = max((len(v.layer_norms) for v in views), default=0)
    order = [0, L - 1, *range(1, L - 1)] if L > 1 else list(range(L))
    for l in order:
        tag = "" if short or L < 2 else " first" if l == 0 else " last" if l == L - 1 else ""
        rows.append((f"‖dL/dW{l + 1}‖{tag}",
                     [fmt(v.layer_norms[l]) if l < len(v.layer_norms) else "" for v in views], "num"))
    rows.append(("✕ dead", [f"{v.n_dead}/{v.n_hidden}" for v in views], "dead"))
    rows.append(("◐ sat" if short else "◐ saturated", [f"{v.n_sat}/{v.n_hidden}" for v in views], "sat"))
    rows.append(("acc" if short else "accuracy",
                 ["—" if v.last_acc is None else f"{100 * v.last_acc:.0f}%" for v in views], "num"))
    rows.append(("loss", [fmt(v.last_loss) for v in views], "num"))
    rows.append(("status", ["ok" if v.diverged_at is None else "diverged" if short else f"diverged @{v.diverged_at}"
                            for v in views], "num"))
    return rows


class CompareScreen(SharedActions, Screen):
    # the table's page keys: not in the footer (its subtitle says "PgDn ↓ k more" when it scrolls)
    BINDINGS = [*COMPARE,
                Binding("pageup", "scroll_table(-1)", "scroll the comparison table up", show=False),
                Binding("pagedown", "scroll_table(1)", "scroll the comparison table down", show=False)]
    AUTO_FOCUS = ""  # nothing focused: every key acts at once
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide"), (160, "-huge")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Horizontal(id="cmp-body"):
            for side in ("a", "b"):
                with Vertical(classes="cmp-side", id=f"side-{side}"):
                    with Horizontal(classes="cmp-top"):
                        yield NetworkDiagram(id=f"net-{side}", classes="panel")
                        yield BoundaryMap(id=f"map-{side}", classes="panel")
                    yield GradChart(id=f"grads-{side}", classes="panel")
        with Horizontal(id="cmp-bottom"):
            yield LossChart(id="cmp-loss", classes="panel")
            # a lesson's notes: beside the loss chart (>= 110 x 32), else a strip of one note
            yield NotesPanel(id="cmp-notes", classes="panel")
            # the table scrolls (PgUp / PgDn, the mouse) where a deep net's rows do not fit
            with CompareTable(id="cmp-table", classes="panel"):
                yield Static(id="cmp-table-body")
        yield NotesStrip(id="notes-strip")
        yield FoldingFooter(compact=True)  # drawn once with its keys

    def footer_folds(self) -> frozenset[str]:
        """An 80-column footer keeps both activations' keys, ? Help and q Quit (the settings'
        keys still act; the help lists them)."""
        return NARROW_FOLDS if self.has_class("-narrow") else frozenset()

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.refresh_views(force=True))
        self.call_after_refresh(self.refresh_views, None, True)

    def on_resize(self) -> None:
        # the panels draw for their size when painted: only the width-dependent lines change
        self.call_after_refresh(self.refresh_views)

    def on_screen_resume(self) -> None:
        # compare mode may have closed while a screen was on top (an experiment loaded from
        # the picker or the command palette)
        self.call_after_refresh(self.refresh_views)

    def _leave(self) -> None:
        """The state left compare mode: this screen goes, and says why if an experiment did it."""
        if self.app.screen is not self:
            return  # a screen on top: on_screen_resume comes back here
        state = self.state
        name, state.compare_left_for = state.compare_left_for, None
        self.app.pop_screen()
        if name:
            self.app.notify(f"{name} loaded: compare mode closed, its claim and verdict are on "
                            "the main screen", timeout=6)

    def refresh_views(self, frame: int | None = None, force: bool = False) -> None:
        if not self.is_mounted:
            return
        if not self.state.compare:
            self._leave()
            return
        if self.state.run_b is None:
            return
        state = self.state
        turn = lambda k, n: frame is None or frame % n == k  # noqa: E731
        try:
            status = self.query_one(StatusBar)
        except NoMatches:  # a screen being taken down (popped while a refresh was on its way)
            return
        status.show(state)
        runs = [state.run, state.run_b]
        views = [state.training_view(r) for r in runs]
        for k, (side, run, tv) in enumerate(zip("ab", runs, views)):
            nv = state.network_view(run)
            where = "diverged at step %d" % tv.diverged_at if tv.diverged_at is not None else nv.where
            net = self.query_one(f"#net-{side}", NetworkDiagram)
            # "sample #0 x=(…) y=0" when it fits, else "sample #0" (never a cut caption), chosen
            # by the panel at its width, again when it is resized
            where = Fitted(str(where), str(where).split(" x=")[0])
            net.show(nv, force, title=tv.label, subtitle=where)
            if turn(k, 3):
                # both sides' titles say the same (the hint before the first step on both or neither)
                pad = max(cell_len(t.label) for t in views) - cell_len(tv.label)
                self.query_one(f"#grads-{side}", GradChart).show(
                    tv, f"{tv.label} ‖dL/dW‖ per layer (log)", force, title_pad=pad)
            if turn(3 * k, 6):
                accuracy = state.boundary_accuracy(run)
                name = "boundary" if run.dataset.task == "classification" else "fit"
                acc = "" if accuracy is None else f"acc {100 * accuracy:.0f}%"
                title = [f"{name} · {acc}", acc] if acc else [name]
                # computed when painted, for the size the map has then
                self.query_one(f"#map-{side}", BoundaryMap).show_source(
                    (id(run), run.step, state.generation), partial(state.boundary_view, run=run), force,
                    title=title)
        if turn(2, 3):
            self.query_one(LossChart).show(views, force)
        # (the state hands out the same view while nothing changed)
        key = (*map(id, views), self.has_class("-narrow"))
        if key != self._table_key or force:
            self._table_key = key
            rows = table_rows(views, short=self.has_class("-narrow"))
            n_rows = len(rows)
            self.query_one("#cmp-table-body", Static).update(self._table(views, rows), layout=n_rows != self._table_rows)
            if n_rows != self._table_rows:
                self.call_after_refresh(self._scroll_hint)
            self._table_rows = n_rows
        self._fit_layout(state.network_view(state.run))
        self._show_claim(force)
        self._show_notes(force)

    def _show_notes(self, force: bool = False) -> None:
        """The lesson's notes stay in view in compare mode (N hides / shows them)."""
        state = self.state
        notes = state.show_notes and state.notes is not None
        if self.has_class("-has-notes") != notes:
            self.set_class(notes, "-has-notes")
            self.refresh_bindings()
        if notes:
            self.query_one(NotesPanel).show(state.notes, state.notes_title, force)
            self.query_one(NotesStrip).show(force)

    def notes_strip_shown(self) -> bool:
        """Below 110 x 32 the notes are a strip of one note: N opens them all."""
        return self.has_class("-has-notes") and (self.has_class("-narrow") or self.has_class("-short"))

    def action_notes(self) -> None:
        self.relu_app.action_toggle_notes()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "notes":  # N in the footer while a lesson's notes are loaded (else: a notice)
            return self.state.notes is not None
        return True

    _table_key: tuple = ()
    _table_rows = 0
    _layout_key: object = None

    def _fit_layout(self, nv) -> None:
        """A tall terminal gives the table the rows it needs, then half of the rows the
        networks do not need to the gradient charts (a deep net's lines apart); a wide one
        gives the boundary maps the width the networks leave (about square, at least the
        CSS's width)."""
        width, height = self.size
        key = (width, height, self._table_rows, tuple(len(c.cells) for c in nv.columns),
               self.has_class("-has-notes"), self.notes_strip_shown())
        if key == self._layout_key or not width:
            return
        self._layout_key = key
        short, narrow = self.has_class("-short"), self.has_class("-narrow")
        base = 9 if short else 16 if (self.has_class("-has-notes") and self.has_class("-huge")) else 11
        grads = 0 if short else GRAD_ROWS
        strip = 1 if self.notes_strip_shown() else 0
        need = self._table_rows + 3  # the header, the borders
        rows = max(base, min(need, height - 2 - strip - grads - TOP_MIN))
        self.query_one("#cmp-bottom").styles.height = None if rows == base else rows
        if not short:
            # the networks' rows: their tallest layer one neuron a line, titles, weights, legend, borders
            net_rows = max(TOP_MIN, max((len(c.cells) for c in nv.columns), default=0) + 5)
            spare = height - 2 - strip - rows - grads - net_rows
            grads += max(spare, 0) // 2
            for s in "ab":
                self.query_one(f"#grads-{s}").styles.height = None if grads == GRAD_ROWS else grads
        boundary = None
        if not narrow:
            top = height - 2 - strip - grads - rows  # the networks' and the maps' row
            side = width // 2
            net = network_width(nv, side - MAP_MIN, max(top - 2 - 3, 1)) + 2
            want = 2 * (top - 2) + 2  # half-blocks: two pixels a cell, about square
            boundary = max(MAP_MIN, min(want, side - net))
        for s in "ab":
            self.query_one(f"#map-{s}").styles.width = None if boundary in (None, MAP_MIN) else boundary
        self.call_after_refresh(self._scroll_hint)

    def _scroll_hint(self) -> None:
        """The table's subtitle says where its other rows are (PgDn / PgUp) when it scrolls."""
        try:
            table = self.query_one("#cmp-table", CompareTable)
        except NoMatches:  # (called after a refresh: the screen may be gone by then)
            return
        below = table.max_scroll_y - round(table.scroll_y)
        hint = ("PgDn ↓ %d more" % below if below > 0 else "PgUp ↑" if table.scroll_y > 0 else "")
        extra = self._claim_subtitle
        table.border_subtitle = fitting([" · ".join(filter(None, (hint, extra))), hint or extra], table.size.width)

    _claim_subtitle = ""
    _claim_shown: object = None

    def _show_claim(self, force: bool = False) -> None:
        """A loaded experiment (a lesson's, or one R re-runs here): its status on the table's
        border. Its claim, numbers and verdict are on the main screen's panel."""
        view = self.state.experiment_view()
        table = self.query_one("#cmp-table", CompareTable)
        key = (view, table.size.width)
        if key == self._claim_shown and not force:
            return
        self._claim_shown = key
        if view is None:
            table.border_title = self._claim_subtitle = ""
            self._scroll_hint()
            return
        status = experiment_subtitle(self.app, view)
        # the verdict whole on a narrow table (80 columns), never a cut title
        table.border_title = fitting([f"claim · {view.name} · {status}", f"{view.name} · {status}",
                                      f"claim · {status}"], table.size.width)
        self._claim_subtitle = "c shows its panel"
        self._scroll_hint()

    def _table(self, views: list[TrainingView], rows: list | None = None) -> Table:
        """The comparison table of ``rows`` (``table_rows``, computed here when not given)."""
        app = self.app
        # (no padding at the table's edges: the panel pads it; 80 columns keep 7-digit values whole)
        table = Table(box=None, padding=(0, 1), pad_edge=False, expand=True,
                      header_style=palette.tag_style(app, "title"))
        table.add_column("", no_wrap=True)
        for v in views:
            table.add_column(v.label, justify="right", no_wrap=True)
        dim = palette.tag_style(app, "dim")
        styles = {"num": palette.tag_style(app, "num"), "warn": palette.tag_style(app, "warn"),
                  "dead": palette.state_style(app, 2), "sat": palette.state_style(app, 1)}
        if rows is None:
            rows = table_rows(views, short=self.has_class("-narrow"))
        for name, values, kind in rows:
            table.add_row(Text(name, dim), *[Text(x, styles[kind]) for x in values])
        return table

    def action_scroll_table(self, pages: int) -> None:
        """PgUp / PgDn: the comparison table a page up / down (a deep net's rows)."""
        table = self.query_one("#cmp-table", CompareTable)
        step = max(table.scrollable_content_region.height - 1, 1)
        table.scroll_to(y=table.scroll_y + pages * step, animate=False)

    def action_help(self) -> None:
        self.relu_app.action_help()
