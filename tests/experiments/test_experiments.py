"""The claims lab: every experiment's default verdict, the JSON document, determinism, sweeps."""

import copy
import json

import pytest

from relutui.experiments import (
    DEPENDS, DOES_NOT_HOLD, HOLDS, NOT_TESTED, NOT_TESTED_KEY, VERDICTS, Arm, Experiment,
    get_experiment, list_experiments, run_experiment,
)
from relutui.sweep import run_sweep
from relutui.training import TrainConfig

# the ten experiments of the first claims lab (the newer ones have their own tests)
EXPECTED = {
    "nonlinearity": HOLDS,
    "vanishing-gradient": HOLDS,
    "saturation": HOLDS,
    "sparsity": HOLDS,
    "dying-relu-bias": HOLDS,
    "dying-relu-lr": HOLDS,
    "leaky-fix": DEPENDS,             # elu rescues the net, leaky_relu does not (an extension)
    "exploding-gradient": HOLDS,
    "derivative-at-zero": HOLDS,
    "sigmoid-range": DOES_NOT_HOLD,   # the article's claim is false
}

pytestmark = pytest.mark.xdist_group("experiments")


def test_registry_has_every_required_experiment():
    names = [e.name for e in list_experiments()]
    assert set(EXPECTED) <= set(names)
    assert len(names) == len(set(names))
    for e in list_experiments():
        assert e.seeds >= 5 and e.claim and e.explanation and e.title
        assert len({a.label for a in e.arms}) == len(e.arms)
        assert len(set(e.keys)) == len(e.arms)
        for arm in e.arms:
            assert arm.config == arm.config.validate()
            assert arm.key.isidentifier() and arm.key == arm.key.lower()


@pytest.mark.parametrize("name", list(EXPECTED))
def test_default_verdict(name, default_results):
    result = default_results[name]
    assert result.verdict == EXPECTED[name], json.dumps(result.evidence, indent=1)
    v = result.verdict_obj
    assert set(v) == {"claim", "verdict", "evidence"}
    assert v["claim"] == get_experiment(name).claim
    assert v["evidence"]["criterion"]
    assert set(v["evidence"]["deciding"]) == {"what", "value"}
    assert len(result.seeds) == get_experiment(name).seeds >= 5


@pytest.mark.parametrize("bias, verdict", [(-1.0, DEPENDS), (-0.5, DOES_NOT_HOLD)])
def test_changing_a_setting_moves_the_verdict(bias, verdict):
    """A weaker negative bias still tests the claim, and the verdict moves: at -1 about half the
    neurons die but some come back; at -0.5 too few die."""
    exp = get_experiment("dying-relu-bias").with_arm_changes("negative_bias", bias_init=bias)
    assert exp.untested_reason() is None
    result = run_experiment(exp)
    assert result.verdict == verdict, json.dumps(result.evidence, indent=1)
    assert NOT_TESTED_KEY not in result.evidence


def _arm(label, **changes):
    return lambda exp: exp.with_arm_changes(label, **changes)


def _all(**changes):
    return lambda exp: exp.with_changes(**changes)


# A change that takes away what the claim is about: (experiment, change, words of the reason).
# Every experiment has at least one (test_every_experiment_knows_when_it_is_not_tested).
UNTESTED = [
    ("nonlinearity", _arm("identity", activation="relu"), "no arm is without an activation"),
    ("vanishing-gradient", _arm("relu", activation="sigmoid"), "the “relu” arm now uses sigmoid"),
    ("vanishing-gradient", _arm("sigmoid", activation="tanh"), "the “sigmoid” arm now uses tanh"),
    ("saturation", _all(activation="relu"), "no arm uses sigmoid or tanh"),
    ("sparsity", _arm("relu", activation="leaky_relu"), "the “relu” arm now uses leaky_relu"),
    ("dying-relu-bias", _all(bias_init=0.0), "no arm has a negative bias (the negative-bias arm now "
                                            "has bias_init 0)"),
    ("dying-relu-bias", _arm("negative_bias", bias_init=1.0), "no arm has a negative bias"),
    ("dying-relu-bias", _all(activation="leaky_relu"), "leaky_relu has no zero-gradient zone"),
    ("dying-relu-bias", _all(bias_init=-3.0), "not below the zero-bias arm's"),
    ("dying-relu-lr", _all(lr=0.1), "the high-lr arm's lr (0.1) is not higher than the low-lr arm's (0.1)"),
    ("dying-relu-lr", _all(activation="elu"), "elu has no zero-gradient zone"),
    ("leaky-fix", _arm("leaky_relu", activation_params={"negative_slope": 0.0}),
     "leaky_relu (negative_slope=0), which has a zero-gradient zone"),
    ("leaky-fix", _arm("relu", activation="selu"), "selu has no zero-gradient zone"),
    ("derivative-at-zero", _all(activation="sigmoid"), "sigmoid has no kink"),
    ("derivative-at-zero", _all(derivative_at_kink=1.0),
     "the arms are identical (every arm has derivative_at_kink 1): nothing is compared"),
]


@pytest.mark.parametrize("name, change, reason", UNTESTED,
                         ids=[f"{n}-{r[:24]}" for n, _, r in UNTESTED])
def test_a_change_that_removes_the_claims_condition_is_not_tested(name, change, reason):
    exp = change(get_experiment(name))
    why = exp.untested_reason()
    assert why is not None and reason in why, why
    result = run_experiment(exp, seeds=1, steps=5)  # the numbers are still measured
    assert result.verdict == NOT_TESTED
    assert result.evidence[NOT_TESTED_KEY] == why
    assert result.evidence["criterion"]


# Changes that keep the configs valid for the claim, where the runs show that what the claim is
# about did not happen: decided from the records (measured, not from a setting's name).
@pytest.mark.parametrize("name, change, reason", [
    ("nonlinearity", _all(dataset="gaussians"), "a linear model already fits these data"),
    ("nonlinearity", _all(dataset="linear"), "a linear model already fits these data"),
    ("nonlinearity", _all(dataset="sine"), "the runs give no accuracy"),
    ("saturation", _all(init="xavier"), "no arm whose activation can saturate had both kinds of neuron"),
    ("leaky-fix", _all(bias_init=0.0), "relu does not die with these settings"),
    ("sigmoid-range", _all(activation="relu", dataset="sine"), "no layer of these nets is a sigmoid"),
])
def test_when_the_runs_lack_what_the_claim_is_about_it_is_not_tested(name, change, reason):
    exp = change(get_experiment(name))
    assert exp.untested_reason() is None
    result = run_experiment(exp)
    assert result.verdict == NOT_TESTED, json.dumps(result.evidence, indent=1)
    assert reason in result.evidence[NOT_TESTED_KEY]


def test_every_experiment_knows_when_it_is_not_tested():
    """exploding-gradient has no such change: the gradient's size is measurable with any
    activation and init (He init gives "does not hold", not "not tested")."""
    covered = {name for name, _, _ in UNTESTED} | {"saturation", "leaky-fix", "sigmoid-range"}
    assert covered == set(EXPECTED) - {"exploding-gradient"}
    for e in list_experiments():
        assert e.untested_reason() is None, e.name  # as defined, every claim is tested


def test_saturation_pools_only_activations_that_can_saturate():
    """A relu arm's 'saturated' neurons are switched off (f' = 0), not saturated: not pooled."""
    exp = get_experiment("saturation").with_arm_changes("sigmoid_large", activation="relu")
    assert exp.untested_reason() is None  # tanh still tests it
    result = run_experiment(exp)
    assert result.evidence["pooled"]["sigmoid_large"] is False
    assert result.evidence["pooled"]["tanh_large"] is True


def test_vanishing_gradient_judges_sigmoid_against_relu_and_only_shows_tanh(default_results):
    exp = get_experiment("vanishing-gradient")
    assert "tanh" not in exp.title.lower()
    assert "tanh is shown for comparison, not judged" in exp.explanation
    assert exp.unjudged == ("tanh",)
    result = default_results["vanishing-gradient"]
    assert result.verdict == HOLDS
    records = copy.deepcopy(result.records)
    for r in records["tanh"]:  # tanh vanishing as badly as sigmoid changes nothing
        r["history"]["grad_norm"] = [[1e-9] + row[1:] if row else row for row in r["history"]["grad_norm"]]
    v = exp.verdict(records)
    assert v["evidence"]["ratio_first_steps"]["tanh"] < 1e-6 and v["verdict"] == HOLDS


def test_verdict_is_computed_from_the_records_only(default_results):
    result = default_results["dying-relu-bias"]
    exp = result.experiment
    records = copy.deepcopy(result.records)
    assert exp.verdict(records)["verdict"] == HOLDS
    records["negative_bias"][0]["measures"]["set_revived"] = 10  # dead neurons came back
    assert exp.verdict(records)["verdict"] == DEPENDS
    for r in records["negative_bias"]:                           # and now nothing is dead
        r["measures"]["set_dead_at_end"] = 0
    assert exp.verdict(records)["verdict"] == DOES_NOT_HOLD


def test_json_document_schema():
    result = run_experiment("leaky-fix", seeds=2, steps=30)
    doc = json.loads(json.dumps(result.to_json_dict(), allow_nan=False))
    assert set(doc) == {"schema_version", "relutui_version", "experiment", "title", "claim",
                        "explanation", "steps", "seeds", "config", "runs", "summaries", "verdict",
                        "tables"}
    assert doc["tables"] == []  # leaky-fix has no sweep
    assert doc["experiment"] == "leaky-fix" and doc["steps"] == 30 and doc["seeds"] == [0, 1]
    labels = [a["key"] for a in doc["config"]["arms"]]
    assert labels == ["relu", "leaky_relu", "elu"] == [a["label"] for a in doc["config"]["arms"]]
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
    with pytest.raises(ValueError, match="whole experiment"):
        exp.with_arm_changes("relu", steps=3)
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
