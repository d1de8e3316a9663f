"""Robustness suite: the async runner and fixtures (the checks are in robust_helpers.py).

The suite-wide settings (derandomised hypothesis profile, numpy ``seterr(raise)``)
come from ``tests/conftest.py``; ``-W error::RuntimeWarning`` from the Makefile and
pyproject, so any numpy warning the app lets through fails the test that caused it.
"""

from __future__ import annotations

import asyncio
import inspect

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run ``async def`` tests (Pilot) in a fresh event loop (no pytest-asyncio needed)."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        asyncio.run(pyfuncitem.obj(**args))
        return True
    return None


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch):
    """Nothing in a pilot run may depend on the cursor blink phase (or its timers)."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "cursor_blink", False, raising=False)
