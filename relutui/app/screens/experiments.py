"""The experiment picker: the claims lab's experiments and their claims; enter loads one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets.option_list import Option

from relutui.app.screens.modal import ChoiceList, OneShotModal
from relutui.app.widgets import palette


class ExperimentPicker(OneShotModal[str | None]):
    """Dismisses with the chosen experiment's name, or None."""

    BINDINGS = [Binding("escape,e,q", "cancel", "Close")]

    def __init__(self, current: str | None = None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        from relutui.experiments import list_experiments

        app = self.app
        options = []
        for exp in list_experiments():
            prompt = Text()
            prompt.append(exp.name, palette.tag_style(app, "title"))
            prompt.append(f"  {exp.title}\n", palette.tag_style(app, "num"))
            prompt.append(exp.claim, palette.tag_style(app, "dim"))
            options.append(Option(prompt, id=exp.name))
        yield ChoiceList(*options, chosen=self.dismiss, id="experiment-list")

    def on_mount(self) -> None:
        ol = self.query_one(ChoiceList)
        ol.border_title = "claims lab — enter loads and runs an experiment, escape closes"
        ol.border_subtitle = f"{ol.option_count} experiments"
        if self.current is not None:
            try:
                ol.highlighted = ol.get_option_index(self.current)
            except Exception:  # not a library experiment
                ol.highlighted = 0
        else:
            ol.highlighted = 0
        self.set_focus(ol)  # now: the keys typed meanwhile go to it (see OneShotModal)

    def action_cancel(self) -> None:
        self.dismiss(None)
