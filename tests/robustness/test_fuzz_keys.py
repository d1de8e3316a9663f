"""Key fuzzing: hypothesis drives the app with random key presses and terminal resizes.

After every sequence the app must be alive, must not have raised, and its invariants
must hold (``assert_app_healthy``: valid controls, right array shapes, no NaN unless
the state says diverged).

How it is kept fast (the budget for this file is ~90 s on 2 cores):

* a *session* is ``SEQS_PER_SESSION`` sequences of ``KEYS_PER_SEQ`` keys played in one
  ``run_test`` (starting the app costs ~0.3 s). Between sequences the app is brought back
  to where keys act (no field focused, no modal open, paused, at least 80x24) but its
  settings, screen and size are kept, so later sequences start from whatever odd state
  the earlier ones left (more hostile than a fresh app).
  ``EXAMPLES * PARALLEL * SEQS_PER_SESSION = 200`` sequences of 40 keys. The profile in
  tests/conftest.py is derandomised: the same sequences every run.
* keys are sent like a fast typist's: each one once the previous one has been
  dispatched, without Pilot's wait for the *process* to go idle (while the app plays it
  never does, and each key would cost up to 2 s), and the headless screen repaints at
  most once a second (``REPAINT_PERIOD``) plus once, forced, at the end of every
  sequence, before the checks. A headless repaint of this app costs ~50-80 ms.
* each hypothesis example is ``PARALLEL`` (2) sessions, played side by side in two
  worker processes (spawned once for the module): the fuzz is CPU-bound and pytest
  itself runs on one core. Each worker sets the same strictness as tests/conftest.py
  (RuntimeWarning is an error, ``np.seterr(raise)``).
* shrinking is off (``phases``): shrinking whole sessions took over 5 minutes. A
  failure reports the sequence's index and keys, and every key of the session so far.

The fuzz runs in a temporary working directory: ctrl+s / f12 (screenshot) and ctrl+l
(lesson) write files there.

Left out of the alphabet on purpose: ``q`` / ``ctrl+q`` / ``ctrl+c`` (they quit, which is
right, and would end the session) and ``ctrl+p`` (the palette can also run "quit").
Quitting is tested on its own below and in the real-terminal test.
"""

from __future__ import annotations

import asyncio
import unicodedata
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

from relutui.app.app import ReluApp
from relutui.app.screens.main import MainScreen
from relutui.training import TrainConfig

from robust_helpers import assert_app_healthy

QUITS = {"q", "ctrl+q", "ctrl+c", "ctrl+p"}


def _binding_keys() -> list[str]:
    """Every key of every binding of the app and of each of its screens (found by import,
    so a screen added later is fuzzed too)."""
    import importlib
    import pkgutil

    import relutui.app.screens as screens
    from relutui.app.app import ReluApp

    keys = set()
    bindings = list(ReluApp.BINDINGS)
    for mod in pkgutil.iter_modules(screens.__path__):
        module = importlib.import_module(f"relutui.app.screens.{mod.name}")
        for obj in vars(module).values():
            if isinstance(obj, type) and obj.__module__ == module.__name__:
                bindings += list(getattr(obj, "BINDINGS", []))
    for b in bindings:
        key = b.key if hasattr(b, "key") else b[0]
        keys.update(k.strip() for k in key.split(","))
    return sorted(keys - QUITS)


BINDING_KEYS = _binding_keys()
EXTRA_KEYS = (
    list("abcdefghijklmnoprstuvwxyz") + list("ABDEV") + list("0123456789")
    + ["tab", "shift+tab", "enter", "escape", "up", "down", "left", "right", "backspace",
       "delete", "home", "end", "pageup", "pagedown", "space", "full_stop", "minus", "comma", "f1"]
)
KEYS = sorted(set(BINDING_KEYS) | set(EXTRA_KEYS))
SIZES = [(120, 36), (80, 24), (60, 20), (200, 60), (79, 24), (80, 23), (100, 30), (40, 10)]

REPAINT_PERIOD = 1.0
KEYS_PER_SEQ = 40
SEQS_PER_SESSION = 25
PARALLEL = 2  # sessions per example, run side by side in worker processes
EXAMPLES = 4  # 4 x 2 x 25 = 200 sequences of 40
RESIZE_ONE_IN = 80  # a resize relayouts every screen of the stack (~0.2-0.4 s): about one per two sequences



def _event(v: int):
    """One draw per event: a key name, or ("resize", w, h) once in RESIZE_ONE_IN."""
    n_keys = len(KEYS) * (RESIZE_ONE_IN - 1)
    return KEYS[v % len(KEYS)] if v < n_keys else ("resize", *SIZES[v % len(SIZES)])


event = st.integers(0, len(KEYS) * RESIZE_ONE_IN - 1).map(_event)
sequence = st.lists(event, min_size=KEYS_PER_SEQ, max_size=KEYS_PER_SEQ)
session = st.lists(sequence, min_size=SEQS_PER_SESSION, max_size=SEQS_PER_SESSION)


def test_alphabet_covers_every_binding():
    assert set(BINDING_KEYS) <= set(KEYS)
    for must in ("space", "s", "n", "p", "r", "a", "A", "d", "D", "c", "v", "V", "b", "o",
                 "left_square_bracket", "right_curly_bracket", "question_mark", "f1", "escape",
                 "tab", "enter", "up", "down", "left", "right", "plus", "minus"):
        assert must in KEYS, must
    assert not QUITS & set(KEYS)
    drawn = [_event(v) for v in range(len(KEYS) * RESIZE_ONE_IN)]
    assert set(KEYS) <= set(drawn) and sum(isinstance(e, tuple) for e in drawn) == len(KEYS)


def _key_event(key: str) -> events.Key:
    """The event ``Pilot.press`` would send (same key and character mapping)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def _key(app, key: str) -> None:
    event = _key_event(key)
    event.set_sender(app)
    app._driver.send_message(event)
    for _ in range(4):
        await asyncio.sleep(0)


def _short_experiments():
    """The claims lab runs real experiments (``e`` then enter, ``R``) in a worker thread;
    in the fuzz they run 2 seeds x 20 steps so that the CPU goes to the UI being fuzzed.
    The worker, its progress messages and the verdict panel are the same."""
    import relutui.experiments as ex

    real = ex.run_experiment

    def short(name_or_exp, seeds=None, steps=None, progress=None, first_seed=0, jobs=1):
        return real(name_or_exp, seeds=2, steps=20, progress=progress, first_seed=first_seed, jobs=1)

    return patch.object(ex, "run_experiment", short)


async def _fast_idle(min_sleep: float = 0, max_sleep: float = 1) -> None:
    for _ in range(3):
        await asyncio.sleep(0)


async def _settle(pilot) -> None:
    """Every queued message handled, then one repaint (forced)."""
    await pilot._wait_for_screen()
    await pilot.pause()
    await pilot._wait_for_screen()


async def _neutral(app, pilot) -> bool:
    """Somewhere keys act again: nothing focused, no overlay, paused, not too small.

    Done through the app's API, not keys (the keys are what is being fuzzed); the settings
    and the size (if usable) are kept. Returns whether anything had to change."""
    from relutui.app.screens.too_small import MIN_HEIGHT, MIN_WIDTH

    changed = False
    if app.size.width < MIN_WIDTH or app.size.height < MIN_HEIGHT:
        await pilot.resize_terminal(120, 36)
        changed = True
    for _ in range(4):
        if not app.screen.is_modal:
            break
        app.pop_screen()
        await pilot._wait_for_screen()
        changed = True
    if app.focused is not None:
        app.set_focus(None)
        changed = True
    if app.state.playing:
        app.intent(app.state.pause)
        changed = True
    return changed


async def _play_session(sequences, size=(120, 36)) -> None:
    app = ReluApp(TrainConfig(seed=0))
    played: list = []
    async with app.run_test(size=size) as pilot:
        for i, seq in enumerate(sequences):
            try:
                for ev in seq:
                    played.append(ev)
                    if isinstance(ev, tuple):
                        await pilot.resize_terminal(ev[1], ev[2])
                    else:
                        await _key(app, ev)
                await _settle(pilot)
                assert_app_healthy(app)
                if await _neutral(app, pilot):
                    await _settle(pilot)
                    assert_app_healthy(app)
            except BaseException as exc:
                raise AssertionError(f"sequence {i} failed: {exc!r}\nthis sequence: {seq}\n"
                                     f"all keys of the session so far: {played}") from exc
        # and it still answers a plain action
        if not app.state.diverged:
            step = app.state.step
            await pilot.press("s")
            assert app.state.step == step + 1
    assert app._exception is None


def play_in_this_process(sequences, cwd: str) -> None:
    """One session, as the suite runs it (also the body of each worker process)."""
    import os
    import warnings

    import numpy as np

    os.chdir(cwd)  # ctrl+s / f12 / ctrl+l save screenshots and lessons in the working directory
    warnings.simplefilter("error", RuntimeWarning)
    np.seterr(over="raise", invalid="raise", divide="raise", under="ignore")
    with patch("textual.app.wait_for_idle", _fast_idle), patch("textual.pilot.wait_for_idle", _fast_idle), \
            patch("textual.screen.UPDATE_PERIOD", REPAINT_PERIOD), _short_experiments():
        asyncio.run(_play_session(sequences))


def _worker(sequences, cwd: str) -> None:
    try:
        play_in_this_process(sequences, cwd)
    except BaseException as exc:  # a plain, picklable error with the whole story
        import traceback

        raise AssertionError("".join(traceback.format_exception(exc))) from None


@pytest.fixture(scope="module")
def pool():
    """Sessions run in parallel worker processes (one per core, at most 2): the fuzz is
    CPU-bound and pytest runs on one core. The pool is shut down after this module."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    workers = max(1, min(PARALLEL, os.cpu_count() or 1))
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as ex:
        yield ex


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.large_base_example, HealthCheck.data_too_large,
                                 HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(sessions=st.lists(session, min_size=PARALLEL, max_size=PARALLEL))
def test_fuzz_keys_and_resizes(sessions, tmp_path_factory, pool):
    futures = [pool.submit(_worker, seqs, str(tmp_path_factory.mktemp("fuzz"))) for seqs in sessions]
    for f in futures:
        f.result()


async def test_q_quits_cleanly_from_every_screen(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for keys in ([], ["question_mark"], ["c"], ["tab", "tab"], ["n", "n"]):
        app = ReluApp(TrainConfig(seed=0))
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press(*keys)
            if app.focused is not None:   # q in a text field is a letter, escape leaves the field
                await pilot.press("escape")
            await pilot.press("q")
            await pilot.pause()
        assert app._exception is None and app.return_code == 0, keys


async def test_quit_while_an_experiment_runs(tmp_path, monkeypatch):
    """Regression (found by the fuzz): quitting while a claims-lab experiment ran in its
    worker crashed on the way out (its progress messages reached a screen whose widgets
    were gone: NoMatches)."""
    from relutui.experiments import experiment_names

    monkeypatch.chdir(tmp_path)
    for name in list(experiment_names())[:4] * 2:
        app = ReluApp(TrainConfig(seed=0))
        async with app.run_test(size=(120, 36)) as pilot:
            app.load_experiment(name)
            await pilot.pause(0.01)
            await pilot.press("q")
        assert app._exception is None and app.return_code == 0, name
