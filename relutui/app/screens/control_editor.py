"""The editor of one setting: a typed value checked as you type, or a list of choices.

It opens over the setting's line in the controls panel and dismisses with the new value
(as text), or None when escape closes it. A refused value keeps it open, with the reason."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.validation import Validator
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from relutui.app.screens.modal import OneShotModal


class ControlEditor(OneShotModal[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, field: str, label: str, tip: str, value: str, *,
                 choices: list[tuple[str, str]] | None = None, validator: Validator | None = None,
                 anchor: tuple[int, int] = (0, 0)) -> None:
        super().__init__()
        self.field = field
        self.label = label
        self.tip = tip
        self.value = value
        self.choices = choices
        self.validator = validator
        self.anchor = anchor

    def compose(self) -> ComposeResult:
        with Vertical(id="editor"):
            if self.choices is not None:
                yield OptionList(*(Option(shown, id=value) for shown, value in self.choices),
                                 id="edit-choices", compact=True)
            else:
                yield Input(self.value, id="edit-input", compact=True, select_on_focus=True,
                            validators=[self.validator] if self.validator else [],
                            validate_on=["changed", "submitted"])
            yield Static(self.tip, id="edit-tip", markup=False)
            yield Static("", id="edit-error", markup=False)  # it quotes what was typed

    def on_mount(self) -> None:
        editor = self.query_one("#editor")
        editor.border_title = self.label
        editor.border_subtitle = "enter applies · esc cancels"
        x, y = self.anchor
        height = (min(len(self.choices), 12) if self.choices is not None else 1) + 4
        editor.styles.offset = (max(0, x - 1), max(0, min(y - 1, self.app.size.height - height - 1)))
        if self.choices is not None:
            choices = self.query_one("#edit-choices", OptionList)
            values = [v for _, v in self.choices]
            choices.highlighted = values.index(self.value) if self.value in values else 0
            choices.focus()
        else:
            self.query_one("#edit-input", Input).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._show(event.validation_result)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._show(event.validation_result):
            self.dismiss(event.value)

    def _show(self, result) -> bool:
        """Show a refusal's reason (or clear it); True when the value is good."""
        error = self.query_one("#edit-error", Static)
        if result is not None and not result.is_valid:
            error.update(f"✕ {result.failure_descriptions[0]} (enter is refused)")
            error.add_class("-shown")
            return False
        error.update("")
        error.remove_class("-shown")
        return True

    def on_click(self, event) -> None:
        if event.widget is self:  # a click beside the editor closes it, as escape does
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
