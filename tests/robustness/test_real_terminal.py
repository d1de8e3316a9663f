"""End to end in a real pseudo-terminal: the installed ``relutui`` at 120x36.

pexpect runs it in a pty; everything it writes is fed to a pyte terminal emulator, and
the checks read pyte's screen: what a person would see. Keys: change activation, step,
play, pause, help, close help, quit; the process must exit with status 0.

Cheap on a busy machine: the bytes are read as they come and parsed by pyte only when a
check reads the screen (pyte is pure Python: a frame of the playing app costs more to parse
than to draw), every read has a deadline (a reader that drained "until the app goes quiet"
never returned while the app played faster than pyte parsed: minutes of CPU on a loaded
machine), and the play is paused as soon as the screen shows it has stepped.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from pathlib import Path

import pexpect
import pyte
import pytest

COLS, ROWS = 120, 36


def _relutui() -> str:
    """The installed script (``make test`` installs it: a missing script is a failure)."""
    here = Path(sys.executable).parent / "relutui"
    found = str(here) if here.exists() else shutil.which("relutui")
    assert found, "the relutui script is not installed (pip install -e .)"
    return found


class Terminal:
    """A pty running the app, read back through pyte."""

    def __init__(self, argv: list[str], cwd: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "COLUMNS", "LINES"))}
        env.update(TERM="xterm-256color", COLORTERM="truecolor", LANG="C.UTF-8", LC_ALL="C.UTF-8")
        self.screen = pyte.Screen(COLS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.child = pexpect.spawn(argv[0], argv[1:], dimensions=(ROWS, COLS), env=env, cwd=str(cwd),
                                   timeout=30)
        self.raw = bytearray()
        self._parsed = 0  # bytes of ``raw`` pyte has seen

    def pump(self, seconds: float = 0.1) -> int:
        """Reads what the app writes for ``seconds`` at most (a deadline, also while it keeps
        writing); returns how many bytes came. Nothing is parsed here."""
        end = time.monotonic() + seconds
        came = 0
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return came
            try:
                data = self.child.read_nonblocking(65536, timeout=min(left, 0.05))
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                return came
            self.raw += data
            came += len(data)

    def settle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Reads until the app has written nothing for ``quiet`` seconds (or ``timeout``)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end and self.child.isalive() and self.pump(quiet):
            pass

    def text(self) -> str:
        if self._parsed < len(self.raw):
            self.stream.feed(bytes(self.raw[self._parsed:]))
            self._parsed = len(self.raw)
        return "\n".join(self.screen.display)

    def wait_for(self, *needles: str, timeout: float = 20.0) -> str:
        return self.wait_until(lambda text: all(n in text for n in needles), repr(needles), timeout)

    def wait_until(self, ok, what: str, timeout: float = 20.0) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.pump(0.1)
            text = self.text()
            if ok(text):
                return text
            if not self.child.isalive():
                break
        raise AssertionError(f"never saw {what} on screen:\n{self.text()}")

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def status_line(self) -> str:
        self.text()
        return self.screen.display[0]


def _step(text: str) -> int:
    match = re.search(r"step (\d+)", text.split("\n", 1)[0])
    return int(match.group(1)) if match else -1


@pytest.mark.slow
def test_installed_app_in_a_pty(tmp_path):
    term = Terminal([_relutui(), "--seed", "0"], tmp_path)
    try:
        # first screen: every panel is there, paused at step 0, ReLU
        text = term.wait_for("controls", "network", "decision boundary", "step 0", timeout=30)
        assert "ReLU" in term.status_line() and "paused" in term.status_line()
        assert "Leaky" not in term.status_line()
        assert "Traceback" not in text
        # change activation: ReLU -> Leaky ReLU, in the status bar and the chart title
        term.send("a")
        text = term.wait_for("Leaky ReLU")
        assert "Leaky ReLU" in term.status_line()
        # one step
        term.send("s")
        term.wait_for("step 1 ")
        # play until the screen shows it stepped, pause: the step counter moved, then stays
        term.send(" ")
        # ("▶ playing · 5 steps/frame", or "▶ 5 steps/frame" when the line is full)
        term.wait_until(lambda text: "▶ " in text.split("\n", 1)[0] and _step(text) > 1, "playing past step 1")
        term.send(" ")
        term.wait_for("paused")
        term.settle()
        line = term.status_line()
        step = _step(line)
        assert step > 1 and "paused" in line, line
        term.pump(0.5)
        assert term.status_line() == line  # really paused
        # help: lists the keys and the symbols
        term.send("?")
        text = term.wait_for("help — escape closes", "neuron states", "active")
        assert "dead" in text and "saturated" in text
        term.send("\x1b")
        term.wait_for("decision boundary")
        term.settle()
        assert "help — escape closes" not in term.text()
        # quit
        term.send("q")
        term.child.expect(pexpect.EOF, timeout=20)
        term.child.close()
        assert term.child.exitstatus == 0, (term.child.exitstatus, term.child.signalstatus)
        assert b"Traceback" not in term.raw and b"Error" not in term.raw
    finally:
        if term.child.isalive():
            term.child.terminate(force=True)
    assert list(tmp_path.iterdir()) == []  # nothing written to the working directory


def test_bad_flag_in_a_pty_exits_2_before_the_app(tmp_path):
    term = Terminal([_relutui(), "--lr", "nan"], tmp_path)
    term.child.expect(pexpect.EOF, timeout=20)
    term.child.close()
    assert term.child.exitstatus == 2
    out = term.raw.decode() + term.child.before.decode()
    assert "relutui: error: --lr must be a finite number, got 'nan'" in out
    assert "\x1b[?1049h" not in out  # the app (alternate screen) never started
