"""The footer, with the keys its screen folds away at a size (they still act; help lists them)."""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

from relutui.app.textual_compat import SteadyFooter


def folds(screen) -> frozenset[str]:
    """The actions the screen leaves out of the footer now (``screen.footer_folds()``)."""
    get = getattr(screen, "footer_folds", None)
    return get() if get is not None else frozenset()


class FoldingFooter(SteadyFooter):
    """``Footer.compose`` (Textual 8.2.8) with the screen's folded actions left out: on an
    80-column terminal the settings' keys give way, and ? Help and q Quit stay in view."""

    def _keys(self) -> tuple:
        return super()._keys() + (folds(self.screen),)

    def compose(self) -> ComposeResult:
        self._shown = self._keys()
        if not self._bindings_ready:
            return
        left_out = folds(self.screen)
        active_bindings = self.screen.active_bindings
        bindings = [(binding, enabled, tooltip) for (_, binding, enabled, tooltip) in active_bindings.values()
                    if binding.show and binding.action not in left_out]
        action_to_bindings: defaultdict[str, list] = defaultdict(list)
        for binding, enabled, tooltip in bindings:
            action_to_bindings[binding.action].append((binding, enabled, tooltip))
        self.styles.grid_size_columns = len(action_to_bindings)
        # a key born with its "-compact" class: the bound value adds none later (each key restyled)
        compact = " -compact" if self.compact else ""
        for group, grouped in groupby(action_to_bindings.values(), lambda multi: multi[0][0].group):
            grouped = list(grouped)
            if group is not None and len(grouped) > 1:
                with KeyGroup(classes="-compact" if group.compact else ""):
                    for multi in grouped:
                        binding, enabled, tooltip = multi[0]
                        yield FooterKey(binding.key, self.app.get_key_display(binding), "", binding.action,
                                        disabled=not enabled, tooltip=tooltip or binding.description,
                                        classes="-grouped" + compact).data_bind(compact=Footer.compact)
                yield FooterLabel(group.description)
            else:
                for multi in grouped:
                    binding, enabled, tooltip = multi[0]
                    yield FooterKey(binding.key, self.app.get_key_display(binding), binding.description,
                                    binding.action, disabled=not enabled,
                                    tooltip=tooltip, classes=compact).data_bind(compact=Footer.compact)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE and "command_palette" not in left_out:
            try:
                _node, binding, enabled, tooltip = active_bindings[self.app.COMMAND_PALETTE_BINDING]
            except KeyError:
                pass
            else:
                yield FooterKey(binding.key, self.app.get_key_display(binding), binding.description,
                                binding.action, classes="-command-palette -compact", disabled=not enabled,
                                tooltip=binding.tooltip or binding.description)
