"""The controls panel: every setting of the run as one list; enter edits the highlighted one.

The settings are the lines of one OptionList, and a value is edited in a small dialog
(``ControlEditor``) mounted only while it is open. Fourteen Selects and Inputs cost the main
screen ~70 widgets: a third of its startup and of the repaint after each change."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Button, Static
from textual.widgets.option_list import Option

from relutui.app.screens.modal import ChoiceList
from relutui.app.textual_compat import RepaintOneOption
from relutui.session.present.card import CARD_WIDTH
from relutui.format import dataset_text, fmt_honest
from relutui.settings import Setting, controls, format_params, setting

if TYPE_CHECKING:  # widgets get the session handed in; they import views, not the session
    from relutui.session import Session as AppState


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


# The lines, their labels, tips, parsers, formats and choices: the rows of relutui.settings
# that are controls, in the table's order (a new setting is a row there, not an edit here).
ROWS: dict[str, Setting] = {row.name: row for row in controls()}
ORDER = tuple(ROWS)
SELECT_FIELDS = frozenset(name for name, row in ROWS.items() if row.choices is not None)
KINK_DEFAULT = setting("kink").none  # f'(0) at a kink: PyTorch's value by default (relu'(0) = 0)


def _value(field: str, state: AppState):
    return getattr(state.config, ROWS[field].field)


def parser_for(field: str, state: AppState) -> Callable[[str], object]:
    """The field's parser (its row's), for the typed value of its editor."""
    row, activation = ROWS[field], state.config.activation
    return lambda text: row.parse(text, activation=activation)


def field_text(field: str, state: AppState) -> str:
    """The value in force as the editor's text (it reads back to the same value)."""
    return ROWS[field].format(_value(field, state), state.config.activation)


def select_value(field: str, state: AppState) -> str:
    """The value in force as its choice (the value half of a ``choices`` pair)."""
    return ROWS[field].choice_value(_value(field, state))


@functools.cache
def choices(field: str) -> tuple[tuple[str, str], ...]:
    """(shown, value) pairs of a choice field (the lists never change while the app runs)."""
    return tuple(ROWS[field].choices())


def label_of(field: str) -> str:
    return ROWS[field].label


def tooltip_of(field: str) -> str:
    return ROWS[field].tip()


def has_params(state: AppState) -> bool:
    """Whether the activation in force has parameters to edit."""
    return bool(format_params({}, state.config.activation))


def shown_value(field: str, state: AppState) -> str:
    """The value as the list shows it (a choice by its display name; "none" for the
    parameters of an activation that has none)."""
    if field == "params" and not has_params(state):
        return "none"
    value = _value(field, state)
    if field == "kink" and value is None:
        return kink_default_text(state)
    if field == "dataset" and state.config.data_path:
        return dataset_text(state.config)  # the CSV file's name, not the unused dataset
    return ROWS[field].shown(value, state.config.activation)


def kink_default_text(state: AppState) -> str:
    """The default f'(0) with the value it gives the activation in force, when its one kink is
    at 0 and the value fits: "0, as PyTorch" for ReLU (relu'(0) = 0), else "as PyTorch"."""
    act = state.activation
    if tuple(act.kinks) == (0.0,):
        text = f"{fmt_honest(act.kink_derivatives[0])}, {KINK_DEFAULT}"
        if len(text) <= VALUE_WIDTH:
            return text
    return KINK_DEFAULT


LABEL_WIDTH = 11
VALUE_WIDTH = 14  # fits the narrow column (31) with a scrollbar: a value never wraps, so a change never relayouts


class ControlSheet(RepaintOneOption, ChoiceList):
    """The settings, a line each. Enter (or a click) edits the highlighted one; left and right
    step a choice. Both act at once (``chosen``, ``stepped``), in the order of the keys: a
    key typed behind them sees their effect. Its height is fixed (tcss): a new value repaints
    a line, nothing moves."""

    BINDINGS = [
        Binding("enter", "select", "Edit"),
        Binding("left", "step(-1)", "previous value", show=False),
        Binding("right", "step(1)", "next value", show=False),
    ]

    def __init__(self, *options, chosen: Callable[[str], object], stepped: Callable[[str, int], object],
                 **kwargs) -> None:
        super().__init__(*options, chosen=chosen, **kwargs)
        self._stepped = stepped

    def action_step(self, delta: int) -> None:
        option = self.highlighted_option
        if option is not None and option.id in SELECT_FIELDS:
            self._stepped(option.id, delta)


def compact_layers(text: str) -> str:
    """"8,8,8,8,8,8,8" -> "8×7"; "16,8,8,8" -> "16,8×3": runs of one width as width×count."""
    parts = text.split(",")
    out: list[str] = []
    k = 0
    while k < len(parts):
        n = 1
        while k + n < len(parts) and parts[k + n] == parts[k]:
            n += 1
        out.append(parts[k] if n == 1 else f"{parts[k]}×{n}")
        k += n
    return ",".join(out)


def fit_value(field: str, value: str) -> str:
    """A value that fits the list's column: said shorter, not cut, for the values that can be
    long (the activation by its short name, the layers by runs, the parameters by their values);
    the activation card and the editor give them in full."""
    if len(value) <= VALUE_WIDTH:
        return value
    if field == "activation" and " (" in value:
        name, _, more = value.partition(" (")
        first = more.split()[0].rstrip(")")
        for short in (f"{name} ({first})", name):  # "GELU (tanh)", "Sigmoid"
            if len(short) <= VALUE_WIDTH:
                return short
    elif field == "layers":
        short = compact_layers(value)
        if len(short) <= VALUE_WIDTH:
            return short
        n = value.count(",") + 1
        return f"{n} layers"
    elif field == "params":
        pairs = [item.strip().partition("=") for item in value.split(",")]
        for short in (", ".join(f"{k.rsplit('_', 1)[-1]}={v}" for k, _, v in pairs),  # slope=0.01
                      ", ".join(v for _k, _, v in pairs)):
            if len(short) <= VALUE_WIDTH:
                return short
    return value


def sheet_prompt(field: str, value: str, styles: tuple) -> Text:
    label_style, value_style, mark_style = styles
    if len(value) > VALUE_WIDTH:
        value = value[: VALUE_WIDTH - 1] + "…"
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append(f"{label_of(field):<{LABEL_WIDTH}}", label_style)
    text.append(f"{value:<{VALUE_WIDTH}}", value_style)
    if field in SELECT_FIELDS:
        text.append(" ▾", mark_style)
    return text


class ActivationCard(Widget):
    """The activation's facts (``AppState.activation_card``), laid out for the width the card
    has when painted: its facts wrap there and never lose a number. Its height is fixed (tcss,
    the longest card): a new activation repaints it, nothing moves."""

    def __init__(self, state: AppState, **kwargs) -> None:
        super().__init__(**kwargs)
        self.state = state
        self._key: object = None
        self._content: Content | None = None

    def sync(self) -> None:
        """Repaint if the activation or the theme changed (the width is checked when painted)."""
        if self._key is None or self._key[:2] != (self.state.activation, self.app.theme):
            self.refresh()

    def card_width(self) -> int:
        return self.content_size.width or CARD_WIDTH

    def render(self) -> Content:
        from relutui.app.widgets import palette

        key = (self.state.activation, self.app.theme, self.card_width())
        if key != self._key or self._content is None:
            self._key = key
            self._content = palette.lines_to_content(self.app, self.state.activation_card(key[2]))
        return self._content  # one line a fact: no wrap, an ellipsis at most (tcss)


class ControlsPanel(VerticalScroll, can_focus=False):
    """Hands each new value, as a ControlChanged, to ``on_change`` (the screen's handler); never
    touches the state itself. Its buttons run the screen's actions.

    The value is handed over at once, not posted: the next key of a burst may open an editor,
    which must show the value in force (a posted message is handled after such a key)."""

    class ControlChanged(Message):
        def __init__(self, field: str, value: str) -> None:
            self.field = field
            self.value = value
            super().__init__()

    def __init__(self, state: AppState, on_change: Callable[[ControlsPanel.ControlChanged], object],
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.state = state
        self._on_change = on_change
        self._shown: dict[str, tuple] = {}
        self._error_field: str | None = None

    def compose(self) -> ComposeResult:
        sheet = ControlSheet(*(Option("", id=field) for field in ORDER), chosen=self.edit, stepped=self.step,
                             id="control-sheet", compact=True)
        sheet.styles.height = sheet.styles.max_height = len(ORDER)  # a line a setting, fixed
        yield sheet
        yield Static("", id="control-error", markup=False)
        with Horizontal(id="transport"):
            yield Button("▶ Play", id="btn-play", action="screen.toggle_play", compact=True, variant="primary")
            yield Button("Step", id="btn-step", action="screen.full_step", compact=True)
            yield Button("Phase ›", id="btn-phase", action="screen.next_phase", compact=True)
        with Horizontal(id="transport2"):
            yield Button("Reset", id="btn-reset", action="screen.reset", compact=True)
            yield Button("Compare", id="btn-compare", action="screen.compare", compact=True)
            yield Button("Help", id="btn-help", action="screen.help", compact=True)
        yield ActivationCard(self.state, id="activation-card")

    def on_mount(self) -> None:
        self.query_one(ControlSheet).highlighted = 0

    # ------------------------------------------------------------ state -> widgets
    def shown_values(self) -> dict[str, str]:
        """What each line shows, by field (the values in full, before any "…" cut)."""
        return {field: shown[0] for field, shown in self._shown.items()}

    def sync(self) -> None:
        """Show the state's values: a line is rebuilt only when its value (or the theme) changed."""
        from relutui.app.widgets import palette

        app = self.app
        sheet = self.query_one(ControlSheet)
        theme = app.theme
        styles = (palette.tag_style(app, "label"), palette.tag_style(app, "num"), palette.tag_style(app, "dim"))
        for index, field in enumerate(ORDER):
            value = shown_value(field, self.state)
            key = (value, theme)
            if self._shown.get(field) != key:
                self._shown[field] = key
                sheet.replace_option_prompt_at_index(index, sheet_prompt(field, fit_value(field, value), styles))
        editable = has_params(self.state)
        if sheet.get_option("params").disabled == editable:
            (sheet.enable_option if editable else sheet.disable_option)("params")
        self.query_one(ActivationCard).sync()
        play = self.query_one("#btn-play", Button)
        label = "‖ Pause" if self.state.playing else "▶ Play"
        if str(play.label) != label:
            play.label = label

    def show_error(self, field: str, message: str) -> None:
        self._error_field = field
        err = self.query_one("#control-error", Static)
        err.update(f"✕ {label_of(field)}: {message}")
        err.add_class("-shown")

    def clear_error(self, field: str) -> None:
        if field == self._error_field:
            self._error_field = None
            err = self.query_one("#control-error", Static)
            err.update("")
            err.remove_class("-shown")

    def error_text(self) -> str:
        return str(self.query_one("#control-error", Static).render()) if self._error_field else ""

    # ------------------------------------------------------------ editing
    def focus_field(self, field: str) -> None:
        sheet = self.query_one(ControlSheet)
        sheet.highlighted = ORDER.index(field)
        sheet.focus()

    def edit(self, field: str) -> None:
        """Open the editor of one field; its value, once accepted, is handed on at once."""
        from relutui.app.screens.control_editor import ControlEditor

        if field == "params" and not has_params(self.state):
            return
        sheet = self.query_one(ControlSheet)
        row = sheet.region.y + ORDER.index(field) - sheet.scroll_offset.y

        def apply(value: str) -> None:
            self._on_change(self.ControlChanged(field, value))

        if field in SELECT_FIELDS:
            editor = ControlEditor(field, label_of(field), tooltip_of(field), select_value(field, self.state),
                                   apply, choices=list(choices(field)), anchor=(sheet.region.x, row))
        else:
            parse = parser_for(field, self.state)
            editor = ControlEditor(field, label_of(field), tooltip_of(field), field_text(field, self.state),
                                   apply, validator=Parsed(parse), anchor=(sheet.region.x, row))
        self.app.push_screen(editor)

    def step(self, field: str, delta: int) -> None:
        options = [v for _, v in choices(field)]
        current = select_value(field, self.state)
        index = options.index(current) if current in options else 0
        self._on_change(self.ControlChanged(field, options[(index + delta) % len(options)]))
