"""Lesson files: load, validate (file, key, reason), save atomically, round-trip, apply to the app state."""

from __future__ import annotations

import os

import pytest

from relutui.lessons import (
    FOCUS_PANELS, Lesson, LessonError, apply_lesson, default_lesson_filename, dumps_lesson,
    example_lessons, lesson_from_state, load_lesson, parse_lesson, save_lesson,
)
from relutui.training import TrainConfig


def _write(tmp_path, text: str, name: str = "lesson.toml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_example_lessons_ship_and_load():
    paths = example_lessons()
    assert len(paths) >= 2
    for p in paths:
        lesson = load_lesson(p)
        assert lesson.title and lesson.notes
        assert lesson.focus in FOCUS_PANELS


def test_minimal_lesson_is_the_default_config(tmp_path):
    lesson = load_lesson(_write(tmp_path, ""))
    assert lesson.config == TrainConfig().validate()
    assert (lesson.experiment, lesson.focus, lesson.notes, lesson.compare, lesson.steps) == (
        None, None, None, False, 0)


def test_full_lesson(tmp_path):
    text = '''
title = "Dying ReLU"
focus = "network"
experiment = "dying-relu-bias"
compare = true
compare_activation = "sigmoid"
steps = 12
notes = """
Line one.
Line two.
"""
[config]
activation = "leaky_relu"
activation_params = {negative_slope = 0.1}
bias_init = -2
layers = "4,4"
lr = 0.5
seed = 7
'''
    lesson = load_lesson(_write(tmp_path, text))
    assert lesson.title == "Dying ReLU"
    assert lesson.notes == "Line one.\nLine two."
    assert lesson.config.activation == "leaky_relu"
    assert lesson.config.activation_params == {"negative_slope": 0.1}
    assert lesson.config.layers == (4, 4)
    assert lesson.config.bias_init == -2.0 and lesson.config.seed == 7
    assert lesson.compare and lesson.compare_activation == "sigmoid" and lesson.steps == 12


@pytest.mark.parametrize("text, key, reason", [
    ("colour = 1", "colour", "unknown key"),
    ("title = 3", "title", "must be text"),
    ("compare = 1", "compare", "must be true or false"),
    ("steps = 1.5", "steps", "must be a whole number"),
    ("steps = -1", "steps", "must be from 0"),
    ("focus = 'sidebar'", "focus", "unknown panel 'sidebar'"),
    ("experiment = 'no-such-claim'", "experiment", "unknown experiment"),
    ("compare_activation = 'zzz'", "compare_activation", "unknown activation"),
    ("config = 3", "config", "must be a table"),
    ("[config]\nzoom = 2", "config.zoom", "unknown setting"),
    ("[config]\nlr = 'fast'", "config.lr", "must be a number"),
    ("[config]\nlr = 0", "config.lr", "lr must be between"),
    ("[config]\nlr = true", "config.lr", "must be a number"),
    ("[config]\nlr = inf", "config.lr", "finite"),
    ("[config]\nlr = nan", "config.lr", "finite"),
    ("[config]\nseed = -1", "config.seed", "seed must be"),
    ("[config]\nseed = 1.0", "config.seed", "must be a whole number"),
    ("[config]\nlayers = [0]", "config.layers", "width"),
    ("[config]\nlayers = '4,,4'", "config.layers", "layers"),
    ("[config]\nlayers = [4, 'x']", "config.layers", "list of sizes"),
    ("[config]\nlayers = [8,8,8,8,8,8,8,8,8,8,8]", "config.layers", "depth"),
    ("[config]\nactivation = 'nope'", "config.activation", "unknown activation"),
    ("[config]\nactivation_params = {slope = 1}", "config.activation_params", "no parameter"),
    ("[config]\ndataset = 'mnist'", "config.dataset", "unknown dataset"),
    ("[config]\ndata_path = 'missing.csv'", "config.data_path", "no such data file"),
])
def test_bad_lessons_name_the_key_and_the_reason(tmp_path, text, key, reason):
    path = _write(tmp_path, text)
    with pytest.raises(LessonError) as info:
        load_lesson(path)
    msg = str(info.value)
    assert msg.startswith(f"{path}: key '{key}': "), msg
    assert reason in msg, msg


def test_bad_toml_gives_the_line(tmp_path):
    path = _write(tmp_path, 'title = "ok"\nfocus = \n')
    with pytest.raises(LessonError, match=r"bad TOML: .*line 2") as info:
        load_lesson(path)
    assert str(info.value).startswith(f"{path}: ")


def test_binary_missing_and_non_utf8_files(tmp_path):
    with pytest.raises(LessonError, match="cannot read"):
        load_lesson(tmp_path / "absent.toml")
    b = tmp_path / "b.toml"
    b.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(LessonError, match="not a text file"):
        load_lesson(b)
    latin = tmp_path / "l.toml"
    latin.write_bytes('title = "caf\xe9"'.encode("latin-1"))
    with pytest.raises(LessonError, match="not UTF-8"):
        load_lesson(latin)


def test_relative_data_path_is_relative_to_the_lesson(tmp_path):
    (tmp_path / "data").mkdir()
    csv = tmp_path / "data" / "points.csv"
    csv.write_text("x1,x2,label\n0,0,0\n1,1,1\n0,1,1\n1,0,0\n0.5,0.5,1\n", encoding="utf-8")
    lesson = load_lesson(_write(tmp_path, "[config]\ndata_path = 'data/points.csv'\n"))
    assert os.path.samefile(lesson.config.data_path, csv)


def test_round_trip_and_atomic_save(tmp_path):
    cfg = TrainConfig(activation="elu", bias_init=-1.5, layers=(6, 3), lr=0.02, seed=11,
                      dataset="moons", noise=0.25, optimizer="adam", clip_norm=5.0,
                      derivative_at_kink=0.5).validate()
    lesson = Lesson(config=cfg, title='A "quoted" title', focus="chart", experiment="leaky-fix",
                    notes="Step 1.\n\tindented 'quote'\nλ unicode", compare=True,
                    compare_activation="tanh", steps=40)
    path = tmp_path / "saved.toml"
    assert save_lesson(lesson, path) == path
    assert load_lesson(path) == lesson
    assert parse_lesson(dumps_lesson(lesson)) == lesson
    # never overwrites unless asked, and leaves the file as it was
    before = path.read_bytes()
    with pytest.raises(FileExistsError):
        save_lesson(Lesson(), path)
    assert path.read_bytes() == before
    save_lesson(Lesson(), path, overwrite=True)
    assert load_lesson(path) == Lesson(config=TrainConfig().validate())
    # no temporary files left behind
    assert sorted(p.name for p in tmp_path.iterdir()) == ["saved.toml"]


def test_notes_with_awkward_text_round_trip(tmp_path):
    for notes in ["ends with quote '", "has ''' triple", "back\\slash and \"double\"", "one line"]:
        lesson = Lesson(config=TrainConfig().validate(), notes=notes)
        assert parse_lesson(dumps_lesson(lesson)).notes == notes


def test_default_lesson_filename_is_free(tmp_path):
    first = default_lesson_filename(tmp_path)
    assert first.name == "relutui-lesson-001.toml"
    first.write_text("")
    assert default_lesson_filename(tmp_path).name == "relutui-lesson-002.toml"


def test_apply_lesson_and_lesson_from_state(tmp_path):
    from relutui.app.state import AppState

    lesson = parse_lesson('compare = true\ncompare_activation = "tanh"\nsteps = 5\nfocus = "grads"\n'
                          '[config]\nactivation = "relu"\nlayers = [4]\nseed = 3\n')
    state = AppState(lesson.config)
    apply_lesson(state, lesson)
    assert state.compare and state.compare_activation == "tanh" and state.step == 5
    back = lesson_from_state(state, title="saved", notes="n", focus="grads", experiment=None)
    assert back.config == lesson.config and back.steps == 5 and back.compare
    save_lesson(back, tmp_path / "b.toml")
    again = load_lesson(tmp_path / "b.toml")
    state2 = AppState(again.config)
    apply_lesson(state2, again)
    # the same seed and steps give the same weights
    for w1, w2 in zip(state.run.net.weights, state2.run.net.weights):
        assert (w1 == w2).all()


# ---------------------------------------------------------------- the shipped lessons tell the truth
def _shipped(name: str):
    from relutui.app.state import AppState

    (path,) = [p for p in example_lessons() if p.name == name]
    lesson = load_lesson(path)
    state = AppState(lesson.config)
    state.open_lesson(lesson)
    return lesson, state


def test_dying_relu_lesson_notes_are_true():
    import numpy as np

    from relutui.diagnostics import DEAD
    from relutui.experiments import DEPENDS, NOT_TESTED, NOT_TESTED_KEY, run_experiment

    lesson, state = _shipped("dying-relu-class.toml")
    notes = " ".join(lesson.notes.split())
    # 1. "With bias init -3 all of it sits left of 0"
    assert "bias init -3 all of it sits left of 0" in notes
    assert state.config.bias_init == -3.0 and np.all(state.snapshot().z[0] < 0)
    # 3. "Not here: all 16 are dead, so no weight below the output changes"
    assert "all 16 are dead, so no weight below the output changes" in notes
    states = state.snapshot().states[:-1]
    assert sum(int(np.count_nonzero(s == DEAD)) for s in states) == 16 == sum(s.size for s in states)
    weights = [w.copy() for w in state.run.net.weights[:-1]]
    state.train_steps(500)
    assert not any(r.any() for r in state.run.death.revived)
    assert all(np.array_equal(w, w0) for w, w0 in zip(state.run.net.weights[:-1], weights))
    # 4. leaky ReLU: "none" dead; "does the accuracy move? (A gradient 100 times smaller is slow.)"
    assert "Press a to switch to leaky ReLU" in notes and "Press A to go back to ReLU" in notes
    assert state.cycle_activation(1) == "leaky_relu"
    acc0 = state.run.evaluate(state.run.dataset.X_train, state.run.dataset.y_train)[1]
    state.train_steps(500)
    assert all(not np.any(s == DEAD) for s in state.snapshot().states[:-1])
    acc = state.run.evaluate(state.run.dataset.X_train, state.run.dataset.y_train)[1]
    assert abs(acc - acc0) < 0.1 and acc < 0.6
    assert state.cycle_activation(-1) == "relu"
    # 5. "Press } four times (bias -1), then R to re-run: the verdict changes to depends. Train:
    # one of the 7 dead neurons comes back, in layer 2 (the panel counted 5 back over its 5
    # seeds, all in layer 2)."
    assert state.experiment.seeds == 5
    for _ in range(4):
        state.bias_step(1)
    assert state.config.bias_init == -1.0
    exp = state.experiment_to_run()
    result = run_experiment(exp, first_seed=state.config.seed)
    assert result.verdict == DEPENDS and "the verdict changes to depends" in notes
    assert result.evidence["neurons_back"]["negative_bias"] == 5 and "5 back over its 5" in notes
    from dataclasses import replace

    from relutui.experiments.watch import dead_on_training_set
    from relutui.training import TrainingRun

    back_by_layer = np.zeros(2, dtype=int)
    for seed in result.seeds:  # the panel's runs, again: where do the dead come back?
        run = TrainingRun(replace(exp.arm("negative_bias").config, seed=seed))
        ever = dead_on_training_set(run)
        back = np.zeros_like(ever)
        for _ in range(result.steps):
            run.train(1)
            dead = dead_on_training_set(run)
            back |= ever & ~dead
            ever |= dead
        back_by_layer += [int(back[:8].sum()), int(back[8:].sum())]
    assert back_by_layer.tolist() == [0, 5] and "all in layer 2" in notes
    dead0 = [np.count_nonzero(s == DEAD) for s in state.snapshot().states[:-1]]
    assert sum(dead0) == 7 and "one of the 7 dead neurons comes back, in layer 2" in notes
    state.train_steps(300)
    revived = [int(r.sum()) for r in state.run.death.revived]
    assert revived == [0, 1]
    # 6. "Press } twice more (bias 0) and R: why is the claim now not tested?"
    for _ in range(2):
        state.bias_step(1)
    exp = state.experiment_to_run()
    result = run_experiment(exp, seeds=1, steps=10)
    assert result.verdict == NOT_TESTED
    assert "no arm has a negative bias" in result.evidence[NOT_TESTED_KEY]


def test_vanishing_gradient_lesson_notes_are_true():
    from relutui.app.screens.bindings import COMPARE, MAIN

    lesson, state = _shipped("vanishing-gradient-class.toml")
    assert "0.25^8 ≈ 0.000015 or more" in lesson.notes and abs(0.25 ** 8 - 0.000015) < 3e-7
    assert state.compare and state.compare_activation == "relu"
    state.train_steps(1)
    first = state.run.history["grad_norm"][0]
    assert first[0] / first[-1] <= 0.25 ** 8  # "or more": this net shrinks it more
    # 2. "Which network's loss goes down? Why does the other one stall?"
    state.train_steps(600)
    sig, relu = state.training_view(state.run), state.training_view(state.run_b)
    assert f"{sig.last_loss:.3f}" == "0.693" and relu.last_loss < 0.1
    # 3. "Press c to leave compare mode, then n for a step-through": n is a main-screen key
    keys = lambda bindings: {k.strip() for b in bindings for k in b.key.split(",")}  # noqa: E731
    assert "Press c to leave compare mode, then n" in lesson.notes
    assert "c" in keys(COMPARE) and "n" not in keys(COMPARE) and "n" in keys(MAIN)
