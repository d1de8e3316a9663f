"""The claims lab's common machinery: arms, experiments, runs, summaries and verdict types.

The package docstring (``relutui.experiments``) says what an experiment is, how a change
of setting moves its verdict or leaves the claim "not tested", and what is reproducible.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np

try:
    from .. import __version__
except ImportError:  # an editable install made before __init__.py existed sees a namespace package
    from importlib.metadata import version as _dist_version

    __version__ = _dist_version("relutui")
from ..diagnostics import layer_diagnostics
from ..parallel import pmap
from ..settings import MAX_STEPS  # (one limit for runs and lessons)
from ..training import TrainConfig, TrainingRun

__all__ = [
    "HOLDS", "DOES_NOT_HOLD", "DEPENDS", "NOT_TESTED", "NOT_TESTED_KEY", "VERDICTS", "SCHEMA_VERSION",
    "MAX_SEEDS", "MAX_STEPS", "Records",
    "Arm", "Experiment", "ExperimentResult", "run_experiment", "free_form", "run_one", "run_metrics",
    "summarize",
]

HOLDS, DOES_NOT_HOLD, DEPENDS = "holds", "does not hold", "depends"
NOT_TESTED = "not tested"  # the arms as run cannot test the claim (see Experiment.untested_reason)
VERDICTS = (HOLDS, DOES_NOT_HOLD, DEPENDS, NOT_TESTED)
NOT_TESTED_KEY = "not_tested_because"  # the evidence's entry that says why
SCHEMA_VERSION = 2  # 2: arms have a key; "runs" and "summaries" are keyed by it; "tables"
MAX_SEEDS = 1000

_CONFIG_FIELDS = frozenset(f.name for f in fields(TrainConfig))

Records = Mapping[str, Sequence[dict]]  # arm key -> one record per seed
Table = dict  # {"name", "title", "columns", "rows", "note"}: a graded sweep (see run_experiment)
_KEY = re.compile(r"[a-z][a-z0-9_]*")


# ------------------------------------------------------------------ structures
@dataclass(frozen=True)
class Arm:
    """One side of a comparison: a label (its role, for display), the config it trains with
    and a key: a short identifier ("relu", "negative_bias") that verdicts, ``--arm`` and the
    records use. Without a key, the label's slug is the key.

    The config's ``seed`` is ignored: each run uses the experiment's seeds.
    """

    label: str
    config: TrainConfig
    key: str = ""

    def __post_init__(self) -> None:
        key = self.key
        if not key:  # the label's slug: "negative bias" -> "negative_bias"
            key = re.sub(r"[^a-z0-9]+", "_", self.label.lower()).strip("_")
            key = key if key[:1].isalpha() else f"arm_{key}".rstrip("_")
        if not _KEY.fullmatch(key):
            raise ValueError(f"arm key {key!r}: lower-case letters, digits and _, starting with a letter")
        object.__setattr__(self, "key", key)


@dataclass(frozen=True)
class Experiment:
    name: str
    title: str
    claim: str
    explanation: str
    arms: tuple[Arm, ...]
    # verdict_fn(records) or verdict_fn(records, experiment as run) -> (verdict, evidence)
    verdict_fn: Callable[..., tuple[str, dict]] = field(repr=False, compare=False)
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
    # a training loop in place of run.train(steps): train(run, steps) -> extra measures
    # (module-level, picklable); dying-relu-bias watches the whole training set every step
    train: Callable[[TrainingRun, int], dict] | None = field(default=None, repr=False, compare=False)
    # graded sweeps shown beside the verdict: tables(exp, seeds) -> [Table]; they do not
    # enter the verdict (run_experiment(..., tables=False) skips them)
    tables: Callable[["Experiment", list[int]], list[Table]] | None = field(
        default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.varies:
            object.__setattr__(self, "varies", _differing(a.config for a in self.arms))
        if len({a.key for a in self.arms}) != len(self.arms):
            raise ValueError(f"experiment {self.name!r}: two arms share a key")

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(a.label for a in self.arms)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(a.key for a in self.arms)

    def arm(self, key: str) -> Arm:
        """The arm with this key (or, for the app's lookups, this label)."""
        for a in self.arms:
            if a.key == key:
                return a
        for a in self.arms:
            if a.label == key:
                return a
        raise KeyError(f"experiment {self.name!r} has no arm {key!r}; arms: {', '.join(self.keys)}")

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
            exp = replace(exp, arms=tuple(replace(a, config=_changed(a.config, changes)) for a in exp.arms))
        return exp

    def with_arm_changes(self, key: str, **changes: Any) -> "Experiment":
        """A copy with settings changed in one arm only (``key``: its key or its label)."""
        if "steps" in changes or "seeds" in changes:
            raise ValueError("steps and seeds belong to the whole experiment, not to one arm")
        target = self.arm(key)
        arms = tuple(replace(a, config=_changed(a.config, changes)) if a is target else a
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
        verdict, evidence = (self.verdict_fn(records, self) if _takes_experiment(self.verdict_fn)
                             else self.verdict_fn(records))
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
            "arms": [{"key": a.key, "label": a.label, "config": _config_dict(a.config)} for a in self.arms],
            "not_judged": list(self.unjudged),
        }


def _takes_experiment(fn: Callable) -> bool:
    """Whether a verdict function is ``fn(records, experiment)`` (it needs the arms as run)."""
    import inspect

    try:
        return len(inspect.signature(fn).parameters) >= 2
    except (TypeError, ValueError):
        return False


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
    records: dict[str, list[dict]]      # arm key -> per-seed records
    verdict_obj: dict | None            # None for a free-form run (no claim)
    free_form: bool = False
    tables: list[Table] = field(default_factory=list)  # graded sweeps (Experiment.tables)

    @property
    def verdict(self) -> str | None:
        return None if self.verdict_obj is None else self.verdict_obj["verdict"]

    @property
    def evidence(self) -> dict:
        return {} if self.verdict_obj is None else self.verdict_obj["evidence"]

    def summaries(self) -> dict[str, dict]:
        return {key: summarize(recs) for key, recs in self.records.items()}

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
            "config": {"arms": [{"key": a.key, "label": a.label, "config": _config_dict(a.config)}
                                for a in exp.arms]},
            "runs": {key: [
                {"seed": r["seed"], "summary": r["summary"], "measures": r["measures"],
                 "history": r["history"]} for r in recs]
                for key, recs in self.records.items()},
            "summaries": self.summaries(),
            "verdict": self.verdict_obj,
            "tables": self.tables,
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
            keep_history: bool = True, train: Callable | None = None) -> dict:
    """Train one config for ``steps`` and return its JSON-ready record:
    ``{"seed", "summary", "measures", "history"}`` (history None unless ``keep_history``).

    Module-level (picklable) so that sweeps can run it in worker processes.
    """
    run = TrainingRun(config)
    start = _snapshot(run)
    extra: dict = {}
    if train is None:
        run.train(steps)
    else:
        extra = train(run, steps)
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
    measures.update(extra or {})
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
    config, steps, measure, train = task
    return run_one(config, steps, measure, train=train)


def run_experiment(name_or_exp: str | Experiment, seeds: int | Sequence[int] | None = None,
                   steps: int | None = None, progress: Callable[[int, int, str], None] | None = None,
                   first_seed: int = 0, jobs: int = 1,
                   arm_changes: Mapping[str, Mapping[str, Any]] | None = None,
                   tables: bool = True) -> ExperimentResult:
    """Run every arm of an experiment over its seeds and compute the verdict.

    ``seeds``: a count (seeds ``first_seed .. first_seed+n-1``) or an explicit list;
    default the experiment's own count. ``progress(done, total, label)`` is called
    after each run. ``jobs > 1`` runs in worker processes (same numbers).
    ``arm_changes``: ``{arm key: {setting: value}}``, settings changed in that arm only
    (``relutui run --arm KEY``). ``tables``: also compute the experiment's graded sweeps
    (they do not enter the verdict).
    """
    if isinstance(name_or_exp, str):
        from . import get_experiment
        name_or_exp = get_experiment(name_or_exp)
    exp = name_or_exp
    for key, changes in (arm_changes or {}).items():
        exp = exp.with_arm_changes(key, **changes)
    steps = exp.steps if steps is None else steps
    seed_list = _seed_list(exp.seeds if seeds is None else seeds, first_seed)
    _check_steps_seeds(steps, len(seed_list))
    tasks = [(arm, s, (replace(arm.config, seed=s).validate(), steps, exp.measure, exp.train))
             for arm in exp.arms for s in seed_list]
    records: dict[str, list[dict]] = {a.key: [] for a in exp.arms}
    results = pmap(_run_task, [t for _, _, t in tasks], jobs,
                   None if progress is None else
                   (lambda done, i: progress(done, len(tasks), tasks[i][0].label)))
    for (arm, _, _), rec in zip(tasks, results):
        records[arm.key].append(rec)
    result = ExperimentResult(exp, seed_list, steps, records, None, free_form=exp.name == "custom")
    if not result.free_form:
        result.verdict_obj = exp.verdict(records)
        if tables and exp.tables is not None:
            result.tables = _jsonable(exp.tables(exp, seed_list))
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
