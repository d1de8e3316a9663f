"""Instrumentation shared by the in-app benchmarks (redraw, play, memory).

The app runs headless under ``App.run_test(size=(120, 36))``. Headless Textual
still lays out and renders every dirty widget through the compositor, but skips
turning the update into terminal escape codes; ``PaintProbe`` puts that step
back (``CompositorUpdate.render_segments``, the exact work ``App._display`` does
for a real terminal, minus the write itself) so that a "frame" costs what it
costs in a terminal. It records:

* ``frames``: the end time of every compositor update (one painted frame);
* ``renders``: (time, panel) for every widget line-render, mapped to its panel
  (the nearest ancestor with the ``panel`` class, or the status bar / footer);
* ``intents``: (start, end) of every ``ReluApp.intent`` (a key's state change
  and the push of the new views into the widgets);
* ``ticks``: (start, end) of every play-timer frame (``ReluApp._tick``).

Keys are sent as a terminal would send them: a ``Key`` event through the
driver, without waiting; the caller then watches the probe's clock.
"""

from __future__ import annotations

import asyncio
import time

now = time.perf_counter


class PaintProbe:
    def __init__(self) -> None:
        from textual.app import App
        from textual.widget import Widget

        from relutui.app.app import ReluApp

        self.frames: list[float] = []
        self.renders: list[tuple[float, str]] = []
        self.intents: list[tuple[float, float]] = []
        self.ticks: list[tuple[float, float]] = []
        self.encode_s = 0.0
        self.cpu_at_last_frame = 0.0
        self._panel_cache: dict[int, str] = {}
        probe = self

        orig_display = App._display

        def _display(app, screen, renderable):
            orig_display(app, screen, renderable)
            if renderable is None:
                return
            if app.is_headless and hasattr(renderable, "render_segments"):
                t = now()
                renderable.render_segments(app.console)
                probe.encode_s += now() - t
            probe.frames.append(now())
            probe.cpu_at_last_frame = time.process_time()

        orig_render_lines = Widget.render_lines

        def render_lines(widget, crop):
            out = orig_render_lines(widget, crop)
            probe.renders.append((now(), probe.panel_of(widget)))
            return out

        orig_intent = ReluApp.intent

        def intent(app, fn, *args, **kw):
            t = now()
            try:
                return orig_intent(app, fn, *args, **kw)
            finally:
                probe.intents.append((t, now()))

        orig_tick = ReluApp._tick

        def _tick(app):
            t = now()
            try:
                return orig_tick(app)
            finally:
                probe.ticks.append((t, now()))

        App._display = _display
        Widget.render_lines = render_lines
        ReluApp.intent = intent
        ReluApp._tick = _tick

    def panel_of(self, widget) -> str:
        key = id(widget)
        name = self._panel_cache.get(key)
        if name is None:
            name = "other"
            node = widget
            while node is not None:
                classes = getattr(node, "classes", ())
                wid = getattr(node, "id", None)
                if "panel" in classes or wid in ("status",) or type(node).__name__ == "Footer":
                    name = wid or type(node).__name__
                    break
                node = getattr(node, "parent", None)
            self._panel_cache[key] = name
        return name

    def clear(self) -> None:
        self.frames.clear()
        self.renders.clear()
        self.intents.clear()
        self.ticks.clear()

    def panels_since(self, t0: float) -> set[str]:
        return {p for t, p in self.renders if t >= t0}


def send_key(app, key: str) -> float:
    """Post a key event the way the terminal driver does; returns the send time."""
    from relutui.app.textual_compat import key_event, send_as_terminal

    event = key_event(key)
    t = now()
    send_as_terminal(app, event)
    return t


async def wait_quiet(probe: PaintProbe, t0: float, quiet: float = 0.06, timeout: float = 3.0,
                     need=lambda: True) -> float | None:
    """Wait until a frame was painted after ``t0``, ``need()`` holds, and no frame has
    followed for ``quiet`` seconds. Returns the time of the last frame, or None."""
    while True:
        await asyncio.sleep(0.002)
        t = now()
        last = probe.frames[-1] if probe.frames else 0.0
        if last > t0 and need() and t - last >= quiet:
            return last
        if t - t0 > timeout:
            return last if last > t0 else None


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
