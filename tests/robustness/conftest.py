"""Robustness suite: the async runner and fixtures (the checks are in robust_helpers.py).

The suite-wide settings (derandomised hypothesis profile, numpy ``seterr(raise)``)
come from ``tests/conftest.py``; ``-W error::RuntimeWarning`` from the Makefile and
pyproject, so any numpy warning the app lets through fails the test that caused it.
"""

from __future__ import annotations


import pytest


