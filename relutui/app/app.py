"""ReluApp: owns the one AppState, the play timer and the screens."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from textual import events
from textual.app import App
from textual.geometry import Size
from textual.timer import Timer

from relutui.app.commands import ReluCommands
from relutui.app.screens.bindings import APP
from relutui.app.screens.main import MainScreen
from relutui.app.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen
from relutui.app.state import AppState
from relutui.training import TrainConfig

FPS = 30


class ReluApp(App):
    """Why ReLU rather than sigmoid: a live, step-through neural network."""

    CSS_PATH = "relutui.tcss"
    TITLE = "relutui"
    SUB_TITLE = "why ReLU rather than sigmoid"
    BINDINGS = APP
    COMMANDS = App.COMMANDS | {ReluCommands}

    def __init__(self, config: TrainConfig | None = None, *, lesson_path: str | Path | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.state = AppState(config)
        self.lesson_path = lesson_path  # lessons (issue 5) load from here
        self._timer: Timer | None = None
        self._frame = 0
        self._too_small: TooSmallScreen | None = None
        self._main_ready = False  # resize events before the main screen exists are ignored

    async def on_mount(self) -> None:
        await self.push_screen(MainScreen())
        self._main_ready = True
        self._check_size()

    # ------------------------------------------------------------ intentions
    def intent(self, fn: Callable[..., Any], *args: Any, quiet: bool = False) -> str | None:
        """Run a state intention. A ValueError becomes a notice (or is returned when quiet);
        nothing raises to the terminal. Returns the error message, or None on success."""
        try:
            fn(*args)
        except ValueError as exc:
            if not quiet:
                self.notify(str(exc), severity="warning", timeout=4)
            self.refresh_views()
            return str(exc)
        self._sync_timer()
        self.refresh_views()
        if self.state.diverged and not quiet:
            self.notify(self.state.diverged_message() + " — training stopped, r resets",
                        severity="error", timeout=6)
        return None

    def refresh_views(self, frame: int | None = None) -> None:
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
            self.pop_screen()
            self.call_after_refresh(self.refresh_views)

    def compare_against(self, name: str) -> None:
        if self.intent(self.state.set_compare_activation, name) is None and not self.state.compare:
            self.toggle_compare()

    # ------------------------------------------------------------ play loop
    def _sync_timer(self) -> None:
        if self.state.playing and self._timer is None:
            self._frame = 0
            self._timer = self.set_interval(1 / FPS, self._tick, name="play")
        elif not self.state.playing and self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _tick(self) -> None:
        state = self.state
        try:
            state.tick()
        except Exception as exc:  # never let a frame crash the app
            state.pause()
            self.notify(f"training stopped: {exc}", severity="error")
        self._frame += 1
        if state.diverged:
            self.notify(state.diverged_message() + " — training stopped, r resets", severity="error", timeout=6)
        self._sync_timer()
        self.refresh_views(None if not state.playing else self._frame)

    # ------------------------------------------------------------ help, size
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
