"""Shared fixtures for the app tests: fixed configs and sizes."""

from __future__ import annotations

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


