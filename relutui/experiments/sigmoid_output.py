"""Sigmoid "is best suited for application in issues involving regression or binary
classification, and then only in the output layer": a relu net with a sigmoid output and
cross-entropy trains a binary classifier as well as any; a sigmoid output cannot fit
regression targets outside (0, 1)."""

from __future__ import annotations

import statistics

import numpy as np

from ..training import TrainingRun
from .common import DEPENDS, DOES_NOT_HOLD, HOLDS, Arm, Experiment, Records, _r
from .conditions import cfg

AS_WELL = 0.05    # classification: the sigmoid output's accuracy within this of the other's
WORSE = 0.10      # ... this much lower or more: worse
FITS = 0.1        # regression: the MSE at most this share of the targets' variance: it fits
CANNOT = 0.3      # ... this share or more: it cannot fit


def _targets(run: TrainingRun, start: dict) -> dict:
    """The regression floor: the least mean squared error any output in [0, 1] can reach on
    these training targets (targets below 0 cost at least y², above 1 at least (y - 1)²)."""
    y = run.dataset.y_train.ravel()
    out = run.net.activations[-1].output_range
    lo, hi = out
    floor = np.mean(np.where(y < lo, (y - lo) ** 2, 0.0) + np.where(y > hi, (y - hi) ** 2, 0.0))
    return {"output": run.net.activations[-1].name, "task": run.dataset.task,
            "targets_outside_output_range": float(np.mean((y < lo) | (y > hi))),
            "mse_floor": float(floor), "target_variance": float(np.var(y))}


def rule_text() -> str:
    return ("binary classification (xor, relu hidden layers): the sigmoid output with "
            "cross-entropy against an identity output with squared error, median training "
            f"accuracy; as well if it is at most {AS_WELL:.0%} lower, worse if {WORSE:.0%} lower or "
            "more. Regression (sine, targets in about [-1, 1]): the sigmoid output against an "
            f"identity output, median training MSE; fits if at most {FITS:g}x the identity's, "
            f"cannot fit if {CANNOT:g}x or more. The claim (suited to both) holds if both parts "
            "hold, does not hold if one does not, depends otherwise")


def _median(rs, key: str) -> float | None:
    vals = [r["summary"][key] for r in rs if r["summary"].get(key) is not None]
    return statistics.median(vals) if vals else None


def _verdict(rec: Records) -> tuple[str, dict]:
    acc_sig, acc_id = _median(rec["sigmoid_bce"], "accuracy"), _median(rec["identity_mse"], "accuracy")
    mse_sig, mse_id = _median(rec["sigmoid_regression"], "loss"), _median(rec["identity_regression"], "loss")
    m = rec["sigmoid_regression"][0]["measures"]
    floor = statistics.median(r["measures"]["mse_floor"] for r in rec["sigmoid_regression"])
    ev: dict = {
        "classification_accuracy_median": {"sigmoid_bce": _r(acc_sig), "identity_mse": _r(acc_id)},
        "regression_mse_median": {"sigmoid_regression": _r(mse_sig), "identity_regression": _r(mse_id)},
        "regression_targets_outside_sigmoid_range": _r(m["targets_outside_output_range"]),
        "least_mse_a_sigmoid_output_can_reach": _r(floor),
        "parts": {},
    }
    if acc_sig is None or acc_id is None:
        cls = DEPENDS
    elif acc_sig >= acc_id - AS_WELL:
        cls = HOLDS
    else:
        cls = DOES_NOT_HOLD if acc_sig <= acc_id - WORSE else DEPENDS
    var = statistics.median(r["measures"]["target_variance"] for r in rec["sigmoid_regression"])
    ratio = None if mse_sig is None or not var else mse_sig / var
    ev["regression_mse_over_target_variance"] = {
        "sigmoid_regression": _r(ratio, 3),
        "identity_regression": None if mse_id is None or not var else _r(mse_id / var, 3)}
    ev["least_mse_a_sigmoid_output_can_reach_over_variance"] = _r(floor / var, 3) if var else None
    if ratio is None:
        reg = DEPENDS
    elif ratio <= FITS:
        reg = HOLDS
    else:
        reg = DOES_NOT_HOLD if ratio >= CANNOT else DEPENDS
    ev["parts"]["classification"] = {
        "verdict": cls, "deciding": {"what": "median training accuracy on xor",
                                     "value": ev["classification_accuracy_median"]}}
    ev["parts"]["regression"] = {
        "verdict": reg, "deciding": {"what": "training MSE over the targets' variance on sine",
                                     "value": ev["regression_mse_over_target_variance"]}}
    ev["deciding"] = {"what": "xor accuracy; sine MSE over the targets' variance",
                      "value": {"xor accuracy": ev["classification_accuracy_median"],
                                "sine MSE / variance": ev["regression_mse_over_target_variance"]}}
    ev["criterion"] = rule_text()
    if cls == HOLDS and reg == HOLDS:
        return HOLDS, ev
    return (DOES_NOT_HOLD if DOES_NOT_HOLD in (cls, reg) else DEPENDS), ev


def _outputs(exp: Experiment) -> str | None:
    for key in ("sigmoid_bce", "sigmoid_regression"):
        out = exp.arm(key).config.output
        if out != "sigmoid":
            return f"the claim is about a sigmoid output, and the “{key}” arm's output is now {out}"
    cls, reg = exp.arm("sigmoid_bce").config, exp.arm("sigmoid_regression").config
    if cls.data_path is None and cls.dataset == "sine":
        return "the classification arms train on sine, a regression task"
    if reg.data_path is None and reg.dataset != "sine":
        return f"the regression arms train on {reg.dataset}, a classification task"
    return None


_HIDDEN = dict(activation="relu", layers=(8, 8), lr=0.1)

EXPERIMENT = Experiment(
    name="sigmoid-output",
    title="A sigmoid output suits binary classification, not regression",
    claim="it is best suited for application in issues involving regression or binary "
          "classification, and then only in the output layer",
    explanation="For 0/1 labels a sigmoid output with cross-entropy is the standard choice "
                "(dL/dz = a - y: no vanishing at the output). For regression it is a poor one: "
                "its output lies in (0, 1), and sine's targets reach about -1 to 1, so about half "
                "of them are out of its reach whatever the training. Whether sigmoid belongs "
                "only in the output layer is not tested here (shallow sigmoid hidden layers "
                "train; deep ones vanish: see vanishing-gradient).",
    arms=(Arm("sigmoid output, BCE", cfg(dataset="xor", output="sigmoid", loss="bce", **_HIDDEN),
              key="sigmoid_bce"),
          Arm("identity output, MSE", cfg(dataset="xor", output="identity", loss="mse", **_HIDDEN),
              key="identity_mse"),
          Arm("sigmoid output, regression", cfg(dataset="sine", output="sigmoid", loss="mse", **_HIDDEN),
              key="sigmoid_regression"),
          Arm("identity output, regression", cfg(dataset="sine", output="identity", loss="mse", **_HIDDEN),
              key="identity_regression")),
    verdict_fn=_verdict, measure=_targets, steps=300, seeds=5,
    conditions=(_outputs,),
)
