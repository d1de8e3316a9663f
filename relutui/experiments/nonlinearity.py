"""Without an activation a network is a linear model."""

from __future__ import annotations

from ..datasets import DATASETS
from .common import HOLDS, DOES_NOT_HOLD, DEPENDS, Arm, Experiment, Records, _mean, _r, _per_seed
from .conditions import cfg


def _verdict_nonlinearity(rec: Records) -> tuple[str, dict]:
    acc = {lab: _per_seed(rs, "accuracy") for lab, rs in rec.items()}
    lin = [a for a in acc["identity"] if a is not None]
    others = {lab: _mean(v) for lab, v in acc.items() if lab != "identity"}
    lin_mean, lin_best = _mean(lin), max(lin) if lin else None
    nonlin_worst = min((v for v in others.values() if v is not None), default=None)
    ev = {
        "accuracy_per_seed": {lab: [_r(a) for a in v] for lab, v in acc.items()},
        "mean_accuracy": {lab: _r(_mean(v)) for lab, v in acc.items()},
        "criterion": "holds if the linear net's best seed stays below 80% accuracy while every "
                     "nonlinear arm averages 90% or more; does not hold if the linear net does "
                     "within 5 points as well as the worst nonlinear arm",
    }
    if lin_mean is None or nonlin_worst is None:
        return DEPENDS, ev
    if lin_mean >= nonlin_worst - 0.05:
        return DOES_NOT_HOLD, ev
    if lin_best < 0.8 and nonlin_worst >= 0.9:
        return HOLDS, ev
    return DEPENDS, ev


def _nonlinear_arms(exp: Experiment) -> str | None:
    linear = exp.arm("identity").config.activation
    if linear != "identity":
        return f"no arm is without an activation: the “identity” arm now uses {linear}"
    if all(a.config.activation == "identity" for a in exp.arms):
        return "no arm has a non-linear activation: every arm uses identity"
    return None


def _bent_data(exp: Experiment) -> str | None:
    cfg = exp.arms[0].config
    if cfg.data_path is not None or cfg.dataset not in DATASETS:
        return None
    if cfg.dataset == "linear":
        return ("the linear dataset is separated by a straight line, which a linear model "
                "draws: there is no pattern only a non-linear net can learn")
    if cfg.dataset == "sine":
        return "sine is a regression task, and the verdict compares classification accuracy"
    return None


EXPERIMENT = Experiment(
    name="nonlinearity",
    title="Without an activation, a network is a linear model",
    claim="Without an activation function the model behaves like a limited-learning linear "
          "regression model: the non-linearity is what lets a network learn complicated patterns.",
    explanation="A stack of linear layers is one linear map, so it can only draw a straight "
                "boundary. xor needs a bent one: identity stays near chance, relu and tanh fit it.",
    arms=(Arm("identity", cfg(activation="identity", lr=0.5)),
          Arm("relu", cfg(activation="relu", lr=0.5)),
          Arm("tanh", cfg(activation="tanh", lr=0.5))),
    verdict_fn=_verdict_nonlinearity, steps=300, seeds=5,
    conditions=(_nonlinear_arms, _bent_data),
)
