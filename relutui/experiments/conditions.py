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


def arm_uses(label: str, *names: str) -> Callable[[Experiment], str | None]:
    """The arm ``label`` uses one of the activations ``names`` (the ones the claim names)."""
    def check(exp: Experiment) -> str | None:
        act = exp.arm(label).config.activation
        if act in names:
            return None
        return f"the claim is about {' and '.join(names)}, and the “{label}” arm now uses {act}"
    return check


def dies(label: str) -> Callable[[Experiment], str | None]:
    """The arm's activation has a zero-gradient zone: a neuron can die in it."""
    def check(exp: Experiment) -> str | None:
        cfg = exp.arm(label).config
        if has_dead_zone(cfg):
            return None
        return (f"{cfg.activation} has no zero-gradient zone, so no neuron of the “{label}” arm can "
                f"die: the claim is about ReLU's dead zone (f'(z) = 0 for z < 0)")
    return check


def fix(label: str) -> Callable[[Experiment], str | None]:
    """The arm is a fix: its activation has a gradient everywhere."""
    def check(exp: Experiment) -> str | None:
        cfg = exp.arm(label).config
        if not has_dead_zone(cfg):
            return None
        return (f"the “{label}” arm now uses {activation_text(cfg)}, which has a zero-gradient zone "
                f"like relu: it is not one of the fixes the claim is about")
    return check


def activation_text(cfg: TrainConfig) -> str:
    params = ", ".join(f"{k}={v:g}" for k, v in cfg.activation_params.items())
    return cfg.activation + (f" ({params})" if params else "")


def deep(min_hidden: int) -> Callable[[Experiment], str | None]:
    def check(exp: Experiment) -> str | None:
        depth = min(len(a.config.layers) for a in exp.arms)
        if depth >= min_hidden:
            return None
        return (f"the claim is about deep nets, judged here at {min_hidden} or more hidden "
                f"layers (the shrinking compounds layer by layer); this run has {depth}")
    return check
