"""Neuron details, the forward table, the chain-rule ledger or the update, by phase."""

from __future__ import annotations

from textual import events
from textual.widgets import Static

from relutui.app.widgets import palette
from relutui.session.present.titles import fit
from relutui.session.views import Line


# a neuron's lines: its head (one or two lines), a dead neuron's record (three), the table
# (five), bias and weights: 8 to 12
PAD_LINES = 11


class Inspector(Static):
    """The lines of a phase, in a fixed-size panel: the title that fits its border, and when
    the lines do not all fit, the last line says how many more there are ("… 3 more neurons")
    rather than leaving them silently below the edge."""

    _shown: object = None
    _title: str = ""
    _fitted_for: tuple | None = None

    def show(self, title: str, lines: list[Line], force: bool = False) -> None:
        if lines is self._shown and not force:
            return
        self._shown = lines
        self._title = title
        self._fitted_for = None
        self._fit()

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    _painted_size = None

    def render_lines(self, crop):  # noqa: ANN001 (Textual's Region)
        """Fitted for the size painted at (the Resize event comes after the first paint)."""
        if self.size != self._painted_size:
            self._painted_size = self.size
            self._fit()
        return super().render_lines(crop)

    def _fit(self) -> None:
        lines = self._shown
        if lines is None:
            return
        width, height = self.size
        # in the scrolling pane (#inspector-pane: height auto) every line shows and the pane
        # scrolls; a fixed-size panel says how many lines it could not show
        scrolls = self.styles.height is not None and self.styles.height.is_auto
        # in the pane the lines do not depend on the size (Textual cuts a long line): a resize,
        # the first layout's among them, fits the title only and asks for no second layout
        # in the pane the lines are padded to its height (below): a height change refits them
        rows = self._pane_rows() if scrolls else 0
        key = (id(lines), rows if scrolls else (width, height), self.app.theme)
        title = fit(self._title, self.outer_size.width)
        if title != self.border_title:
            self.border_title = title
        if key == self._fitted_for:
            return
        self._fitted_for = key
        shown = list(lines)
        if scrolls:
            # Padded with blank lines to the pane's height (or, once they scroll, PAD_LINES), the
            # inspector's height changes only when its lines pass them: a neuron whose share takes a second line
            # (ReLU6: "f'=0: off on 40%, clipped on 30%") is no new layout of the whole screen
            # (~30 ms, the worst redraw of a control change)
            shown += [[] for _ in range((rows if len(shown) <= rows else PAD_LINES) - len(shown))]
            relayout = len(shown) != self._n_lines
            self._n_lines = len(shown)
            self.update(palette.lines_to_content(self.app, shown), layout=relayout)
            self._keep_selected_in_view(shown)
            return
        if 0 < height < len(shown):
            hidden = len(shown) - height + 1
            unit = getattr(lines, "unit", "lines")
            visible = shown[: height - 1]
            # the selected neuron's row ("▸") stays in view, in place of the last row shown
            selected = next((ln for ln in shown[height - 1:] if ln and ln[0] == ("▸", "sel")), None)
            if selected is not None and visible and visible[-1] and visible[-1][0][1] == "sel":
                visible[-1] = selected
            shown = visible + [[(f"… {hidden} more {unit if hidden > 1 else unit.rstrip('s')}", "dim")]]
        self.update(palette.lines_to_content(self.app, shown), layout=False)  # fixed-size panel

    _n_lines: int | None = None

    def _pane_rows(self) -> int:
        region = getattr(self.parent, "scrollable_content_region", None)
        return region.height if region is not None else 0

    def _keep_selected_in_view(self, shown: list[Line]) -> None:
        """In the scrolling pane, the selected neuron's row ("▸") scrolls into view."""
        row = next((i for i, ln in enumerate(shown) if ln and ln[0] == ("▸", "sel")), None)
        pane = self.parent
        if row is None or not hasattr(pane, "scroll_to"):
            return

        def keep() -> None:
            top, height = int(pane.scroll_y), pane.scrollable_content_region.height
            if height > 0 and not top <= row < top + height:
                pane.scroll_to(y=max(0, row - height + 1), animate=False)

        self.call_after_refresh(keep)
