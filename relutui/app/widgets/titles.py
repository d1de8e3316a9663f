"""Border titles that fit: a panel says less when it is narrow, never a title cut with "…".

A widget hands a list of candidate titles (markup allowed), longest first; the first that
fits its border is shown, chosen again when the widget is resized. The last resort drops
" · "-separated parts from the end of the last candidate."""

from __future__ import annotations

from functools import lru_cache
from typing import Sequence

from textual.content import Content

BORDER_CHROME = 6  # "╭─ " and " ─╮" around a border title


@lru_cache(maxsize=512)
def cell_len(markup: str) -> int:
    try:
        return Content.from_markup(markup).cell_length
    except Exception:  # not markup after all: its plain length
        return len(markup)


def room(width: int) -> int | None:
    """The cells a border title has in a widget ``width`` cells wide (None: not laid out yet)."""
    return width - BORDER_CHROME if width > 0 else None


def drop_parts(text: str, space: int) -> str:
    """``text`` less its trailing " · " parts until it fits ``space`` (at least the first part)."""
    parts = text.split(" · ")
    while len(parts) > 1 and cell_len(" · ".join(parts)) > space:
        parts.pop()
    return " · ".join(parts)


def fitting(candidates: Sequence[str], width: int) -> str:
    """The first candidate that fits a border ``width`` cells wide, else the last one shortened."""
    space = room(width)
    if not candidates:
        return ""
    if space is None:
        return candidates[0]
    for text in candidates:
        if cell_len(text) <= space:
            return text
    return drop_parts(candidates[-1], space)


class FittedTitles:
    """Mixed into a widget: ``fit_titles`` sets its border title and subtitle from candidates
    and keeps them fitting as the widget is resized."""

    _title_options: tuple[str, ...] = ()
    _subtitle_options: tuple[str, ...] = ()
    _fitted: tuple[str | None, str | None] = (None, None)

    def fit_titles(self, titles: Sequence[str] | None = None, subtitles: Sequence[str] | None = None) -> None:
        if titles is not None:
            self._title_options = tuple(titles)
        if subtitles is not None:
            self._subtitle_options = tuple(subtitles)
        self.apply_titles()

    def apply_titles(self) -> None:
        width = self.size.width  # type: ignore[attr-defined]
        title = fitting(self._title_options, width) if self._title_options else None
        subtitle = fitting(self._subtitle_options, width) if self._subtitle_options else None
        old_title, old_subtitle = self._fitted
        # (Textual parses and repaints a border title at every assignment: only on a change)
        if title is not None and title != old_title:
            self.border_title = title  # type: ignore[attr-defined]
        if subtitle is not None and subtitle != old_subtitle:
            self.border_subtitle = subtitle  # type: ignore[attr-defined]
        self._fitted = (title, subtitle)

    def on_resize(self) -> None:
        self.apply_titles()

    _painted_width = -1

    def render_lines(self, crop):  # noqa: ANN001 (Textual's Region)
        """The titles fit the width the widget is painted at: Textual posts the Resize event
        during the layout and paints before it comes, so the first frame (or the first after a
        resize) would show the titles fitted for the previous width, then change them."""
        width = self.size.width  # type: ignore[attr-defined]
        if width != self._painted_width:
            self._painted_width = width
            self.fit_to_width()
        return super().render_lines(crop)  # type: ignore[misc]

    def fit_to_width(self) -> None:
        """What depends on the width: the titles (a widget adds its own, e.g. a legend)."""
        self.apply_titles()
