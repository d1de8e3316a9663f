"""Asciicast v2 recordings without asciinema: run a command in a pseudo-terminal and log its output.

The file is what ``asciinema play`` / ``asciinema cat`` and asciinema-player read:
a JSON header line, then one JSON array per output chunk::

    {"version": 2, "width": 120, "height": 36, "title": "...", "env": {"TERM": "xterm-256color"}}
    [0.012345, "o", "\\u001b[?1049h..."]
    ...

No timestamp in the header, so that the same demo gives the same header every time.
"""

from __future__ import annotations

import codecs
import fcntl
import json
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from relutui.demos.files import atomic_write_text
from relutui.demos.script import Demo

__all__ = ["CastError", "CastResult", "record_command", "record_cast", "read_cast", "demo_command"]

TERM = "xterm-256color"
COALESCE = 0.005  # seconds: output chunks closer than this become one event


class CastError(RuntimeError):
    """The recorded command failed or did not finish in time."""


@dataclass
class CastResult:
    path: Path
    events: int
    duration: float
    returncode: int


def _set_winsize(fd: int, width: int, height: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))


def record_command(argv: Sequence[str], path: str | os.PathLike, size: tuple[int, int] = (120, 36),
                   *, title: str | None = None, env: dict[str, str] | None = None,
                   timeout: float = 300.0, overwrite: bool = False,
                   cwd: str | os.PathLike | None = None) -> CastResult:
    """Run ``argv`` in a pty of ``size`` (columns, rows) and write its output as asciicast v2.

    Stops when the command exits (or after ``timeout`` seconds: the command is
    killed and CastError raised; nothing is written). The file is written
    atomically and an existing one is kept unless ``overwrite``.
    """
    width, height = size
    dest = Path(path)
    if dest.exists() and not overwrite:
        raise FileExistsError(f"{dest}: already exists (not overwritten)")
    child_env = dict(os.environ if env is None else env)
    child_env.update({"TERM": TERM, "COLUMNS": str(width), "LINES": str(height)})
    child_env.setdefault("COLORTERM", "truecolor")
    master, slave = os.openpty()
    _set_winsize(slave, width, height)
    # a plain terminal, like a fresh xterm: canonical mode, echo, onlcr
    try:
        proc = subprocess.Popen(
            list(argv), stdin=slave, stdout=slave, stderr=slave, env=child_env, cwd=cwd,
            start_new_session=True, close_fds=True,
        )
    except BaseException:
        os.close(master)
        os.close(slave)
        raise
    os.close(slave)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    events: list[tuple[float, str]] = []
    start = time.monotonic()
    deadline = start + timeout
    timed_out = False
    try:
        while True:
            now = time.monotonic()
            if now > deadline:
                timed_out = True
                break
            ready, _, _ = select.select([master], [], [], min(0.25, deadline - now))
            if not ready:
                if proc.poll() is not None:
                    # the child is gone; drain what is left without blocking
                    ready, _, _ = select.select([master], [], [], 0.05)
                    if not ready:
                        break
                else:
                    continue
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the slave side is closed (Linux)
                break
            if not data:
                break
            text = decoder.decode(data)
            if text:
                events.append((time.monotonic() - start, text))
        tail = decoder.decode(b"", final=True)
        if tail:
            events.append((time.monotonic() - start, tail))
    finally:
        os.close(master)
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=5)
    if timed_out:
        raise CastError(f"{' '.join(argv)}: still running after {timeout:g}s; killed, no cast written")
    rc = proc.returncode
    if rc != 0:
        last = "".join(t for _, t in events[-5:])[-400:]
        raise CastError(f"{' '.join(argv)}: exited with code {rc}; no cast written. Last output: {last!r}")
    header: dict = {"version": 2, "width": width, "height": height}
    if title:
        header["title"] = title
    header["env"] = {"TERM": TERM}
    lines = [json.dumps(header, ensure_ascii=False)]
    for t, text in _coalesce(events):
        lines.append(json.dumps([t, "o", text], ensure_ascii=False))
    atomic_write_text(dest, "\n".join(lines) + "\n", overwrite=overwrite)
    duration = events[-1][0] if events else 0.0
    return CastResult(path=dest, events=len(events), duration=duration, returncode=rc)


def _coalesce(events: list[tuple[float, str]], window: float = COALESCE) -> list[tuple[float, str]]:
    """Merge chunks written within ``window`` seconds of the previous one (one frame is
    often several writes); times rounded to microseconds and kept monotonic."""
    out: list[tuple[float, str]] = []
    last = 0.0
    for t, text in events:
        t = max(round(t, 6), last)
        if out and t - out[-1][0] < window:
            out[-1] = (out[-1][0], out[-1][1] + text)
        else:
            out.append((t, text))
        last = t
    return out


def demo_command(demo: Demo, speed: float = 1.0) -> list[str]:
    """The command that plays ``demo`` live and quits at its end (its own file: an edited
    copy of a shipped demo is named like it)."""
    target = str(Path(demo.path).resolve()) if demo.path is not None else demo.name
    cmd = [sys.executable, "-m", "relutui.demos.commands", target, "--exit-at-end"]
    if speed != 1.0:
        cmd += ["--speed", repr(float(speed))]
    return cmd


def record_cast(demo: Demo, path: str | os.PathLike, size: tuple[int, int] | None = None, *,
                overwrite: bool = False, timeout: float | None = None, speed: float = 1.0) -> CastResult:
    """Record ``demo`` played live (human speed, or ``speed`` times faster) in a pty of
    ``size`` (default: the demo's) as an asciicast v2 file."""
    size = size or demo.size
    limit = timeout if timeout is not None else 60.0 + 3.0 * demo.live_duration() / speed
    env = dict(os.environ)
    env.setdefault("TEXTUAL_FPS", "30")  # the app's own frame rate: smaller casts, same look
    return record_command(demo_command(demo, speed), path, size, title=f"relutui: {demo.title}",
                          env=env, timeout=limit, overwrite=overwrite)


def read_cast(path: str | os.PathLike) -> tuple[dict, list[list]]:
    """Parse an asciicast v2 file; ValueError with the line number if it is not valid."""
    header: dict | None = None
    events: list[list] = []
    last = 0.0
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON: {exc}") from None
            if header is None:
                if not isinstance(obj, dict) or obj.get("version") != 2:
                    raise ValueError(f"{path}:{n}: header must be an object with version 2")
                for k in ("width", "height"):
                    if not isinstance(obj.get(k), int) or obj[k] <= 0:
                        raise ValueError(f"{path}:{n}: header {k} must be a positive integer")
                header = obj
                continue
            if not (isinstance(obj, list) and len(obj) == 3 and isinstance(obj[0], (int, float))
                    and obj[1] in ("o", "i", "m", "r") and isinstance(obj[2], str)):
                raise ValueError(f"{path}:{n}: event must be [time, code, text]")
            if obj[0] < last:
                raise ValueError(f"{path}:{n}: time goes backwards ({obj[0]} < {last})")
            last = obj[0]
            events.append(obj)
    if header is None:
        raise ValueError(f"{path}: empty file, no header")
    return header, events
