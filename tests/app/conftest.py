"""Shared fixtures for the app tests: fixed configs, fixed sizes, nothing blinking."""

from __future__ import annotations

import asyncio
import inspect

import pytest

from relutui.training import TrainConfig

SIZE = (120, 36)
DIVERGING = dict(lr=100.0, layers=(32, 32, 32, 32, 32, 32), init_std=10.0)


@pytest.fixture
def config() -> TrainConfig:
    return TrainConfig(seed=0)


@pytest.fixture
def diverging() -> TrainConfig:
    return TrainConfig(seed=0, **DIVERGING)


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch):
    """Snapshots and pilots must not depend on the cursor blink phase."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "cursor_blink", False, raising=False)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run ``async def`` tests (Pilot) in a fresh event loop: no pytest-asyncio needed."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        asyncio.run(pyfuncitem.obj(**args))
        return True
    return None
