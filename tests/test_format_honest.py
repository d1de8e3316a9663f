"""fmt_fit_honest: a narrow cell never shows a false whole number (issue 13: `◐ +1` for 0.9993)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from relutui.format import fmt_fit_honest

WHOLE = re.compile(r"^[+-]?\d+$")


@pytest.mark.parametrize("v,width,signed,text", [
    (0.9993, 6, True, "+0.999"),
    (0.9993, 5, True, "0.999"),
    (0.99996, 6, True, "1−4e-5"),
    (0.99996, 4, True, "<1"),
    (-0.99996, 6, True, ">-1"),
    (2.0004, 5, True, "+2.0"),
    (1.0, 6, True, "+1"),
    (0.0, 6, True, "0"),
    (0.5, 6, True, "+0.5"),
])
def test_examples(v, width, signed, text):
    assert fmt_fit_honest(v, width, 2, signed) == text


@pytest.mark.parametrize("width", [4, 5, 6, 7, 8])
def test_a_whole_looking_text_is_the_exact_value(width):
    rng = np.random.default_rng(0)
    values = np.concatenate([1 - 10.0 ** -rng.uniform(1, 12, 300), -1 + 10.0 ** -rng.uniform(1, 12, 300),
                             rng.normal(0, 3, 300), 10.0 ** -rng.uniform(1, 12, 100), [0.0, 1.0, -1.0, 3.0]])
    for v in values:
        for signed in (False, True):
            text = fmt_fit_honest(float(v), width, 2, signed)
            assert len(text) <= width, (v, text)
            if WHOLE.match(text):
                assert float(text) == v, (v, text)
