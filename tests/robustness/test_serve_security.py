"""``relutui serve`` against a real server on 127.0.0.1 (a free port per test, always killed):
the Origin and Host checks, the session cap, the size clamp, no file on the server's disk from
a visitor, a page that needs no network. Every wait has a deadline."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import aiohttp
import pytest

from relutui.serve_guard import HEIGHT_RANGE, WIDTH_RANGE, GuardedServer, clamp_size

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0  # a loaded 2-core machine starts a session's app in seconds, not minutes


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, headers: dict | None = None) -> tuple[int, str]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


@contextmanager
def serving(tmp_path: Path, *extra: str):
    """A ``relutui serve`` on a free port, cwd an empty folder; yields (base URL, cwd, proc)."""
    port = _free_port()
    cwd = tmp_path / "server-cwd"
    cwd.mkdir()
    log = open(tmp_path / "serve.log", "w")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "relutui", "serve", "--host", "127.0.0.1",
                             "--port", str(port), *extra], cwd=cwd, stdout=log,
                            stderr=subprocess.STDOUT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        for _ in range(300):
            assert proc.poll() is None, f"server exited: {(tmp_path / 'serve.log').read_text()}"
            try:
                _get(base + "/")
                break
            except OSError:
                assert time.monotonic() < deadline, "the server never answered"
                time.sleep(0.1)
        yield base, cwd, proc
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        log.close()


def _ws_url(base: str, width: int | str = 100, height: int | str = 30) -> str:
    return base.replace("http", "ws", 1) + f"/ws?width={width}&height={height}"


async def _first_output(ws, timeout: float = START_TIMEOUT) -> bytes:
    """The app's first screen bytes (its process started and drew)."""
    deadline = time.monotonic() + timeout
    for _ in range(10_000):
        left = deadline - time.monotonic()
        assert left > 0, "no output from the session's app"
        msg = await asyncio.wait_for(ws.receive(), left)
        if msg.type == aiohttp.WSMsgType.BINARY and len(msg.data) > 100:
            return msg.data
        assert msg.type not in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED), msg
    raise AssertionError("no output from the session's app")


def _run(coro, timeout: float = 150.0):
    return asyncio.run(asyncio.wait_for(coro, timeout))


# ---------------------------------------------------------------- origin and host
def test_wrong_or_missing_origin_is_refused_right_origin_accepted(tmp_path):
    with serving(tmp_path) as (base, _cwd, _proc):
        async def go():
            async with aiohttp.ClientSession() as http:
                for origin in ("http://evil.example", "http://127.0.0.1:1", "null", None):
                    headers = {"Origin": origin} if origin else {}
                    with pytest.raises(aiohttp.WSServerHandshakeError) as info:
                        await http.ws_connect(_ws_url(base), headers=headers)
                    assert info.value.status == 403, origin
                async with http.ws_connect(_ws_url(base), headers={"Origin": base}) as ws:
                    assert b"\x1b[" in await _first_output(ws)
        _run(go())


def test_dns_rebinding_host_is_refused(tmp_path):
    with serving(tmp_path) as (base, _cwd, _proc):
        port = base.rsplit(":", 1)[1]
        status, body = _get(base + "/", {"Host": f"evil.example:{port}"})
        assert status == 403 and "unknown host" in body
        assert _get(base + "/", {"Host": f"localhost:{port}"})[0] == 200


def test_origin_and_host_rules():
    server = GuardedServer("true", host="127.0.0.1", port=8000, max_sessions=2,
                           public_url="http://class.example:8000")
    assert server.origin_allowed("http://127.0.0.1:8000", "127.0.0.1:8000")
    assert server.origin_allowed("http://class.example:8000", "10.0.0.5:8000")  # the public URL
    assert not server.origin_allowed("http://127.0.0.1:8001", "127.0.0.1:8000")
    assert not server.origin_allowed("https://127.0.0.1", "127.0.0.1:8000")
    assert not server.origin_allowed("http://evil.example", "127.0.0.1:8000")
    assert not server.origin_allowed(None, "127.0.0.1:8000")
    assert server.host_allowed("[::1]:8000") and server.host_allowed("192.168.1.9:8000")
    assert server.host_allowed("class.example:8000") and server.host_allowed("localhost")
    assert not server.host_allowed("evil.example:8000") and not server.host_allowed(None)


# ---------------------------------------------------------------- the page
def test_page_needs_no_network(tmp_path):
    with serving(tmp_path) as (base, _cwd, _proc):
        status, page = _get(base + "/")
        assert status == 200
        assert "googleapis" not in page and "https://" not in page
        assert "/static/fonts/RobotoMono-VariableFont_wght.ttf" in page
        with urllib.request.urlopen(base + "/static/fonts/RobotoMono-VariableFont_wght.ttf", timeout=10) as r:
            assert r.status == 200 and len(r.read()) > 10_000


# ---------------------------------------------------------------- session cap
def test_session_cap_turns_visitors_away_then_lets_them_in(tmp_path):
    with serving(tmp_path, "--max-sessions", "1") as (base, _cwd, _proc):
        async def go():
            async with aiohttp.ClientSession() as http:
                ws1 = await http.ws_connect(_ws_url(base), headers={"Origin": base})
                await _first_output(ws1)
                status, page = _get(base + "/")
                assert status == 503 and "all 1 sessions are in use" in page
                async with http.ws_connect(_ws_url(base), headers={"Origin": base}) as ws2:
                    msg = await asyncio.wait_for(ws2.receive(), 20)
                    assert msg.type == aiohttp.WSMsgType.CLOSE
                    assert msg.data == aiohttp.WSCloseCode.TRY_AGAIN_LATER and "full" in msg.extra
                await ws1.close()
                deadline = time.monotonic() + 30
                for _ in range(300):  # the first session's process ends, its place frees
                    if _get(base + "/")[0] == 200:
                        break
                    assert time.monotonic() < deadline, "the session's place never freed"
                    await asyncio.sleep(0.1)
                async with http.ws_connect(_ws_url(base), headers={"Origin": base}) as ws3:
                    await _first_output(ws3)
        _run(go())


def test_bad_max_sessions_exits_2():
    out = subprocess.run([sys.executable, "-m", "relutui", "serve", "--max-sessions", "0"],
                         capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 2 and "--max-sessions must be 1..1000" in out.stderr


# ---------------------------------------------------------------- sizes
@pytest.mark.parametrize("asked, clamped", [((6000, 3000), (WIDTH_RANGE[1], HEIGHT_RANGE[1])),
                                            ((0, 0), (WIDTH_RANGE[0], HEIGHT_RANGE[0])),
                                            ((-5, -5), (WIDTH_RANGE[0], HEIGHT_RANGE[0])),
                                            (("x", "1e9"), (80, 24)), ((120, 36), (120, 36))])
def test_clamp_size(asked, clamped):
    assert clamp_size(*asked) == clamped


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    for _ in range(100):
        if not todo:
            break
        p = todo.pop()
        try:
            kids = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            continue
        out += [int(k) for k in kids]
        todo += [int(k) for k in kids]
    return out


def _env_of(pid: int) -> dict[str, str]:
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return {}
    return dict(kv.split("=", 1) for kv in raw.decode("utf-8", "replace").split("\0") if "=" in kv)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads a session's size from /proc")
def test_huge_size_from_the_query_is_clamped(tmp_path):
    with serving(tmp_path) as (base, _cwd, proc):
        async def go():
            async with aiohttp.ClientSession() as http:
                async with http.ws_connect(_ws_url(base, 6000, 3000), headers={"Origin": base}) as ws:
                    await _first_output(ws)
                    sizes = {(e["COLUMNS"], e["ROWS"]) for e in map(_env_of, _descendants(proc.pid))
                             if "COLUMNS" in e and "TEXTUAL_DRIVER" in e}
                    assert sizes == {(str(WIDTH_RANGE[1]), str(HEIGHT_RANGE[1]))}
        _run(go())


def test_resize_messages_are_clamped_and_garbage_ignored():
    class FakeWS:
        def __init__(self, texts):
            self.msgs = [aiohttp.WSMessage(aiohttp.WSMsgType.TEXT, t, None) for t in texts]
            self.sent = []

        def __aiter__(self):
            return self

        async def __anext__(self):
            if not self.msgs:
                raise StopAsyncIteration
            return self.msgs.pop(0)

        async def send_json(self, data):
            self.sent.append(data)

    class FakeService:
        def __init__(self):
            self.sizes, self.bytes = [], []

        async def set_terminal_size(self, w, h):
            self.sizes.append((w, h))

        async def send_bytes(self, b):
            self.bytes.append(b)

    server = GuardedServer("true", host="127.0.0.1", port=8000, max_sessions=2)
    ws, service = FakeWS([json.dumps(["resize", {"width": 9999, "height": -3}]), "not json", "[]",
                          json.dumps(["stdin", {"no": "str"}]), json.dumps(["resize", "x"]),
                          json.dumps(["stdin", "q"]), json.dumps(["ping", 7])]), FakeService()
    asyncio.run(server._process_messages(ws, service))
    assert service.sizes == [(WIDTH_RANGE[1], HEIGHT_RANGE[0])]
    assert service.bytes == [b"q"] and ws.sent == [["pong", 7]]


# ---------------------------------------------------------------- no files on the server
def test_ctrl_s_and_ctrl_l_go_to_the_browser_not_the_servers_disk(tmp_path):
    with serving(tmp_path) as (base, cwd, _proc):
        async def go():
            async with aiohttp.ClientSession() as http:
                async with http.ws_connect(_ws_url(base, 120, 36), headers={"Origin": base}) as ws:
                    await _first_output(ws)
                    await asyncio.sleep(1.0)  # (the first frame drawn: bindings are live)
                    for key in ("\x13", "\x0c"):  # ctrl+s, ctrl+l
                        await ws.send_str(json.dumps(["stdin", key]))
                    keys = []
                    deadline = time.monotonic() + 30
                    for _ in range(10_000):
                        if len(keys) == 2:
                            break
                        left = deadline - time.monotonic()
                        assert left > 0, f"only {len(keys)} deliveries offered"
                        msg = await asyncio.wait_for(ws.receive(), left)
                        if msg.type == aiohttp.WSMsgType.TEXT:
                            kind, data = json.loads(msg.data)[:2]
                            if kind == "deliver_file_start":
                                keys.append(data)
                    bodies = []
                    for key in keys:
                        async with http.get(f"{base}/download/{key}") as r:
                            assert r.status == 200
                            bodies.append((r.headers["Content-Disposition"], await r.text()))
                    return bodies
        bodies = _run(go())
        assert list(cwd.iterdir()) == []  # nothing written where the server runs
        names = sorted(disp.rsplit("=", 1)[1] for disp, _ in bodies)
        assert names == ["relutui-lesson.toml", "relutui-screenshot.svg"]
        text = dict((d.rsplit("=", 1)[1], b) for d, b in bodies)
        assert text["relutui-screenshot.svg"].lstrip().startswith("<svg")
        assert "[config]" in text["relutui-lesson.toml"]
