"""Number formats shared by the command line, the session and the widgets.

Plain Python (no numpy, no Textual, no Rich): ``relutui --help`` imports it.

The rule: a printed number never teaches something false. Rounding is fine where the reader
knows it is rounded (a chart's tick, "0.123"), but a value shows as a whole number (0, 1, 100%)
only when it is exactly that: a derivative of 0.9993 is not 1, a dead fraction of 99.7% is not
"all dead". ``fmt_honest`` and ``fmt_pct`` keep that rule; ``fmt_exact`` prints a setting so
that reading the text back gives the same float.
"""

from __future__ import annotations

import math

from relutui.safe_text import glyph, printable  # glyph: ± and ∞, or their ASCII stand-ins (PYTHONIOENCODING=ascii)

__all__ = ["dataset_text", "fmt", "fmt_signed", "fmt_fit", "fmt_exact", "fmt_honest", "fmt_pct", "fmt_pm",
           "fmt_bound", "short_name"]

NONE = "—"
MINUS = "−"  # U+2212, for "1 − 7e-4"


def _nonfinite(v: float, signed: bool = False) -> str:
    if math.isnan(v):
        return "nan"
    return ("-" if v < 0 else "+" if signed else "") + "inf"


def _compact_exp(text: str) -> str:
    """'1.7e-05' -> '1.7e-5', '1e+16' -> '1e16' (the same number, fewer characters)."""
    mant, e, exp = text.partition("e")
    return f"{mant}e{int(exp)}" if e else text


def fmt(v: float | None, digits: int = 3) -> str:
    """Compact number: 0.123, -1.5, 1.2e-5, 3.4e4 (rounded to ``digits`` significant digits;
    0 only for 0 itself: small values go to an exponent)."""
    if v is None:
        return NONE
    v = float(v)
    if not math.isfinite(v):
        return _nonfinite(v)
    if v == 0:
        return "0"
    a = abs(v)
    if a >= 1e4 or a < 1e-3:
        return _compact_exp(f"{v:.{max(digits - 2, 1)}e}")  # 1.7e-5, not 1.7e-05
    return f"{v:.{digits}g}"


def _looks_whole(text: str) -> bool:
    """Whether ``text`` reads as an exact whole number ("1", "-3", "100"; not "1.5e3")."""
    return text.lstrip("-+").isdigit()


def fmt_honest(v: float | None, digits: int = 3) -> str:
    """``fmt``, except that a value which is not a whole number never prints as one:
    0.99996 -> "0.99996" (up to three more digits), 0.9999999 -> "1 − 1e-7"."""
    text = fmt(v, digits)
    if v is None or not _looks_whole(text) or float(text) == float(v):
        return text
    v = float(v)
    for more in range(digits + 1, digits + 4):
        text = fmt(v, more)
        if not _looks_whole(text):
            return text
    whole = round(v)
    gap = v - whole
    return f"{whole} {'+' if gap > 0 else MINUS} {_compact_exp(f'{abs(gap):.0e}')}"


def fmt_exact(v: float | int) -> str:
    """The shortest text that reads back as the same number: 0.1, 3, -1.5, 1e-5, 1.25e20.
    ``float(fmt_exact(v)) == v`` for every finite float (it is Python's ``repr`` with a
    compact exponent and no ".0")."""
    if isinstance(v, bool):
        raise TypeError("fmt_exact takes a number, not a bool")
    if isinstance(v, int):
        return str(v)
    v = float(v)
    if not math.isfinite(v):
        return _nonfinite(v)
    if abs(v) >= 1e6:  # 1e6, 2.5e7: the shortest exponent that reads back exactly
        for sig in range(1, 18):
            text = f"{v:.{sig - 1}e}"
            if float(text) == v:
                return _compact_exp(text)
    if v.is_integer():
        return str(int(v))
    return _compact_exp(repr(v))


def fmt_signed(v: float | None, digits: int = 3, honest: bool = False) -> str:
    """``fmt`` (``fmt_honest`` when ``honest``) with a "+" before positive numbers and a blank
    before 0 (columns line up)."""
    s = (fmt_honest if honest else fmt)(v, digits)
    if v is not None and s not in ("0", "nan") and float(v) > 0:
        return "+" + s
    return s if s != "0" else " 0"


def fmt_fit(v: float | None, width: int, digits: int = 3, signed: bool = False) -> str:
    """``v`` in at most ``width`` characters, with as many significant digits as fit (up to
    ``digits``), plain or in a compact exponent (7.5e2, -5e-286): a column ``width + 1`` wide
    keeps a blank between two numbers at any magnitude. A value too small for the width is
    "≈0" (never a bare 0: f'(z) = 0 means no gradient at all), one too large "#" * width.
    ``signed``: a "+" before positive numbers."""
    if v is None:
        return NONE
    v = float(v)
    if not math.isfinite(v):
        return _nonfinite(v, signed)
    if v == 0:
        return "0"
    sign = "-" if v < 0 else "+" if signed else ""
    room = width - len(sign)
    a = abs(v)
    if 1e-3 <= a < 1e4:  # plain, like fmt: 0.00123 .. 9999
        e = math.floor(math.log10(a))
        for sig in range(max(digits, 1), 0, -1):
            text = f"{a:.{max(sig - 1 - e, 0)}f}"
            if "." in text:
                text = text.rstrip("0").rstrip(".")
            if len(text) <= room and float(text) != 0:
                return sign + text
    for sig in range(max(digits - 1, 2), 0, -1):  # exponent, as fmt: 1.2e4, 5e-286
        mant, _, exp = f"{a:.{sig - 1}e}".partition("e")
        if "." in mant:
            mant = mant.rstrip("0").rstrip(".")
        text = f"{mant}e{int(exp)}"
        if len(text) <= room:
            return sign + text
    if a < 1:
        return "≈0"[:width]
    return "#" * width


def fmt_pct(fraction: float | None, decimals: int = 1) -> str:
    """A fraction as a percentage with ``decimals`` decimals, except that it reads 0% or 100%
    only when it is exactly 0 or 1: 0.9996 -> "99.96%", never "100.0%" (not all dead)."""
    if fraction is None:
        return NONE
    f = float(fraction)
    if not math.isfinite(f):
        return _nonfinite(f) + "%"
    if f in (0.0, 1.0):
        return f"{100 * f:.{decimals}f}%"
    for d in range(decimals, decimals + 8):
        text = f"{100 * f:.{d}f}"
        if float(text) not in (0.0, 100.0):
            return text + "%"
    return ("≈0" if f < 0.5 else "≈100") + "%"


def fmt_pm(stat: dict, pct: bool = False) -> str:
    """A summary's ``mean ± std`` ("-" without a mean): "0.6929 ± 0.00022", "87.5% ± 3.1"."""
    if stat["mean"] is None:
        return "-"
    if pct:
        return f"{fmt_pct(stat['mean'])} {glyph('±')} {100 * stat['std']:.1f}"
    mean = f"{stat['mean']:.4g}"
    if _looks_whole(mean) and float(mean) != stat["mean"]:
        mean = fmt_honest(stat["mean"], 4)
    return f"{mean} {glyph('±')} {stat['std']:.2g}"


def fmt_bound(v: float) -> str:
    """An end of a range: ∞ and -∞ spelled as such, a finite end to 6 digits (never a
    false whole number)."""
    if math.isinf(v):
        return glyph("∞") if v > 0 else "-" + glyph("∞")
    return fmt_honest(v, 6)


def short_name(act) -> str:
    """'Sigmoid (logistic)' -> 'Sigmoid': for narrow titles and table headers."""
    return act.display_name.split(" (")[0]


def dataset_text(config) -> str:
    """The data set as shown: a generated set's name, or the CSV file's name (``--data``;
    unprintable characters escaped: the name comes from the user). Plain text, never markup."""
    if getattr(config, "data_path", None):
        from pathlib import Path

        return printable(Path(config.data_path).name or config.data_path)
    return config.dataset


def fmt_fit_honest(v: float | None, width: int, digits: int = 3, signed: bool = False) -> str:
    """``fmt_fit`` that never prints a false whole number, for narrow cells: 0.9993 in 6
    cells is "+0.999" ("0.999" in 5: the "+" goes first), where ``fmt_fit`` with 2 digits gave
    "+1"; 0.99996 is "1−4e-5"; 2.0004 is "+2.0"; when not even that fits, "<1" or ">-1"
    (coarse, but true). Exact whole numbers print as such."""
    text = fmt_fit(v, width, digits, signed)
    if v is None or not _looks_whole(text) or not math.isfinite(float(v)) or float(text) == float(v):
        return text
    v = float(v)
    for plus in ((signed, False) if signed and v > 0 else (signed,)):  # "0.999" before "<1"
        for more in range(digits + 1, digits + 6):
            shown = fmt_fit(v, width, more, plus)
            if not _looks_whole(shown):
                return shown
    whole = round(v)
    gap = v - whole
    sign = "+" if signed and whole > 0 else ""
    tail = ("+" if gap > 0 else MINUS) + _compact_exp(f"{abs(gap):.0e}")
    # 0 and ±1 are the limits a reader takes literally ("only 0 and 1"): never "1.0" for them
    rounded = () if abs(whole) <= 1 else (f"{sign}{whole}.0",)
    for shown in (*rounded, f"{sign}{whole}{tail}", f"{whole}{tail}", ("<" if gap < 0 else ">") + str(whole)):
        if len(shown) <= width:
            return shown
    return text


def bound_text(v: float | None) -> str | None:
    """"<1", ">-1", ">0" for a value within an ulp of a whole number but not on it (what
    ``session.present.marks.inside`` makes of a rounded σ(z) = 1.0): its digits would be
    float noise, "1−1e-16"."""
    if v is None or not math.isfinite(v):
        return None
    r = round(v)
    if v == r or abs(v - r) > math.ulp(abs(float(r))):
        return None
    return ("<" if v < r else ">") + str(r)
