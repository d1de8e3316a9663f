"""The command line on odd terminals and odd values (issue 15): ``PYTHONIOENCODING=ascii``
crashed ``list``, ``plot``, ``run`` and ``sweep`` with UnicodeEncodeError; huge activation
parameters crashed inside plotext; ``--param derivative_at_kink`` gave Python's own message;
a 4-million-cell sweep grid was built cell by cell before its size was checked; numpy
RuntimeWarnings were printed on valid input.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings

import pytest

from relutui.cli import main

CLI = [sys.executable, "-m", "relutui.cli"]


def run_cli(*args: str, env: dict | None = None, cwd=None):
    return subprocess.run([*CLI, *args], capture_output=True, timeout=300, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), **(env or {})})


def refused(code: int, err: str, *words: str) -> None:
    assert code == 2, err
    assert err.startswith("relutui: error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    for w in words:
        assert w in err, (w, err)


# ---------------------------------------------------------------- ASCII terminals
@pytest.mark.parametrize("args,expect", [
    (["list"], "inf"),
    (["plot", "relu", "--size", "60", "15"], "ReLU: f(x) = max(0, x)"),
    (["run", "--steps", "3"], "+/-"),
    (["sweep", "--lr", "0.1,1", "--seeds", "2", "--steps", "3", "--jobs", "1"], "+/-"),
], ids=["list", "plot", "run", "sweep"])
def test_ascii_output_encoding_does_not_crash(tmp_path, args, expect):
    proc = run_cli(*args, env={"PYTHONIOENCODING": "ascii"}, cwd=tmp_path)
    err = proc.stderr.decode("ascii", "replace")
    assert proc.returncode == 0, err
    assert "UnicodeEncodeError" not in err and "Traceback" not in err, err
    out = proc.stdout.decode("ascii")  # every byte ASCII
    assert expect in out, out


def test_ascii_tables_stay_aligned(tmp_path):
    """Stand-ins are chosen before the table is laid out: every row has the same width."""
    proc = run_cli("run", "--steps", "3", env={"PYTHONIOENCODING": "ascii", "COLUMNS": "100"}, cwd=tmp_path)
    lines = [l for l in proc.stdout.decode("ascii").splitlines() if l.startswith(("|", "+"))]
    assert lines and len({len(l) for l in lines}) == 1, lines


# ---------------------------------------------------------------- plot values
@pytest.mark.parametrize("name,param", [
    ("leaky_relu", "negative_slope=1e308"),
    ("relu", "derivative_at_kink=1e308"),
    ("leaky_relu", "negative_slope=1e200"),
])
def test_plot_refuses_values_too_large_to_draw(capsys, name, param):
    code = main(["plot", name, "--param", param, "--size", "60", "15"])
    out, err = capsys.readouterr()
    refused(code, err, "too large to plot")


def test_plot_still_draws_a_large_but_drawable_slope(capsys):
    assert main(["plot", "leaky_relu", "--param", "negative_slope=1000", "--size", "60", "15"]) == 0
    assert "f(x)" in capsys.readouterr().out


@pytest.mark.parametrize("argv,words", [
    (["plot", "sigmoid", "--param", "derivative_at_kink=0.5"], ("sigmoid is smooth", "does not apply")),
    (["run", "--activation", "sigmoid", "--param", "derivative_at_kink=0.5", "--steps", "2"], ("--kink",)),
    (["run", "--activation", "relu", "--param", "derivative_at_kink=0.5", "--steps", "2"], ("--kink",)),
    (["sweep", "--lr", "0.1,1", "--param", "derivative_at_kink=0.5", "--steps", "2"], ("--kink",)),
])
def test_derivative_at_kink_as_a_param_gets_a_clear_message(capsys, argv, words):
    code = main(argv)
    _, err = capsys.readouterr()
    refused(code, err, *words)
    assert "keyword argument" not in err and "get_activation" not in err, err


def test_derivative_at_kink_in_a_lesson_activation_params(tmp_path):
    from relutui.lessons import LessonError, load_lesson

    path = tmp_path / "l.toml"
    path.write_text("[config]\nactivation_params = {derivative_at_kink = 0.5}\n")
    with pytest.raises(LessonError, match="not an activation parameter"):
        load_lesson(path)


# ---------------------------------------------------------------- sweep grid size
def test_huge_grid_is_refused_before_a_cell_is_built(monkeypatch):
    import relutui.sweep as sweep
    from relutui.training import TrainConfig

    def no_cells(*a, **k):
        raise AssertionError("a cell was built before the size check")

    monkeypatch.setattr(sweep, "replace", no_cells)
    grid = {"lr": [0.001 * (i + 1) for i in range(2000)], "bias_init": [i / 1000 for i in range(2000)]}
    with pytest.raises(ValueError, match=r"4000000 cells x 1 seeds.*limit is 20000"):
        sweep.plan_sweep(TrainConfig(), grid, 1, 10)


def test_huge_grid_on_the_command_line_is_a_clear_refusal(capsys):
    lrs = ",".join(f"{0.001 * (i + 1):g}" for i in range(2000))
    biases = ",".join(f"{i / 1000:g}" for i in range(2000))
    code = main(["sweep", "--lr", lrs, "--bias", biases, "--seeds", "1"])
    _, err = capsys.readouterr()
    refused(code, err, "limit is 20000")


# ---------------------------------------------------------------- warnings on valid input
@pytest.mark.parametrize("argv", [
    ["run", "--lr", "100", "--layers", ",".join(["32"] * 10), "--steps", "60"],
    ["run", "-e", "exploding-gradient", "--activation", "leaky_relu", "--seed", "2", "--seeds", "1"],
], ids=["lr100-10x32", "exploding-leaky"])
def test_no_runtime_warning_on_valid_input(capsys, argv):
    """TrainingRun.evaluate computed the loss outside the engine's errstate."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert main(argv) == 0
    _, err = capsys.readouterr()
    assert "Warning" not in err, err


def test_evaluate_of_a_diverged_net_is_silent():
    import numpy as np

    from relutui.training import TrainConfig, TrainingRun

    run = TrainingRun(TrainConfig(lr=100.0, layers=(32,) * 10, seed=0))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run.train(60)
        loss, _ = run.evaluate(run.dataset.X_train, run.dataset.y_train)
    assert run.diverged_at is not None and not np.isfinite(loss)
