"""The main screen: controls, function chart, network, inspector, training charts, boundary."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen

from relutui.app.screens.actions import SharedActions
from relutui.app.screens.bindings import MAIN
from relutui.app.screens.modal import KeysInOrder
from relutui.app.textual_compat import FirstResumeKeepsStyles, hide_empty_toast_rack
from relutui.app.widgets.boundary_map import LEGEND as POINTS_LEGEND, BoundaryMap
from relutui.app.widgets.controls import ControlsPanel, shown_value
from relutui.app.widgets.experiment_panel import ExperimentPanel
from relutui.app.widgets.footer import FoldingFooter
from relutui.app.widgets.function_chart import FunctionChart
from relutui.app.widgets.inspector import Inspector
from relutui.app.widgets.network_view import NetworkDiagram
from relutui.app.widgets.notes_panel import NotesPanel, NotesStrip
from relutui.app.widgets.status_bar import StatusBar
from relutui.app.widgets.titles import fitting
from relutui.app.widgets.training_panel import GradChart, LossChart


# what a short terminal shows in the centre column, one at a time (v goes to the next)
VIEWS = ("chart", "loss", "grads", "boundary")
SETTING_KEYS = frozenset({"lr(-1)", "lr(1)", "bias(-1)", "bias(1)", "activation(1)", "dataset(1)"})
# an 80-column footer: the keys that matter first, ? Help and q Quit (the others still act)
NARROW_FOLDS = SETTING_KEYS | {"reset", "compare", "command_palette"}
# a wide footer while a panel scrolls: the page keys take the place of the settings' keys
SCROLL_FOLDS = SETTING_KEYS


def boundary_title(task: str) -> str:
    """The map's title: a class boundary for a classification, the fitted curve for a regression."""
    return "decision boundary" if task == "classification" else "fit: prediction over x"


class MainScreen(KeysInOrder, SharedActions, FirstResumeKeepsStyles, Screen):
    """Keys act in the order they came, also when one of them opens a dialog (``KeysInOrder``)."""

    BINDINGS = MAIN
    AUTO_FOCUS = ""  # nothing focused: every key acts at once
    # -narrow: the controls fold away (o or tab lays them over the charts); -huge (a projector):
    # the right column (network, ledger, boundary) grows with the terminal
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide"), (160, "-huge")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # the centre column's first view, before the mount (added in on_mount, it restyled every widget)
        self.add_class(f"-view-{VIEWS[0]}")
        # The breakpoint classes from the start (Textual adds them at the first resize): the
        # ~120 widgets are then styled once, not a second time when the classes arrive.
        try:
            width, height = self.app.size
        except Exception:  # no active app (built outside one)
            return
        for dim, points in ((width, self.HORIZONTAL_BREAKPOINTS), (height, self.VERTICAL_BREAKPOINTS)):
            names = [name for threshold, name in points if dim >= threshold]
            if names:
                self.add_class(names[-1])

    def compose(self) -> ComposeResult:
        state = self.state
        yield StatusBar(id="status")
        with Horizontal(id="body"):
            with Vertical(id="center"):
                yield FunctionChart(id="chart", classes="panel")
                yield LossChart(id="loss", classes="panel")
                yield GradChart(id="grads", classes="panel")
                # a short terminal shows one panel here at a time (v cycles, ``VIEWS``); the
                # boundary map has a second copy for it (drawn only while shown)
                yield BoundaryMap(id="boundary-slot", classes="panel")
            with Vertical(id="right"):
                yield NetworkDiagram(id="network", classes="panel")
                # the ledger of a deep net is long: the inspector scrolls in its pane (the page
                # keys, or tab / a click to focus it and the arrows)
                with VerticalScroll(id="inspector-pane", classes="panel"):
                    yield Inspector(id="inspector")
                yield BoundaryMap(id="boundary", classes="panel")
                yield NotesPanel(id="notes", classes="panel", fit_title=False)
                yield ExperimentPanel(id="experiment", classes="panel")
            yield ControlsPanel(state, self.on_controls_panel_control_changed, id="controls", classes="panel")
            # a step-through keeps the lesson's notes in view: docked in the controls' place,
            # or a strip of one note on a small terminal (``notes_docked``)
            yield NotesPanel(id="notes-step", classes="panel")
        yield NotesStrip(id="notes-strip")
        yield FoldingFooter(compact=True)  # drawn once with its keys

    def on_mount(self) -> None:
        self.query_one("#controls").border_title = "controls"
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.refresh_views(force=True))
        # Textual hides the (empty) notification rack when the screen first resumes, which
        # costs a second layout of the whole screen; hidden now, it is hidden before the first.
        hide_empty_toast_rack(self)
        # The views go in now, before the first layout and paint (the panels that depend on
        # their size draw at paint time): the first frame is complete, and painted once.
        self._push_views(None, True)

    def after_resume(self) -> None:
        """At every resume (the first one keeps the styles of the mount: ``FirstResumeKeepsStyles``),
        the views show what changed while another screen was on top (the widgets skip views
        they already show)."""
        self.call_after_refresh(self.refresh_views)

    def on_resize(self) -> None:
        # Charts, network and boundary map draw for their size when painted: a resize only
        # needs what depends on the width (the status line). Resizes come in bursts: once.
        if not self._resize_pending:
            self._resize_pending = True
            self.call_after_refresh(self._after_resize)

    _resize_pending = False
    _inspector_rows = -1
    _network_rows: int | None = None
    _boundary_subtitle: str | None = None
    _controls_by_tab = False  # tab showed the hidden controls column: escape hides it again

    def _after_resize(self) -> None:
        self._resize_pending = False
        self.refresh_bindings()  # "o Controls" is in the footer while the controls are folded away
        self.refresh_views()

    # ------------------------------------------------------------ rendering
    def refresh_views(self, frame: int | None = None, force: bool = False) -> None:
        """Push the state's views into the widgets. ``frame`` throttles heavy panels while playing;
        widgets skip the work when handed the view they already show, unless ``force``."""
        if self.is_mounted:
            self._push_views(frame, force)

    def _push_views(self, frame: int | None, force: bool) -> None:
        state = self.state
        # While playing, the heavier panels take turns so that a frame stays short and keys
        # act at once; any user action refreshes everything.
        turn = lambda k, n: frame is None or frame % n == k  # noqa: E731
        self.query_one(StatusBar).show(state)
        network = self.query_one(NetworkDiagram)
        nv = state.network_view()
        where = fitting([nv.where, nv.where.split(" x=")[0]], network.size.width)  # never a cut caption
        network.show(nv, force, title=f"network · {nv.phase_label}", subtitle=where)
        title, lines = state.inspector_lines()
        inspector = self.query_one(Inspector)
        inspector.show(title, lines, force)
        pane = self.query_one("#inspector-pane")
        fitted = fitting([title], pane.size.width)  # its trailing " · " parts give way
        if fitted != pane.border_title:
            pane.border_title = fitted
        if len(lines) != self._inspector_rows:  # the panel scrolls: its height of text changed
            self._inspector_rows = len(lines)
            inspector.refresh(layout=True)
        if turn(0, 3):
            self.query_one(FunctionChart).show(state.chart_view(), force)
        loss = self.query_one(LossChart)
        if turn(1, 3):
            loss.show([state.training_view()], force)
        else:  # its titles every frame: the status line's figures, for the same step
            loss.show_titles([state.training_view()])
        if turn(2, 3):
            self.query_one(GradChart).show(state.training_view(), force=force)
        accuracy = state.boundary_accuracy()  # the status line's: the network now, training set
        subtitle = POINTS_LEGEND + ("" if accuracy is None else f" · acc {100 * accuracy:.0f}%")
        title = boundary_title(state.run.dataset.task)
        for boundary in self.query(BoundaryMap):
            if turn(0, 6):
                # computed when painted, for the size the map has then (a hidden map: never)
                boundary.show_source((id(state.run), state.step, state.generation), state.boundary_view, force,
                                     title=title, subtitle=subtitle)
            elif subtitle != self._boundary_subtitle:  # the caption every frame, with the status line
                boundary.border_subtitle = subtitle
        self._boundary_subtitle = subtitle
        if frame is None:
            self.query_one(ControlsPanel).sync()
            self._size_network()
        self._show_side(force)

    def _size_network(self) -> None:
        """On a projector (>= 160 x 32) the network has a row a neuron of its widest layer
        (its header and legend besides), from 13 rows up to 28; elsewhere the stylesheet's."""
        network = self.query_one(NetworkDiagram)
        rows = None
        if self.has_class("-huge") and self.has_class("-tall") and not self.has_class("-backward"):
            rows = min(max(13, max(self.state.config.layers, default=2) + 7), 28)
        if rows != self._network_rows:
            self._network_rows = rows
            network.styles.height = rows  # None: back to the stylesheet's

    def _show_side(self, force: bool = False) -> None:
        """The lesson's notes and the claims-lab panel take the place of the inspector and the
        boundary map (a step-through brings the inspector back)."""
        state = self.state
        ev = state.experiment_view()
        notes = state.show_notes and state.notes is not None
        changed = False
        phase = state.phase.kind if state.phase is not None else None
        for cls, on in (("-has-experiment", ev is not None), ("-has-notes", notes),
                        ("-stepping", phase is not None), ("-backward", phase in ("backward", "update"))):
            if self.has_class(cls) != on:
                self.set_class(on, cls)
                changed = True
        if ev is not None:
            self.query_one(ExperimentPanel).show(ev, force)
        if notes:
            for panel in self.query(NotesPanel):
                panel.show(state.notes, state.notes_title, force)
            self.query_one(NotesStrip).show(force)
        if changed:
            self.refresh_bindings()  # the page keys, the footer's folds
            self.call_after_refresh(self.refresh_views, None, True)

    # ------------------------------------------------------------ messages
    def on_controls_panel_control_changed(self, message: ControlsPanel.ControlChanged) -> None:
        """A new value from the controls panel (handed over at once, not posted: see ControlsPanel)."""
        controls = self.query_one(ControlsPanel)
        error = self.relu_app.intent(self.state.set, message.field, message.value, quiet=True)
        if error:
            controls.show_error(message.field, f"{error}; kept {shown_value(message.field, self.state)}")
        else:
            controls.clear_error(message.field)

    def on_network_diagram_neuron_clicked(self, message: NetworkDiagram.NeuronClicked) -> None:
        self.relu_app.intent(self.state.select, message.layer, message.neuron)

    # ------------------------------------------------------------ main-screen actions
    def action_next_phase(self) -> None:
        self.relu_app.intent(self.state.next_phase)

    def action_prev_phase(self) -> None:
        self.relu_app.intent(self.state.prev_phase)

    def action_toggle_mean(self) -> None:
        self.relu_app.intent(self.state.toggle_mean)

    def action_zoom(self, delta: int) -> None:
        self.relu_app.intent(self.state.zoom, delta)

    def action_layer(self, delta: int) -> None:
        self.relu_app.intent(self.state.select_layer, delta)

    def action_neuron(self, delta: int) -> None:
        self.relu_app.intent(self.state.select_neuron, delta)

    def action_sample(self, delta: int) -> None:
        self.relu_app.intent(self.state.sample_step, delta)

    def action_help(self) -> None:
        self.relu_app.action_help()

    def controls_hidden(self) -> bool:
        """Whether the controls column is folded away: below 110 columns unless o showed it,
        above unless o hid it; from 110 to 159 columns in a backward phase (the ledger's room)."""
        if (self.has_class("-wide") and self.has_class("-backward")) or self.notes_docked():
            return True
        return self.has_class("-narrow") != self.has_class("-toggle-controls")

    def notes_docked(self) -> bool:
        """A step-through's notes in the controls' column: from 110 x 32, but from 110 to 159
        columns only in the forward phases (the backward ledger needs the width: a strip)."""
        return (self.has_class("-stepping") and self.has_class("-has-notes") and self.has_class("-tall")
                and (self.has_class("-huge") or (self.has_class("-wide") and not self.has_class("-backward"))))

    def notes_strip_shown(self) -> bool:
        """A step-through's notes in a strip of one note where they are not docked: N opens
        them all."""
        return self.has_class("-stepping") and self.has_class("-has-notes") and not self.notes_docked()

    def action_notes(self) -> None:
        self.relu_app.action_toggle_notes()

    def action_cycle_view(self) -> None:
        """v, on a short terminal: the centre column shows the next of ``VIEWS``."""
        current = next((k for k, name in enumerate(VIEWS) if self.has_class(f"-view-{name}")), 0)
        self.remove_class(f"-view-{VIEWS[current]}")
        self.add_class(f"-view-{VIEWS[(current + 1) % len(VIEWS)]}")
        self.call_after_refresh(self.refresh_views, None, True)

    def side_scroller(self):
        """The side panel the page keys scroll: the ledger in a step-through, else the claim."""
        if self.has_class("-stepping"):
            return self.query_one("#inspector-pane")
        if self.has_class("-has-experiment"):
            return self.query_one("#experiment-scroll")
        return None

    def action_scroll_side(self, pages: int) -> None:
        scroller = self.side_scroller()
        if scroller is not None:
            step = max(scroller.scrollable_content_region.height - 1, 1)
            scroller.scroll_to(y=scroller.scroll_y + pages * step, animate=False)

    def footer_folds(self) -> frozenset[str]:
        """The keys the footer leaves out (they still act; the help lists them): on a narrow
        terminal the settings' keys, so that the footer keeps ? Help and q Quit."""
        if self.has_class("-narrow"):
            # with the page keys too: s Step gives way (it still acts; the help lists it)
            # N too: the notes' strip or panel says it (N: all notes / N hides)
            return NARROW_FOLDS | {"notes"} | ({"full_step"} if self.side_scroller() is not None else set())
        if self.side_scroller() is not None:
            return SCROLL_FOLDS
        return frozenset()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cycle_view":  # (a narrow backward phase gives the ledger the centre's room)
            return self.has_class("-short") and not (self.has_class("-narrow") and self.has_class("-backward"))
        if action == "scroll_side":
            return self.side_scroller() is not None
        if action == "notes":  # N in the footer while a lesson's notes are loaded (else: a notice)
            return self.state.notes is not None
        if action == "show_controls":
            # in the footer only while the narrow layout has folded the controls away; o is
            # toggle_controls otherwise (the binding after it)
            return self.has_class("-narrow") and self.controls_hidden()
        return True

    def action_toggle_controls(self) -> None:
        """Show/hide the controls column (hidden by default below 110 columns)."""
        self.toggle_class("-toggle-controls")
        self.relu_app.remember_controls()  # the next run opens with the column as it is now
        self._controls_by_tab = False
        focused = self.focused
        if self.controls_hidden() and focused is not None and self.query_one(ControlsPanel) in focused.ancestors:
            self.set_focus(None)  # no focus left in a hidden column
        self.refresh_bindings()
        self.call_after_refresh(self.refresh_views)

    def action_show_controls(self) -> None:
        self.action_toggle_controls()

    def action_focus_step(self, delta: int) -> None:
        """tab / shift+tab: the next / previous control. With the controls column folded away
        (a narrow terminal), tab first shows it and goes to the settings list; escape leaves
        the list and folds the column away again."""
        if self.controls_hidden() and not (self.has_class("-wide") and self.has_class("-backward")) \
                and not self.notes_docked():
            self.toggle_class("-toggle-controls")
            self._controls_by_tab = True
            self.refresh_bindings()
            # focused now (not after the next refresh): the keys typed behind tab go to the list
            self.set_focus(self.query_one("#control-sheet"), scroll_visible=False)
            self.call_after_refresh(self.refresh_views)
        elif delta > 0:
            self.focus_next()
        else:
            self.focus_previous()

    def action_escape(self) -> None:
        if self.focused is not None:
            self.set_focus(None)
            if self._controls_by_tab:
                self._controls_by_tab = False
                if not self.controls_hidden():
                    self.action_toggle_controls()
        elif self.state.phase is not None:
            self.relu_app.intent(self.state.leave_phases)
