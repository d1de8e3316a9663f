"""Play a demo on the real app: headless (fast, SVG screenshots) or live (human speed).

Both run :class:`relutui.app.app.ReluApp` itself, subclassed here, so a demo
presses exactly the keys a user would.

Headless play is deterministic: the demo's config fixes the seed; the app's
real-time play timer is replaced by a frame counter (a ``wait`` while training
plays advances ``round(seconds * FPS)`` frames); transient notices are cleared
and cursors stop blinking before each screenshot. Captions and the keys pressed show in the
caption bar (``relutui.app.widgets.caption_bar``), headless as live. Two runs write the same bytes.

A frame never depends on how fast the machine plays: a ``wait`` trains ``speed`` steps a
frame (``AppState.tick()`` without the live app's time budget). The same bytes on every
machine also needs a demo whose shown figures do not hang on the last bit of a float (a
CPU's rounding): tests/test_demos.py plays every demo with its weights one ulp off.
"""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path
from typing import Any

from textual import events

from relutui.app import app as app_module
from relutui.app.app import ReluApp
from relutui.app.textual_compat import key_event
from relutui.app.widgets.caption_bar import clear_caption, hide_captions, show_status
from relutui.demos.files import atomic_write_text
from relutui.demos.script import Demo, Step

__all__ = ["HeadlessDemoApp", "LiveDemoApp", "play_headless", "play_headless_async", "play_live",
           "normalize_svg"]

SCREENSHOT_TITLE = "relutui"
_FPS = getattr(app_module, "FPS", 30)
_HEADLESS_CAPTION = 3600.0  # seconds: longer than any headless play (its timer never fires)


def _css_paths():
    """ReluApp's CSS_PATH made absolute: Textual resolves relative paths against the
    module of the class that is run, and our subclasses live in another package."""
    base = Path(app_module.__file__).parent
    css = ReluApp.CSS_PATH
    if css is None:
        return None
    items = [css] if isinstance(css, (str, os.PathLike)) else list(css)
    out = [str(p) if Path(p).is_absolute() else str(base / p) for p in items]
    return out[0] if len(out) == 1 else out


def _freeze_cursors(app: ReluApp) -> None:
    """No blinking cursors in a screenshot: blink off means always drawn."""
    for screen in app.screen_stack:
        for widget in screen.query("*"):
            if getattr(type(widget), "cursor_blink", None) is not None:
                try:
                    widget.cursor_blink = False
                except Exception:  # a widget with a read-only cursor_blink
                    pass


def normalize_svg(svg: str) -> str:
    """Make an SVG byte-stable: one newline style, no trailing spaces, a final newline."""
    svg = svg.replace("\r\n", "\n")
    svg = re.sub(r"[ \t]+\n", "\n", svg)
    return svg.rstrip("\n") + "\n"


class HeadlessDemoApp(ReluApp):
    """ReluApp without a wall clock: play advances only when the demo says so."""

    CSS_PATH = _css_paths()

    def _sync_timer(self) -> None:  # no real-time play timer: frames are driven by the player
        return None

    def advance_frames(self, frames: int) -> int:
        """Run ``frames`` play frames (as the play timer would), then refresh once. Returns frames run."""
        state = self.state
        done = 0
        for _ in range(frames):
            if not state.playing:
                break
            try:
                state.tick()
            except Exception as exc:  # as the app's own timer does: never crash
                state.pause()
                self.notify(f"training stopped: {exc}", severity="error")
                break
            done += 1
        if state.diverged:
            self.notify(f"{state.diverged_message()} — training stopped, r resets", severity="error")
        self.refresh_views()
        return done


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def play_input_step(app: HeadlessDemoApp, pilot, step: Step) -> bool:
    """Play a key or wait step headless (a wait trains the frames it would show live, each
    exactly ``speed`` steps);
    False for the other kinds, which the caller handles."""
    if step.kind == "key":
        for key in step.pressed():
            app.show_key(key)  # as live (ReluApp.on_event): named on the screen the key acts on
            await pilot.press(key)
    elif step.kind == "wait":
        if app.state.playing:
            app.advance_frames(max(1, round(step.seconds * _FPS)))
            await pilot.pause()
    else:
        return False
    return True


def show_note(app: ReluApp, demo: Demo, step: Step, timeout: float | None = None) -> None:
    """A note's caption in the caption bar, after the demo's title (plain text: it comes from
    a file). Headless there is no clock: it stays until the next caption or screenshot."""
    app.show_caption(step.text, title=demo.title, timeout=_HEADLESS_CAPTION if timeout is None else timeout)


async def play_headless_async(demo: Demo, screenshots_dir: str | os.PathLike | None,
                              size: tuple[int, int] | None = None, *, overwrite: bool = False,
                              title: str = SCREENSHOT_TITLE) -> list[Path]:
    """Play ``demo`` headless with Textual's Pilot; save an SVG at each screenshot mark.

    ``screenshots_dir`` None plays without writing. Existing files are kept (FileExistsError)
    unless ``overwrite``. Returns the files written.
    """
    size = size or demo.size
    out = Path(screenshots_dir) if screenshots_dir is not None else None
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        if not overwrite:
            clash = [n for n in demo.screenshots if (out / f"{n}.svg").exists()]
            if clash:
                raise FileExistsError(f"{out / (clash[0] + '.svg')}: already exists (not overwritten; "
                                      f"use --overwrite)")
    written: list[Path] = []
    app = HeadlessDemoApp(demo.config)
    async with app.run_test(size=size, notifications=True) as pilot:
        await _settle(pilot)
        for step in demo.steps:
            if await play_input_step(app, pilot, step):
                continue
            if step.kind == "note":
                show_note(app, demo, step)  # from the note on, as live: the keys after it show under it
            elif step.kind == "screenshot":
                await _settle(pilot)
                app.refresh_views()  # every panel re-rendered from the state at its final size
                await _settle(pilot)
                app.clear_notifications()
                _freeze_cursors(app)
                await _settle(pilot)
                svg = normalize_svg(app.export_screenshot(title=title))
                clear_caption(app)  # a caption is in the one screenshot after its note
                if out is not None:
                    written.append(atomic_write_text(out / f"{step.name}.svg", svg, overwrite=overwrite))
        await _settle(pilot)
    return written


def play_headless(demo: Demo, screenshots_dir: str | os.PathLike | None,
                  size: tuple[int, int] | None = None, *, overwrite: bool = False) -> list[Path]:
    """Synchronous wrapper of :func:`play_headless_async` (runs its own event loop)."""
    return asyncio.run(play_headless_async(demo, screenshots_dir, size, overwrite=overwrite))


# ---------------------------------------------------------------- live
class LiveDemoApp(ReluApp):
    """ReluApp playing a demo at human speed: any key pauses or resumes, ``q`` quits."""

    CSS_PATH = _css_paths()
    END_DELAY = 1.5  # seconds the last frame stays on screen before --exit-at-end quits

    def __init__(self, demo: Demo, *, exit_at_end: bool = False, speed: float = 1.0, **kwargs: Any) -> None:
        super().__init__(demo.config, **kwargs)
        self.demo = demo
        self.exit_at_end = exit_at_end
        self.demo_speed = max(speed, 0.05)
        self.demo_paused = False
        self.demo_finished = False
        self._resumed = asyncio.Event()
        self._resumed.set()
        self._was_playing = False
        self._key_before_pause: tuple[str, str] | None = None
        self.keys_sent = 0

    # Textual calls on_mount of every class in the MRO: this one only starts the script, once
    # the first frame is on screen (the script's clock starts with what the viewer sees).
    def on_mount(self) -> None:
        self.call_after_refresh(self._start_script)

    def _start_script(self) -> None:
        self.run_worker(self._run_script(), name="demo", group="demo", exclusive=True)

    # ------------------------------------------------------------ the script
    async def _sleep(self, seconds: float) -> None:
        """Sleep ``seconds`` of demo time; time spent paused does not count."""
        remaining = seconds / self.demo_speed
        while remaining > 0:
            await self._resumed.wait()
            chunk = min(remaining, 0.05)
            await asyncio.sleep(chunk)
            if not self.demo_paused:
                remaining -= chunk

    async def _send(self, key: str) -> None:
        await self._resumed.wait()
        event = key_event(key)
        event._relutui_demo = True  # type: ignore[attr-defined]  # not a user key: do not pause
        self.post_message(event)
        self.keys_sent += 1

    async def _run_script(self) -> None:
        demo = self.demo
        await self._sleep(0.6)  # let the first frame settle before the first action
        if not (demo.steps and demo.steps[0].kind == "note"):  # (else the first note says it)
            self.show_caption(demo.description or demo.title, title=f"demo: {demo.title}", timeout=4)
        for step in demo.steps:
            await self._play_step(step)
        self.demo_finished = True
        if self.exit_at_end:
            await asyncio.sleep(self.END_DELAY)
            self.exit()
        else:
            self.show_caption("the demo is over: the app is yours (q quits)", title=demo.title, timeout=5)
            self.set_timer(5, lambda: hide_captions(self))  # and the bar goes: the screen is the user's

    async def _play_step(self, step: Step) -> None:
        if step.kind == "key":
            delay = self.demo.key_delay if step.delay is None else step.delay
            for key in step.pressed():
                await self._send(key)
                await self._sleep(delay)
        elif step.kind == "wait":
            await self._sleep(step.seconds)
        elif step.kind == "note":
            await self._resumed.wait()
            show_note(self, self.demo, step, timeout=step.timeout / self.demo_speed)
        # screenshot marks are for headless play only

    # ------------------------------------------------------------ user keys
    async def on_event(self, event: events.Event) -> None:
        if (isinstance(event, events.Key) and not event.is_forwarded
                and not getattr(event, "_relutui_demo", False) and not self.demo_finished):
            event.stop()
            event.prevent_default()
            self._user_key(event.key)
            return
        await super().on_event(event)

    def _user_key(self, key: str) -> None:
        if key in ("q", "ctrl+q", "ctrl+c"):
            self.exit()
            return
        if self.demo_paused:
            self.demo_paused = False
            self._resumed.set()
            if self._was_playing and not self.state.playing:
                self.intent(self.state.play)
            show_status(self, self._key_before_pause)  # the demo's last key again, the caption's clock on
        else:
            self.demo_paused = True
            self._resumed.clear()
            self._was_playing = self.state.playing
            if self.state.playing:
                self.intent(self.state.pause)
            # in the bar, where the class looks (a toast would lie over it)
            self._key_before_pause = show_status(self, ("paused", "any key resumes, q quits"), hold=True)


def play_live(demo: Demo, *, exit_at_end: bool = False, speed: float = 1.0) -> int:
    """Play ``demo`` in this terminal at human speed. Returns the exit code."""
    app = LiveDemoApp(demo, exit_at_end=exit_at_end, speed=speed)
    app.run()
    return app.return_code or 0
