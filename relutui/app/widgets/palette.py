"""Theme-aware colours shared by the widgets (every colour comes from the Textual theme)."""

from __future__ import annotations

import math

from rich.control import strip_control_codes
from rich.style import Style
from textual.app import App
from textual.color import Color
from textual.content import Content, Span
from textual.style import Style as ContentStyle

from relutui.session.views import STATE_NAMES, Line
from relutui.diagnostics import ACTIVE, DEAD, SATURATED

STATE_VAR = {ACTIVE: "success", SATURATED: "warning", DEAD: "error"}
POSITIVE_VAR = "primary"
NEGATIVE_VAR = "accent"


def _memo(app: App) -> dict:
    """Per-app memo of colours and styles, valid while the theme's variables stay the same
    object (a theme change replaces them). Every panel asks for the same few dozen."""
    variables = app.theme_variables
    memo = getattr(app, "_relutui_palette", None)
    if memo is None or memo[0] is not variables:
        memo = (variables, {})
        app._relutui_palette = memo
    return memo[1]


def color(app: App, name: str, fallback: str = "#888888") -> Color:
    memo = _memo(app)
    key = ("color", name, fallback)
    hit = memo.get(key)
    if hit is not None:
        return hit
    value = app.theme_variables.get(name) or fallback
    try:
        hit = Color.parse(value)
    except Exception:  # a theme variable that is not a plain colour
        hit = Color.parse(fallback)
    memo[key] = hit
    return hit


def hex_(app: App, name: str) -> str:
    return color(app, name).hex6


def rgb(app: App, name: str) -> tuple[int, int, int]:
    c = color(app, name)
    return (c.r, c.g, c.b)


def background(app: App) -> Color:
    return color(app, "background", "#000000")


def foreground(app: App) -> Color:
    return color(app, "foreground", "#e0e0e0")


def signed_color(app: App, value: float, scale: float) -> Color:
    """Diverging colour: sign picks the hue, |value|/scale (not clamped to a fixed range) the strength.
    A value that overflowed (±inf) is at full strength, nan (inf - inf) is muted."""
    base = color(app, POSITIVE_VAR if value >= 0 else NEGATIVE_VAR)
    muted = foreground(app).blend(background(app), 0.55)
    t = 0.0 if math.isnan(value) or not 0 < scale < math.inf else min(abs(value) / scale, 1.0)
    return muted.blend(base, 0.25 + 0.75 * t)


def state_style(app: App, state: int, bold: bool = True) -> Style:
    memo = _memo(app)
    key = ("state", state, bold)
    hit = memo.get(key)
    if hit is None:
        hit = memo[key] = Style(color=hex_(app, STATE_VAR[state]), bold=bold)
    return hit


def tag_style(app: App, tag: str) -> Style:
    memo = _memo(app)
    key = ("tag", tag)
    hit = memo.get(key)
    if hit is None:
        hit = memo[key] = _tag_style(app, tag)
    return hit


def _tag_style(app: App, tag: str) -> Style:
    fg = foreground(app)
    if tag in ("active", "saturated", "dead"):
        return Style(color=hex_(app, STATE_VAR[{v: k for k, v in STATE_NAMES.items()}[tag]]), bold=True)
    return {
        "title": Style(color=hex_(app, "primary"), bold=True),
        "label": Style(color=fg.blend(background(app), 0.25).hex6),
        "dim": Style(color=fg.blend(background(app), 0.5).hex6),
        "num": Style(color=fg.hex6),
        "pos": Style(color=hex_(app, POSITIVE_VAR)),
        "neg": Style(color=hex_(app, NEGATIVE_VAR)),
        "sel": Style(color=hex_(app, "accent"), bold=True),
        "warn": Style(color=hex_(app, "warning"), bold=True),
    }.get(tag, Style())


def content_style(app: App, tag: str) -> ContentStyle | None:
    """``tag_style`` as the style of a Textual ``Content`` span (None: no span, as for an empty
    Rich style), converted once per theme."""
    memo = _memo(app)
    key = ("content", tag)
    if key not in memo:
        rich = tag_style(app, tag)
        memo[key] = ContentStyle.from_rich_style(rich, app.ansi_theme) if rich else None
    return memo[key]


def lines_to_content(app: App, lines: list[Line]) -> Content:
    """Lines of (text, tag) pieces as a Textual ``Content``, each piece in its tag's style: made
    directly, without a Rich ``Text`` to build and convert span by span."""
    parts: list[str] = []
    spans: list[Span] = []
    offset = 0
    for i, line in enumerate(lines):
        if i:
            parts.append("\n")
            offset += 1
        for chunk, tag in line:
            chunk = strip_control_codes(chunk)  # as Text.append does
            if not chunk:
                continue
            style = content_style(app, tag)
            if style is not None:
                spans.append(Span(offset, offset + len(chunk), style))
            parts.append(chunk)
            offset += len(chunk)
    return Content("".join(parts), spans)
