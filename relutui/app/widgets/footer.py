"""The footer, with the keys its screen folds away at a size (they still act; help lists them),
and the keys that do not fit the terminal's width left out, lowest priority first."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widgets import Footer

from relutui.app.textual_compat import FooterKey, FooterLabel, KeyGroup, SteadyFooter

# never left out: a student finds the rest from the help, and leaves with q
KEEP = frozenset({"help", "quit"})
# left out first when the keys do not fit, in this order; an action not named here goes after
# these (the rightmost first), and ? Help and q Quit never go. PgUp goes before PgDn, so the
# page keys shrink to "PgDn scroll" before they go.
DROP_ORDER = (
    "command_palette",
    "dataset(1)", "activation(1)", "bias(-1)", "bias(1)", "lr(-1)", "lr(1)",
    "reset", "compare", "full_step",
    "scroll_side(-1)", "claim(-1)",
    "cycle_view", "show_controls", "scroll_side(1)",
)


def folds(screen) -> frozenset[str]:
    """The actions the screen leaves out of the footer now (``screen.footer_folds()``)."""
    get = getattr(screen, "footer_folds", None)
    return get() if get is not None else frozenset()


@dataclass(frozen=True)
class Item:
    """One run of the compact footer: a key with its description, or a group of keys with
    the group's label. ``keys``: (action, key display) in order."""

    keys: tuple[tuple[str, str], ...]
    label: str
    group: object = None  # the Binding.Group, for a group
    compact: bool = True

    def width(self, dropped: frozenset[str] | set[str]) -> int:
        """Its cells in Textual 8.2.8's compact footer, margins included (0 when all dropped)."""
        shown = [k for a, k in self.keys if a not in dropped]
        if not shown:
            return 0
        if self.group is None:  # key, space, description, margin
            return cell_len(shown[0]) + (1 + cell_len(self.label) if self.label else 0) + 1
        if self.compact:  # padding, keys side by side, margin; label and its space
            return 1 + sum(cell_len(k) for k in shown) + 1 + cell_len(self.label) + 1
        # the keys' margins of 1 collapse between them; label and its space
        return 1 + sum(cell_len(k) + 1 for k in shown) + cell_len(self.label) + 1


def drop_rank(action: str, position: int) -> tuple[int, int]:
    """The order keys are left out in (smallest first): DROP_ORDER, then the others from the right."""
    if action in DROP_ORDER:
        return (0, DROP_ORDER.index(action))
    return (1, -position)


def fit(items: list[Item], width: int, palette: str = "") -> frozenset[str]:
    """The actions to leave out so that the items (and the command palette's key, docked at
    the right, when ``palette`` is its display) fit ``width`` cells; never ? Help or q Quit."""
    actions = [a for item in items for a, _k in item.keys]
    order = sorted((a for a in actions if a not in KEEP), key=lambda a: drop_rank(a, actions.index(a)))
    if palette:
        order.insert(0, "command_palette")
    dropped: set[str] = set()

    def used() -> int:
        cells = sum(item.width(dropped) for item in items)
        if palette and "command_palette" not in dropped:
            cells += cell_len(palette) + 2  # its left border and the margin at the right
        return cells

    for action in order:
        if used() <= width:
            break
        dropped.add(action)
    return frozenset(dropped)


class FoldingFooter(SteadyFooter):
    """``Footer.compose`` (Textual 8.2.8, compact) with the screen's folded actions left out,
    then whatever does not fit the terminal's width, lowest priority first (``DROP_ORDER``):
    ? Help and q Quit always stay in view, never cut. A group of keys keeps its label when
    some of its keys go ("PgDn scroll"). Recomposes when a resize changes what fits."""

    def _items(self) -> tuple[list[Item], dict[str, tuple], frozenset[str]]:
        """The footer's runs (before fitting), the shown bindings by action, the folded actions."""
        left_out = folds(self.screen)
        bindings = [(binding, enabled, tooltip) for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
                    if binding.show and binding.action not in left_out]
        by_action: dict[str, tuple] = {}
        action_to_bindings: defaultdict[str, list] = defaultdict(list)
        for binding, enabled, tooltip in bindings:
            action_to_bindings[binding.action].append((binding, enabled, tooltip))
            by_action.setdefault(binding.action, (binding, enabled, tooltip))
        items: list[Item] = []
        for group, grouped in groupby(action_to_bindings.values(), lambda multi: multi[0][0].group):
            grouped = list(grouped)
            if group is not None and len(grouped) > 1:
                keys = tuple((multi[0][0].action, self.app.get_key_display(multi[0][0])) for multi in grouped)
                items.append(Item(keys, group.description, group, group.compact))
            else:
                for multi in grouped:
                    binding = multi[0][0]
                    items.append(Item(((binding.action, self.app.get_key_display(binding)),), binding.description))
        return items, by_action, left_out

    def _palette(self, left_out: frozenset[str]):
        """The command palette's (binding, enabled, tooltip), if the footer shows its key."""
        if not (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE) or "command_palette" in left_out:
            return None
        try:
            _node, binding, enabled, tooltip = self.screen.active_bindings[self.app.COMMAND_PALETTE_BINDING]
        except KeyError:
            return None
        return binding, enabled, tooltip

    def width_available(self) -> int:
        return self.size.width or self.screen.size.width or self.app.size.width

    def _fit(self, items: list[Item], left_out: frozenset[str]):
        """The command palette's key (``_palette``) and the actions that do not fit now."""
        palette = self._palette(left_out)
        return palette, fit(items, self.width_available(), self.app.get_key_display(palette[0]) if palette else "")

    def dropped(self) -> frozenset[str]:
        """What does not fit now (besides the screen's folds)."""
        items, _by_action, left_out = self._items()
        return self._fit(items, left_out)[1]

    def _keys(self) -> tuple:
        return super()._keys() + (folds(self.screen), self.dropped())

    async def on_resize(self) -> None:
        if self._shown is not None and self.is_attached and self._keys() != self._shown:
            await self.recompose()

    def compose(self) -> ComposeResult:
        items, by_action, left_out = self._items()
        palette, dropped = self._fit(items, left_out)
        self._shown = SteadyFooter._keys(self) + (left_out, dropped)  # = self._keys(), fitted once
        if not self._bindings_ready:
            return
        self.styles.grid_size_columns = sum(len(item.keys) for item in items)
        # a key born with its "-compact" class: the bound value adds none later (each key restyled)
        compact = " -compact" if self.compact else ""
        for item in items:
            shown = [action for action, _k in item.keys if action not in dropped]
            if not shown:
                continue
            if item.group is not None:
                with KeyGroup(classes="-compact" if item.compact else ""):
                    for action in shown:
                        binding, enabled, tooltip = by_action[action]
                        yield FooterKey(binding.key, self.app.get_key_display(binding), "", binding.action,
                                        disabled=not enabled, tooltip=tooltip or binding.description,
                                        classes="-grouped" + compact).data_bind(compact=Footer.compact)
                yield FooterLabel(item.label)
            else:
                binding, enabled, tooltip = by_action[shown[0]]
                yield FooterKey(binding.key, self.app.get_key_display(binding), binding.description,
                                binding.action, disabled=not enabled,
                                tooltip=tooltip, classes=compact).data_bind(compact=Footer.compact)
        if palette is not None and "command_palette" not in dropped:
            binding, enabled, tooltip = palette
            yield FooterKey(binding.key, self.app.get_key_display(binding), binding.description,
                            binding.action, classes="-command-palette -compact", disabled=not enabled,
                            tooltip=binding.tooltip or binding.description)
