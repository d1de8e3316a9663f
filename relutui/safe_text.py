"""Text from outside (lesson, demo and CSV files, paths) made safe to show.

Two rules (issue 15):

* at load, a string holding a terminal control character is refused: C0 other than tab
  and newline (ESC starts every escape sequence: OSC 52 writes the clipboard, OSC 0
  retitles the window, CSI 2J clears the screen), DEL, and C1 (U+0080..U+009F: U+009B
  is a one-character CSI, U+0090 a DCS). :func:`find_control` finds one;
* whatever is printed (a path, a value in an error message) goes through
  :func:`printable`, which writes every unprintable character as a Python escape.

Text shown in Textual is never parsed as markup: that is the widgets' part
(``Content(text)``, ``Text(text)``, ``notify(..., markup=False)``).

:func:`install_ascii_fallback` keeps ``PYTHONIOENCODING=ascii`` (or a Latin-1 terminal)
from ending a command with UnicodeEncodeError: the glyphs relutui prints get ASCII
stand-ins (``±`` → ``+/-``, ``∞`` → ``inf``), anything else becomes ``?``.
Standard library only.
"""

from __future__ import annotations

import codecs
import re
import sys

__all__ = ["CONTROL_RE", "control_name", "find_control", "glyph", "printable", "install_ascii_fallback"]

#: C0 but tab and newline, DEL, C1.
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_C0_NAMES = {0x1b: "ESC", 0x0d: "CR", 0x08: "BS", 0x07: "BEL", 0x00: "NUL", 0x7f: "DEL",
             0x9b: "CSI", 0x90: "DCS", 0x9d: "OSC", 0x9c: "ST", 0x85: "NEL", 0x0c: "FF"}


def control_name(ch: str) -> str:
    """``U+001B (ESC)``: how a refusal names the character."""
    name = _C0_NAMES.get(ord(ch))
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")


def find_control(text: str) -> int:
    """Index of the first refused control character in ``text``, or -1."""
    m = CONTROL_RE.search(text)
    return -1 if m is None else m.start()


def printable(text: object) -> str:
    """``text`` with every character that is not printable written as an escape
    (``\\x1b``, ``\\u009b``, ``\\n``): safe to print on a terminal, on one line.

    Idempotent (a backslash is printable, so an escaped text stays as it is), and it
    never raises on surrogates from undecodable file names."""
    s = str(text)
    if s.isprintable():
        return s
    out = []
    for ch in s:
        if ch.isprintable():
            out.append(ch)
        else:
            code = ord(ch)
            out.append({"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(ch) or (
                f"\\x{code:02x}" if code < 0x100 else
                f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"))
    return "".join(out)


# ---------------------------------------------------------------- ASCII output
_GLYPHS = {
    "±": "+/-", "∞": "inf", "×": "x", "−": "-", "–": "-", "—": "-", "…": "...", "→": "->",
    "←": "<-", "≤": "<=", "≥": ">=", "≈": "~", "●": "*", "○": "o", "·": ".", "•": "*",
    "′": "'", "″": "''", "’": "'", "‘": "'", "“": '"', "”": '"', "²": "^2", "³": "^3",
    "σ": "sigma", "α": "alpha", "β": "beta", "λ": "lambda", "π": "pi", "√": "sqrt",
    "∈": "in", "∂": "d", "Δ": "D", "ƒ": "f", "█": "#", "▌": "|", "▐": "|", "░": ".",
    "▒": ":", "▓": "#", "▀": "^", "▄": "_", "⏵": ">", "✓": "ok", "✗": "x",
}


def _glyph(ch: str) -> str:
    if ch in _GLYPHS:
        return _GLYPHS[ch]
    code = ord(ch)
    if 0x2500 <= code <= 0x257F:  # box drawing: ─ ━ │ ┃ and corners
        name_h = code in (0x2500, 0x2501, 0x2504, 0x2505, 0x2508, 0x2509, 0x254C, 0x254D, 0x2550,
                          0x2574, 0x2576, 0x2578, 0x257A, 0x257C, 0x257E)
        name_v = code in (0x2502, 0x2503, 0x2506, 0x2507, 0x250A, 0x250B, 0x254E, 0x254F, 0x2551,
                          0x2575, 0x2577, 0x2579, 0x257B, 0x257D, 0x257F)
        return "-" if name_h else "|" if name_v else "+"
    if 0x2800 <= code <= 0x28FF:  # braille dots (plotext): a dot where any is set
        return " " if code == 0x2800 else "."
    if 0x2580 <= code <= 0x259F:
        return "#"
    return "?"


def _ascii_fallback(err: UnicodeError):
    if not isinstance(err, UnicodeEncodeError):
        raise err
    return "".join(_glyph(ch) for ch in err.object[err.start:err.end]), err.end


def glyph(ch: str, stream=None) -> str:
    """``ch`` if ``stream`` (default stdout) can write it, else its ASCII stand-in: for text
    laid out before it is written (a table measures ``+/-``, not ``±``)."""
    encoding = getattr(stream or sys.stdout, "encoding", None) or "utf-8"
    try:
        ch.encode(encoding)
        return ch
    except (UnicodeEncodeError, LookupError):
        return "".join(_glyph(c) for c in ch)


_HANDLER = "relutui-ascii"
codecs.register_error(_HANDLER, _ascii_fallback)


def install_ascii_fallback(*streams) -> None:
    """Give ``streams`` (default stdout and stderr) the ASCII stand-ins when their encoding
    cannot write the glyphs relutui prints. A UTF-8 stream is left as it is."""
    for stream in streams or (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None)
        if not encoding or not hasattr(stream, "reconfigure"):
            continue
        try:
            "±∞─●".encode(encoding)
            continue
        except UnicodeEncodeError:
            pass
        except LookupError:
            continue
        try:
            stream.reconfigure(errors=_HANDLER)
        except (ValueError, OSError):  # pragma: no cover - a detached or closed stream
            pass
