"""Typed values: what a person types into a control, parsed (or refused with the reason),
and the compact number formats the panels show. Plain Python, like the state."""

from __future__ import annotations

import math

from relutui.activations import get_activation
from relutui.training import LIMITS

BIAS_LIMIT = float(LIMITS["bias_init"][1])
MAX_DEPTH = LIMITS["depth"][1]
MAX_WIDTH = LIMITS["width"][1]
SEED_MAX = LIMITS["seed"][1]


def _number(text: str, what: str) -> float:
    text = str(text).strip()
    if not text:
        raise ValueError(f"{what} is empty: type a number")
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{what} must be a number, not {text!r}") from None
    if math.isnan(value):
        raise ValueError(f"{what} must be a number, not NaN")
    if math.isinf(value):
        raise ValueError(f"{what} must be finite, {text!r} is out of range")
    return value


def _integer(text: str, what: str) -> int:
    text = str(text).strip()
    if not text:
        raise ValueError(f"{what} is empty: type a whole number")
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{what} must be a whole number, not {text!r}") from None


def parse_lr(text: str) -> float:
    lr = _number(text, "learning rate")
    if lr <= 0:
        raise ValueError(f"learning rate must be > 0, not {lr:g}")
    lo, hi = LIMITS["lr"]
    if not lo <= lr <= hi:
        raise ValueError(f"learning rate must lie in [{lo:g}, {hi:g}], not {lr:g}")
    return lr


def parse_bias(text: str) -> float:
    b = _number(text, "bias")
    if abs(b) > BIAS_LIMIT:
        raise ValueError(f"bias must lie in [-{BIAS_LIMIT:g}, {BIAS_LIMIT:g}], not {b:g}")
    return b


def parse_layers(text: str) -> tuple[int, ...]:
    text = str(text).strip()
    if not text:
        raise ValueError("layers is empty: type sizes like 8,8")
    sizes = []
    for p in (p.strip() for p in text.split(",")):
        if not p:
            raise ValueError(f"layers {text!r} has an empty size (two commas in a row?)")
        try:
            n = int(p)
        except ValueError:
            raise ValueError(f"layer size {p!r} is not a whole number") from None
        if not 1 <= n <= MAX_WIDTH:
            raise ValueError(f"layer size {n} is out of range: width must be 1..{MAX_WIDTH}")
        sizes.append(n)
    if len(sizes) > MAX_DEPTH:
        raise ValueError(f"{len(sizes)} hidden layers is too deep: at most {MAX_DEPTH}")
    return tuple(sizes)


def parse_batch(text: str) -> int:
    n = _integer(text, "batch size")
    if n < 0:
        raise ValueError(f"batch size must be >= 0 (0 = full batch), not {n}")
    return n


def _within(text: str, label: str, limit: str) -> float:
    """A number typed for ``label``, inside the core's ``LIMITS[limit]``."""
    v = _number(text, label)
    lo, hi = LIMITS[limit]
    if not lo <= v <= hi:
        raise ValueError(f"{label} must lie in [{lo:g}, {hi:g}], not {v:g}")
    return v


def parse_noise(text: str) -> float:
    return _within(text, "noise", "noise")


def parse_split(text: str) -> float:
    return _within(text, "test split", "test_fraction")


def parse_l2(text: str) -> float:
    return _within(text, "L2", "l2")


def parse_seed(text: str) -> int:
    n = _integer(text, "seed")
    if not 0 <= n <= SEED_MAX:
        raise ValueError(f"seed must lie in 0..{SEED_MAX}, not {n}")
    return n


def parse_params(text: str, activation: str) -> dict[str, float]:
    """``"0.1"`` (single-parameter activations) or ``"alpha=1, beta=2"``."""
    defaults = dict(get_activation(activation).defaults)
    text = str(text).strip()
    if not defaults:
        if text and text.lower() not in ("none", "-"):
            raise ValueError(f"{activation} has no parameters")
        return {}
    if not text:
        return {}
    out: dict[str, float] = {}
    for part in [p.strip() for p in text.split(",") if p.strip()]:
        if "=" in part:
            key, _, val = part.partition("=")
            key = key.strip()
        elif len(defaults) == 1:
            key, val = next(iter(defaults)), part
        else:
            raise ValueError(f"write parameters as name=value ({', '.join(defaults)})")
        if key not in defaults:
            raise ValueError(f"{activation} has no parameter {key!r} (parameters: {', '.join(defaults)})")
        out[key] = _number(val, key)
    get_activation(activation, **out)  # the library's own check (e.g. hardtanh min < max)
    return out


def format_params(params: dict[str, float], activation: str) -> str:
    defaults = dict(get_activation(activation).defaults)
    if not defaults:
        return ""
    merged = {**defaults, **params}
    return ", ".join(f"{k}={fmt(v)}" for k, v in merged.items())


def dataset_text(config) -> str:
    """The data set as shown: a generated set's name, or the CSV file's name (``--data``;
    unprintable characters escaped: the name comes from the user). Plain text, never markup."""
    if getattr(config, "data_path", None):
        from pathlib import Path

        from relutui.safe_text import printable

        return printable(Path(config.data_path).name or config.data_path)
    return config.dataset


def short_name(act) -> str:
    """'Sigmoid (logistic)' -> 'Sigmoid': for narrow titles and table headers."""
    return act.display_name.split(" (")[0]


def fmt(v: float | None, digits: int = 3) -> str:
    """Compact number: 0.123, -1.5, 1.2e-05, 3.4e+03."""
    if v is None:
        return "—"
    v = float(v)
    if not math.isfinite(v):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    if v == 0:
        return "0"
    a = abs(v)
    if a >= 1e4 or a < 1e-3:
        mant, _, exp = f"{v:.{max(digits - 2, 1)}e}".partition("e")
        return f"{mant}e{int(exp)}"  # 1.7e-5, not 1.7e-05
    return f"{v:.{digits}g}"


def fmt_signed(v: float | None, digits: int = 3) -> str:
    s = fmt(v, digits)
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
        return "—"
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return ("-" if v < 0 else "+" if signed else "") + "inf"
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
