"""Conditions shared by several claims: each returns None when the arms meet what the claim
is about, else why not (the text follows "not tested: " in the panel and ``relutui run``).
The arms are the ones run, changes applied."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..activations import get_activation
from ..training import TrainConfig
from .common import Experiment


def cfg(**kw: Any) -> TrainConfig:
    """A validated config (the experiments' arms are built with it)."""
    return TrainConfig(**kw).validate()


def activation_of(config: TrainConfig):
    return get_activation(config.activation, derivative_at_kink=config.derivative_at_kink,
                          **config.activation_params)


_ZONE_GRID = np.linspace(-10.0, 10.0, 2001)


def has_dead_zone(config: TrainConfig) -> bool:
    """Whether f'(z) is exactly 0 on a stretch of z (relu's z < 0): where a neuron can die."""
    with np.errstate(all="ignore"):
        return int(np.count_nonzero(activation_of(config).derivative(_ZONE_GRID) == 0.0)) > 1


def arm_uses(key: str, *names: str) -> Callable[[Experiment], str | None]:
    """The arm ``key`` uses one of the activations ``names`` (the ones the claim names)."""
    def check(exp: Experiment) -> str | None:
        arm = exp.arm(key)
        act = arm.config.activation
        if act in names:
            return None
        return f"the claim is about {' and '.join(names)}, and the “{arm.label}” arm now uses {act}"
    return check


def dies(key: str) -> Callable[[Experiment], str | None]:
    """The arm's activation has a zero-gradient zone: a neuron can die in it."""
    def check(exp: Experiment) -> str | None:
        arm = exp.arm(key)
        if has_dead_zone(arm.config):
            return None
        return (f"{arm.config.activation} has no zero-gradient zone, so no neuron of the "
                f"“{arm.label}” arm can die: the claim is about ReLU's dead zone (f'(z) = 0 for z < 0)")
    return check


def fix(key: str) -> Callable[[Experiment], str | None]:
    """The arm is a fix: its activation has a gradient everywhere."""
    def check(exp: Experiment) -> str | None:
        arm = exp.arm(key)
        if not has_dead_zone(arm.config):
            return None
        return (f"the “{arm.label}” arm now uses {activation_text(arm.config)}, which has a "
                f"zero-gradient zone like relu: it is not one of the fixes the claim is about")
    return check


def activation_text(cfg: TrainConfig) -> str:
    params = ", ".join(f"{k}={v:g}" for k, v in cfg.activation_params.items())
    return cfg.activation + (f" ({params})" if params else "")
