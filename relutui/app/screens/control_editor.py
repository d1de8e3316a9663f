"""The editor of one setting: a typed value checked as you type, or a list of choices.

It opens over the setting's line in the controls panel. An accepted value (as text) goes to
``apply`` at once, before the next key is read, and the editor closes with it (or with None
when escape closes it). A refused value keeps it open, with the reason.

Keys typed in the same burst as the enter that opened it are typed into it, in order, and
keys typed behind the enter that closes it go to the screen under it (``modal``)."""

from __future__ import annotations

from typing import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.validation import Validator
from textual.widgets import Input, Static
from textual.widgets.option_list import Option

from relutui.app.screens.modal import ChoiceList, InlineKeys, OneShotModal


class ValueInput(InlineKeys, Input):
    """The typed value: its editing keys act between the characters typed around them, and
    enter calls ``submitted`` at once (Input posts a message, handled after the next keys)."""

    def __init__(self, *args, submitted: Callable[[str], object], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._submitted = submitted

    def action_submit(self) -> None:
        self._submitted(self.value)


class ControlEditor(OneShotModal[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, field: str, label: str, tip: str, value: str,
                 apply: Callable[[str], object] = lambda value: None, *,
                 choices: list[tuple[str, str]] | None = None, validator: Validator | None = None,
                 anchor: tuple[int, int] = (0, 0)) -> None:
        super().__init__()
        self.field = field
        self.label = label
        self.tip = tip
        self.value = value
        self.apply = apply
        self.choices = choices
        self.validator = validator
        self.anchor = anchor

    def compose(self) -> ComposeResult:
        with Vertical(id="editor"):
            if self.choices is not None:
                yield ChoiceList(*(Option(shown, id=value) for shown, value in self.choices),
                                 chosen=self.accept, id="edit-choices", compact=True)
            else:
                yield ValueInput(self.value, submitted=self.submit, id="edit-input", compact=True,
                                 select_on_focus=True, validators=[self.validator] if self.validator else [],
                                 validate_on=["changed"])
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
            field = self.query_one("#edit-choices", ChoiceList)
            values = [v for _, v in self.choices]
            field.highlighted = values.index(self.value) if self.value in values else 0
        else:
            field = self.query_one("#edit-input", Input)
        # now, not after the next refresh as focus() does: the keys typed meanwhile go to it
        # (OneShotModal's on_mount, next, hands it the ones that came before)
        self.set_focus(field)

    def submit(self, text: str) -> None:
        """Enter in the typed value: applied and closed if valid, else the reason is shown."""
        if self.is_active and self._show(self.query_one("#edit-input", Input).validate(text)):
            self.accept(text)

    def accept(self, value: str) -> None:
        if self.is_active:
            self.apply(value)
            self.dismiss(value)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.is_active:  # (a change typed before enter may be handled after the editor closed)
            self._show(event.validation_result)

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
