"""A lesson's ``steps`` train after the first frame, with progress in the status line, while
keys work (``q`` quits); and a step too long for a frame never runs on the UI thread (play at
the largest sizes). Counted in steps, frames and threads, never timed."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from relutui.app.app import ReluApp
from relutui.app.state import AppState
from relutui.app.widgets.status_bar import StatusBar
from relutui.training import LIMITS, TrainConfig, TrainingRun

from .conftest import SIZE

LESSON = '''
title = "Trained a while"
steps = {steps}

[config]
activation = "relu"
seed = 3
{extra}
'''
BIG = f'layers = [{", ".join(["32"] * LIMITS["depth"][1])}]\nn_samples = {LIMITS["n_samples"][1]}'


def write(tmp_path: Path, steps: int, extra: str = "") -> Path:
    p = tmp_path / "lesson.toml"
    p.write_text(LESSON.format(steps=steps, extra=extra), encoding="utf-8")
    return p


def status_text(app) -> str:
    bar = app.screen.query_one(StatusBar)
    return bar.line(app.state).plain


async def wait_until(pilot, cond, frames: int = 3000) -> bool:
    for _ in range(frames):
        if cond():
            return True
        await pilot.pause(0.01)
    return cond()


async def test_first_frame_before_the_steps_then_the_same_network(tmp_path):
    app = ReluApp(lesson_path=write(tmp_path, 3000))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.state.step < 3000  # the app is on screen before the lesson's steps are done
        assert "lesson: step" in status_text(app)
        assert await wait_until(pilot, lambda: app.state.step == 3000 and app.busy_text is None)
        assert "lesson" not in status_text(app)
        trained = app.state.run.net
    direct = AppState(TrainConfig(activation="relu", seed=3))
    direct.train_steps(3000)  # the same steps trained at once give the same weights
    for a, b in zip(trained.weights + trained.biases, direct.run.net.weights + direct.run.net.biases):
        assert np.array_equal(a, b)


async def test_q_quits_while_a_lesson_trains(tmp_path):
    app = ReluApp(lesson_path=write(tmp_path, 100_000))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code is not None or not app.is_running
    assert app.state.step < 100_000


async def test_a_key_that_changes_the_network_stops_the_lesson_training_and_says_so(tmp_path):
    app = ReluApp(lesson_path=write(tmp_path, 100_000))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("r")  # reset
        assert await wait_until(pilot, lambda: app.busy_text is None, 200)
        notes = [n.message for n in app._notifications]
        assert any("lesson: stopped after" in m and "the network changed" in m for m in notes), notes
        step = app.state.step
        for _ in range(5):
            await pilot.pause(0.01)
        assert app.state.step == step  # nothing trains on behind the user's back


def spy_on_training(monkeypatch) -> list[bool]:
    """Records, for every TrainingRun.train call, whether it ran on the UI thread."""
    ui = threading.current_thread()
    calls: list[bool] = []
    train = TrainingRun.train

    def spy(self, n_steps=1):
        calls.append(threading.current_thread() is ui)
        return train(self, n_steps)

    monkeypatch.setattr(TrainingRun, "train", spy)
    return calls


async def test_lesson_at_the_largest_sizes_shows_at_once_and_trains_in_a_thread(tmp_path, monkeypatch):
    calls = spy_on_training(monkeypatch)
    app = ReluApp(lesson_path=write(tmp_path, 100_000, BIG))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # on screen before the 100,000 steps (a fast machine may have finished one by now)
        assert app.state.step < 100_000 and "lesson: step " in status_text(app)
        assert "of 100,000" in status_text(app)
        assert await wait_until(pilot, lambda: app._job is not None and app._job.purpose == "lesson", 300)
        frames = app._frame
        await pilot.press("l")  # a key is handled while the step trains
        assert await wait_until(pilot, lambda: app.state.selected[0] == 1, 300)
        assert await wait_until(pilot, lambda: app._frame > frames + 3, 300)
        await pilot.press("q")
    assert not any(calls)  # no training step ran on the UI thread


async def test_play_at_the_largest_sizes_trains_off_the_ui_thread(monkeypatch):
    calls = spy_on_training(monkeypatch)
    config = TrainConfig(layers=(32,) * LIMITS["depth"][1], n_samples=LIMITS["n_samples"][1], seed=0)
    app = ReluApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("space")
        assert await wait_until(pilot, lambda: app._job is not None, 100)
        frames = app._frame
        await pilot.press("l")
        assert await wait_until(pilot, lambda: app.state.selected[0] == 1, 300)
        assert "in the background" in status_text(app)
        assert await wait_until(pilot, lambda: app._frame > frames + 3, 300)  # frames go on
        await pilot.press("q")
    assert calls and not any(calls)


async def test_steps_trained_in_a_thread_land_and_equal_steps_trained_at_once(monkeypatch):
    """The thread path at a small size (forced): steps land in order, the same weights."""
    monkeypatch.setattr(ReluApp, "_slow", lambda self: True)
    calls = spy_on_training(monkeypatch)
    app = ReluApp(TrainConfig(seed=5))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("space")
        assert await wait_until(pilot, lambda: app.state.step >= 30, 3000)
        await pilot.press("space")
        assert await wait_until(pilot, lambda: app._job is None or app._job.done.is_set(), 300)
        await pilot.pause()
        steps = app.state.step
        net = app.state.run.net
        assert app.state.snapshot() is not None
    assert calls and not any(calls)
    direct = AppState(TrainConfig(seed=5))
    direct.train_steps(steps)
    for a, b in zip(net.weights + net.biases, direct.run.net.weights + direct.run.net.biases):
        assert np.array_equal(a, b)
