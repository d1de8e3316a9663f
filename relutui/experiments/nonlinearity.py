"""Without an activation a network is a linear model."""

from __future__ import annotations

from .common import (DEPENDS, DOES_NOT_HOLD, HOLDS, NOT_TESTED, NOT_TESTED_KEY, Arm, Experiment, Records,
                     _mean, _per_seed, _r)
from .conditions import cfg


LINEAR_FITS = 0.9    # the linear net's mean accuracy this high and within CLOSE of the best
                     # non-linear arm's: a straight boundary already fits the data (not tested)
LINEAR_FAILS = 0.8   # holds needs the linear net's best seed under this...
NONLINEAR_FITS = 0.9  # ... and every non-linear arm's mean at this or more
CLOSE = 0.05         # does not hold if the linear net's mean is within this of the worst non-linear arm


def rule_text() -> str:
    return (f"accuracy on the training set after training. Not tested if the linear (identity) "
            f"net's mean accuracy is {LINEAR_FITS:.0%} or more and within {CLOSE * 100:g} points of "
            f"the best non-linear arm's: a straight boundary already fits these data. Holds if "
            f"the linear net's best seed stays under {LINEAR_FAILS:.0%} while "
            f"every non-linear arm averages {NONLINEAR_FITS:.0%} or more; does not hold if the "
            f"linear net's mean is within {CLOSE * 100:g} points of the worst non-linear arm's; "
            f"depends otherwise")


def _verdict_nonlinearity(rec: Records) -> tuple[str, dict]:
    acc = {key: _per_seed(rs, "accuracy") for key, rs in rec.items()}
    lin = [a for a in acc["identity"] if a is not None]
    others = {key: _mean(v) for key, v in acc.items() if key != "identity"}
    lin_mean, lin_best = _mean(lin), max(lin) if lin else None
    nonlin_worst = min((v for v in others.values() if v is not None), default=None)
    nonlin_best = max((v for v in others.values() if v is not None), default=None)
    ev = {
        "accuracy_per_seed": {key: [_r(a) for a in v] for key, v in acc.items()},
        "mean_accuracy": {key: _r(_mean(v)) for key, v in acc.items()},
        "deciding": {"what": "mean accuracy, linear net and worst non-linear arm",
                     "value": {"identity": _r(lin_mean), "worst_nonlinear": _r(nonlin_worst)}},
        "criterion": rule_text(),
    }
    if lin_mean is None or nonlin_worst is None:
        ev[NOT_TESTED_KEY] = ("the runs give no accuracy (a regression task): the verdict "
                              "compares classification accuracy")
        return NOT_TESTED, ev
    if lin_mean >= LINEAR_FITS and lin_mean >= nonlin_best - CLOSE:
        ev[NOT_TESTED_KEY] = (f"a linear model already fits these data (the identity net's mean "
                              f"accuracy is {lin_mean:.1%}, the best non-linear arm's "
                              f"{nonlin_best:.1%}): there is no pattern only a non-linear "
                              f"net can learn")
        return NOT_TESTED, ev
    if lin_mean >= nonlin_worst - CLOSE:
        return DOES_NOT_HOLD, ev
    if lin_best < LINEAR_FAILS and nonlin_worst >= NONLINEAR_FITS:
        return HOLDS, ev
    return DEPENDS, ev


def _nonlinear_arms(exp: Experiment) -> str | None:
    linear = exp.arm("identity").config.activation
    if linear != "identity":
        return f"no arm is without an activation: the “identity” arm now uses {linear}"
    if all(a.config.activation == "identity" for a in exp.arms):
        return "no arm has a non-linear activation: every arm uses identity"
    return None


EXPERIMENT = Experiment(
    name="nonlinearity",
    title="Without an activation, a network is a linear model",
    claim="Our model will behave like a limited-learning linear regression model without an "
          "activation function.",
    explanation="A stack of linear layers is one linear map, so it can only draw a straight "
                "boundary. xor needs a bent one: the identity net stays near chance, relu and "
                "tanh fit it. On data a straight line separates there is nothing to show: the "
                "runs measure that and say not tested.",
    arms=(Arm("identity", cfg(activation="identity", lr=0.5)),
          Arm("relu", cfg(activation="relu", lr=0.5)),
          Arm("tanh", cfg(activation="tanh", lr=0.5))),
    verdict_fn=_verdict_nonlinearity, steps=300, seeds=5,
    conditions=(_nonlinear_arms,),
)
