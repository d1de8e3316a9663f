"""Re-exports, for code written before ``relutui.settings`` and ``relutui.format``: the typed
values' parsers are the settings' rows, the number formats live in ``relutui.format``."""

from __future__ import annotations

from relutui.format import dataset_text, fmt, fmt_exact, fmt_fit, fmt_honest, fmt_signed, short_name  # noqa: F401
from relutui.settings import LIMITS, format_params, parse_params, setting  # noqa: F401

BIAS_LIMIT = float(LIMITS["bias_init"][1])
MAX_DEPTH = LIMITS["depth"][1]
MAX_WIDTH = LIMITS["width"][1]
SEED_MAX = LIMITS["seed"][1]


def _parser(name: str):
    row = setting(name)

    def parse(text: str):
        return row.parse(text)

    parse.__name__ = f"parse_{name}"
    parse.__doc__ = f"``{row.field}`` from typed text (``relutui.settings``)."
    return parse


parse_lr = _parser("lr")
parse_bias = _parser("bias")
parse_layers = _parser("layers")
parse_batch = _parser("batch")
parse_noise = _parser("noise")
parse_split = _parser("split")
parse_l2 = _parser("l2")
parse_seed = _parser("seed")
