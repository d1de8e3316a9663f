"""relutui run --experiment NAME --arm KEY: config flags change one arm only (as the app's
change-a-setting-and-R does), and the experiment's sweep tables are printed and in --json."""

import json

import pytest

from relutui.cli import main
from relutui.experiments import NOT_TESTED, get_experiment, run_experiment


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_arm_changes_one_arm_only(capsys):
    code, out, _ = run(capsys, "run", "-e", "dying-relu-bias", "--arm", "negative_bias", "--bias", "-1",
                       "--seeds", "2", "--steps", "40", "--json")
    assert code == 0
    doc = json.loads(out)
    arms = {a["key"]: a["config"]["bias_init"] for a in doc["config"]["arms"]}
    assert arms == {"negative_bias": -1.0, "zero_bias": 0.0}
    assert doc["verdict"]["verdict"] != NOT_TESTED
    # the same change through the API gives the same bytes
    exp = get_experiment("dying-relu-bias")
    api = run_experiment(exp, seeds=2, steps=40, arm_changes={"negative_bias": {"bias_init": -1.0}})
    assert json.dumps(api.to_json_dict(), separators=(",", ":")) == out.strip()


def test_without_arm_the_flag_changes_every_arm(capsys):
    code, out, _ = run(capsys, "run", "-e", "dying-relu-bias", "--bias", "-1", "--seeds", "1",
                       "--steps", "5", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["verdict"]["verdict"] == NOT_TESTED
    assert "not below the zero-bias arm's" in doc["verdict"]["evidence"]["not_tested_because"]


@pytest.mark.parametrize("argv, fragment", [
    (("-e", "dying-relu-bias", "--arm", "negative bias", "--bias", "-1"),
     "has no arm 'negative bias'; arms: negative_bias, zero_bias"),
    (("--activation", "relu", "--arm", "relu"), "--arm needs --experiment"),
])
def test_bad_arm_is_a_usage_error(capsys, argv, fragment):
    code, out, err = run(capsys, "run", *argv)
    assert code == 2 and out == ""
    assert err.startswith("relutui: error: ") and fragment in err


def test_sweep_tables_are_printed_and_in_json(capsys):
    code, out, _ = run(capsys, "run", "-e", "exploding-gradient", "--seeds", "1", "--steps", "3", "--json")
    doc = json.loads(out)
    (table,) = doc["tables"]
    assert set(table) == {"name", "title", "columns", "rows", "note"}
    assert all(len(row) == len(table["columns"]) for row in table["rows"])
    code, out, _ = run(capsys, "run", "-e", "exploding-gradient", "--seeds", "1", "--steps", "3")
    assert code == 0
    assert f"Table: {table['title']}" in " ".join(out.split())
    assert "normal(2)" in out and "[unclipped]" in out
