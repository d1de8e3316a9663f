"""The command line: in-process through main([...]) for speed, plus the installed script."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from relutui.activations import ACTIVATIONS
from relutui.cli import main
from relutui.experiments import experiment_names

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / ".venv" / "bin" / "relutui"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_usage_error(code, out, err, *fragments):
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("relutui: error: ")
    for f in fragments:
        assert f in lines[0], lines[0]


# ------------------------------------------------------------------ list / plot
def test_list_shows_every_activation(capsys):
    code, out, err = run(capsys, "list")
    assert code == 0 and err == ""
    for name in ACTIVATIONS:
        assert name in out
    assert "f'(0) = 0" in out and "max(0, x)" in out


@pytest.mark.parametrize("columns", [80, 200])
def test_list_fits_the_terminal_and_cuts_no_word(capsys, monkeypatch, columns):
    """At 80 columns the five columns wrapped "negative_slo|pe=0.01" and the formulas over
    several lines: there, a name column and a definition, each part on its own line."""
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, err = run(capsys, "list")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= columns
    text = "\n".join(lines)
    for whole in ("negative_slope=0.01", "x if x > 0 else negative_slope * x", "min_val=-1, max_val=1",
                  "f'(-1) = 0, f'(1) = 0", "[0, ∞)", "{0, 1}", "(0, 1)", "[-1, 1]"):
        assert whole in text, whole
    for name in ACTIVATIONS:
        assert any(line.startswith(f"│ {name}") for line in lines), name


def test_plot_relu(capsys):
    code, out, err = run(capsys, "plot", "relu", "--size", "80", "20")
    assert code == 0 and err == ""
    assert "f(x)" in out and "f'(x)" in out and "kinks: f'(0) = 0" in out
    assert "\x1b[" not in out  # no colour codes when stdout is not a terminal
    assert "-10" in out and "10" in out


def test_plot_params_and_range(capsys):
    code, out, _ = run(capsys, "plot", "leaky_relu", "--param", "negative_slope=0.2",
                       "--range", "-3", "3", "--size", "60", "15")
    assert code == 0 and "-3" in out


@pytest.mark.parametrize("argv, fragments", [
    (["plot", "nope"], ["unknown activation 'nope'", "relu", "sigmoid"]),
    (["plot", "relu", "--param", "slope"], ["--param must look like name=value"]),
    (["plot", "relu", "--param", "foo=1"], ["relu has no parameter 'foo'"]),
    (["plot", "leaky_relu", "--param", "negative_slope=x"], ["must be a number"]),
    (["plot", "relu", "--range", "3", "1"], ["--range needs A < B"]),
    (["plot", "relu", "--range", "a", "1"], ["--range must be a number"]),
    (["plot", "relu", "--range", "-inf", "1"], ["--range must be a finite number"]),
    (["plot"], ["required"]),
])
def test_plot_bad_arguments(capsys, argv, fragments):
    assert_usage_error(*run(capsys, *argv), *fragments)


# ------------------------------------------------------------------ run
def test_run_list(capsys):
    code, out, _ = run(capsys, "run", "--list")
    assert code == 0
    for name in experiment_names():
        assert name in out


def test_run_experiment_readable_summary(capsys):
    code, out, err = run(capsys, "run", "-e", "dying-relu-bias", "--seeds", "2", "--steps", "50")
    assert code == 0 and err == ""
    assert "Claim:" in out and "Verdict: holds" in out and "negative bias" in out


def test_run_experiment_json_is_one_document_and_deterministic(capsys):
    argv = ["run", "--experiment", "sigmoid-range", "--seeds", "2", "--steps", "40", "--json"]
    code, out1, err = run(capsys, *argv)
    assert code == 0 and err == ""
    doc = json.loads(out1)
    assert doc["experiment"] == "sigmoid-range"
    assert doc["verdict"]["verdict"] == "does not hold"
    assert out1.count("\n") == 1
    _, out2, _ = run(capsys, *argv)
    assert out1 == out2


def test_run_experiment_with_a_setting_changed(capsys):
    code, out, _ = run(capsys, "run", "-e", "dying-relu-bias", "--bias", "0", "--seeds", "2",
                       "--steps", "50", "--json")
    doc = json.loads(out)
    assert code == 0
    assert all(a["config"]["bias_init"] == 0.0 for a in doc["config"]["arms"])
    # no arm has a negative bias any more: the claim is not tested (not refuted), and says why
    assert doc["verdict"]["verdict"] == "not tested"
    assert doc["verdict"]["evidence"]["not_tested_because"].startswith("no arm has a negative bias")


def test_free_form_run_has_the_same_shape(capsys):
    code, out, _ = run(capsys, "run", "--activation", "relu", "--lr", "0.1", "--bias", "-3",
                       "--dataset", "xor", "--layers", "4,4", "--steps", "500", "--seed", "0", "--json")
    assert code == 0
    doc = json.loads(out)
    _, exp_out, _ = run(capsys, "run", "-e", "sparsity", "--seeds", "1", "--steps", "5", "--json")
    assert set(doc) == set(json.loads(exp_out))
    assert doc["experiment"] is None and doc["verdict"] is None and doc["seeds"] == [0]
    cfg = doc["config"]["arms"][0]["config"]
    assert cfg["layers"] == [4, 4] and cfg["bias_init"] == -3.0 and cfg["lr"] == 0.1
    run0 = doc["runs"]["relu"][0]
    assert run0["summary"]["step"] == 500 and run0["summary"]["dead_fraction"] == [1.0, 1.0]


def test_run_csv_written_atomically_and_never_clobbered(capsys, tmp_path):
    path = tmp_path / "out.csv"
    code, out, _ = run(capsys, "run", "-e", "sparsity", "--seeds", "2", "--steps", "10",
                       "--csv", str(path))
    assert code == 0 and "written to" in out
    lines = path.read_text().splitlines()
    assert lines[0].split(",")[:7] == ["arm", "seed", "step", "loss", "accuracy", "test_loss",
                                       "test_accuracy"]
    assert "dead_fraction_1" in lines[0] and "grad_norm_3" in lines[0]
    assert len(lines) == 1 + 2 * 2 * 10
    assert lines[1].startswith("relu,0,0,")
    before = path.read_text()
    code, out, err = run(capsys, "run", "-e", "sparsity", "--seeds", "2", "--steps", "10",
                         "--csv", str(path))
    assert_usage_error(code, out, err, "already exists", "--force")
    assert path.read_text() == before
    code, _, _ = run(capsys, "run", "-e", "sparsity", "--seeds", "1", "--steps", "3",
                     "--csv", str(path), "--force")
    assert code == 0 and len(path.read_text().splitlines()) == 1 + 2 * 3
    assert sorted(os.listdir(tmp_path)) == ["out.csv"]  # no temp file left behind
    assert_usage_error(*run(capsys, "run", "-e", "sparsity", "--csv", str(tmp_path / "no" / "x.csv")),
                       "no such directory")


def test_json_and_csv_are_exclusive(capsys, tmp_path):
    code, _, err = run(capsys, "run", "-e", "sparsity", "--json", "--csv", str(tmp_path / "x.csv"))
    assert code == 2 and "not allowed with" in err


def test_data_file_works_where_dataset_does(capsys, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("x1,x2,label\n" + "".join(
        f"{(i % 7) / 7 - 0.5},{(i % 5) / 5 - 0.4},{i % 2}\n" for i in range(40)))
    code, out, _ = run(capsys, "run", "--data", str(good), "--steps", "20", "--json")
    assert code == 0
    assert json.loads(out)["config"]["arms"][0]["config"]["data_path"] == str(good)
    code, out, _ = run(capsys, "run", "-e", "sparsity", "--data", str(good), "--seeds", "1",
                       "--steps", "5", "--json")
    assert code == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n0,0,1\n1,abc,0\n")
    assert_usage_error(*run(capsys, "run", "--data", str(bad), "--steps", "5"), "bad.csv:3")
    assert_usage_error(*run(capsys, "run", "--data", str(tmp_path / "missing.csv")), "no such file")


BAD_CONFIG_FLAGS = [
    (["--activation", "nope"], ["unknown activation 'nope'", "leaky_relu"]),
    (["--lr", "0"], ["--lr must be between"]),
    (["--lr", "-1"], ["--lr must be between"]),
    (["--lr", "nan"], ["--lr must be a finite number"]),
    (["--lr", "inf"], ["--lr must be a finite number"]),
    (["--lr", "1e400"], ["--lr must be a finite number, got '1e400'"]),
    (["--lr", "text"], ["--lr must be a number, got 'text'"]),
    (["--layers", "0"], ["--layers", "width must be between 1 and 32, got 0"]),
    (["--layers", "-3"], ["--layers", "got -3"]),
    (["--layers", "4,,4"], ["--layers must be comma-separated"]),
    (["--layers", "100"], ["--layers", "got 100"]),
    (["--layers", ",".join(["4"] * 50)], ["--layers", "depth (hidden layers) must be between 1 and 10", "got 50"]),
    (["--bias", "1e9"], ["--bias must be between -50 and 50"]),
    (["--seed", "-1"], ["--seed must be between 0 and 4294967295, got -1"]),
    (["--seed", "1.5"], ["--seed must be a whole number"]),
    (["--dataset", "nope"], ["unknown dataset 'nope'", "xor"]),
    (["--init", "nope"], ["unknown init"]),
    (["--optimizer", "nope"], ["unknown optimizer"]),
    (["--batch-size", "-2"], ["--batch-size"]),
    (["--param", "negative_slope"], ["--param must look like name=value"]),
]


@pytest.mark.parametrize("flags, fragments", BAD_CONFIG_FLAGS)
def test_run_bad_flags(capsys, flags, fragments):
    assert_usage_error(*run(capsys, "run", "--steps", "5", *flags), *fragments)


@pytest.mark.parametrize("flags, fragments", [
    (["-e", "nope"], ["unknown experiment 'nope'", "dying-relu-bias", "sigmoid-range"]),
    (["-e", "sparsity", "--seeds", "0"], ["--seeds must be from 1 to 1000"]),
    (["-e", "sparsity", "--seeds", "1001"], ["--seeds must be from 1 to 1000"]),
    (["-e", "sparsity", "--seeds", "x"], ["--seeds must be a whole number"]),
    (["-e", "sparsity", "--steps", "0"], ["--steps must be from 1"]),
    (["-e", "sparsity", "--lr", "0"], ["--lr must be between"]),
    (["-e", "sparsity", "--layers", "4,,4"], ["--layers must be comma-separated"]),
    (["-e", "sparsity", "--seed", "4294967295", "--seeds", "2"], ["seeds must lie between"]),
])
def test_run_experiment_bad_arguments(capsys, flags, fragments):
    assert_usage_error(*run(capsys, "run", *flags), *fragments)


# ------------------------------------------------------------------ sweep
def test_sweep_small_grid_two_jobs(capsys, tmp_path):
    path = tmp_path / "grid.csv"
    code, out, err = run(capsys, "sweep", "--activation", "relu,sigmoid", "--lr", "0.1,1",
                         "--bias", "-3,0", "--seeds", "2", "--steps", "20", "--layers", "4",
                         "--jobs", "2", "--csv", str(path), "--metric", "dead")
    assert code == 0, err
    assert "8 cells x 2 seeds" in out and "dead (mean over seeds" in out
    assert "relu bias=-3" in out and "lr=0.1" in out and "100%" in out
    rows = path.read_text().splitlines()
    assert rows[0].startswith("activation,lr,bias_init,seeds,steps,loss_mean")
    assert len(rows) == 9
    assert_usage_error(*run(capsys, "sweep", "--lr", "0.1", "--csv", str(path)), "--force")


def test_sweep_json(capsys):
    code, out, _ = run(capsys, "sweep", "--lr", "0.1,1", "--seeds", "1", "--steps", "5",
                       "--jobs", "1", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["grid"] == {"lr": [0.1, 1.0]} and len(doc["cells"]) == 2


@pytest.mark.parametrize("flags, fragments", [
    (["--lr", "0.1,x"], ["--lr must be a number, got 'x'"]),
    (["--lr", "0.1,,1"], ["--lr: empty value"]),
    (["--lr", "0.1,0"], ["--lr must be between"]),
    (["--lr", "0.1,1e400"], ["--lr must be a finite number"]),
    (["--activation", "relu,bogus"], ["unknown activation 'bogus'", "sigmoid"]),
    (["--bias", "-3,99"], ["--bias must be between"]),
    (["--lr", "0.1", "--seeds", "0"], ["--seeds must be from 1"]),
    (["--lr", "0.1", "--jobs", "0"], ["--jobs must be from 1"]),
    (["--lr", "0.1", "--layers", "100"], ["--layers"]),
    ([], ["nothing to sweep"]),
])
def test_sweep_bad_grid_values(capsys, flags, fragments):
    assert_usage_error(*run(capsys, "sweep", "--steps", "2", *flags), *fragments)


# ------------------------------------------------------------------ the app
@pytest.fixture
def fake_app(monkeypatch):
    import relutui.app

    calls = []

    def run_app(config, lesson_path=None):
        calls.append((config, lesson_path))
        return 0

    monkeypatch.setattr(relutui.app, "run_app", run_app)
    return calls


def test_app_flags_build_a_validated_config(capsys, fake_app, tmp_path):
    lesson = tmp_path / "lesson.toml"
    lesson.write_text("")
    code = main(["--activation", "sigmoid", "--lr", "0.5", "--bias", "-1", "--layers", "4,4",
                 "--seed", "3", "--init", "xavier", "--optimizer", "adam", "--batch-size", "16",
                 "--noise", "0.2", "--l2", "0.01", "--dataset", "moons", "--lesson", str(lesson)])
    assert code == 0
    (config, lesson_path), = fake_app
    assert (config.activation, config.lr, config.bias_init, config.layers, config.seed) == (
        "sigmoid", 0.5, -1.0, (4, 4), 3)
    assert (config.init, config.optimizer, config.batch_size, config.noise, config.l2,
            config.dataset) == ("xavier", "adam", 16, 0.2, 0.01, "moons")
    assert lesson_path == [str(lesson)]  # (several --lesson make a sequence)


@pytest.mark.parametrize("flags, fragments", BAD_CONFIG_FLAGS + [
    (["--lesson", "/nonexistent/lesson.toml"], ["/nonexistent/lesson.toml: cannot read: No such file"]),
])
def test_app_bad_flags_exit_before_the_app_starts(capsys, fake_app, flags, fragments):
    assert_usage_error(*run(capsys, *flags), *fragments)
    assert fake_app == []


def test_app_flag_with_a_subcommand_is_refused(capsys):
    assert_usage_error(*run(capsys, "--lr", "0.5", "list"), "--lr is an app setting")


def test_argparse_errors_are_one_line(capsys):
    assert_usage_error(*run(capsys, "run", "--bogus"), "unrecognized arguments: --bogus")
    assert_usage_error(*run(capsys, "sweep", "--metric", "nope"), "invalid choice")


def test_help(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for cmd in ("list", "plot", "run", "sweep", "--activation", "--lesson"):
        assert cmd in out


# ------------------------------------------------------------------ the installed script
def test_installed_script(tmp_path):
    assert SCRIPT.exists()
    env = {**os.environ, "COLUMNS": "100"}
    t0 = time.perf_counter()
    help_ = subprocess.run([str(SCRIPT), "--help"], capture_output=True, text=True, env=env, cwd=REPO)
    assert help_.returncode == 0 and "sweep" in help_.stdout
    assert time.perf_counter() - t0 < 5
    bad = subprocess.run([str(SCRIPT), "run", "--experiment", "nope"], capture_output=True,
                         text=True, env=env, cwd=REPO)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.count("\n") == 1 and "unknown experiment 'nope'" in bad.stderr
    ok = subprocess.run([str(SCRIPT), "run", "-e", "sigmoid-range", "--seeds", "1", "--steps", "10",
                         "--json"], capture_output=True, text=True, env=env, cwd=REPO)
    assert ok.returncode == 0 and ok.stderr == ""
    assert json.loads(ok.stdout)["verdict"]["verdict"] == "does not hold"


def test_help_does_not_import_numpy():
    code = ("import sys; from relutui.cli import build_parser; build_parser(); "
            "print('numpy' in sys.modules, 'rich' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert out.stdout.split() == ["False", "False"], out.stderr


def test_progress_bar_goes_to_stderr_only(capsys):
    from relutui.cli import _Progress

    with _Progress("demo", 3, long_job=True) as bar:
        for i in range(1, 4):
            bar.update(i)
    out, err = capsys.readouterr()
    assert out == "" and "demo" in err and "3/3" in err
    with _Progress("quiet", 3, long_job=False) as bar:   # short job, stderr not a terminal
        bar.update(3)
    assert capsys.readouterr() == ("", "")


def test_evidence_reads_as_words_not_json():
    """`relutui run -e NAME` prints the evidence as words with honest numbers, not raw dicts
    with unrounded floats."""
    from relutui.cli_run import evidence_text

    assert evidence_text({"negative_bias": 0.99996, "zero_bias": 0.03125}) == "negative bias 0.99996; zero bias 0.03125"
    assert evidence_text({"what": "dead share", "value": 1.0}) == "dead share = 1"
    assert evidence_text([1.0, 0.0625, None, True]) == "[1, 0.0625, -, yes]"
    assert "{" not in evidence_text({"a": {"b": 0.123456789}}) and "0.1235" in evidence_text({"a": {"b": 0.123456789}})
