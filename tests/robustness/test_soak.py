"""Soak: 100,000 headless training steps and 10,000 app steps under Pilot.

Memory must stay flat after a warm-up: the training history is bounded (it halves
itself and doubles its stride past its capacity), so nothing may grow with the number
of steps. Measured two ways: the process's resident set size (RSS, /proc/self/statm)
sampled along the whole run, and tracemalloc's count of live Python/numpy allocations
over a window after warm-up (tracemalloc triples the cost of a step, so only a window).
Marked ``slow``; they still run in ``make test``.
"""

from __future__ import annotations

import gc
import os
import sys
import tracemalloc

import numpy as np
import pytest

from relutui.training import TrainConfig, TrainingRun

from robust_helpers import assert_app_healthy

pytestmark = pytest.mark.slow
MB = 1024 * 1024


def rss() -> int:
    """Resident set size in bytes (Linux); falls back to the peak on other systems."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


def test_100k_headless_steps_memory_flat():
    run = TrainingRun(TrainConfig(layers=(8, 8), seed=0, dataset="xor"))
    run.train(10_000)  # warm-up: history full, caches built
    gc.collect()
    tracemalloc.start()
    try:
        run.train(2_000)
        gc.collect()
        a, _ = tracemalloc.get_traced_memory()
        run.train(8_000)
        gc.collect()
        b, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert b - a < 64 * 1024, f"live allocations grew by {(b - a) / 1024:.0f} KB over 8000 steps"
    samples = []
    while run.step < 100_000:
        run.train(10_000)
        gc.collect()
        samples.append(rss())
    assert run.step == 100_000 and run.diverged_at is None
    assert len(run.history) <= run.history.capacity
    h = run.history
    assert len(h["step"]) == len(h["loss"]) == len(h) and np.all(np.diff(h["step"]) > 0)
    growth = max(samples) - samples[0]
    assert growth < 8 * MB, f"RSS grew by {growth / MB:.1f} MB from step 20k to 100k: {samples}"
    assert np.isfinite(run.summary()["loss"])


def test_history_capacity_is_what_bounds_memory():
    run = TrainingRun(TrainConfig(layers=(2,), seed=0), history_capacity=16)
    run.train(5_000)
    assert len(run.history) <= 16 and run.history.stride >= 256
    assert run.history["step"][0] == 0 and run.history["step"][-1] <= 4_999


async def test_10k_app_steps_under_pilot(tmp_path, monkeypatch):
    from relutui.app.app import ReluApp
    from relutui.app.state import SPEEDS

    monkeypatch.chdir(tmp_path)
    app = ReluApp(TrainConfig(layers=(8, 8), seed=0))
    samples: list[tuple[int, int]] = []
    async with app.run_test(size=(120, 36)) as pilot:
        while app.state.speed < SPEEDS[-1]:
            await pilot.press("greater_than_sign")
        await pilot.press("space")
        assert app.state.playing
        # 10k steps; memory sampled every 500 steps after a 2k-step warm-up (a full gc.collect
        # of the app's objects costs tens of ms: not at every pause)
        # counted from the step the play is at once the key is handled: a fast machine (or a
        # pilot's press that waits for a busy app) may be thousands of steps in already
        start = app.state.step
        next_sample = start + 2_000
        while app.state.step < start + 10_000:
            await pilot.pause(0.02)
            assert app._exception is None and app.state.playing, app.state.status()
            if app.state.step >= next_sample:
                gc.collect()
                samples.append((app.state.step, rss()))
                next_sample = app.state.step + 500
        await pilot.press("space")
        assert not app.state.playing
        assert_app_healthy(app)
        # every view still renders after a long run
        for key in ("n", "n", "escape", "c", "c", "question_mark", "escape"):
            await pilot.press(key)
        await pilot.pause()
        assert_app_healthy(app)
        assert len(app.state.run.history) <= app.state.run.history.capacity
        assert len(app.state._cache) < 50
    assert app.return_code in (None, 0) and app._exception is None
    assert len(samples) >= 3, samples
    growth = max(r for _, r in samples) - samples[0][1]
    assert growth < 24 * MB, f"RSS grew by {growth / MB:.1f} MB during 10k app steps: {samples}"
