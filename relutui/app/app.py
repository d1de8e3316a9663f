"""ReluApp: owns the one Session, the play timer and the screens."""

from __future__ import annotations

import dataclasses
import gc
import time
from functools import partial
from pathlib import Path
from typing import Any, Callable

import numpy as np
from textual import events
from textual.app import App
from textual.message import Message
from textual.worker import Worker, WorkerState, get_current_worker
from textual.geometry import Size
from textual.timer import Timer

from relutui.app.commands import ReluCommands
from relutui.app.screens.bindings import APP
from relutui.app.screens.main import MainScreen
from relutui.app.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen
from relutui.app.textual_compat import GuardedCommandPalette
from relutui.session import Session
from relutui.app.background import TrainJob
from relutui.app.training_jobs import FPS, TRAIN_BUDGET, TrainingJobs
from relutui.training import TrainConfig

# Full garbage-collector passes run every GC_EVERY seconds, once no key, click or resize has
# come for GC_IDLE seconds (see ``_freeze_heap``).
GC_EVERY = 5.0
GC_IDLE = 1.0
# Served in a browser: files offered to the visitor and not downloaded yet (kept in memory).
MAX_PENDING_DELIVERIES = 4
_DELIVERY = "relutui-file"  # (Textual notifies by itself for deliveries named "screenshot")


class ExperimentProgress(Message):
    """Posted from the experiment worker thread after each run (post_message is thread-safe)."""

    def __init__(self, token: int, done: int, total: int) -> None:
        self.token = token
        self.done = done
        self.total = total
        super().__init__()


class _Cancelled(Exception):
    """Raised inside the experiment worker to stop a run nobody waits for any more."""


class ReluApp(TrainingJobs, App):
    """Why ReLU rather than sigmoid: a live, step-through neural network."""

    CSS_PATH = "relutui.tcss"
    TITLE = "relutui"
    SUB_TITLE = "why ReLU rather than sigmoid"
    BINDINGS = APP
    COMMANDS = {ReluCommands}  # it yields Textual's system commands too, after relutui's

    def __init__(self, config: TrainConfig | None = None, *,
                 lesson_path: str | Path | list[str | Path] | tuple | None = None,
                 preferences: bool = False, welcome: bool = False, **kwargs: Any) -> None:
        """``preferences``: read the theme and layout saved in the user's config directory and
        save them when they change (``relutui`` does; tests and ``--no-preferences`` do not).
        ``lesson_path``: a lesson file or bundled lesson name, or several (a sequence: m / M
        go to the next / previous; ``config`` applies to the first only).
        ``welcome``: show the first-run card (``relutui`` without a lesson does; tests do not
        unless they ask), unless the preferences say it was dismissed before."""
        super().__init__(**kwargs)
        self.preferences = None  # relutui.app.preferences.Preferences when they are in use
        self._preferences_notice: str | None = None
        if preferences:
            self._load_preferences()
        self.lesson = None
        self.lessons: list = []  # the sequence (relutui.lessons.Lesson), lesson_index the one open
        self.lesson_index = 0
        if isinstance(lesson_path, (str, Path)):
            lesson_path = [lesson_path]
        if lesson_path:
            from relutui.lessons import load_lesson

            # every file read now: a bad one is refused before the app starts
            self.lessons = [load_lesson(p) for p in lesson_path]  # LessonError names key and reason
            self.lesson = self.lessons[0]
            if config is None:
                config = self.lesson.config  # the command line passes the lesson's config, changed
            lesson_path = lesson_path[0]
        self.state = Session(config)
        self.lesson_path = lesson_path
        self.welcome = welcome and not self._welcome_seen()
        self.article_selected = 0  # the walk-through's claim, kept between its openings
        self.article_autorun = True  # the walk-through runs the claims' experiments in the background
        self._article_runner = None
        self._timer: Timer | None = None
        self._frame = 0
        self._too_small: TooSmallScreen | None = None
        self._main_ready = False  # resize events before the main screen exists are ignored
        self._heap_frozen = False
        self._gc_thresholds = gc.get_threshold()
        self._last_input = 0.0
        self._pending_deliveries: set[str] = set()
        # training off the UI thread (relutui.app.background): the job in flight, the lesson's
        # steps still to train, and seconds per step measured per network
        self._job: TrainJob | None = None
        self._lesson_timer: Timer | None = None
        self._lesson_left = 0
        self._lesson_total = 0
        self._lesson_gen = -1
        self._costs: dict[str, float] = {}
        self.busy_text: str | None = None  # shown at the end of the status line

    def get_default_screen(self) -> MainScreen:
        """The main screen is the base of the stack (not pushed over a blank default screen: that
        would compose the footer twice and restyle every widget once more before the first frame)."""
        return MainScreen()

    # ------------------------------------------------------------ preferences
    def _load_preferences(self) -> None:
        from relutui.app.preferences import load_preferences

        prefs, notice = load_preferences()
        if prefs.theme is not None:
            if prefs.theme in self.available_themes:
                self.theme = prefs.theme
            else:
                notice = f"preferences: theme {prefs.theme} is not available, the default is used"
                prefs = prefs.changed(theme=None)
        self.preferences = prefs
        self._preferences_notice = notice

    def _apply_preferences(self) -> None:
        """The saved controls column (relative to the width default, as o toggles it); the theme
        is saved from now on whenever it changes."""
        prefs = self.preferences
        if prefs is None:
            return
        if self._preferences_notice:
            self.notify(self._preferences_notice, severity="warning", timeout=8, markup=False)
        screen = self.screen
        if isinstance(screen, MainScreen) and prefs.controls is not None:
            narrow = screen.has_class("-narrow")
            if (prefs.controls == "hidden") != narrow:
                screen.add_class("-toggle-controls")
        self.theme_changed_signal.subscribe(self, lambda theme: self._save_preferences(theme=theme.name))

    def remember_controls(self) -> None:
        """After o: keep the controls column shown / hidden (or by width) for the next run."""
        screen = self.screen
        if self.preferences is None or not isinstance(screen, MainScreen):
            return
        value = None
        if screen.has_class("-toggle-controls"):
            value = "shown" if screen.has_class("-narrow") else "hidden"
        self._save_preferences(controls=value)

    def _save_preferences(self, **changes: Any) -> None:
        from relutui.app.preferences import save_preferences

        if self.preferences is None:
            return
        prefs = self.preferences.changed(**changes)
        if prefs == self.preferences:
            return
        self.preferences = prefs
        notice = save_preferences(prefs)
        if notice:
            self.notify(notice, severity="warning", timeout=6, markup=False)

    async def on_mount(self) -> None:
        self._main_ready = True
        self._apply_preferences()
        if self.lesson is not None:
            await self._open_lesson(self.lesson)
        elif self.welcome:
            from relutui.app.widgets.notes_panel import WelcomeCard

            self.call_after_refresh(self.push_screen, WelcomeCard(), self._welcome_dismissed)
        self._check_size()
        self.call_after_refresh(self._freeze_heap)

    def _freeze_heap(self) -> None:
        """The objects alive after the first frame (Textual's DOM, styles, the app: ~10^5 of
        them) live as long as the app. Freezing them keeps the garbage collector's full passes
        from walking them all: such a pass took 70-80 ms, in the middle of a key's redraw;
        with them frozen it still takes 10-17 ms, so full passes also wait for a moment without
        input (``_collect_when_idle``). Both are undone when the app ends (``on_unmount``).
        ``relutui.app.run_app`` starts with the collector off: it is turned on here, and what
        the start-up left unreachable (~0.5 MB), frozen with the rest, goes at the first full
        pass (the one start-up would have made, later, while idle)."""
        if not self._heap_frozen:
            self._startup_garbage = not gc.isenabled()
            gc.freeze()
            self._heap_frozen = True
            self._gc_thresholds = gc.get_threshold()
            young, middle, _ = self._gc_thresholds
            gc.set_threshold(young, middle, 1_000_000)  # no automatic full pass
            gc.enable()
            self.set_interval(GC_EVERY, self._collect_when_idle)

    _startup_garbage = False

    def _collect_when_idle(self) -> None:
        if time.monotonic() - self._last_input >= GC_IDLE:
            if self._startup_garbage:  # once: the heap of the start-up, its garbage with it
                self._startup_garbage = False
                gc.unfreeze()
                gc.collect()
                gc.freeze()
            else:
                gc.collect()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and getattr(event, "_relutui_demo", False):
            self.show_key(event.key)  # a demo's key: the class sees which key and what it does
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown,
                              events.MouseScrollUp, events.Resize)):
            self._last_input = time.monotonic()
            if self._heap_frozen and gc.isenabled():
                # No collection between an input and the frame that shows its effect (young
                # passes took 1-3 ms of many redraws): the garbage waits for that frame.
                gc.disable()
                self.call_after_refresh(gc.enable)
        await super().on_event(event)

    def on_unmount(self) -> None:
        if self._job is not None:
            self._job.cancel()
        gc.enable()
        if self._heap_frozen:
            gc.set_threshold(*self._gc_thresholds)
            gc.unfreeze()  # another app in this process (tests) must not inherit them
            self._heap_frozen = False

    # ------------------------------------------------------------ first run, walk-through
    def _welcome_seen(self) -> bool:
        return self.preferences is not None and self.preferences.welcome == "seen"

    def _welcome_dismissed(self, _result: object = None) -> None:
        self.welcome = False
        self._save_preferences(welcome="seen")  # (only when preferences are in use)

    def article_runner(self):
        """The walk-through's verdicts, kept for the session (``screens.article.ArticleRunner``)."""
        if self._article_runner is None:
            from relutui.app.screens.article import ArticleRunner

            self._article_runner = ArticleRunner(self)
        return self._article_runner

    def action_article(self) -> None:
        """w: the article walk-through, at the claim it was left on."""
        from relutui.app.screens.article import ArticleScreen

        if not isinstance(self.screen, (MainScreen,)) and not self._is_compare_screen():
            return
        if self.state.playing:
            self.intent(self.state.pause)
        self.push_screen(ArticleScreen(self.article_selected, autorun=self.article_autorun))

    def _is_compare_screen(self) -> bool:
        from relutui.app.screens.compare import CompareScreen

        return isinstance(self.screen, CompareScreen)

    # ------------------------------------------------------------ lessons
    def action_toggle_notes(self) -> None:
        """N: the lesson's notes hide / show, in every mode (``notes_panel.notes_key``)."""
        from relutui.app.widgets.notes_panel import notes_key

        notes_key(self)

    async def action_lesson(self, delta: int) -> None:
        """m / M: the next / previous lesson of the sequence given on the command line."""
        n = len(self.lessons)
        if n < 2:
            self.notify("one lesson only: give several, relutui --lesson A --lesson B, to go "
                        "from one to the next with m", severity="warning", timeout=4, markup=False)
            return
        index = self.lesson_index + delta
        if not 0 <= index < n:
            self.notify("the last lesson of the sequence" if delta > 0 else "the first lesson of the sequence",
                        timeout=3)
            return
        from relutui.app.screens.compare import CompareScreen

        lesson = self.lessons[index]
        try:
            self.state.switch_lesson(dataclasses.replace(lesson, steps=0))  # steps: after a frame
        except ValueError as exc:
            self.notify(f"lesson {index + 1}: {exc}", severity="error", timeout=8, markup=False)
            return
        self.lesson_index, self.lesson = index, lesson
        self._sync_timer()
        while not isinstance(self.screen, (MainScreen, CompareScreen)) and len(self.screen_stack) > 1:
            self.pop_screen()
        if isinstance(self.screen, CompareScreen) and not self.state.compare:
            self.pop_screen()
        await self._open_lesson(lesson, opened=True)
        self.notify(f"lesson {index + 1}/{n}: {lesson.title or 'untitled'}", timeout=3, markup=False)

    async def _open_lesson(self, lesson, opened: bool = False) -> None:
        """State first (plain Python), then the Textual part: compare screen, focus, experiment.
        ``opened``: the state already holds the lesson (``Session.switch_lesson``), its steps
        not trained yet: they train after the first frame, with progress (``_lesson_tick``)."""
        from relutui.app.screens.compare import CompareScreen

        steps = int(lesson.steps or 0)
        if not opened:
            try:  # the steps train after the first frame, with progress (``_lesson_tick``)
                self.state.open_lesson(dataclasses.replace(lesson, steps=0))
            except ValueError as exc:
                self.notify(f"lesson: {exc}", severity="error", timeout=8)
                steps = 0
        if steps > 0:
            self._start_lesson_training(steps)
        if lesson.title:
            self.sub_title = lesson.title
        if self.state.compare and not isinstance(self.screen, CompareScreen):
            await self.push_screen(CompareScreen())
        self.refresh_views()
        if lesson.focus:
            self.call_after_refresh(self.focus_panel, lesson.focus)
        if self.state.experiment is not None:
            self.run_experiment()

    def focus_panel(self, name: str) -> bool:
        """Focus a panel by its lesson name (``relutui.lessons.FOCUS_PANELS``). Display panels
        become focusable for this (their keys still reach the screen); "controls" focuses the
        first control. False when the panel is not on the current screen."""
        from textual.css.query import NoMatches

        from relutui.app.screens.compare import CompareScreen

        screen = self.screen
        if isinstance(screen, CompareScreen):
            wid = {"network": "net-a", "loss": "cmp-loss", "grads": "grads-a", "boundary": "map-a",
                   "notes": "cmp-notes"}.get(name)
        elif isinstance(screen, MainScreen):
            wid = name
        else:
            return False
        if wid is None:
            return False
        try:
            widget = screen.query_one(f"#{wid}")
        except NoMatches:
            return False
        if name == "controls":
            if screen.has_class("-narrow"):
                screen.add_class("-toggle-controls")
            elif screen.has_class("-toggle-controls"):
                screen.remove_class("-toggle-controls")
            target = widget.query_one("#control-sheet")
        else:
            widget.can_focus = True
            target = widget
        self.call_after_refresh(target.focus)
        return True

    def _focused_panel(self) -> str | None:
        from relutui.lessons import FOCUS_PANELS

        node = self.focused
        while node is not None and node is not self.screen:
            if node.id in FOCUS_PANELS:
                return node.id
            node = node.parent
        return None

    def action_save_lesson(self) -> None:
        """ctrl+l: the current state as a lesson file in the working directory (never overwrites);
        under ``relutui serve``, a download in the visitor's browser instead."""
        from relutui.lessons import default_lesson_filename, dumps_lesson, parse_lesson, save_lesson

        try:
            lesson = self.state.as_lesson(focus=self._focused_panel())
            if self.is_web:
                text = dumps_lesson(lesson)
                parse_lesson(text, source="relutui-lesson.toml")  # never a file we would refuse
                self._deliver(text, "relutui-lesson.toml", "text/plain", "lesson")
                return
            path = save_lesson(lesson, default_lesson_filename(Path.cwd()))
        except (OSError, ValueError) as exc:
            self.notify(f"lesson not saved: {exc}", severity="error", timeout=8)
            return
        self.notify(f"lesson saved to {path.resolve()}", timeout=6)

    def action_save_screenshot(self) -> None:
        """ctrl+s / F12: an SVG of the screen as it is now, in the working directory; under
        ``relutui serve``, a download in the visitor's browser instead."""
        from relutui.demos.files import save_screenshot_svg

        try:
            svg = self.export_screenshot()  # the picture first: the notice is not in it
            if self.is_web:
                self._deliver(svg, "relutui-screenshot.svg", "image/svg+xml", "screenshot")
                return
            path = save_screenshot_svg(svg, Path.cwd())
        except OSError as exc:
            self.notify(f"screenshot not saved: {exc}", severity="error", timeout=8)
            return
        self.notify(f"screenshot saved to {path.resolve()}", timeout=6)

    def _deliver(self, text: str, filename: str, mime_type: str, what: str) -> None:
        """Served in a browser: a visitor's file goes to their browser, never onto the server's
        disk (the web driver streams it over the socket). A few at a time: files the browser has
        not fetched yet stay in this process's memory."""
        import io

        if len(self._pending_deliveries) >= MAX_PENDING_DELIVERIES:
            self.notify(f"{what} not sent: {len(self._pending_deliveries)} files are still waiting for "
                        f"your browser to download them (a pop-up blocker?)", severity="warning", timeout=8)
            return
        key = self.deliver_text(io.StringIO(text), save_directory=".", save_filename=filename,
                                open_method="download", mime_type=mime_type, name=_DELIVERY)
        if key is not None:
            self._pending_deliveries.add(key)
        self.notify(f"{what} sent to your browser as {filename} (a download; nothing is saved on "
                    f"the server)", timeout=6)

    def on_delivery_complete(self, event: events.DeliveryComplete) -> None:
        self._pending_deliveries.discard(event.key)

    def on_delivery_failed(self, event: events.DeliveryFailed) -> None:
        if event.key in self._pending_deliveries:
            self._pending_deliveries.discard(event.key)
            self.notify(f"download failed: {event.exception}", severity="error", timeout=8)

    # ------------------------------------------------------------ claims lab
    def pick_experiment(self) -> None:
        from relutui.app.screens.experiments import ExperimentPicker
        from relutui.app.screens.help import HelpScreen

        if isinstance(self.screen, (ExperimentPicker, HelpScreen, TooSmallScreen)):
            return
        exp = self.state.experiment
        self.push_screen(ExperimentPicker(exp.name if exp is not None else None), self._picked)

    def _picked(self, name: str | None) -> None:
        if name:
            self.load_experiment(name)

    def load_experiment(self, experiment: Any, apply_config: bool = True) -> None:
        """Load an experiment (name or Experiment): its settings into the controls, its claim
        into the panel, then run it."""
        if self.intent(self.state.load_experiment, experiment, apply_config) is None:
            self.run_experiment()

    def run_experiment(self) -> None:
        """Run (or re-run) the loaded experiment with the settings in force, in a worker thread."""
        try:
            token, exp, first = self.state.start_experiment_run()
        except ValueError as exc:
            self.notify(str(exc), severity="warning", timeout=5)
            self.refresh_views()
            return
        self.refresh_views()
        self.run_worker(partial(self._experiment_work, token, exp, first), name=f"experiment-{token}",
                        group="experiment", description=f"claims lab: {exp.name}", thread=True,
                        exclusive=True, exit_on_error=False)

    def _experiment_work(self, token: int, exp: Any, first_seed: int) -> tuple[int, Any]:
        """Worker thread: the core's run_experiment; progress goes back as messages."""
        from relutui.experiments import run_experiment

        worker = get_current_worker()

        def progress(done: int, total: int, _label: str) -> None:
            if worker.is_cancelled:
                raise _Cancelled()
            self.post_message(ExperimentProgress(token, done, total))

        with np.errstate(all="ignore"):
            result = run_experiment(exp, seeds=exp.seeds, first_seed=first_seed, progress=progress)
        return token, result

    def on_experiment_progress(self, message: ExperimentProgress) -> None:
        if self.state.set_experiment_progress(message.token, message.done, message.total):
            self.refresh_views()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "experiment":
            return
        state = self.state
        if event.state == WorkerState.SUCCESS and worker.result is not None:
            token, result = worker.result
            if state.finish_experiment_run(token, result):
                ran = state.experiment_ran
                if ran is not None and not ran.changes and ran.first_seed == 0:
                    # at the experiment's defaults: the walk-through's verdict too
                    self.article_runner().record(result.experiment.name, result.verdict_obj)
                self.refresh_views()
                verdict = result.verdict or "done"
                self.notify(f"{result.experiment.name}: {verdict}", timeout=4,
                            severity="information" if verdict == "holds" else "warning")
        elif event.state == WorkerState.ERROR and not isinstance(worker.error, _Cancelled):
            token = int((worker.name or "0").rpartition("-")[2] or 0)
            if state.fail_experiment_run(token, str(worker.error)):
                self.refresh_views()
                self.notify(f"experiment failed: {worker.error}", severity="error", timeout=8)

    # ------------------------------------------------------------ intentions
    def intent(self, fn: Callable[..., Any], *args: Any, quiet: bool = False) -> str | None:
        """Run a state intention. A ValueError becomes a notice (or is returned when quiet);
        nothing raises to the terminal. Returns the error message, or None on success. A run
        that diverges in it is announced once (later keys are refused with their own reason)."""
        was_diverged = self.state.diverged
        try:
            fn(*args)
        except ValueError as exc:
            if not quiet:
                self.notify(str(exc), severity="warning", timeout=4)
            self.refresh_views()
            return str(exc)
        self._sync_timer()
        self.refresh_views()
        if self.state.diverged and not was_diverged and not quiet:
            self.notify(self.state.diverged_message() + " — training stopped, r resets",
                        severity="error", timeout=6)
        return None

    def refresh_views(self, frame: int | None = None) -> None:
        if not self.is_running:  # shutting down: an experiment worker's last messages arrive
            return               # after the screens' widgets are gone (NoMatches on quit)
        refresh = getattr(self.screen, "refresh_views", None)
        if refresh is not None:
            refresh(frame)

    def run_screen_action(self, action: str) -> None:
        """Command palette entries run the same actions as the keys."""
        if action == "help":
            self.action_help()
            return
        self.call_later(self.screen.run_action, action)

    def toggle_compare(self) -> None:
        from relutui.app.screens.compare import CompareScreen

        if self.intent(self.state.toggle_compare) is not None:
            return
        if self.state.compare:
            self.push_screen(CompareScreen())
        elif isinstance(self.screen, CompareScreen):
            self.pop_screen()  # (the main screen refreshes its views when it resumes)

    def compare_against(self, name: str) -> None:
        if self.intent(self.state.set_compare_activation, name) is None and not self.state.compare:
            self.toggle_compare()

    # ------------------------------------------------------------ play loop
    def open_claim(self, name: str) -> None:
        """The walk-through's enter: the experiment loads and runs (claim panel), and the main
        network, built with its first arm's settings, trains live for the experiment's number
        of steps, then pauses (any key that pauses or changes the run ends that sooner)."""
        self.load_experiment(name)
        exp = self.state.experiment
        if exp is None or exp.name != name or exp.steps < 2:
            return
        if self.intent(self.state.play, quiet=True) is None:
            self._play_until = exp.steps

    _play_until: int | None = None

    def _sync_timer(self) -> None:
        if not self.state.playing:
            self._play_until = None
        if self.state.playing and self._timer is None:
            self._frame = 0
            self._timer = self.set_interval(1 / FPS, self._tick, name="play")
        elif not self.state.playing and self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _tick(self) -> None:
        state = self.state
        self._frame += 1
        if self._job is not None:  # a step trains in a thread: the UI stays free meanwhile
            if not self._job.done.is_set() or self._job.purpose != "play":
                self.refresh_views(self._frame)
                return
            self._finish_job(self._job)
        elif state.playing and self._slow():
            self._start_job(state.speed, "play", TRAIN_BUDGET)
        elif state.playing:
            try:
                left = None if self._play_until is None else self._play_until - state.step
                if left is not None and left <= state.speed:  # the last frame of a live run: exact
                    state.train_steps(max(left, 0))
                    state.pause()
                else:
                    state.tick(TRAIN_BUDGET)
            except Exception as exc:  # never let a frame crash the app
                state.pause()
                self.notify(f"training stopped: {exc}", severity="error")
            if state.step_cost > 0:
                self._costs[self._cost_key()] = state.step_cost
        if state.diverged and not state.playing and self._timer is not None:
            self.notify(state.diverged_message() + " — training stopped, r resets", severity="error", timeout=6)
        self._sync_timer()
        self.refresh_views(None if not state.playing else self._frame)

    # ------------------------------------------------------------ demo captions
    def show_key(self, key: str) -> None:
        """Show ``key`` (reverse video) and what it does in the caption bar (it follows the
        screen the key opens)."""
        from relutui.app.widgets import caption_bar

        try:
            caption_bar.show_key(self, key)
        except Exception:  # a screen that cannot take it (closing): the key still acts
            return

    def show_caption(self, text: str, title: str = "", timeout: float = 8.0) -> None:
        """A demo's caption in the bar across the bottom (plain text), for ``timeout`` seconds."""
        from relutui.app.widgets import caption_bar

        caption_bar.show_caption(self, text, title, timeout)

    # ------------------------------------------------------------ help, size
    def action_command_palette(self) -> None:
        """ctrl+p: Textual's command palette, with two crashes of a key burst guarded
        (``textual_compat.GuardedCommandPalette``)."""
        if self.use_command_palette and not GuardedCommandPalette.is_open(self):
            self.push_screen(GuardedCommandPalette(id="--command-palette"))

    def action_help(self) -> None:
        from relutui.app.screens.help import HelpScreen

        if isinstance(self.screen, (HelpScreen, TooSmallScreen)):
            return
        self.push_screen(HelpScreen())

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size)

    def _check_size(self, size: Size | None = None) -> None:
        if not self._main_ready:
            return
        width, height = size or self.size
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        if small and self._too_small is None:
            self._too_small = TooSmallScreen()
            self.push_screen(self._too_small)
        elif small and self._too_small is not None:
            self._too_small.update_size(width, height)
        elif not small and self._too_small is not None and self.screen is self._too_small:
            # (if something was opened above the notice, it is popped once that closes)
            self._too_small = None
            self.pop_screen()
            self.call_after_refresh(self.refresh_views)
