"""relutui.format: the shared number formats, and the rule that a printed number never
teaches something false (0.9993 is not 1)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relutui.format import fmt, fmt_bound, fmt_exact, fmt_fit, fmt_honest, fmt_pct, fmt_pm, fmt_signed

FINITE = st.floats(allow_nan=False, allow_infinity=False)


def _looks_whole(text: str) -> bool:
    return text.lstrip("-+").isdigit()


@pytest.mark.parametrize("value, text", [
    (0.9993, "0.999"), (0.99996, "0.99996"), (0.9999999, "1 − 1e-7"), (1.0000001, "1 + 1e-7"),
    (-0.99999999, "-1 + 1e-8"), (2.0004, "2.0004"), (1.0, "1"), (0.0, "0"), (-3.0, "-3"),
    (0.123456, "0.123"), (1.7e-5, "1.7e-5"), (None, "—"), (float("nan"), "nan"),
])
def test_fmt_honest(value, text):
    assert fmt_honest(value) == text


@given(FINITE, st.integers(1, 6))
def test_fmt_honest_prints_a_whole_number_only_for_one(x, digits):
    text = fmt_honest(x, digits)
    if _looks_whole(text):
        assert float(text) == x, (x, text)
    plain = fmt(x, digits)
    if not _looks_whole(plain) or float(plain) == x:
        assert text == plain  # the same as fmt unless fmt printed a false whole number


@given(FINITE)
def test_fmt_exact_reads_back(x):
    text = fmt_exact(x)
    assert float(text) == x and "e+" not in text and "e-0" not in text and not text.endswith(".0")


@pytest.mark.parametrize("value, text", [
    (0.1, "0.1"), (3.0, "3"), (-0.0, "0"), (1e-5, "1e-5"), (1e6, "1e6"), (2.5e7, "2.5e7"), (123456.789, "123456.789"),
    (4294967295, "4294967295"), (float("inf"), "inf"),
])
def test_fmt_exact(value, text):
    assert fmt_exact(value) == text


@pytest.mark.parametrize("fraction, text", [
    (1.0, "100.0%"), (0.0, "0.0%"), (0.996, "99.6%"), (0.99996, "99.996%"), (1e-5, "0.001%"), (0.5, "50.0%"),
])
def test_fmt_pct_says_all_or_none_only_when_exact(fraction, text):
    assert fmt_pct(fraction) == text


@given(st.floats(min_value=0, max_value=1), st.integers(0, 3))
def test_fmt_pct_never_rounds_to_an_end(f, decimals):
    text = fmt_pct(f, decimals)
    if float(text.rstrip("%").lstrip("≈")) in (0.0, 100.0) and not text.startswith("≈"):
        assert f in (0.0, 1.0), (f, text)


def test_the_other_formats_keep_their_output():
    assert fmt(1.7e-5) == "1.7e-5" and fmt(12345.0) == "1.2e4" and fmt(0.5) == "0.5"
    assert fmt_signed(0.5) == "+0.5" and fmt_signed(0.0) == " 0" and fmt_signed(-2.0) == "-2"
    assert fmt_fit(1e-300, 4) == "≈0" and fmt_fit(7.5e2, 5) == "750" and fmt_fit(-5e-286, 7) == "-5e-286"
    assert fmt_bound(math.inf) == "∞" and fmt_bound(-math.inf) == "-∞" and fmt_bound(-1.7580993408473766) == "-1.7581"
    assert fmt_pm({"mean": 0.6929, "std": 0.00022}) == "0.6929 ± 0.00022"
    assert fmt_pm({"mean": 0.99999, "std": 0.0}) == "0.99999 ± 0"
    assert fmt_pm({"mean": 0.875, "std": 0.031}, pct=True) == "87.5% ± 3.1"
    assert fmt_pm({"mean": None, "std": None}) == "-"
