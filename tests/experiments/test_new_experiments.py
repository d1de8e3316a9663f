"""The experiments added for the claims nothing tested before: the same verdict on seed groups
other than the defaults, under changes that keep the claim's subject, and "not tested" with
the reason when a change removes it.

compute-cost measures time: its verdict is never asserted on a real run (no timed assertion
in a test); its rule is tested on given costs, and a real run is checked for its shape.
"""

from __future__ import annotations

import math

import pytest

from relutui.experiments import (DEPENDS, DOES_NOT_HOLD, HOLDS, NOT_TESTED, NOT_TESTED_KEY, VERDICTS,
                                 get_experiment, run_experiment)
from relutui.experiments.claims import claims_for, part_verdict

GROUPS = (5, 1000)  # first seeds of two 5-seed groups other than the defaults (0-4)

EXPECTED = {  # name -> (verdict, {part: verdict})
    "f-vs-derivative": (DOES_NOT_HOLD, {}),
    "linear-pieces": (DOES_NOT_HOLD, {}),
    "training-speed": (DEPENDS, {"sigmoid": HOLDS, "tanh": DEPENDS}),
    "lower-layers-learn": (HOLDS, {}),
    "sigmoid-output": (DOES_NOT_HOLD, {"classification": HOLDS, "regression": DOES_NOT_HOLD}),
}


def _parts(result) -> dict:
    return {k: p["verdict"] for k, p in result.evidence.get("parts", {}).items()}


@pytest.mark.parametrize("first", GROUPS)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_same_verdict_on_other_seed_groups(name, first):
    verdict, parts = EXPECTED[name]
    result = run_experiment(name, first_seed=first, tables=False)
    assert result.seeds == list(range(first, first + 5))
    assert (result.verdict, _parts(result)) == (verdict, parts), result.evidence.get("deciding")
    assert result.evidence["deciding"]["what"] and result.evidence["criterion"]


def test_f_vs_derivative_shows_relu_relu_prime_and_step_at_2_5():
    value = run_experiment("f-vs-derivative", seeds=1).evidence["deciding"]["value"]
    assert value == {"relu": 2.5, "relu'": 1.0, "step": 1.0}


def test_linear_pieces_is_exact_on_each_side_and_fails_across_zero():
    ev = run_experiment("linear-pieces", seeds=1).evidence
    assert ev["pairs_failing_additivity"] == {"positive": 0.0, "negative": 0.0, "mixed": 1.0}
    assert ev["example"] == "relu(3 + -1) = 2, relu(3) + relu(-1) = 3"


def test_training_speed_reports_steps_by_depth_at_the_best_grid_lr():
    ev = run_experiment("training-speed", seeds=2, steps=60).evidence
    assert set(ev["by_depth"]) == {"1", "2", "4"}
    for row in ev["by_depth"].values():
        assert set(row) == {"relu", "sigmoid", "tanh"}
        for cell in row.values():
            assert 0 <= cell["steps"] <= 60 and cell["lr"] in (0.3, 1.0, 3.0)
            assert cell["reached"] == (cell["steps"] < 60)


@pytest.mark.parametrize("name, change", [
    ("lower-layers-learn", {"steps": 500}),          # longer training: the first layer still stalls
    ("sigmoid-output", {"steps": 1000}),             # longer training: still cannot fit
    ("sigmoid-output", {"lr": 0.5}),                 # another rate: the same
])
def test_subject_keeping_changes_keep_the_verdict(name, change):
    steps = change.pop("steps", None)
    exp = get_experiment(name).with_changes(**change) if change else get_experiment(name)
    assert run_experiment(exp, steps=steps, tables=False).verdict == EXPECTED[name][0]


@pytest.mark.parametrize("name, arm, change, why", [
    ("f-vs-derivative", "relu", {"activation": "step"}, "the claim is about relu"),
    ("linear-pieces", "relu", {"activation": "elu"}, "the claim is about relu"),
    ("compute-cost", "relu", {"activation": "tanh"}, "the claim is about relu"),
    ("training-speed", None, {"dataset": "sine"}, "regression task"),
    ("training-speed", "tanh", {"activation": "relu"}, "the claim is about tanh"),
    ("lower-layers-learn", "sigmoid", {"activation": "relu", "init": "he"}, "the claim is about sigmoid"),
    ("sigmoid-output", "sigmoid_regression", {"output": "identity"}, "a sigmoid output"),
    ("sigmoid-output", "sigmoid_bce", {"dataset": "sine"}, "regression task"),
])
def test_a_change_that_removes_the_subject_is_not_tested(name, arm, change, why):
    exp = get_experiment(name)
    exp = exp.with_arm_changes(arm, **change) if arm else exp.with_changes(**change)
    result = run_experiment(exp, seeds=1, steps=5, tables=False)
    assert result.verdict == NOT_TESTED and why in result.evidence[NOT_TESTED_KEY]


# ------------------------------------------------------------------ compute-cost
def _cost_records(costs: dict[str, dict[str, float]]) -> dict:
    def record(c):
        return {"measures": {**c, "ns_per_element": {"forward": 1.0, "derivative": 1.0}}}
    return {arm: [record(c)] * 3 for arm, c in costs.items()}


def _costs(element: float, backward: float, step: float) -> dict[str, float]:
    return {"forward_cost": element / 2, "derivative_cost": element / 2, "element_cost": element,
            "backward_cost": backward, "step_cost": step}


@pytest.mark.parametrize("relu, verdict, parts", [
    (_costs(1.0, 1.4, 1.4), HOLDS, [HOLDS, HOLDS, HOLDS]),            # relu 0.1x, 0.7x, 0.7x
    (_costs(1.0, 1.9, 1.9), DEPENDS, [HOLDS, DEPENDS, DEPENDS]),      # 0.95x: within the band
    (_costs(1.0, 2.2, 1.4), DOES_NOT_HOLD, [HOLDS, DOES_NOT_HOLD, HOLDS]),
    (_costs(8.0, 1.4, 1.4), DEPENDS, [DEPENDS, HOLDS, HOLDS]),        # 0.8x per element
])
def test_compute_cost_rule_on_given_costs(relu, verdict, parts):
    exp = get_experiment("compute-cost")
    other = _costs(10.0, 2.0, 2.0)
    v, ev = exp.verdict_fn(_cost_records({"relu": relu, "sigmoid": other, "tanh": other}))
    assert v == verdict and [p["verdict"] for p in ev["parts"].values()] == parts
    assert list(ev["parts"]) == ["per element", "gradient", "training step"]


def test_compute_cost_runs_and_reports_same_run_ratios():
    result = run_experiment("compute-cost", seeds=2, first_seed=GROUPS[0])
    assert result.verdict in VERDICTS
    ratios = result.evidence["relu_cost_over"]
    assert set(ratios) == {"forward_cost", "derivative_cost", "element_cost", "backward_cost", "step_cost"}
    for per_arm in ratios.values():
        assert set(per_arm) == {"sigmoid", "tanh"}
        assert all(math.isfinite(x) and x > 0 for x in per_arm.values())


def test_each_claim_naming_a_part_finds_it():
    for name in ("compute-cost", "training-speed", "sigmoid-output"):
        exp = get_experiment(name)
        steps = 5 if name != "compute-cost" else None
        result = run_experiment(exp, seeds=1, steps=steps, tables=False)
        for claim in claims_for(name):
            assert claim.part in result.evidence["parts"], (name, claim.part)
            verdict, deciding = part_verdict(claim, result.verdict_obj)
            assert verdict in VERDICTS and deciding["what"]


def test_lower_layers_learn_shows_the_stall_graded_by_depth():
    exp = get_experiment("lower-layers-learn").with_changes(steps=20)
    (tab,) = run_experiment(exp, seeds=1).tables
    assert tab["columns"] == ["hidden layers", "sigmoid", "relu", "sigmoid / relu"]
    assert [row[0] for row in tab["rows"]] == [1, 2, 3, 4, 6, 8]
    ratios = [row[3] for row in tab["rows"]]
    assert ratios == sorted(ratios, reverse=True)  # the deeper, the less the first layer moves
    assert "hidden layers" in tab["note"]
