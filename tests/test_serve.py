"""``relutui serve``: arguments, the localhost default and its warning, and the app in a real
browser (Debian's chromium driven by playwright; skipped where the chromium binary is missing)."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from relutui.serve import add_serve_parser, is_loopback, public_url_for, run_serve, serve_command

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PANEL_TITLES = ("controls", "network", "decision boundary", "loss")


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="relutui")
    add_serve_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["serve", *argv])


class FakeServer:
    made: list["FakeServer"] = []

    def __init__(self, command, host="localhost", port=8000, title=None, public_url=None,
                 max_sessions=None, **kw):
        self.command, self.host, self.port, self.title, self.public_url = command, host, port, title, public_url
        self.max_sessions = max_sessions
        FakeServer.made.append(self)

    def serve(self, debug=False):
        return None


@pytest.fixture
def fake_server(monkeypatch):
    import relutui.serve_guard

    FakeServer.made = []
    monkeypatch.setattr(relutui.serve_guard, "GuardedServer", FakeServer)
    return FakeServer


def test_defaults_bind_localhost_without_warning(fake_server, capsys):
    assert run_serve(_parse()) == 0
    (server,) = fake_server.made
    assert (server.host, server.port) == ("127.0.0.1", 8000)
    assert server.public_url == "http://127.0.0.1:8000"
    assert shlex.split(server.command) == [sys.executable, "-m", "relutui"]
    err = capsys.readouterr().err
    assert "WARNING" not in err and "http://127.0.0.1:8000" in err


def test_wide_bind_warns(fake_server, capsys):
    assert run_serve(_parse("--host", "0.0.0.0", "--port", "9001")) == 0
    err = capsys.readouterr().err
    assert "WARNING: binding to 0.0.0.0, not localhost" in err
    (server,) = fake_server.made
    assert server.host == "0.0.0.0" and server.port == 9001
    assert "0.0.0.0" not in server.public_url  # browsers get a reachable address


def test_bad_port_and_bad_lesson_exit_2(fake_server, tmp_path, capsys):
    assert run_serve(_parse("--port", "70000")) == 2
    assert "--port must be 1..65535" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text("colour = 1\n")
    assert run_serve(_parse("--lesson", str(bad))) == 2
    assert "key 'colour': unknown key" in capsys.readouterr().err
    assert not fake_server.made


def test_lesson_is_passed_to_every_session(fake_server, tmp_path):
    lesson = tmp_path / "my lesson.toml"
    lesson.write_text('title = "x"\n')
    assert run_serve(_parse("--lesson", str(lesson))) == 0
    argv = shlex.split(fake_server.made[0].command)
    assert argv[-2:] == ["--lesson", str(lesson.resolve())]
    assert serve_command() == " ".join(shlex.quote(a) for a in [sys.executable, "-m", "relutui"])


def test_app_flags_are_passed_to_every_session_quoted(fake_server, tmp_path, monkeypatch):
    data = tmp_path / "my data; rm -rf ~.csv"
    data.write_text("x1,x2,label\n0,0,0\n1,1,1\n0,1,1\n1,0,0\n")
    assert run_serve(_parse("--activation", "leaky_relu", "--bias", "-3", "--layers", "4,4",
                            "--param", "negative_slope=0.1", "--data", str(data))) == 0
    argv = shlex.split(fake_server.made[0].command)
    assert argv[:3] == [sys.executable, "-m", "relutui"]
    assert sorted(argv[3:]) == ["--activation=leaky_relu", "--bias=-3", "--data=" + str(data.resolve()),
                                "--layers=4,4", "--param=negative_slope=0.1"]  # (in the settings table's order)
    from relutui.cli import build_parser, config_from_args

    args = build_parser().parse_args(argv[3:])  # the session's own command line parses back
    config = config_from_args(args, prefix="app_")
    assert (config.activation, config.bias_init, config.layers) == ("leaky_relu", -3.0, (4, 4))


def test_bad_app_flag_is_refused_once_at_start(fake_server, capsys):
    assert run_serve(_parse("--activation", "nope")) == 2
    assert "relutui: error: serve: " in capsys.readouterr().err
    assert not fake_server.made


def test_max_sessions_default_and_flag(fake_server):
    from relutui.serve import default_max_sessions

    assert default_max_sessions(2) == 8 and default_max_sessions(1) == 4 and default_max_sessions(64) == 64
    assert run_serve(_parse("--max-sessions", "3")) == 0
    assert fake_server.made[-1].max_sessions == 3
    assert run_serve(_parse()) == 0
    assert fake_server.made[-1].max_sessions == default_max_sessions()


@pytest.mark.parametrize("host, loop", [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                        ("127.0.0.2", True), ("0.0.0.0", False), ("::", False),
                                        ("192.168.1.10", False)])
def test_is_loopback(host, loop):
    assert is_loopback(host) is loop


def test_public_url():
    assert public_url_for("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert public_url_for("::1", 80) == "http://[::1]"


# ---------------------------------------------------------------- in a browser
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve_argv(port: int) -> list[str]:
    return [sys.executable, "-m", "relutui", "serve", "--host", "127.0.0.1", "--port", str(port)]


def _wait_http(url: str, proc: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited early with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout}s")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


# Records what the page's terminal (xterm.js) is sent: its canvas/WebGL renderer leaves no text
# in the DOM, so the test replays the same bytes into a terminal emulator (pyte).
TAP = r"""
(() => {
  const Orig = window.WebSocket;
  window.__relutui = {chunks: [], sent: []};
  class Tap extends Orig {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (e) => {
        if (typeof e.data !== "string") window.__relutui.chunks.push(Array.from(new Uint8Array(e.data)));
      });
    }
    send(data) { if (typeof data === "string") window.__relutui.sent.push(data); return super.send(data); }
  }
  window.WebSocket = Tap;
})();
"""


class _PageScreen:
    """The page's terminal replayed into pyte, reading only the bytes not read yet (each check
    parsed everything again: quadratic in the bytes the app sent)."""

    def __init__(self, page) -> None:
        self.page, self.size, self.seen = page, None, 0

    def text(self) -> str:
        import pyte

        sent = self.page.evaluate("window.__relutui.sent")
        sizes = [json.loads(s)[1] for s in sent if s.startswith('["resize"')]
        if not sizes:
            return ""
        size = (sizes[-1]["width"], sizes[-1]["height"])
        if size != self.size:  # (a resize: replayed from the first byte at the new size)
            self.size, self.seen = size, 0
            self.screen = pyte.Screen(*size)
            self.stream = pyte.ByteStream(self.screen)
        new = self.page.evaluate(f"window.__relutui.chunks.slice({self.seen})")
        self.seen += len(new)
        for chunk in new:
            self.stream.feed(bytes(chunk))
        return "\n".join(self.screen.display)


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is missing (apt-get install chromium)")
def test_serve_in_headless_chromium(tmp_path):
    from playwright import sync_api
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    log = open(tmp_path / "serve.log", "w")
    proc = subprocess.Popen(_serve_argv(port), stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                            start_new_session=True)
    try:
        _wait_http(url, proc)
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=60_000)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                # loopback only: the page's web fonts and anything else outside are refused
                page.route("**/*", lambda route: route.continue_()
                           if route.request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1"))
                           else route.abort())
                page.add_init_script(TAP)
                page.goto(url, wait_until="domcontentloaded", timeout=30_000)
                start = page.locator("#start")
                if start.count() and start.is_visible():
                    start.click()
                page.wait_for_function("document.body.classList.contains('-first-byte')", timeout=45_000)
                assert page.locator(".xterm-screen").count() == 1
                deadline = time.monotonic() + 45
                text = ""
                screen = _PageScreen(page)
                while time.monotonic() < deadline:
                    text = screen.text()
                    if all(t in text for t in PANEL_TITLES):
                        break
                    time.sleep(0.5)
                missing = [t for t in PANEL_TITLES if t not in text]
                assert not missing, f"panels {missing} not on the served page:\n{text}"
            finally:
                browser.close()
    finally:
        _stop(proc)
        log.close()
    assert proc.returncode is not None
