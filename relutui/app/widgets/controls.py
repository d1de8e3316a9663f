"""The controls panel: every setting of the run, typed values validated in place."""

from __future__ import annotations

from typing import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.css.query import NoMatches
from textual.message import Message
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Input, Label, Select, Static
from textual.widgets._select import NoSelection, SelectCurrent, SelectOverlay

from relutui.app import values
from relutui.app.state import AppState


class _SelectOverlay(SelectOverlay):
    """Textual's drop-down list, minus a crash: page up / page down pressed before the list's
    first layout (e.g. enter then pagedown in one burst of input) raised KeyError, because
    its line map is empty until it has a size. Such a key now does nothing."""

    def _move_page(self, direction) -> None:
        if (self.highlighted or 0) not in self._index_to_line:
            return
        super()._move_page(direction)


class _SelectCurrent(SelectCurrent):
    """The Select's one-line face: a new value repaints it, without a layout of the whole
    screen (Static.update relayouts by default; this line's size never depends on its text)."""

    def update(self, label) -> None:
        self.label = label
        self.has_value = label is not Select.NULL
        self.query_one("#label", Static).update(
            self.placeholder if isinstance(label, NoSelection) else label, layout=False)


class ControlSelect(Select):
    """A Select whose drop-down is the guarded overlay above."""

    def compose(self) -> ComposeResult:
        yield _SelectCurrent(self.prompt)
        yield _SelectOverlay(type_to_search=self._type_to_search).data_bind(compact=Select.compact)


class ControlInput(Input):
    """An Input of fixed size (1fr x 1): a new value repaints it without a layout of the whole
    screen. (Input sets its virtual size, a layout reactive, whenever the value changes; with
    ~120 widgets on the main screen that layout and the repaint of every widget it causes cost
    more than the rest of a control change.)"""

    _value_update = False

    def _watch_value(self, value: str) -> None:
        self._value_update = True
        try:
            super()._watch_value(value)
        finally:
            self._value_update = False

    def refresh(self, *regions, repaint: bool = True, layout: bool = False, recompose: bool = False):
        if self._value_update:
            layout = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)


class Parsed(Validator):
    """Wraps a state parser: the message of its ValueError is the reason shown."""

    def __init__(self, parse: Callable[[str], object]) -> None:
        super().__init__()
        self.parse = parse

    def validate(self, value: str) -> ValidationResult:
        try:
            self.parse(value)
        except ValueError as exc:
            return self.failure(str(exc))
        return self.success()


KINK_OPTIONS = [("library default", "default"), ("0", "0"), ("0.5", "0.5"), ("1", "1")]

# field -> (label, tooltip)
INPUT_FIELDS = {
    "params": ("params", "Activation parameters, e.g. 0.1 or negative_slope=0.1 (Enter applies)"),
    "lr": ("lr", "Learning rate, applies live ([ and ] step it on a log scale)"),
    "bias": ("bias init", "Initial bias of the hidden layers ({ and } step it by 0.5)"),
    "layers": ("layers", "Hidden layer sizes, e.g. 8,8 (depth 1..10, width 1..32)"),
    "batch": ("batch", "Mini-batch size, 0 = full batch"),
    "noise": ("noise", "Dataset noise"),
    "split": ("test split", "Fraction of the data held out for testing"),
    "l2": ("L2", "Weight decay"),
    "seed": ("seed", "Random seed of data, weights and batches"),
}
SELECT_FIELDS = {
    "activation": ("activation", "Hidden-layer activation (a / A cycle it)"),
    "dataset": ("dataset", "2-D dataset (d / D cycle it)"),
    "init": ("init", "Weight initialisation scheme"),
    "optimizer": ("optimiser", "Optimiser"),
    "kink": ("f'(0)", "Derivative used exactly at a kink (x = 0 for ReLU)"),
}
ORDER = ("activation", "params", "lr", "bias", "dataset", "layers", "init", "optimizer",
         "batch", "noise", "split", "l2", "kink", "seed")


def parser_for(field: str, state: AppState) -> Callable[[str], object]:
    return {
        "params": lambda t: values.parse_params(t, state.config.activation),
        "lr": values.parse_lr,
        "bias": values.parse_bias,
        "layers": values.parse_layers,
        "batch": values.parse_batch,
        "noise": values.parse_noise,
        "split": values.parse_split,
        "l2": values.parse_l2,
        "seed": values.parse_seed,
    }[field]


def field_text(field: str, state: AppState) -> str:
    c = state.config
    return {
        "params": values.format_params(c.activation_params, c.activation),
        "lr": values.fmt(c.lr, 4),
        "bias": values.fmt(c.bias_init, 4),
        "layers": ",".join(map(str, c.layers)),
        "batch": str(c.batch_size),
        "noise": values.fmt(c.noise, 4),
        "split": values.fmt(c.test_fraction, 4),
        "l2": values.fmt(c.l2, 4),
        "seed": str(c.seed),
    }[field]


def select_value(field: str, state: AppState) -> str:
    c = state.config
    return {
        "activation": c.activation,
        "dataset": c.dataset,
        "init": c.init,
        "optimizer": c.optimizer,
        "kink": "default" if c.derivative_at_kink is None else values.fmt(c.derivative_at_kink),
    }[field]


class ControlsPanel(VerticalScroll, can_focus=False):
    """Posts ControlChanged (its buttons run the screen's actions); never touches the state itself."""

    class ControlChanged(Message):
        def __init__(self, field: str, value: str) -> None:
            self.field = field
            self.value = value
            super().__init__()

    def __init__(self, state: AppState, **kwargs) -> None:
        super().__init__(**kwargs)
        self.state = state
        self._card_key: object = None

    def compose(self) -> ComposeResult:
        from relutui.activations import ACTIVATIONS, get_activation
        from relutui.datasets import DATASETS
        from relutui.engine import INITS, OPTIMIZERS

        options = {
            "activation": [(get_activation(a).display_name, a) for a in ACTIVATIONS],
            "dataset": [(d, d) for d in DATASETS],
            "init": [(i, i) for i in INITS],
            "optimizer": [(o, o) for o in OPTIMIZERS],
            "kink": KINK_OPTIONS,
        }
        for field in ORDER:
            if field in SELECT_FIELDS:
                label, tip = SELECT_FIELDS[field]
                with Horizontal(classes="control-row"):
                    yield Label(label, classes="control-label")
                    sel = ControlSelect(options[field], value=select_value(field, self.state), allow_blank=False,
                                 compact=True, id=f"ctl-{field}")
                    sel.tooltip = tip
                    yield sel
            else:
                label, tip = INPUT_FIELDS[field]
                with Horizontal(classes="control-row"):
                    yield Label(label, classes="control-label")
                    inp = ControlInput(field_text(field, self.state), compact=True, id=f"ctl-{field}",
                                validators=[Parsed(lambda t, f=field: parser_for(f, self.state)(t))],
                                validate_on=["changed", "submitted"], select_on_focus=True)
                    inp.tooltip = tip + " — Enter applies"
                    yield inp
        with Horizontal(id="transport"):
            yield Button("▶ Play", id="btn-play", action="screen.toggle_play", compact=True, variant="primary")
            yield Button("Step", id="btn-step", action="screen.full_step", compact=True)
            yield Button("Phase ›", id="btn-phase", action="screen.next_phase", compact=True)
        with Horizontal(id="transport2"):
            yield Button("Reset", id="btn-reset", action="screen.reset", compact=True)
            yield Button("Compare", id="btn-compare", action="screen.compare", compact=True)
            yield Button("Help", id="btn-help", action="screen.help", compact=True)
        yield Static("", id="activation-card")

    # ------------------------------------------------------------ state -> widgets
    def sync(self) -> None:
        """Show the state's values (without firing change events)."""
        for field in ORDER:
            if field in SELECT_FIELDS:
                sel = self.query_one(f"#ctl-{field}", Select)
                value = select_value(field, self.state)
                if sel.value != value:
                    with sel.prevent(Select.Changed):
                        sel.value = value
            else:
                inp = self.query_one(f"#ctl-{field}", Input)
                if not inp.has_focus:
                    text = field_text(field, self.state)
                    if inp.value != text:
                        with inp.prevent(Input.Changed):
                            inp.value = text
                        inp.remove_class("-invalid")
        params = self.query_one("#ctl-params", Input)
        has_params = bool(values.format_params({}, self.state.config.activation))
        if params.disabled == has_params:
            params.disabled = not has_params
            params.placeholder = "" if has_params else "none"
        from relutui.app.widgets import palette

        card_key = (self.state.activation, self.app.theme)
        if card_key != self._card_key:
            self._card_key = card_key
            card = self.state.activation_card()
            self.query_one("#activation-card", Static).update(
                palette.lines_to_text(self.app, card), layout=False)  # fixed height (tcss)
        play = self.query_one("#btn-play", Button)
        label = "‖ Pause" if self.state.playing else "▶ Play"
        if str(play.label) != label:
            play.label = label

    def show_error(self, field: str, message: str) -> None:
        """An error line goes in under its control the first time it is needed (14 hidden lines
        mounted up front cost the first frame ~10% of its time)."""
        try:
            err = self.query_one(f"#err-{field}", Static)
        except NoMatches:
            err = Static("", classes="control-error", id=f"err-{field}")
            self.mount(err, after=self.query_one(f"#ctl-{field}").parent)
        err.update(f"✕ {message}")
        err.add_class("-shown")

    def clear_error(self, field: str) -> None:
        for err in self.query(f"#err-{field}").results(Static):
            err.update("")
            err.remove_class("-shown")

    # ------------------------------------------------------------ widgets -> messages
    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()
        field = (event.select.id or "").removeprefix("ctl-")
        if field and event.value is not Select.BLANK and event.value != select_value(field, self.state):
            self.post_message(self.ControlChanged(field, str(event.value)))

    @on(Input.Submitted)
    def _input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        field = (event.input.id or "").removeprefix("ctl-")
        self.post_message(self.ControlChanged(field, event.value))

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        field = (event.input.id or "").removeprefix("ctl-")
        result = event.validation_result
        if result is not None and not result.is_valid:
            self.show_error(field, result.failure_descriptions[0] + " (Enter is refused)")
        else:
            self.clear_error(field)

    @on(Input.Blurred)
    def _input_blurred(self, event: Input.Blurred) -> None:
        """Leaving a field with a refused value puts the value in force back."""
        field = (event.input.id or "").removeprefix("ctl-")
        text = field_text(field, self.state)
        if event.input.value != text:
            try:
                parser_for(field, self.state)(event.input.value)
            except ValueError as exc:
                self.show_error(field, f"{exc}; kept {text or 'none'}")
            with event.input.prevent(Input.Changed):
                event.input.value = text
            event.input.remove_class("-invalid")
