"""The claims lab: every experiment's default verdict, the JSON document, determinism, sweeps."""

import copy
import json

import pytest

from relutui.experiments import (
    DEPENDS, DOES_NOT_HOLD, HOLDS, VERDICTS, Arm, Experiment, get_experiment, list_experiments,
    run_experiment,
)
from relutui.sweep import run_sweep
from relutui.training import TrainConfig

EXPECTED = {
    "nonlinearity": HOLDS,
    "vanishing-gradient": HOLDS,
    "saturation": HOLDS,
    "sparsity": HOLDS,
    "dying-relu-bias": HOLDS,
    "dying-relu-lr": HOLDS,
    "leaky-fix": HOLDS,
    "exploding-gradient": HOLDS,
    "derivative-at-zero": HOLDS,
    "sigmoid-range": DOES_NOT_HOLD,   # the article's claim is false
}

_CACHE: dict = {}


def default_result(name):
    if name not in _CACHE:
        _CACHE[name] = run_experiment(name)
    return _CACHE[name]


def test_registry_has_every_required_experiment():
    names = [e.name for e in list_experiments()]
    assert set(EXPECTED) <= set(names)
    assert len(names) == len(set(names))
    for e in list_experiments():
        assert e.seeds >= 5 and e.claim and e.explanation and e.title
        assert len({a.label for a in e.arms}) == len(e.arms)
        for arm in e.arms:
            assert arm.config == arm.config.validate()


@pytest.mark.parametrize("name", list(EXPECTED))
def test_default_verdict(name):
    result = default_result(name)
    assert result.verdict == EXPECTED[name], json.dumps(result.evidence, indent=1)
    v = result.verdict_obj
    assert set(v) == {"claim", "verdict", "evidence"}
    assert v["claim"] == get_experiment(name).claim
    assert v["evidence"]["criterion"]
    assert len(result.seeds) == get_experiment(name).seeds >= 5


@pytest.mark.parametrize("name, changes, verdict", [
    ("dying-relu-bias", {"bias_init": 0.0}, DOES_NOT_HOLD),
    ("nonlinearity", {"dataset": "linear"}, DOES_NOT_HOLD),
    ("sparsity", {"activation": "leaky_relu"}, DOES_NOT_HOLD),
    ("dying-relu-lr", {"lr": 0.1}, DOES_NOT_HOLD),
    ("saturation", {"init": "xavier"}, DEPENDS),
])
def test_changing_a_setting_moves_the_verdict(name, changes, verdict):
    exp = get_experiment(name).with_changes(**changes)
    for arm in exp.arms:
        for k, v in changes.items():
            assert getattr(arm.config, k) == v
    assert run_experiment(exp).verdict == verdict


def test_verdict_is_computed_from_the_records_only():
    result = default_result("dying-relu-bias")
    exp = result.experiment
    records = copy.deepcopy(result.records)
    assert exp.verdict(records)["verdict"] == HOLDS
    records["negative bias"][0]["measures"]["revived"] = 1      # a dead neuron came back
    assert exp.verdict(records)["verdict"] == DEPENDS
    for r in records["negative bias"]:                           # and now nothing is dead
        r["summary"]["dead_fraction"] = [0.0, 0.0]
    assert exp.verdict(records)["verdict"] == DOES_NOT_HOLD


def test_json_document_schema():
    result = run_experiment("leaky-fix", seeds=2, steps=30)
    doc = json.loads(json.dumps(result.to_json_dict(), allow_nan=False))
    assert set(doc) == {"schema_version", "relutui_version", "experiment", "title", "claim",
                        "explanation", "steps", "seeds", "config", "runs", "summaries", "verdict"}
    assert doc["experiment"] == "leaky-fix" and doc["steps"] == 30 and doc["seeds"] == [0, 1]
    labels = [a["label"] for a in doc["config"]["arms"]]
    assert labels == ["relu", "leaky_relu", "elu"]
    for arm in doc["config"]["arms"]:
        TrainConfig.from_dict({**arm["config"], "seed": 0})       # round-trips
        assert "seed" not in arm["config"]
    assert list(doc["runs"]) == labels and list(doc["summaries"]) == labels
    for label in labels:
        runs = doc["runs"][label]
        assert [r["seed"] for r in runs] == [0, 1]
        for r in runs:
            assert set(r) == {"seed", "summary", "measures", "history"}
            h = r["history"]
            assert set(h) >= {"step", "loss", "accuracy", "test_loss", "test_accuracy",
                              "dead_fraction", "saturated_fraction", "grad_norm"}
            assert h["step"][0] == 0 and len(h["step"]) == len(h["loss"]) == 30
            assert len(h["dead_fraction"][0]) == 2 and len(h["grad_norm"][0]) == 3
            assert r["summary"]["step"] == 30
        s = doc["summaries"][label]
        for metric in ("loss", "accuracy", "dead_fraction", "saturated_fraction", "sparsity", "diverged"):
            assert set(s[metric]) == {"mean", "std", "min", "max", "n"}
    assert doc["verdict"]["verdict"] in VERDICTS


def test_same_seed_same_bytes_and_jobs_do_not_matter():
    a = json.dumps(run_experiment("derivative-at-zero", seeds=2, steps=40).to_json_dict())
    b = json.dumps(run_experiment("derivative-at-zero", seeds=2, steps=40).to_json_dict())
    c = json.dumps(run_experiment("derivative-at-zero", seeds=2, steps=40, jobs=2).to_json_dict())
    assert a == b == c
    d = json.dumps(run_experiment("derivative-at-zero", seeds=2, steps=40, first_seed=1).to_json_dict())
    assert d != a


def test_progress_callback_counts_every_run():
    calls = []
    run_experiment("sparsity", seeds=2, steps=5, progress=lambda done, total, label: calls.append((done, total, label)))
    assert [c[0] for c in calls] == [1, 2, 3, 4] and {c[1] for c in calls} == {4}
    assert [c[2] for c in calls] == ["relu", "relu", "sigmoid", "sigmoid"]


def test_bad_names_and_changes_are_refused_clearly():
    with pytest.raises(ValueError, match="unknown experiment 'nope'; valid: nonlinearity"):
        get_experiment("nope")
    assert get_experiment("dying_relu_bias").name == "dying-relu-bias"
    exp = get_experiment("sparsity")
    with pytest.raises(ValueError, match="unknown setting 'learning_rate'"):
        exp.with_changes(learning_rate=1.0)
    with pytest.raises(ValueError, match="lr must be"):
        exp.with_changes(lr=0.0)
    with pytest.raises(ValueError, match="steps must be"):
        exp.with_changes(steps=0)
    with pytest.raises(ValueError, match="seeds must be"):
        run_experiment(exp, seeds=0)
    with pytest.raises(KeyError):
        exp.with_arm_changes("nope", lr=1.0)
    one = exp.with_arm_changes("relu", lr=0.5)
    assert one.arm("relu").config.lr == 0.5 and one.arm("sigmoid").config.lr == exp.arm("sigmoid").config.lr


def test_custom_experiment_as_data():
    exp = Experiment(
        name="mine", title="t", claim="relu learns xor", explanation="e",
        arms=(Arm("relu", TrainConfig()),),
        verdict_fn=lambda rec: (HOLDS if rec["relu"][0]["summary"]["accuracy"] > 0.9 else DOES_NOT_HOLD, {}),
        steps=200, seeds=1)
    assert run_experiment(exp).verdict == HOLDS
    assert run_experiment(exp, steps=1).verdict == DOES_NOT_HOLD


def test_sweep_small_grid_in_two_processes():
    grid = {"activation": ["relu", "sigmoid"], "bias_init": [-3.0, 0.0]}
    base = TrainConfig(layers=(4,))
    par = run_sweep(base, grid, seeds=2, steps=30, jobs=2)
    seq = run_sweep(base, grid, seeds=2, steps=30, jobs=1)
    assert [c.settings for c in par.cells] == [
        {"activation": "relu", "bias_init": -3.0}, {"activation": "relu", "bias_init": 0.0},
        {"activation": "sigmoid", "bias_init": -3.0}, {"activation": "sigmoid", "bias_init": 0.0}]
    assert [c.summary for c in par.cells] == [c.summary for c in seq.cells]
    assert par.cells[0].summary["dead_fraction"]["mean"] == 1.0
    assert par.cells[2].summary["dead_fraction"]["mean"] == 0.0
    lines = par.to_csv().splitlines()
    assert lines[0].startswith("activation,bias_init,seeds,steps,loss_mean,loss_std,accuracy_mean")
    assert len(lines) == 5 and lines[1].startswith("relu,-3.0,2,30,")


def test_sweep_refuses_bad_grids():
    with pytest.raises(ValueError, match="lr must be"):
        run_sweep(TrainConfig(), {"lr": [0.1, -1.0]}, seeds=1, steps=1)
    with pytest.raises(ValueError, match="cannot sweep 'layers'"):
        run_sweep(TrainConfig(), {"layers": [(4,)]}, seeds=1, steps=1)
    with pytest.raises(ValueError, match="unknown activation"):
        run_sweep(TrainConfig(), {"activation": ["relu", "nope"]}, seeds=1, steps=1)
    with pytest.raises(ValueError, match="limit"):
        run_sweep(TrainConfig(), {"lr": [0.1 * (i + 1) for i in range(100)]}, seeds=1000, steps=1)
