"""Neuron details, the forward table, the chain-rule ledger or the update, by phase."""

from __future__ import annotations

from textual.widgets import Static

from relutui.session.views import Line
from relutui.app.widgets import palette


class Inspector(Static):
    _shown: object = None

    def show(self, title: str, lines: list[Line], force: bool = False) -> None:
        if lines is self._shown and not force:
            return
        self._shown = lines
        self.border_title = title
        self.update(palette.lines_to_content(self.app, lines), layout=False)  # fixed-size panel
