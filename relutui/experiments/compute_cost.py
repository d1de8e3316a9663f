""""It is simpler ... than the sigmoid and tanh", and "Keeping the derivative fixed at 1 ...
simplifies the computation required for training": what relu, sigmoid and tanh cost to
compute, measured.

No timing on a shared machine is trustworthy on its own, so every time is measured against a
baseline timed in the same run, interleaved with it (a plain array multiply for the
per-element costs; the same network with no activation, identity, for the backward pass and
the training step), the best of several repeats. The verdict compares these same-run costs
between the arms, with wide margins: the numbers move from run to run (they are times), the
verdict should not.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np

from ..engine import MLP, _QUIET, make_optimizer, train_step
from ..training import TrainingRun
from .common import DEPENDS, DOES_NOT_HOLD, HOLDS, Arm, Experiment, Records, _r
from .conditions import arm_uses, cfg

# per-element timings: one array of this many pre-activations. 64 KB, under malloc's mmap
# threshold: at 160 KB each temporary array could come from fresh pages, and sigmoid (six
# temporaries) measured 4x slower or not depending on what the process had freed before
N_ELEMENTS = 8_192
INNER = 8            # calls per timing (a timing is their total)
REPEATS = 7          # timings per function, interleaved; the best one counts
# per part: cost ratio relu / other at or below CHEAPER: cheaper; at or above NOT_CHEAPER: not
PARTS = {  # part: (what is timed, CHEAPER, NOT_CHEAPER)
    "per element": ("f and f' per element", 0.5, 1.0),
    "gradient": ("the backward pass of the default net", 0.9, 1.0),
    "training step": ("a whole training step of the default net", 0.9, 1.0),
}
COST_KEYS = {"per element": "element_cost", "gradient": "backward_cost", "training step": "step_cost"}


def _best_times(fns: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Seconds per call of each function: INNER calls timed together, REPEATS times,
    the functions interleaved (so a burst of load hits them all), best timing kept."""
    best = {k: float("inf") for k in fns}
    for _ in range(REPEATS):
        for k, fn in fns.items():
            t0 = time.perf_counter()
            for _ in range(INNER):
                fn()
            best[k] = min(best[k], (time.perf_counter() - t0) / INNER)
    return best


def _twin(run: TrainingRun, hidden: str) -> MLP:
    c = run.config
    return MLP((2, *c.layers, 1), hidden=hidden, output=run.output_name, init=c.init,
               bias_init=c.bias_init, seed=c.seed, init_std=c.init_std,
               derivative_at_kink=c.derivative_at_kink,
               activation_params=c.activation_params if hidden == c.activation else None)


def _time(run: TrainingRun, steps: int) -> dict:
    """The arm's costs against same-run baselines; nothing is trained (``steps`` unused)."""
    act = run.net.activations[0]
    z = np.random.default_rng([run.config.seed, 13]).standard_normal(N_ELEMENTS) * 3.0
    elem = _best_times({"forward": lambda: act.forward(z), "derivative": lambda: act.derivative(z),
                        "baseline": lambda: z * 1.0})
    X, y = run.dataset.X_train, run.dataset.y_train
    loss = run.loss_name
    nets = {"arm": _twin(run, run.config.activation), "identity": _twin(run, "identity")}
    opts = {k: make_optimizer("sgd", 1e-6) for k in nets}  # tiny steps: the nets barely change
    with np.errstate(**_QUIET):
        traces = {k: net._forward(X) for k, net in nets.items()}
        yy = y.reshape(traces["arm"].a[-1].shape)
        back = _best_times({k: (lambda n=net, t=traces[k]: n._backward(t, yy, loss, with_loss=False))
                            for k, net in nets.items()})
        step = _best_times({k: (lambda n=net, o=opts[k]: train_step(n, X, y, o, loss=loss))
                            for k, net in nets.items()})
    return {
        "activation": act.name,
        "forward_cost": elem["forward"] / elem["baseline"],
        "derivative_cost": elem["derivative"] / elem["baseline"],
        "element_cost": (elem["forward"] + elem["derivative"]) / elem["baseline"],
        "backward_cost": back["arm"] / back["identity"],
        "step_cost": step["arm"] / step["identity"],
        "ns_per_element": {"forward": elem["forward"] / N_ELEMENTS * 1e9,
                           "derivative": elem["derivative"] / N_ELEMENTS * 1e9},
    }


def rule_text() -> str:
    parts = "; ".join(f"{part} ({what}): cheaper if relu's cost is at most {lo:g}x the other's, "
                      f"not cheaper at {hi:g}x or more"
                      for part, (what, lo, hi) in PARTS.items())
    return ("cost = time against a baseline timed in the same run (an array multiply per "
            "element; the same net with identity for the backward pass and the step), best of "
            f"{REPEATS} interleaved timings, median over seeds. Per part, relu against each other "
            f"arm: {parts}. A part holds if relu is cheaper than every other arm, does not hold "
            "if it is not cheaper than one of them, depends otherwise; the claim holds if every "
            "part holds, does not hold if one does not")


def _combine(verdicts: list[str]) -> str:
    if verdicts and all(v == HOLDS for v in verdicts):
        return HOLDS
    return DOES_NOT_HOLD if DOES_NOT_HOLD in verdicts else DEPENDS


def _verdict(rec: Records) -> tuple[str, dict]:
    def median(key: str, arm: str) -> float:
        return statistics.median(r["measures"][key] for r in rec[arm])

    others = [k for k in rec if k != "relu"]
    ev: dict = {"relu_cost_over": {}, "ns_per_element_median": {}, "parts": {}}
    for arm, rs in rec.items():
        ev["ns_per_element_median"][arm] = {
            k: _r(statistics.median(r["measures"]["ns_per_element"][k] for r in rs), 3)
            for k in ("forward", "derivative")}
    for key in ("forward_cost", "derivative_cost", *COST_KEYS.values()):
        ev["relu_cost_over"][key] = {o: _r(median(key, "relu") / median(key, o), 3) for o in others}
    for part, (what, lo, hi) in PARTS.items():
        ratios = ev["relu_cost_over"][COST_KEYS[part]]
        per = [HOLDS if r <= lo else DOES_NOT_HOLD if r >= hi else DEPENDS for r in ratios.values()]
        ev["parts"][part] = {"verdict": _combine(per),
                             "deciding": {"what": f"relu's cost over the other's: {what}",
                                          "value": ratios}}
    verdict = _combine([p["verdict"] for p in ev["parts"].values()])
    ev["deciding"] = {"what": "relu's cost over the other's: f and f' per element, a training step",
                      "value": {"per element": ev["relu_cost_over"]["element_cost"],
                                "training step": ev["relu_cost_over"]["step_cost"]}}
    ev["criterion"] = rule_text()
    return verdict, ev


EXPERIMENT = Experiment(
    name="compute-cost",
    title="ReLU is cheaper to compute than sigmoid and tanh",
    claim="It is simpler and more effective than the sigmoid and tanh.",
    explanation="Tested here: simpler, as cost to compute (training-speed tests more effective); "
                "nothing is trained (the steps setting is not used). "
                "The same timings answer the article's later sentences on the gradient and on "
                "keeping the derivative fixed at 1 (the backward-pass and training-step parts). "
                "relu is a comparison, relu' a 0/1 mask; sigmoid and tanh need an exponential for "
                "f and for f'. Per element that is many times cheaper. In a whole training step of "
                "a small net the matrix products and the bookkeeping take most of the time, so the "
                "saving is smaller there. Times are measured against a baseline in the same run; "
                "they vary from run to run and machine to machine, the ratios much less.",
    arms=(Arm("relu", cfg(activation="relu"), key="relu"),
          Arm("sigmoid", cfg(activation="sigmoid", init="xavier"), key="sigmoid"),
          Arm("tanh", cfg(activation="tanh", init="xavier"), key="tanh")),
    verdict_fn=_verdict, train=_time, steps=1, seeds=5,
    conditions=(arm_uses("relu", "relu"),),
)
