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
``json.dumps(result.to_json_dict())``.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np

try:
    from . import __version__
except ImportError:  # an editable install made before __init__.py existed sees a namespace package
    from importlib.metadata import version as _dist_version

    __version__ = _dist_version("relutui")
from .activations import get_activation
from .datasets import DATASETS
from .diagnostics import SATURATION_RATIO, layer_diagnostics
from .training import TrainConfig, TrainingRun

__all__ = [
    "HOLDS", "DOES_NOT_HOLD", "DEPENDS", "NOT_TESTED", "NOT_TESTED_KEY", "VERDICTS", "SCHEMA_VERSION",
    "MAX_SEEDS", "MAX_STEPS",
    "Arm", "Experiment", "ExperimentResult", "list_experiments", "get_experiment",
    "experiment_names", "run_experiment", "free_form", "run_one",
]

HOLDS, DOES_NOT_HOLD, DEPENDS = "holds", "does not hold", "depends"
NOT_TESTED = "not tested"  # the arms as run cannot test the claim (see Experiment.untested_reason)
VERDICTS = (HOLDS, DOES_NOT_HOLD, DEPENDS, NOT_TESTED)
NOT_TESTED_KEY = "not_tested_because"  # the evidence's entry that says why
SCHEMA_VERSION = 1
MAX_SEEDS = 1000
MAX_STEPS = 100_000

_CONFIG_FIELDS = frozenset(f.name for f in fields(TrainConfig))

Records = Mapping[str, Sequence[dict]]  # arm label -> one record per seed


# ------------------------------------------------------------------ structures
@dataclass(frozen=True)
class Arm:
    """One side of a comparison: a label (its role) and the config it trains with.

    The config's ``seed`` is ignored: each run uses the experiment's seeds.
    """

    label: str
    config: TrainConfig


@dataclass(frozen=True)
class Experiment:
    name: str
    title: str
    claim: str
    explanation: str
    arms: tuple[Arm, ...]
    verdict_fn: Callable[[Records], tuple[str, dict]] = field(repr=False, compare=False)
    steps: int = 300
    seeds: int = 5
    # extra per-run numbers: measure(run, start) -> dict, start = the state before training
    measure: Callable[[TrainingRun, dict], dict] | None = field(default=None, repr=False, compare=False)
    # what the claim needs of the arms: each returns None when met, else why not (the reason
    # follows "not tested: "). Checked on the arms as run, after any change.
    conditions: tuple[Callable[["Experiment"], str | None], ...] = field(
        default=(), repr=False, compare=False)
    # arms measured and shown for comparison that do not enter the verdict
    unjudged: tuple[str, ...] = ()
    # the settings the arms differ in, as the experiment defines them (computed when empty;
    # kept by with_changes, so a change that makes the arms alike can be named)
    varies: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.varies:
            object.__setattr__(self, "varies", _differing(a.config for a in self.arms))

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(a.label for a in self.arms)

    def arm(self, label: str) -> Arm:
        for a in self.arms:
            if a.label == label:
                return a
        raise KeyError(f"experiment {self.name!r} has no arm {label!r}; arms: {', '.join(self.labels)}")

    def with_changes(self, **changes: Any) -> "Experiment":
        """A copy with settings changed in every arm (``lr=1.0``, ``bias_init=0``...).

        ``steps`` and ``seeds`` change the experiment itself. Values are validated:
        ValueError with a clear message on an unknown setting or a bad value.
        """
        exp_changes = {k: changes.pop(k) for k in ("steps", "seeds") if k in changes}
        exp = self
        if exp_changes:
            exp = replace(exp, **exp_changes)
            _check_steps_seeds(exp.steps, exp.seeds)
        if changes:
            exp = replace(exp, arms=tuple(Arm(a.label, _changed(a.config, changes)) for a in exp.arms))
        return exp

    def with_arm_changes(self, label: str, **changes: Any) -> "Experiment":
        """A copy with settings changed in one arm only."""
        self.arm(label)
        arms = tuple(Arm(a.label, _changed(a.config, changes)) if a.label == label else a
                     for a in self.arms)
        return replace(self, arms=arms)

    def untested_reason(self) -> str | None:
        """Why these arms cannot test the claim, or None when they can: a condition of the
        claim is gone (no arm has a negative bias any more...) or the arms are now identical."""
        for condition in self.conditions:
            why = condition(self)
            if why:
                return why
        if len(self.arms) > 1 and len({repr(_config_dict(a.config)) for a in self.arms}) == 1:
            same = self.varies or tuple(sorted(_CONFIG_FIELDS - {"seed"}))[:1]
            shared = ", ".join(f"{k} {_setting(getattr(self.arms[0].config, k))}" for k in same)
            return f"the arms are identical (every arm has {shared}): nothing is compared"
        return None

    def verdict(self, records: Records) -> dict:
        """``{"claim", "verdict", "evidence"}`` computed from the runs' records. "not tested"
        when the arms cannot test the claim (``untested_reason``) or the runs show that what
        the claim is about did not happen; the evidence's ``not_tested_because`` says why."""
        verdict, evidence = self.verdict_fn(records)
        assert verdict in VERDICTS, verdict
        why = self.untested_reason()
        if why:
            verdict, evidence = NOT_TESTED, {**evidence, NOT_TESTED_KEY: why}
        elif verdict == NOT_TESTED and not evidence.get(NOT_TESTED_KEY):
            evidence = {**evidence, NOT_TESTED_KEY: "the runs lack what the claim is about"}
        return {"claim": self.claim, "verdict": verdict, "evidence": _jsonable(evidence)}

    def describe(self) -> dict:
        return {
            "name": self.name, "title": self.title, "claim": self.claim,
            "explanation": self.explanation, "steps": self.steps, "seeds": self.seeds,
            "arms": [{"label": a.label, "config": _config_dict(a.config)} for a in self.arms],
            "not_judged": list(self.unjudged),
        }


def _changed(config: TrainConfig, changes: Mapping[str, Any]) -> TrainConfig:
    unknown = sorted(set(changes) - _CONFIG_FIELDS)
    if unknown:
        raise ValueError(f"unknown setting {unknown[0]!r}; settings: {', '.join(sorted(_CONFIG_FIELDS))}")
    return replace(config, **changes).validate()


def _differing(configs) -> tuple[str, ...]:
    """The settings (seed aside) whose values differ between the configs, in field order."""
    dicts = [_config_dict(c) for c in configs]
    return tuple(k for k in (dicts[0] if dicts else {})
                 if len({repr(d.get(k)) for d in dicts}) > 1)


def _setting(value: Any) -> str:
    """A setting's value as the CLI and the panel write it: 0.1, 8,8,8, none."""
    if value is None:
        return "none"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (tuple, list)):
        return ",".join(map(str, value))
    if isinstance(value, dict):
        return ", ".join(f"{k}={_setting(v)}" for k, v in value.items()) or "{}"
    return str(value)


def _check_steps_seeds(steps: Any, seeds: Any) -> None:
    for name, value, hi in (("steps", steps, MAX_STEPS), ("seeds", seeds, MAX_SEEDS)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or not 1 <= value <= hi:
            raise ValueError(f"{name} must be a whole number from 1 to {hi}, got {value!r}")


def _config_dict(config: TrainConfig) -> dict:
    d = config.to_dict()
    d.pop("seed", None)
    return _jsonable(d)


@dataclass
class ExperimentResult:
    experiment: Experiment
    seeds: list[int]
    steps: int
    records: dict[str, list[dict]]      # arm label -> per-seed records
    verdict_obj: dict | None            # None for a free-form run (no claim)
    free_form: bool = False

    @property
    def verdict(self) -> str | None:
        return None if self.verdict_obj is None else self.verdict_obj["verdict"]

    @property
    def evidence(self) -> dict:
        return {} if self.verdict_obj is None else self.verdict_obj["evidence"]

    def summaries(self) -> dict[str, dict]:
        return {label: summarize(recs) for label, recs in self.records.items()}

    def to_json_dict(self) -> dict:
        exp = self.experiment
        return _jsonable({
            "schema_version": SCHEMA_VERSION,
            "relutui_version": __version__,
            "experiment": None if self.free_form else exp.name,
            "title": exp.title,
            "claim": None if self.free_form else exp.claim,
            "explanation": None if self.free_form else exp.explanation,
            "steps": self.steps,
            "seeds": list(self.seeds),
            "config": {"arms": [{"label": a.label, "config": _config_dict(a.config)} for a in exp.arms]},
            "runs": {label: [
                {"seed": r["seed"], "summary": r["summary"], "measures": r["measures"],
                 "history": r["history"]} for r in recs]
                for label, recs in self.records.items()},
            "summaries": self.summaries(),
            "verdict": self.verdict_obj,
        })


# ------------------------------------------------------------------ running
def _snapshot(run: TrainingRun) -> dict:
    trace = run.trace()
    return {
        "weights": [w.copy() for w in run.net.weights],
        "biases": [b.copy() for b in run.net.biases],
        "trace": trace,
        "diagnostics": layer_diagnostics(run.net, trace),
    }


def run_one(config: TrainConfig, steps: int, measure: Callable | None = None,
            keep_history: bool = True) -> dict:
    """Train one config for ``steps`` and return its JSON-ready record:
    ``{"seed", "summary", "measures", "history"}`` (history None unless ``keep_history``).

    Module-level (picklable) so that sweeps can run it in worker processes.
    """
    run = TrainingRun(config)
    start = _snapshot(run)
    run.train(steps)
    summary = run.summary()
    death = run.death
    measures = {
        "dead_at_start": [d.dead_fraction for d in start["diagnostics"]],
        "saturated_at_start": [d.saturated_fraction for d in start["diagnostics"]],
        "sparsity_at_start": [d.sparsity for d in start["diagnostics"]],
        "ever_died": int(sum(int(m.sum()) for m in death.ever_died)),
        "revived": int(sum(int(m.sum()) for m in death.revived)),
        "max_grad_norm": _max_grad_norm(run),
    }
    if measure is not None:
        measures.update(measure(run, start))
    history = None
    if keep_history:
        history = run.history.to_dict()
        history["step"] = [int(s) for s in history["step"]]
    return _jsonable({
        "seed": config.seed, "summary": summary, "measures": measures,
        "history": history,
    })


def _max_grad_norm(run: TrainingRun) -> float | None:
    norms = [g for row in run.history.to_dict()["grad_norm"] for g in row]
    if run.last is not None:
        norms.extend(float(g) for g in run.last.grad_norms)
    vals = [g for g in norms if g is not None]
    if not vals:
        return None
    m = max(vals)
    return m if math.isfinite(m) else None


def _run_task(task: tuple) -> dict:
    config, steps, measure = task
    return run_one(config, steps, measure)


def run_experiment(name_or_exp: str | Experiment, seeds: int | Sequence[int] | None = None,
                   steps: int | None = None, progress: Callable[[int, int, str], None] | None = None,
                   first_seed: int = 0, jobs: int = 1) -> ExperimentResult:
    """Run every arm of an experiment over its seeds and compute the verdict.

    ``seeds``: a count (seeds ``first_seed .. first_seed+n-1``) or an explicit list;
    default the experiment's own count. ``progress(done, total, label)`` is called
    after each run. ``jobs > 1`` runs in worker processes (same numbers).
    """
    exp = get_experiment(name_or_exp) if isinstance(name_or_exp, str) else name_or_exp
    steps = exp.steps if steps is None else steps
    seed_list = _seed_list(exp.seeds if seeds is None else seeds, first_seed)
    _check_steps_seeds(steps, len(seed_list))
    tasks = [(lab, s, (replace(arm.config, seed=s).validate(), steps, exp.measure))
             for arm in exp.arms for lab in [arm.label] for s in seed_list]
    records: dict[str, list[dict]] = {a.label: [] for a in exp.arms}
    results = _map(_run_task, [t for _, _, t in tasks], jobs,
                   None if progress is None else
                   (lambda done, i: progress(done, len(tasks), tasks[i][0])))
    for (label, _, _), rec in zip(tasks, results):
        records[label].append(rec)
    result = ExperimentResult(exp, seed_list, steps, records, None, free_form=exp.name == "custom")
    if not result.free_form:
        result.verdict_obj = exp.verdict(records)
    return result


def _seed_list(seeds: int | Sequence[int], first_seed: int = 0) -> list[int]:
    if isinstance(seeds, (int, np.integer)) and not isinstance(seeds, bool):
        if not 1 <= seeds <= MAX_SEEDS:
            raise ValueError(f"seeds must be a whole number from 1 to {MAX_SEEDS}, got {seeds!r}")
        out = list(range(int(first_seed), int(first_seed) + int(seeds)))
    else:
        out = [int(s) for s in seeds]
        if not out:
            raise ValueError("seeds must not be empty")
    hi = 2**32 - 1
    if out[0] < 0 or out[-1] > hi or min(out) < 0 or max(out) > hi:
        raise ValueError(f"seeds must lie between 0 and {hi}")
    return out


def _map(fn: Callable, items: list, jobs: int, on_done: Callable[[int, int], None] | None) -> list:
    """``[fn(x) for x in items]``, in processes when jobs > 1, results in input order;
    ^C or SIGTERM stops the workers at once (relutui.parallel)."""
    from .parallel import pmap

    return pmap(fn, items, jobs, on_done)


def _threads_started() -> bool:
    import threading

    return threading.active_count() > 1


def free_form(config: TrainConfig, steps: int = 500, seeds: int = 1, label: str | None = None) -> Experiment:
    """A one-arm experiment with no claim, for ``relutui run --activation ...``."""
    config = config.validate()
    label = label or config.activation
    return Experiment(
        name="custom", title="free-form run", claim="", explanation="",
        arms=(Arm(label, config),), verdict_fn=lambda r: (DEPENDS, {}), steps=steps, seeds=seeds,
    )


# ------------------------------------------------------------------ numbers
def _jsonable(obj: Any) -> Any:
    """Plain JSON types; non-finite floats become None."""
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [_jsonable(v) for v in obj.tolist()]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        f = float(obj)
        return f if math.isfinite(f) else None
    return obj


def _mean(values) -> float | None:
    vals = [float(v) for v in values if v is not None]
    return statistics.fmean(vals) if vals else None


def _layer_mean(values) -> float | None:
    """Mean over layers of a per-layer list (None if empty)."""
    if values is None:
        return None
    if isinstance(values, (int, float)):
        return float(values)
    return _mean(values)


SUMMARY_METRICS = ("loss", "accuracy", "test_loss", "test_accuracy", "dead_fraction",
                   "saturated_fraction", "sparsity", "diverged")


def run_metrics(record: dict) -> dict[str, float | None]:
    """The scalar figures of one run: final loss, accuracy, mean dead fraction..."""
    s = record["summary"]
    return {
        "loss": s.get("loss"),
        "accuracy": s.get("accuracy"),
        "test_loss": s.get("test_loss"),
        "test_accuracy": s.get("test_accuracy"),
        "dead_fraction": _layer_mean(s.get("dead_fraction")),
        "saturated_fraction": _layer_mean(s.get("saturated_fraction")),
        "sparsity": _layer_mean(s.get("sparsity")),
        "diverged": 0.0 if s.get("diverged_at") is None else 1.0,
    }


def summarize(records: Sequence[dict]) -> dict[str, dict]:
    """Per metric: mean, std (population), min, max and n over the seeds (Nones skipped)."""
    rows = [run_metrics(r) for r in records]
    out = {}
    for key in SUMMARY_METRICS:
        vals = [float(r[key]) for r in rows if r[key] is not None]
        if vals:
            out[key] = {"mean": statistics.fmean(vals), "std": statistics.pstdev(vals),
                        "min": min(vals), "max": max(vals), "n": len(vals)}
        else:
            out[key] = {"mean": None, "std": None, "min": None, "max": None, "n": 0}
    return out


def _r(x: float | None, digits: int = 4) -> float | None:
    """Round to ``digits`` significant digits for the evidence (None stays None)."""
    if x is None or not math.isfinite(x):
        return None
    if x == 0:
        return 0.0
    return float(f"{x:.{digits}g}")


def _per_seed(records: Sequence[dict], key: str) -> list[float | None]:
    return [run_metrics(r)[key] for r in records]


def _measure(records: Sequence[dict], key: str) -> list:
    return [r["measures"].get(key) for r in records]


def _hist_first(records: Sequence[dict], key: str) -> list[float | None]:
    out = []
    for r in records:
        rows = r["history"][key]
        out.append(_layer_mean(rows[0]) if rows else None)
    return out


def _median(values) -> float | None:
    vals = [v for v in values if v is not None]
    return statistics.median(vals) if vals else None


# ------------------------------------------------------------------ measures
def _hidden_weight_moves(run: TrainingRun, start: dict) -> dict:
    """Per hidden neuron: how far its incoming weights and bias moved during training,
    its state at the start, and on what share of the samples it was saturated
    (|f'(z)| < SATURATION_RATIO * max f', the diagnostics rule) at the start."""
    moves, states, shares = [], [], []
    trace = start["trace"]
    for l, diag in enumerate(start["diagnostics"]):
        w0, b0 = start["weights"][l], start["biases"][l]
        dw = run.net.weights[l] - w0
        db = run.net.biases[l] - b0
        moves.extend(np.sqrt(np.sum(dw * dw, axis=0) + db * db).tolist())
        states.extend(int(s) for s in diag.states)
        act = run.net.activations[l]
        fp = np.abs(act.derivative(trace.z[l]))
        shares.extend(np.mean(fp < SATURATION_RATIO * act.max_derivative, axis=0).tolist())
    saturating = bool(run.net.activations[0].can_saturate) if run.net.hidden_layers else False
    return {"neuron_move": moves, "neuron_state_at_start": states, "neuron_saturated_share_at_start": shares,
            "activation_can_saturate": saturating}


def _kink_hits(run: TrainingRun, start: dict) -> dict:
    """How many hidden pre-activations are exactly 0 (where f'(0) matters)."""
    def hits(trace):
        return int(sum(int(np.count_nonzero(z == 0.0)) for z in trace.z[:-1]))

    def total(trace):
        return int(sum(z.size for z in trace.z[:-1]))

    end = run.trace()
    return {"zero_preactivations_at_start": hits(start["trace"]),
            "zero_preactivations_at_end": hits(end),
            "preactivations_checked": total(end)}


def _sigmoid_outputs(run: TrainingRun, start: dict) -> dict:
    """Every value output by a sigmoid layer (hidden and output) on the training set."""
    trace = run.trace()
    vals = [a.ravel() for act, a in zip(run.net.activations, trace.a) if act.name == "sigmoid"]
    if not vals:
        return {"sigmoid_values": 0}
    v = np.concatenate(vals)
    finite = v[np.isfinite(v)]
    return {
        "sigmoid_values": int(v.size),
        "exactly_0": int(np.count_nonzero(v == 0.0)),
        "exactly_1": int(np.count_nonzero(v == 1.0)),
        "strictly_between": int(np.count_nonzero((v > 0.0) & (v < 1.0))),
        "distinct_values": int(np.unique(finite).size),
        "min": float(finite.min()) if finite.size else None,
        "max": float(finite.max()) if finite.size else None,
    }


# ------------------------------------------------------------------ verdicts
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


def _grad_ratio_per_seed(records: Sequence[dict]) -> list[float | None]:
    """Geometric mean over logged steps of ||dL/dW first|| / ||dL/dW last||."""
    out = []
    for r in records:
        logs = []
        for row in r["history"]["grad_norm"]:
            if not row or row[0] is None or row[-1] is None or row[-1] <= 0:
                continue
            logs.append(math.log10(max(row[0] / row[-1], 1e-300)))
        out.append(10 ** statistics.fmean(logs) if logs else None)
    return out


def _verdict_vanishing(rec: Records) -> tuple[str, dict]:
    ratios = {lab: _grad_ratio_per_seed(rs) for lab, rs in rec.items()}
    med = {lab: _median(v) for lab, v in ratios.items()}
    ev = {
        "first_over_last_grad_norm_per_seed": {lab: [_r(x, 3) for x in v] for lab, v in ratios.items()},
        "median_ratio": {lab: _r(v, 3) for lab, v in med.items()},
        "vanishes": {lab: (None if v is None else v < 0.01) for lab, v in med.items()},
        "criterion": "ratio = ||dL/dW|| of the first layer over the last, geometric mean over "
                     "training; vanishing = median ratio under 0.01 (two orders of magnitude). "
                     "Holds if sigmoid vanishes and relu keeps a ratio of 0.1 or more; does not "
                     "hold if sigmoid does not vanish or relu vanishes too. tanh is measured "
                     "for comparison and does not enter the verdict",
    }
    sig, relu = med.get("sigmoid"), med.get("relu")
    if sig is None or relu is None:
        return DEPENDS, ev
    if sig >= 0.01 or relu < 0.01:
        return DOES_NOT_HOLD, ev
    return (HOLDS if relu >= 0.1 else DEPENDS), ev


def _verdict_saturation(rec: Records) -> tuple[str, dict]:
    """Within each arm (same net, same scale), compare neurons saturated on 90%+ of the
    samples at the start with neurons saturated on under 10%."""
    ev: dict[str, Any] = {"saturated_fraction_at_start": {}, "neurons_saturated_90pct": {},
                          "neurons_unsaturated": {}, "mean_move_saturated_90pct": {},
                          "mean_move_unsaturated": {}, "move_ratio": {}, "pooled": {}}
    deep_all, free_all = [], []
    for lab, rs in rec.items():
        # an activation without flat tails (relu...): |f'| < 1% of its max there means f' = 0,
        # a neuron switched off, not a saturated one
        saturating = all(r["measures"].get("activation_can_saturate", True) for r in rs)
        deep, free = [], []
        for r in rs:
            m = r["measures"]
            for mv, share in zip(m["neuron_move"], m["neuron_saturated_share_at_start"]):
                if mv is None:
                    continue
                if share >= 0.9:
                    deep.append(mv)
                elif share < 0.1:
                    free.append(mv)
        d, f = _mean(deep), _mean(free)
        ev["saturated_fraction_at_start"][lab] = _r(_mean(_hist_first(rs, "saturated_fraction")))
        ev["neurons_saturated_90pct"][lab] = len(deep)
        ev["neurons_unsaturated"][lab] = len(free)
        ev["mean_move_saturated_90pct"][lab] = _r(d)
        ev["mean_move_unsaturated"][lab] = _r(f)
        ev["move_ratio"][lab] = _r(d / f) if d is not None and f else None
        pooled = len(deep) >= 3 and len(free) >= 3 and saturating
        ev["pooled"][lab] = pooled
        if pooled:
            deep_all.extend(deep)
            free_all.extend(free)
    d, f = _mean(deep_all), _mean(free_all)
    ratio = d / f if d is not None and f else None
    ev["pooled_move_ratio"] = _r(ratio)
    ev["criterion"] = ("move = distance travelled by a hidden neuron's incoming weights and bias "
                       "during training. Within each arm with 3+ neurons in each group, neurons "
                       "saturated (|f'| < 1% of its max) on 90%+ of the samples at the start are "
                       "compared with neurons saturated on under 10%. Holds if the saturated ones "
                       "move less than a quarter as far (pooled); does not hold if half as far or "
                       "more; not tested if no arm has both kinds of neuron. An arm whose "
                       "activation cannot saturate (relu...) is not pooled")
    if ratio is None:
        ev[NOT_TESTED_KEY] = ("no arm whose activation can saturate had both kinds of neuron at "
                              "the start (3+ saturated on 90% of the samples and 3+ unsaturated): "
                              "large initial weights are what saturate neurons")
        return NOT_TESTED, ev
    if ratio < 0.25:
        return HOLDS, ev
    return (DOES_NOT_HOLD if ratio >= 0.5 else DEPENDS), ev


def _verdict_sparsity(rec: Records) -> tuple[str, dict]:
    sp = {lab: _per_seed(rs, "sparsity") for lab, rs in rec.items()}
    mean = {lab: _mean(v) for lab, v in sp.items()}
    ev = {
        "exact_zero_fraction_per_seed": {lab: [_r(x) for x in v] for lab, v in sp.items()},
        "mean_exact_zero_fraction": {lab: _r(v) for lab, v in mean.items()},
        "exact_zero_fraction_at_start": {
            lab: _r(_mean([_layer_mean(x) for x in _measure(rs, "sparsity_at_start")]))
            for lab, rs in rec.items()},
        "criterion": "fraction of hidden activations exactly 0.0 on the training set after "
                     "training. Holds if relu's is 20% or more and sigmoid's under 1%; does not "
                     "hold if relu's is no more than sigmoid's plus 5 points",
    }
    r, s = mean.get("relu"), mean.get("sigmoid")
    if r is None or s is None:
        return DEPENDS, ev
    if r <= s + 0.05:
        return DOES_NOT_HOLD, ev
    return (HOLDS if r >= 0.2 and s < 0.01 else DEPENDS), ev


def _dead_start_end(rs: Sequence[dict]) -> tuple[list, list]:
    return [_layer_mean(x) for x in _measure(rs, "dead_at_start")], _per_seed(rs, "dead_fraction")


def _verdict_dying_bias(rec: Records) -> tuple[str, dict]:
    ev: dict[str, Any] = {"dead_fraction_at_start": {}, "dead_fraction_at_end": {},
                          "dead_fraction_at_end_per_seed": {}, "neurons_revived": {},
                          "neurons_ever_dead": {}, "mean_accuracy": {}}
    for lab, rs in rec.items():
        start, end = _dead_start_end(rs)
        ev["dead_fraction_at_start"][lab] = _r(_mean(start))
        ev["dead_fraction_at_end"][lab] = _r(_mean(end))
        ev["dead_fraction_at_end_per_seed"][lab] = [_r(x) for x in end]
        ev["neurons_revived"][lab] = sum(_measure(rs, "revived"))
        ev["neurons_ever_dead"][lab] = sum(_measure(rs, "ever_died"))
        ev["mean_accuracy"][lab] = _r(_mean(_per_seed(rs, "accuracy")))
    ev["criterion"] = ("holds if the negative-bias net ends with at least half its hidden neurons "
                       "dead, 30 points more than the zero-bias net, and no dead neuron ever comes "
                       "back; depends if some come back; does not hold if the bias kills no more")
    neg, zero = ev["dead_fraction_at_end"]["negative bias"], ev["dead_fraction_at_end"]["zero bias"]
    if neg is None or zero is None:
        return DEPENDS, ev
    if neg < 0.5 or neg < zero + 0.3:
        return DOES_NOT_HOLD, ev
    return (HOLDS if ev["neurons_revived"]["negative bias"] == 0 else DEPENDS), ev


def _verdict_dying_lr(rec: Records) -> tuple[str, dict]:
    ev: dict[str, Any] = {"dead_fraction_at_start": {}, "dead_fraction_at_end": {},
                          "rise": {}, "rise_per_seed": {}, "diverged_runs": {}, "mean_accuracy": {}}
    for lab, rs in rec.items():
        start, end = _dead_start_end(rs)
        rise = [None if a is None or b is None else b - a for a, b in zip(start, end)]
        ev["dead_fraction_at_start"][lab] = _r(_mean(start))
        ev["dead_fraction_at_end"][lab] = _r(_mean(end))
        ev["rise"][lab] = _r(_mean(rise))
        ev["rise_per_seed"][lab] = [_r(x) for x in rise]
        ev["diverged_runs"][lab] = int(sum(_per_seed(rs, "diverged")))
        ev["mean_accuracy"][lab] = _r(_mean(_per_seed(rs, "accuracy")))
    ev["criterion"] = ("rise = dead fraction at the end minus at the start. Holds if the high "
                       "learning rate's rise is at least 15 points and 15 more than the low "
                       "rate's; does not hold if it is within 5 points of the low rate's")
    hi, lo = ev["rise"]["high lr"], ev["rise"]["low lr"]
    if hi is None or lo is None:
        return DEPENDS, ev
    if hi <= lo + 0.05:
        return DOES_NOT_HOLD, ev
    return (HOLDS if hi >= 0.15 and hi >= lo + 0.15 else DEPENDS), ev


def _verdict_leaky(rec: Records) -> tuple[str, dict]:
    ev: dict[str, Any] = {"dead_fraction_at_end": {}, "max_dead_fraction_any_seed": {},
                          "neurons_ever_dead": {}, "mean_accuracy": {}}
    for lab, rs in rec.items():
        end = _per_seed(rs, "dead_fraction")
        ev["dead_fraction_at_end"][lab] = _r(_mean(end))
        ev["max_dead_fraction_any_seed"][lab] = _r(max((x for x in end if x is not None), default=None))
        ev["neurons_ever_dead"][lab] = sum(_measure(rs, "ever_died"))
        ev["mean_accuracy"][lab] = _r(_mean(_per_seed(rs, "accuracy")))
    ev["criterion"] = ("holds if the same settings leave relu with 30% or more dead neurons and "
                       "no neuron of the leaky_relu or elu nets ever dies; does not hold if a fix "
                       "arm has dead neurons; not tested if relu does not die here (nothing to fix)")
    fixes = [lab for lab in rec if lab != "relu"]
    if any(ev["neurons_ever_dead"][lab] > 0 for lab in fixes):
        return DOES_NOT_HOLD, ev
    relu = ev["dead_fraction_at_end"].get("relu")
    if relu is None or relu < 0.3:
        dead = "no run finished" if relu is None else f"{100 * relu:.0f}% of its neurons dead at the end"
        ev[NOT_TESTED_KEY] = f"relu does not die with these settings ({dead}): there is nothing to fix"
        return NOT_TESTED, ev
    return HOLDS, ev


def _grad_growth(record: dict) -> float:
    """Largest overall gradient norm during training over the one at step 0 (inf if it overflowed)."""
    if record["summary"].get("diverged_at") is not None:
        return math.inf
    rows = [row for row in record["history"]["grad_norm"] if row]
    if not rows:
        return 1.0
    totals = [math.inf if any(g is None for g in row) else math.sqrt(sum(g * g for g in row))
              for row in rows]
    if totals[0] == 0:
        return 1.0 if max(totals) == 0 else math.inf
    return max(totals) / totals[0]


def _verdict_exploding(rec: Records) -> tuple[str, dict]:
    ev: dict[str, Any] = {"median_gradient_growth": {}, "gradient_growth_per_seed": {},
                          "diverged_runs": {}, "median_max_grad_norm": {},
                          "final_loss_finite_runs": {}, "mean_final_loss": {}, "runs": {}}
    growth = {}
    for lab, rs in rec.items():
        growth[lab] = statistics.median(_grad_growth(r) for r in rs)
        ev["runs"][lab] = len(rs)
        ev["median_gradient_growth"][lab] = _r(growth[lab], 3) if math.isfinite(growth[lab]) else "inf"
        ev["gradient_growth_per_seed"][lab] = [
            _r(g, 3) if math.isfinite(g) else "inf" for g in (_grad_growth(r) for r in rs)]
        ev["diverged_runs"][lab] = int(sum(_per_seed(rs, "diverged")))
        ev["median_max_grad_norm"][lab] = _r(_median(_measure(rs, "max_grad_norm")), 3)
        ev["final_loss_finite_runs"][lab] = sum(1 for x in _per_seed(rs, "loss") if x is not None)
        ev["mean_final_loss"][lab] = _r(_mean(_per_seed(rs, "loss")))
    ev["criterion"] = ("gradient growth = largest gradient norm during training over the one at "
                       "step 0 (inf if anything overflowed). Explodes = median growth of 1000x or "
                       "more. Holds if the unclipped net explodes while the clipped net's updates "
                       "stay bounded (growth under 10x, every final loss finite); does not hold if "
                       "the unclipped net does not explode; depends if clipping does not tame it")
    if growth["no clipping"] < 1e3:
        return DOES_NOT_HOLD, ev
    clipped_ok = (growth["clipped"] < 10
                  and ev["final_loss_finite_runs"]["clipped"] == ev["runs"]["clipped"]
                  and ev["diverged_runs"]["clipped"] == 0)
    return (HOLDS if clipped_ok else DEPENDS), ev


def _verdict_kink(rec: Records) -> tuple[str, dict]:
    labels = list(rec)
    losses = {lab: _per_seed(rs, "loss") for lab, rs in rec.items()}
    base = losses[labels[0]]
    diffs = []
    for lab in labels[1:]:
        for a, b in zip(base, losses[lab]):
            diffs.append(math.inf if a is None or b is None else abs(a - b))
    max_diff = max(diffs, default=0.0)
    spread = statistics.pstdev([x for x in base if x is not None]) if len(base) > 1 else 0.0
    hits = {lab: sum(_measure(rs, "zero_preactivations_at_end")) +
            sum(_measure(rs, "zero_preactivations_at_start")) for lab, rs in rec.items()}
    ev = {
        "final_loss_per_seed": {lab: [_r(x, 6) for x in v] for lab, v in losses.items()},
        "max_loss_difference_between_conventions": max_diff if not math.isfinite(max_diff) else _r(max_diff, 3),
        "seed_to_seed_spread_of_loss": _r(spread, 3),
        "preactivations_exactly_zero": hits,
        "preactivations_checked": sum(_measure(rec[labels[0]], "preactivations_checked")) * 2,
        "criterion": "holds if the final losses under the different f'(0) conventions differ by "
                     "less than 5% of the seed-to-seed spread (or 1e-9); does not hold if they "
                     "differ by half the spread or more",
    }
    if max_diff <= max(1e-9, 0.05 * spread):
        return HOLDS, ev
    if max_diff >= 0.5 * spread:
        return DOES_NOT_HOLD, ev
    return DEPENDS, ev


def _verdict_sigmoid_range(rec: Records) -> tuple[str, dict]:
    totals = {"sigmoid_values": 0, "exactly_0": 0, "exactly_1": 0, "strictly_between": 0}
    mins, maxs, distinct = [], [], []
    for rs in rec.values():
        for r in rs:
            m = r["measures"]
            for k in totals:
                totals[k] += m.get(k, 0)
            if m.get("min") is not None:
                mins.append(m["min"])
                maxs.append(m["max"])
            distinct.append(m.get("distinct_values", 0))
    n = totals["sigmoid_values"]
    binary = (totals["exactly_0"] + totals["exactly_1"]) / n if n else None
    ev = {
        **totals,
        "fraction_exactly_0_or_1": _r(binary),
        "smallest_value": min(mins) if mins else None,
        "largest_value": max(maxs) if maxs else None,
        "distinct_values_per_run_min": min(distinct) if distinct else 0,
        "criterion": "every value output by a sigmoid layer on the training set after training. "
                     "Holds if all are exactly 0 or 1; does not hold if fewer than half are; "
                     "depends in between",
    }
    if binary is None:
        ev[NOT_TESTED_KEY] = "no layer of these nets is a sigmoid: there is no sigmoid output to look at"
        return NOT_TESTED, ev
    if binary == 1.0:
        return HOLDS, ev
    return (DOES_NOT_HOLD if binary < 0.5 else DEPENDS), ev


# ------------------------------------------------------------------ conditions
# Each returns None when the arms meet what the claim is about, else why not: the text follows
# "not tested: " (the panel, ``relutui run``). The arms are the ones run, changes applied.
def _activation(config: TrainConfig):
    return get_activation(config.activation, derivative_at_kink=config.derivative_at_kink,
                          **config.activation_params)


_ZONE_GRID = np.linspace(-10.0, 10.0, 2001)


def _has_dead_zone(config: TrainConfig) -> bool:
    """Whether f'(z) is exactly 0 on a stretch of z (relu's z < 0): where a neuron can die."""
    with np.errstate(all="ignore"):
        return int(np.count_nonzero(_activation(config).derivative(_ZONE_GRID) == 0.0)) > 1


def _arm_uses(label: str, *names: str) -> Callable[[Experiment], str | None]:
    """The arm ``label`` uses one of the activations ``names`` (the ones the claim names)."""
    def check(exp: Experiment) -> str | None:
        act = exp.arm(label).config.activation
        if act in names:
            return None
        return f"the claim is about {' and '.join(names)}, and the “{label}” arm now uses {act}"
    return check


def _dies(label: str) -> Callable[[Experiment], str | None]:
    """The arm's activation has a zero-gradient zone: a neuron can die in it."""
    def check(exp: Experiment) -> str | None:
        cfg = exp.arm(label).config
        if _has_dead_zone(cfg):
            return None
        return (f"{cfg.activation} has no zero-gradient zone, so no neuron of the “{label}” arm can "
                f"die: the claim is about ReLU's dead zone (f'(z) = 0 for z < 0)")
    return check


def _fix(label: str) -> Callable[[Experiment], str | None]:
    """The arm is a fix: its activation has a gradient everywhere."""
    def check(exp: Experiment) -> str | None:
        cfg = exp.arm(label).config
        if not _has_dead_zone(cfg):
            return None
        return (f"the “{label}” arm now uses {_activation_text(cfg)}, which has a zero-gradient zone "
                f"like relu: it is not one of the fixes the claim is about")
    return check


def _activation_text(cfg: TrainConfig) -> str:
    params = ", ".join(f"{k}={v:g}" for k, v in cfg.activation_params.items())
    return cfg.activation + (f" ({params})" if params else "")


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


def _deep(min_hidden: int) -> Callable[[Experiment], str | None]:
    def check(exp: Experiment) -> str | None:
        depth = min(len(a.config.layers) for a in exp.arms)
        if depth >= min_hidden:
            return None
        return (f"the claim is about deep nets, judged here at {min_hidden} or more hidden "
                f"layers (the shrinking compounds layer by layer); this run has {depth}")
    return check


def _negative_bias(exp: Experiment) -> str | None:
    neg, zero = exp.arm("negative bias").config.bias_init, exp.arm("zero bias").config.bias_init
    if neg >= 0:
        return f"no arm has a negative bias (the negative-bias arm now has bias_init {_setting(neg)})"
    if neg >= zero:
        return (f"the negative-bias arm's bias_init ({_setting(neg)}) is not below the "
                f"zero-bias arm's ({_setting(zero)})")
    return None


def _higher_lr(exp: Experiment) -> str | None:
    hi, lo = exp.arm("high lr").config.lr, exp.arm("low lr").config.lr
    if hi > lo:
        return None
    return f"the high-lr arm's lr ({_setting(hi)}) is not higher than the low-lr arm's ({_setting(lo)})"


def _clipping(exp: Experiment) -> str | None:
    clipped, free = exp.arm("clipped").config.clip_norm, exp.arm("no clipping").config.clip_norm
    if clipped is None:
        return "the clipped arm no longer clips the gradient (clip_norm none)"
    if free is not None:
        return f"the no-clipping arm clips the gradient too (clip_norm {_setting(free)})"
    return None


def _large_weights(exp: Experiment) -> str | None:
    cfg = exp.arm("no clipping").config
    if cfg.init == "normal" and cfg.init_std >= 2.0 and len(cfg.layers) >= 8:
        return None
    init = f"init normal, init_std {_setting(cfg.init_std)}" if cfg.init == "normal" else f"init {cfg.init}"
    return ("the claim is tested on a deep net (8 or more hidden layers) with large initial "
            f"weights (init normal, init_std 2 or more); the no-clipping arm has "
            f"{len(cfg.layers)} hidden layers, {init}")


def _has_kink(exp: Experiment) -> str | None:
    cfg = exp.arms[0].config
    if _activation(cfg).kinks:
        return None
    return (f"{cfg.activation} has no kink, so the value assumed for f' there is never used: "
            f"the claim is about ReLU's kink at 0")


def _saturating(exp: Experiment) -> str | None:
    if any(a.config.activation in ("sigmoid", "tanh") for a in exp.arms):
        return None
    return "no arm uses sigmoid or tanh, the activations the claim is about"


# ------------------------------------------------------------------ the experiments
def _cfg(**kw: Any) -> TrainConfig:
    return TrainConfig(**kw).validate()


_DEEP = (8,) * 8

_EXPERIMENTS: tuple[Experiment, ...] = (
    Experiment(
        name="nonlinearity",
        title="Without an activation, a network is a linear model",
        claim="Without an activation function the model behaves like a limited-learning linear "
              "regression model: the non-linearity is what lets a network learn complicated patterns.",
        explanation="A stack of linear layers is one linear map, so it can only draw a straight "
                    "boundary. xor needs a bent one: identity stays near chance, relu and tanh fit it.",
        arms=(Arm("identity", _cfg(activation="identity", lr=0.5)),
              Arm("relu", _cfg(activation="relu", lr=0.5)),
              Arm("tanh", _cfg(activation="tanh", lr=0.5))),
        verdict_fn=_verdict_nonlinearity, steps=300, seeds=5,
        conditions=(_nonlinear_arms, _bent_data),
    ),
    Experiment(
        name="vanishing-gradient",
        title="Sigmoid makes gradients vanish in deep nets; ReLU does not",
        claim="Sigmoid in the hidden layers causes the dreaded vanishing gradient: in a deep net "
              "the first layer gets a tiny fraction of the last layer's gradient. ReLU does not. "
              "(The article names tanh too: tanh is shown for comparison, not judged.)",
        explanation="Backprop multiplies by f'(z) at every layer. sigmoid' is at most 0.25, so "
                    "eight layers shrink the gradient by orders of magnitude; relu' is 1 where "
                    "the neuron is on, and He init keeps the scale. The article lumps tanh in "
                    "with sigmoid: tanh' is 1 at 0, and with Xavier init it keeps the gradient "
                    "at this depth (its ratio is shown, not judged).",
        arms=(Arm("sigmoid", _cfg(activation="sigmoid", init="xavier", layers=_DEEP, lr=0.1)),
              Arm("tanh", _cfg(activation="tanh", init="xavier", layers=_DEEP, lr=0.1)),
              Arm("relu", _cfg(activation="relu", init="he", layers=_DEEP, lr=0.1))),
        verdict_fn=_verdict_vanishing, steps=150, seeds=5,
        conditions=(_arm_uses("sigmoid", "sigmoid"), _arm_uses("relu", "relu"), _deep(8)),
        unjudged=("tanh",),
    ),
    Experiment(
        name="saturation",
        title="Saturated sigmoid/tanh neurons stop learning",
        claim="Sigmoid and tanh both reach saturation and lose their sensitivity: a neuron with a "
              "large pre-activation barely changes.",
        explanation="Far from 0 the sigmoid is flat, f'(z) ~ 0, so the gradient reaching the "
                    "neuron's weights is tiny: large initial weights saturate neurons and they "
                    "hardly move while the others learn.",
        arms=(Arm("sigmoid, large weights", _cfg(activation="sigmoid", init="normal", init_std=8.0, lr=0.5)),
              Arm("tanh, large weights", _cfg(activation="tanh", init="normal", init_std=8.0, lr=0.5)),
              Arm("sigmoid, xavier", _cfg(activation="sigmoid", init="xavier", lr=0.5))),
        verdict_fn=_verdict_saturation, measure=_hidden_weight_moves, steps=150, seeds=5,
        conditions=(_saturating,),
    ),
    Experiment(
        name="sparsity",
        title="ReLU gives sparse activations, sigmoid does not",
        claim="ReLU has the property of representational sparsity: it can output a true zero value.",
        explanation="relu(z) = 0 for every z < 0, so a good share of hidden outputs are exactly 0; "
                    "sigmoid(z) > 0 for every finite z, so none are.",
        arms=(Arm("relu", _cfg(activation="relu")),
              Arm("sigmoid", _cfg(activation="sigmoid", init="xavier"))),
        verdict_fn=_verdict_sparsity, steps=300, seeds=5,
        conditions=(_arm_uses("relu", "relu"),),
    ),
    Experiment(
        name="dying-relu-bias",
        title="A large negative bias kills ReLU neurons, for good",
        claim="Dead neurons arise when there is a considerable amount of negative bias: the neuron "
              "is trapped on the negative side and, with a zero gradient, never recovers.",
        explanation="With every bias at -3 the pre-activation is negative on every input, so "
                    "relu'(z) = 0 on the whole batch: no gradient reaches the neuron and nothing "
                    "can move it back.",
        arms=(Arm("negative bias", _cfg(activation="relu", bias_init=-3.0)),
              Arm("zero bias", _cfg(activation="relu", bias_init=0.0))),
        verdict_fn=_verdict_dying_bias, steps=300, seeds=5,
        conditions=(_dies("negative bias"), _negative_bias),
    ),
    Experiment(
        name="dying-relu-lr",
        title="A high learning rate kills ReLU neurons during training",
        claim="Dead neurons also arise with a fast learning rate: big updates push neurons to the "
              "negative side, where they stay.",
        explanation="One large step can move a neuron's bias so far down that z < 0 on every "
                    "input; from then on its gradient is 0. The dead fraction rises during training.",
        arms=(Arm("high lr", _cfg(activation="relu", lr=5.0)),
              Arm("low lr", _cfg(activation="relu", lr=0.1))),
        verdict_fn=_verdict_dying_lr, steps=300, seeds=5,
        conditions=(_dies("high lr"), _higher_lr),
    ),
    Experiment(
        name="leaky-fix",
        title="Leaky ReLU and ELU cannot die",
        claim="Variants with a non-zero slope for negative inputs (leaky_relu, elu) fix the "
              "dying ReLU: the same settings leave no neuron dead.",
        explanation="leaky_relu'(z) = 0.01 and elu'(z) = e^z for z < 0: small, never exactly zero, "
                    "so a neuron pushed to the negative side still gets a gradient.",
        arms=(Arm("relu", _cfg(activation="relu", bias_init=-3.0, lr=1.0)),
              Arm("leaky_relu", _cfg(activation="leaky_relu", bias_init=-3.0, lr=1.0)),
              Arm("elu", _cfg(activation="elu", bias_init=-3.0, lr=1.0))),
        verdict_fn=_verdict_leaky, steps=300, seeds=5,
        conditions=(_dies("relu"), _fix("leaky_relu"), _fix("elu")),
    ),
    Experiment(
        name="exploding-gradient",
        title="Deep ReLU nets can explode; clipping tames them",
        claim="With ReLU the gradient can accumulate, leading to exploding gradients and huge "
              "weight updates that make learning unstable.",
        explanation="relu' = 1 does not damp anything, so with large weights the signal and the "
                    "gradient grow layer by layer; one huge update throws the net far away. "
                    "Clipping the gradient norm bounds every update (it does not by itself make "
                    "a badly initialised net train well: compare the final losses).",
        arms=(Arm("no clipping", _cfg(activation="relu", init="normal", init_std=2.0, layers=_DEEP, lr=0.1)),
              Arm("clipped", _cfg(activation="relu", init="normal", init_std=2.0, layers=_DEEP, lr=0.1,
                                  clip_norm=1.0))),
        verdict_fn=_verdict_exploding, steps=100, seeds=5,
        conditions=(_arm_uses("no clipping", "relu"), _clipping, _large_weights),
    ),
    Experiment(
        name="derivative-at-zero",
        title="The derivative convention at 0 does not matter",
        claim="When x is zero ReLU is not differentiable, but assuming a value there is usually "
              "harmless.",
        explanation="With real-valued inputs a pre-activation is exactly 0.0 almost never, so "
                    "whether relu'(0) is 0, 0.5 or 1 should not change the training at all.",
        arms=(Arm("f'(0) = 0", _cfg(activation="relu", derivative_at_kink=0.0)),
              Arm("f'(0) = 0.5", _cfg(activation="relu", derivative_at_kink=0.5)),
              Arm("f'(0) = 1", _cfg(activation="relu", derivative_at_kink=1.0))),
        verdict_fn=_verdict_kink, measure=_kink_hits, steps=300, seeds=5,
        conditions=(_has_kink,),
    ),
    Experiment(
        name="sigmoid-range",
        title="Sigmoid outputs are not just 0 and 1",
        claim="The output of the sigmoid function can only take on the values 0 and 1.",
        explanation="sigmoid(z) = 1 / (1 + e^-z) lies strictly between 0 and 1 for every finite z "
                    "(in float64 it rounds to exactly 1 only past z ~ 37). The claim mixes it up "
                    "with the step function.",
        arms=(Arm("sigmoid", _cfg(activation="sigmoid", init="xavier", lr=0.5)),),
        verdict_fn=_verdict_sigmoid_range, measure=_sigmoid_outputs, steps=300, seeds=5,
    ),
)

_BY_NAME = {e.name: e for e in _EXPERIMENTS}


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
__all__.append("EXPERIMENT_NAMES")
