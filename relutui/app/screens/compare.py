"""Compare mode: two networks, same data, same initial weights, same seed, different activation."""

from __future__ import annotations

import math
from functools import partial

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Static

from relutui.app.screens.actions import SharedActions
from relutui.app.screens.bindings import COMPARE
from relutui.format import fmt
from relutui.session.views import TrainingView
from relutui.app.widgets import palette
from relutui.app.widgets.boundary_map import BoundaryMap
from relutui.app.widgets.experiment_panel import subtitle as experiment_subtitle
from relutui.app.widgets.footer import FoldingFooter
from relutui.app.widgets.network_view import NetworkDiagram
from relutui.app.widgets.notes_panel import NotesPanel, NotesStrip
from relutui.app.widgets.status_bar import StatusBar
from relutui.app.widgets.titles import fitting
from relutui.app.widgets.training_panel import GradChart, LossChart


NARROW_FOLDS = frozenset({"reset", "lr(-1)", "lr(1)", "bias(-1)", "bias(1)", "dataset(1)", "command_palette"})


class CompareScreen(SharedActions, Screen):
    BINDINGS = COMPARE
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
            yield Static(id="cmp-table", classes="panel")
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
            # "sample #0 x=(…) y=0" when it fits, else "sample #0" (never a cut caption)
            where = fitting([where, where.split(" x=")[0]], net.size.width)
            net.show(nv, force, title=tv.label, subtitle=where)
            if turn(k, 3):
                self.query_one(f"#grads-{side}", GradChart).show(tv, f"{tv.label} ‖dL/dW‖ per layer (log)", force)
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
        key = tuple(map(id, views))  # (the state hands out the same view while nothing changed)
        if key != self._table_key or force:
            self._table_key = key
            self.query_one("#cmp-table", Static).update(self._table(views), layout=False)
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
    _claim_shown: object = None

    def _show_claim(self, force: bool = False) -> None:
        """A loaded experiment (a lesson's, or one R re-runs here): its status on the table's
        border. Its claim, numbers and verdict are on the main screen's panel."""
        view = self.state.experiment_view()
        table = self.query_one("#cmp-table", Static)
        key = (view, table.size.width)
        if key == self._claim_shown and not force:
            return
        self._claim_shown = key
        if view is None:
            table.border_title = table.border_subtitle = ""
            return
        status = experiment_subtitle(self.app, view)
        # the verdict whole on a narrow table (80 columns), never a cut title
        table.border_title = fitting([f"claim · {view.name} · {status}", f"{view.name} · {status}",
                                      f"claim · {status}"], table.size.width)
        table.border_subtitle = "c shows its panel"

    def _table(self, views: list[TrainingView]) -> Table:
        app = self.app
        table = Table(box=None, padding=(0, 1), expand=True, header_style=palette.tag_style(app, "title"))
        table.add_column("")
        for v in views:
            table.add_column(v.label, justify="right")
        dim = palette.tag_style(app, "dim")

        def row(name, values, style=None):
            table.add_row(Text(name, dim), *[Text(x, style or palette.tag_style(app, "num")) for x in values])

        row("loss", [fmt(v.last_loss) for v in views])
        row("accuracy", ["—" if v.last_acc is None else f"{100 * v.last_acc:.0f}%" for v in views])
        row("✕ dead", [f"{v.n_dead}/{v.n_hidden}" for v in views], palette.state_style(app, 2))
        row("◐ saturated", [f"{v.n_sat}/{v.n_hidden}" for v in views], palette.state_style(app, 1))
        ratios = []
        for v in views:
            n = v.layer_norms
            finite = len(n) and math.isfinite(n[0]) and math.isfinite(n[-1]) and n[-1] > 0
            ratios.append(fmt(n[0] / n[-1]) if finite else "—")
        row("first/last", ratios, palette.tag_style(app, "warn"))
        row("status", ["diverged @%d" % v.diverged_at if v.diverged_at is not None else "ok" for v in views])
        # every layer's norm last: a deep net's rows may pass the panel's foot, first/last not
        L = max(len(v.layer_norms) for v in views)
        for l in range(L):
            row(f"‖dL/dW{l + 1}‖", [fmt(v.layer_norms[l]) if l < len(v.layer_norms) else "" for v in views])
        return table

    def action_help(self) -> None:
        self.relu_app.action_help()
