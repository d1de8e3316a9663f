"""Key fuzzing: random key presses and terminal resizes drive the app.

After every sequence the app must be alive, must not have raised, and its invariants
must hold (``assert_app_healthy``: valid controls, right array shapes, no NaN unless
the state says diverged).

How it is kept cheap (about 14 CPU seconds a part):

* a *session* is ``SEQS_PER_SESSION`` sequences of ``KEYS_PER_SEQ`` keys played in one
  ``run_test`` (starting the app costs ~0.3 s). Between sequences the app is brought back
  to where keys act (no modal open, paused, at least 80x24; nothing focused, or every
  other sequence the control sheet focused, as after a click on it) but its settings,
  screen and size are kept, so later sequences start from whatever odd state the earlier
  ones left (more hostile than a fresh app).
  ``PARTS`` sessions, one test each (``pytest -n`` spreads them over the cores):
  ``PARTS * SEQS_PER_SESSION = 75`` sequences of 40 keys, drawn from a generator seeded
  with the part's number: the same sequences every run. (A part is the unit of coverage:
  each checks ``COVERAGE`` on its own, and shorter sessions no longer reach the editors
  reliably, so the fuzz was made cheaper by one part of four, not by shorter parts.)
* keys are sent like a fast typist's: each one once the previous one has been
  dispatched, without Pilot's wait for the *process* to go idle (while the app plays it
  never does, and each key would cost up to 2 s), and the headless screen repaints at
  most once a second (``REPAINT_PERIOD``) plus once, forced, at the end of every
  sequence, before the checks. A headless repaint of this app costs ~50-80 ms.
* nothing shrinks a failing session (shrinking whole sessions took over 5 minutes): a
  failure reports the sequence's index and keys, and every key of the session so far.

The controls are a list (the control sheet) whose enter opens an editor over the line:
a typed value's editor takes any key as text (digits, ``.``, ``-``, ``,``, letters: valid
or not), a choice's editor is a list (arrows, page keys, enter). So the keys that reach
it weigh more in the draw (``WEIGHT``: tab, enter, up, down, o) and half the sequences
start on the sheet; ``COVERAGE`` checks, after the last example, that the fuzz did open
both kinds of editor, typed into them and applied values (a fuzz that never gets there
tests nothing of it); each part checks its own session.

The fuzz runs in a temporary working directory: ctrl+s / f12 (screenshot) and ctrl+l
(lesson) write files there.

Left out of the alphabet on purpose: ``q`` / ``ctrl+q`` / ``ctrl+c`` (they quit, which is
right, and would end the session) and ``ctrl+p`` (the palette can also run "quit").
Quitting is tested on its own below and in the real-terminal test.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from unittest.mock import patch

import pytest
from textual import events

from relutui.app.app import ReluApp
from relutui.app.screens.main import MainScreen
from relutui.training import TrainConfig

from pilot_keys import key_event
from robust_helpers import assert_app_healthy

pytestmark = pytest.mark.slow
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
# how many times a key is in the draw (1 if not named): the keys that open the control sheet's
# editor (tab to the sheet, up/down to a line, enter; o shows the controls column when narrow)
WEIGHT = {"tab": 6, "enter": 12, "down": 4, "up": 2, "o": 2}
DRAW = [k for k in KEYS for _ in range(WEIGHT.get(k, 1))]
SIZES = [(120, 36), (80, 24), (60, 20), (200, 60), (79, 24), (80, 23), (100, 30), (40, 10)]

REPAINT_PERIOD = 1.0
KEYS_PER_SEQ = 40
SEQS_PER_SESSION = 25
PARTS = 3  # sessions, one test each: 3 x 25 = 75 sequences of 40
RESIZE_ONE_IN = 80  # a resize relayouts every screen of the stack (~0.2-0.4 s): about one per two sequences
# in each part's 25 sequences, at least (the fixed seeds reach 4-8 typed and 2-7 choice
# editors, 98-219 and 16-83 keys into them, and apply 1-4 values; it varies with timing, as
# the keys come in bursts: a clean-clone run once reached only 24 keys into a typed editor);
# the floors are far below that and far above 0, which is what an alphabet that no longer
# gets to the controls gives.
# (Applying a value is tested key by key in tests/app and test_bad_input.py.)
COVERAGE = {"typed editors opened": 2, "choice editors opened": 1, "keys into a typed editor": 10,
            "keys into a choice editor": 8}


def _event(v: int):
    """One draw per event: a key name, or ("resize", w, h) once in RESIZE_ONE_IN."""
    n_keys = len(DRAW) * (RESIZE_ONE_IN - 1)
    return DRAW[v % len(DRAW)] if v < n_keys else ("resize", *SIZES[v % len(SIZES)])




def test_alphabet_covers_every_binding():
    assert set(BINDING_KEYS) <= set(KEYS)
    for must in ("space", "s", "n", "p", "r", "a", "A", "d", "D", "c", "v", "V", "b", "o",
                 "left_square_bracket", "right_curly_bracket", "question_mark", "f1", "escape",
                 "tab", "enter", "up", "down", "left", "right", "plus", "minus"):
        assert must in KEYS, must
    assert not QUITS & set(KEYS)
    drawn = [_event(v) for v in range(len(DRAW) * RESIZE_ONE_IN)]
    assert set(KEYS) == {e for e in drawn if not isinstance(e, tuple)}
    assert sum(isinstance(e, tuple) for e in drawn) == len(DRAW)
    for key, weight in WEIGHT.items():
        assert drawn.count(key) == weight * (RESIZE_ONE_IN - 1), key
    # an open editor takes text: the characters of numbers, lists and parameters are all drawn
    for must in ("0", "9", "full_stop", "minus", "comma", "e", "equals_sign", "backspace", "delete"):
        assert must in KEYS, must


async def _key(app, key: str) -> None:
    event = key_event(key)
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
    """Every queued message handled, then one repaint (forced), and what waited for it.

    The repaint is the one the screen's update timer would do within ``REPAINT_PERIOD``;
    callbacks scheduled with ``call_after_refresh`` wait for it (the main screen brings its
    views up to date that way when a screen above it closes: without the forced repaint
    the checks would see the panels one repaint period early)."""
    await pilot._wait_for_screen()
    await pilot.pause()
    pilot.app.screen._on_timer_update()  # (what the update timer calls; then call_next(callbacks))
    await pilot._wait_for_screen()
    await pilot.pause()
    await pilot._wait_for_screen()


async def _neutral(app, pilot, on_sheet: bool = False) -> bool:
    """Somewhere keys act again: no overlay, paused, not too small, and nothing focused or
    (``on_sheet``, on the main screen) the control sheet focused, its column shown.

    Done through the app's API, not keys (the keys are what is being fuzzed); the settings
    and the size (if usable) are kept. Returns whether anything had to change."""
    from relutui.app.screens.too_small import MIN_HEIGHT, MIN_WIDTH
    from relutui.app.widgets.controls import ControlSheet

    changed = False
    if app.size.width < MIN_WIDTH or app.size.height < MIN_HEIGHT:
        await pilot.resize_terminal(120, 36)
        changed = True
    from relutui.app.screens.compare import CompareScreen

    for _ in range(4):  # overlays, dialogs and the article walk-through (a screen of its own)
        if not app.screen.is_modal and isinstance(app.screen, (MainScreen, CompareScreen)):
            break
        app.pop_screen()
        await pilot._wait_for_screen()
        changed = True
    if on_sheet and isinstance(app.screen, MainScreen):
        if not isinstance(app.focused, ControlSheet) or not app.focused.region:
            app.focus_panel("controls")  # as a lesson's focus = "controls" does
            changed = True
    elif app.focused is not None:
        app.set_focus(None)
        changed = True
    if app.state.playing:
        app.intent(app.state.pause)
        changed = True
    return changed


async def _play_session(sequences, size=(120, 36)) -> Counter:
    """Plays the sequences; returns what they reached of the controls (see ``COVERAGE``)."""
    from relutui.app.screens.control_editor import ControlEditor

    app = ReluApp(TrainConfig(seed=0))
    played: list = []
    reached: Counter = Counter()
    editors: set[int] = set()
    async with app.run_test(size=size) as pilot:
        for i, seq in enumerate(sequences):
            try:
                for ev in seq:
                    played.append(ev)
                    top = app.screen
                    if isinstance(top, ControlEditor):
                        kind = "choice" if top.choices is not None else "typed"
                        reached[f"keys into a {kind} editor"] += 1
                        if id(top) not in editors:
                            editors.add(id(top))
                            reached[f"{kind} editors opened"] += 1
                    if isinstance(ev, tuple):
                        await pilot.resize_terminal(ev[1], ev[2])
                    else:
                        await _key(app, ev)
                await _settle(pilot)
                assert_app_healthy(app)
                if await _neutral(app, pilot, on_sheet=i % 2 == 1):
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
    reached["values applied from the controls"] = getattr(app, "controls_applied", 0)
    return reached


def _count_applied():
    """Counts, on the app, the values the controls panel sends the main screen (from an
    editor, or a choice stepped with left / right on the sheet) that the state accepted."""
    from relutui.app.screens.main import MainScreen as Main

    real = Main.on_controls_panel_control_changed

    def counted(self, message):
        before = self.state.config
        real(self, message)
        if self.state.config != before:
            self.app.controls_applied = getattr(self.app, "controls_applied", 0) + 1

    return patch.object(Main, "on_controls_panel_control_changed", counted)


def _sessions(part: int) -> list[list]:
    """Part ``part``'s session: SEQS_PER_SESSION sequences of KEYS_PER_SEQ events drawn
    from a generator seeded with the part (the same keys every run, on every machine)."""
    rng = random.Random(f"relutui-fuzz-{part}")
    n = len(DRAW) * RESIZE_ONE_IN
    return [[_event(rng.randrange(n)) for _ in range(KEYS_PER_SEQ)] for _ in range(SEQS_PER_SESSION)]


@pytest.mark.parametrize("part", range(PARTS))
async def test_fuzz_keys_and_resizes(part, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # ctrl+s / f12 / ctrl+l save screenshots and lessons here
    with patch("textual.app.wait_for_idle", _fast_idle), patch("textual.pilot.wait_for_idle", _fast_idle), \
            patch("textual.screen.UPDATE_PERIOD", REPAINT_PERIOD), _short_experiments(), _count_applied():
        reached = await _play_session(_sessions(part))
    print("fuzz coverage of the controls:", dict(reached))  # (shown with -s)
    missed = {what: (reached[what], least) for what, least in COVERAGE.items() if reached[what] < least}
    assert not missed, f"the fuzz hardly reached the controls (reached, expected at least): {missed}"


async def test_q_quits_cleanly_from_every_screen(app_pilot, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for keys in ([], ["question_mark"], ["c"], ["tab", "tab"], ["n", "n"]):
        async with app_pilot(size=(120, 36)) as (app, pilot):
            await pilot.press(*keys)
            if app.focused is not None:   # q in a text field is a letter, escape leaves the field
                await pilot.press("escape")
            await pilot.press("q")
            await pilot.pause()
        assert app._exception is None and app.return_code == 0, keys


async def test_quit_while_an_experiment_runs(app_pilot, tmp_path, monkeypatch):
    """Regression (found by the fuzz): quitting while a claims-lab experiment ran in its
    worker crashed on the way out (its progress messages reached a screen whose widgets
    were gone: NoMatches)."""
    from relutui.experiments import experiment_names

    monkeypatch.chdir(tmp_path)
    for name in list(experiment_names())[:4] * 2:
        async with app_pilot(size=(120, 36)) as (app, pilot):
            app.load_experiment(name)
            await pilot.pause(0.01)
            await pilot.press("q")
        assert app._exception is None and app.return_code == 0, name


# ------------------------------------------------------------------ regressions found by the fuzz
async def _burst(app, keys, sleeps: int = 1) -> None:
    """Keys as one read of a fast typist (or a held key): each sent before the previous one's
    consequences (messages, screens pushed or popped) have been handled."""
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        app._driver.send_message(event)
        for _ in range(sleeps):
            await asyncio.sleep(0)


@pytest.mark.parametrize("opener", ["lr", "activation", "experiment picker"])
async def test_enter_twice_in_one_burst_closes_a_dialog_once(app_pilot, opener, tmp_path, monkeypatch):
    """Found by the fuzz: the second enter of a burst reached the editor (or the experiment
    picker) after its first enter had closed it, and closed it again: ``dismiss`` popped the
    main screen (ScreenStackError, the app crashed) or whatever screen was on top."""
    from relutui.app.screens.control_editor import ControlEditor
    from relutui.app.screens.experiments import ExperimentPicker
    from relutui.app.widgets.controls import ControlsPanel

    monkeypatch.chdir(tmp_path)
    async with app_pilot(size=(120, 36)) as (app, pilot):
        main = app.screen
        if opener == "experiment picker":
            await pilot.press("e")
            dialog = ExperimentPicker
        else:
            main.query_one(ControlsPanel).edit(opener)
            dialog = ControlEditor
        await pilot.pause()
        assert isinstance(app.screen, dialog)
        await _burst(app, ["enter", "enter"])
        await pilot.pause()
        assert app._exception is None, app._exception
        assert app.screen_stack == [main]
        assert_app_healthy(app)
    assert app._exception is None


async def test_a_dialog_closing_under_the_too_small_notice(app_pilot):
    """Found by the fuzz: an enter on a choice of the editor, then, in the same burst, a
    resize below the minimum: the notice was pushed over the editor, then the editor's
    dismiss popped the screen on top (the notice, still being composed: NoMatches, a crash;
    or the notice gone at 40x10). Each delay between the two is tried."""
    from textual.geometry import Size

    from relutui.app.screens.too_small import TooSmallScreen
    from relutui.app.widgets.controls import ControlsPanel

    async with app_pilot(size=(110, 24)) as (app, pilot):  # one app for every delay (small: the size is not the point)
        main = app.screen
        for delay in range(12):
            while app.screen is not main:  # an editor the notice came over, left by the delay before
                app.pop_screen()
                await pilot.pause()
            main.query_one(ControlsPanel).edit("activation")
            await pilot.pause()
            await _burst(app, ["enter"], sleeps=delay)
            app.post_message(events.Resize(Size(40, 10), Size(40, 10)))
            await pilot.pause()
            assert app._exception is None, (delay, app._exception)
            assert isinstance(app.screen, TooSmallScreen), (delay, app.screen_stack)
            await pilot.resize_terminal(110, 24)
            await pilot.pause()
            assert app.screen_stack[0] is main and len(app.screen_stack) <= 2, (delay, app.screen_stack)
            assert_app_healthy(app)
    assert app._exception is None


async def test_control_sheet_paged_before_its_first_layout():
    """Found by the fuzz: page down / page up on the control sheet after ``o`` showed the
    controls column (hidden below 110 columns) and before the next screen update laid the
    sheet out raised KeyError in Textual's OptionList (its line map is empty until it has a
    size): "o", a tab to the sheet and pagedown in one burst. The Select drop-downs of the
    former controls had a guard for exactly this (``_SelectOverlay._move_page``)."""
    from relutui.app.widgets.controls import ControlSheet

    app = ReluApp(TrainConfig(seed=0))
    async with app.run_test(size=(100, 30)) as pilot:  # narrow: the controls column starts hidden
        await pilot.pause()
        screen = app.screen
        sheet = screen.query_one(ControlSheet)
        assert not sheet.region
        screen.action_toggle_controls()  # "o" ...
        sheet.action_page_down()         # ... and pagedown before any layout
        sheet.action_page_up()
        await pilot.pause()
        assert app._exception is None
        assert sheet.region and sheet.highlighted is not None
        assert_app_healthy(app)
