"""The claims lab: the article's claims as reproducible, measured experiments.

Each experiment is *data*: a claim quoted or paraphrased from the article, a short
explanation, the arms to compare (each a ``TrainConfig`` with a label), how many
steps and seeds, and a verdict function. The verdict function sees only the
numbers the runs produced (per-seed summaries, histories and measures) and
returns ``"holds"``, ``"does not hold"``, ``"depends"`` or ``"not tested"`` with the
evidence that decided it. Nothing is written in: change a setting and the verdict may move::

    from relutui.experiments import get_experiment, run_experiment
    exp = get_experiment("dying-relu-bias")
    print(run_experiment(exp).verdict)                                       # holds
    weak = exp.with_arm_changes("negative bias", bias_init=-0.5)
    print(run_experiment(weak).verdict)                                      # does not hold
    print(run_experiment(exp.with_changes(bias_init=0)).verdict)             # not tested

A change can also take away what the claim is about: every experiment knows the
setting it varies and the conditions its claim needs (a negative bias, a ReLU with
its dead zone, a deep net...). When the arms no longer meet them, or no longer
differ at all, the verdict is ``"not tested"`` and the evidence says why
(``not_tested_because``): the numbers are still measured and shown, but they
neither confirm nor refute the claim.

Same experiment, same seeds, same steps: the same numbers, byte for byte in
``json.dumps(result.to_json_dict())`` -- but for ``compute-cost``, whose figures are times
measured in the run (its verdict uses ratios with a wide band, so it does not move).

The package holds one module per claim (its config, conditions, measure, rule and words
together; each defines ``EXPERIMENT``, or an ``EXPERIMENTS`` tuple), ``common`` (arms, runs,
summaries, verdict types) and ``conditions`` (the "not tested" checks several claims share).
This module is the registry: ``_MODULES`` lists the claim modules in the article's order.
"""

from __future__ import annotations

from importlib import import_module

from .common import (  # noqa: F401  (re-exported: the public API and what sweep/cli use)
    DEPENDS, DOES_NOT_HOLD, HOLDS, MAX_SEEDS, MAX_STEPS, NOT_TESTED, NOT_TESTED_KEY, SCHEMA_VERSION,
    SUMMARY_METRICS, VERDICTS, Arm, Experiment, ExperimentResult, Records, _jsonable, _seed_list,
    free_form, run_experiment, run_metrics, run_one, summarize,
)

__all__ = [
    "HOLDS", "DOES_NOT_HOLD", "DEPENDS", "NOT_TESTED", "NOT_TESTED_KEY", "VERDICTS", "SCHEMA_VERSION",
    "MAX_SEEDS", "MAX_STEPS",
    "Arm", "Experiment", "ExperimentResult", "list_experiments", "get_experiment",
    "experiment_names", "run_experiment", "free_form", "run_one", "EXPERIMENT_NAMES",
]

# the claim modules, in the order of the article's claims
_MODULES = (
    "nonlinearity",
    "compute_cost",
    "training_speed",
    "f_vs_derivative",
    "linear_pieces",
    "vanishing_gradient",
    "lower_layers_learn",
    "saturation",
    "sparsity",
    "dying_relu_bias",
    "dying_relu_lr",
    "leaky_fix",
    "exploding_gradient",
    "derivative_at_zero",
    "sigmoid_range",
    "sigmoid_output",
)


def _load() -> tuple[Experiment, ...]:
    out: list[Experiment] = []
    for name in _MODULES:
        module = import_module(f"{__name__}.{name}")
        many = getattr(module, "EXPERIMENTS", None)
        out.extend(many if many is not None else (module.EXPERIMENT,))
    return tuple(out)


_EXPERIMENTS: tuple[Experiment, ...] = _load()
_BY_NAME = {e.name: e for e in _EXPERIMENTS}
assert len(_BY_NAME) == len(_EXPERIMENTS), "two experiments share a name"


def list_experiments() -> tuple[Experiment, ...]:
    return _EXPERIMENTS


def experiment_names() -> tuple[str, ...]:
    return tuple(_BY_NAME)


def get_experiment(name: str) -> Experiment:
    """An experiment by name (``_`` and ``-`` both accepted); ValueError listing the valid names."""
    key = str(name).strip().lower().replace("_", "-")
    if key not in _BY_NAME:
        raise ValueError(f"unknown experiment {name!r}; valid: {', '.join(_BY_NAME)}")
    return _BY_NAME[key]


EXPERIMENT_NAMES: tuple[str, ...] = tuple(_BY_NAME)
