"""Demos: the format and its validation, headless play (deterministic SVGs), live play,
asciicast recording, the ``relutui demo`` command and ``make screenshots``."""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from relutui.demos import Demo, DemoError, demo_names, load_all_demos, load_demo, normalize_key, parse_demo
from relutui.demos.cast import CastError, read_cast, record_cast, record_command
from relutui.demos.commands import add_demo_parser, run_demo
from relutui.demos.files import atomic_write_text, save_screenshot_svg

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SHIPPED = ("tour", "dying-relu", "vanishing-gradient", "step-through")

MINI = """
title = "mini"
description = "a tiny demo for the tests"
size = "100x30"
key_delay = 0.05
[config]
layers = [4, 4]
[[steps]]
note = "hello from the demo"
[[steps]]
key = "s"
repeat = 2
[[steps]]
key = "space"
[[steps]]
wait = 0.3
[[steps]]
key = "space"
[[steps]]
screenshot = "mini-shot"
"""


def _demo_file(tmp_path, text=MINI, name="mini.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# ---------------------------------------------------------------- the format
def test_shipped_demos_load():
    assert set(SHIPPED) <= set(demo_names())
    demos = load_all_demos()
    shots: list[str] = []
    for d in demos:
        assert isinstance(d, Demo) and d.title and d.description
        assert d.size == (120, 36)
        assert d.screenshots, f"{d.name} has no screenshot mark"
        shots += d.screenshots
    assert len(shots) == len(set(shots)), "screenshot names must be unique across demos"


def test_shipped_demos_press_only_bound_keys():
    from relutui.app.screens import bindings

    bound = set()
    for group in (bindings.MAIN, bindings.COMPARE, bindings.APP, bindings.ARTICLE):
        for b in group:
            bound.update(k.strip() for k in b.key.split(","))
    bound.add("escape")  # closes the help screen
    for d in load_all_demos():
        for step in d.steps:
            for key in step.keys:
                assert key in bound, f"{d.name}: key {key!r} is bound to nothing in the app"


@pytest.mark.parametrize("given, name", [
    ("space", "space"), (" ", "space"), ("?", "question_mark"), ("question_mark", "question_mark"),
    ("{", "left_curly_bracket"), ("+", "plus"), ("-", "minus"), ("/", "slash"), ("a", "a"),
    ("A", "A"), ("ctrl+p", "ctrl+p"), ("shift+tab", "shift+tab"), ("f1", "f1"), ("escape", "escape"),
    ("ctrl+plus", "ctrl+plus"), ("greater_than_sign", "greater_than_sign"), ("full_stop", "full_stop"),
])
def test_normalize_key(given, name):
    assert normalize_key(given) == name


@pytest.mark.parametrize("bad, reason", [
    ("spcae", "not a Textual key name"), ("ctl+p", "unknown modifier"), ("", "empty"),
    ("ctrl++", "write 'plus'"), (3, "must be a string"), ("\x07", "not a printable character"),
    ("ctrl+ctrl+a", "repeated"),
])
def test_bad_key_names(bad, reason):
    with pytest.raises(ValueError, match=re.escape(reason)):
        normalize_key(bad)


def _steps(*lines: str) -> str:
    return 'title = "t"\n' + "".join(f"[[steps]]\n{line}\n" for line in lines)


@pytest.mark.parametrize("text, where, reason", [
    (_steps('kye = "s"'), "step 1", "unknown step kind 'kye'"),
    (_steps('key = "s"', 'key = "spcae"'), "step 2", "bad key name 'spcae'"),
    (_steps('key = "s"\nwait = 1'), "step 1", "has 2: key, wait"),
    (_steps('keys = []'), "step 1", "non-empty list"),
    (_steps('keys = "s"'), "step 1", "non-empty list"),
    (_steps('key = "s"\nrepeat = 0'), "step 1", "repeat must be"),
    (_steps('key = "s"\nspeed = 2'), "step 1", "unknown option 'speed'"),
    (_steps('wait = -1'), "step 1", "wait must be between"),
    (_steps('wait = "1s"'), "step 1", "wait must be a number"),
    (_steps('screenshot = "Bad Name"'), "step 1", "screenshot name"),
    (_steps('screenshot = "x.svg"'), "step 1", "screenshot name"),
    (_steps('screenshot = "a"', 'screenshot = "a"'), "step 2", "used twice"),
    (_steps('note = ""'), "step 1", "note must be non-empty"),
    ('title = "t"\nsteps = []', "key 'steps'", "non-empty list"),
    ('title = "t"', "key 'steps'", "non-empty list"),
    ('steps = [{key = "s"}]', "key 'title'", "non-empty title"),
    ('title = "t"\nfps = 3\nsteps = [{key = "s"}]', "key 'fps'", "unknown key"),
    ('title = "t"\nsize = "120 by 36"\nsteps = [{key = "s"}]', "key 'size'", "120x36"),
    ('title = "t"\nsize = "10x5"\nsteps = [{key = "s"}]', "key 'size'", "out of range"),
    ('title = "t"\nsteps = [{key = "s"}]\n[config]\nlr = 0', "key 'config'", "lr must be between"),
    ('title = "t"\nsteps = [{key = "s"}]\n[config]\nspeed = 1', "key 'config'", "unknown setting"),
])
def test_bad_demos_are_refused_with_where_and_why(text, where, reason):
    with pytest.raises(DemoError) as info:
        parse_demo(text, "x", source="x.toml")
    msg = str(info.value)
    assert msg.startswith(f"x.toml: {where}: "), msg
    assert reason in msg, msg


def test_bad_toml_and_unknown_demo():
    with pytest.raises(DemoError, match=r"x.toml: bad TOML: .*line 1"):
        parse_demo('title = "t', "x", source="x.toml")
    with pytest.raises(DemoError, match="unknown demo 'nope'; demos: .*dying-relu"):
        load_demo("nope")


def test_steps_forms_and_durations(tmp_path):
    d = load_demo(_demo_file(tmp_path))
    kinds = [s.kind for s in d.steps]
    assert kinds == ["note", "key", "key", "wait", "key", "screenshot"]
    assert d.steps[1].pressed() == ["s", "s"]
    assert d.size == (100, 30) and d.screenshots == ["mini-shot"]
    assert d.live_duration() == pytest.approx(4 * 0.05 + 0.3)
    inline = parse_demo('title = "t"\nsteps = [{keys = ["n", "?"]}, {wait = 0.5}, {screenshot = "s"}]', "t")
    assert inline.steps[0].keys == ("n", "question_mark")


# ---------------------------------------------------------------- files
def test_atomic_write_never_overwrites_unless_asked(tmp_path):
    p = tmp_path / "f.svg"
    atomic_write_text(p, "one")
    with pytest.raises(FileExistsError):
        atomic_write_text(p, "two")
    assert p.read_text() == "one"
    atomic_write_text(p, "three", overwrite=True)
    assert p.read_text() == "three"
    assert [x.name for x in tmp_path.iterdir()] == ["f.svg"]


def test_save_screenshot_svg_picks_a_free_name(tmp_path):
    a = save_screenshot_svg("<svg/>", tmp_path)
    b = save_screenshot_svg("<svg/>", tmp_path)
    assert (a.name, b.name) == ("relutui-001.svg", "relutui-002.svg")


# ---------------------------------------------------------------- headless play
def _svg_text(svg: str) -> str:
    """The characters a Rich SVG screenshot shows (tags dropped, spaces restored)."""
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def test_headless_mini_demo_is_deterministic(tmp_path):
    from relutui.demos.player import play_headless

    demo = load_demo(_demo_file(tmp_path))
    first = play_headless(demo, tmp_path / "a")
    second = play_headless(demo, tmp_path / "b")
    assert [p.name for p in first] == ["mini-shot.svg"]
    assert first[0].read_bytes() == second[0].read_bytes()
    svg = first[0].read_text(encoding="utf-8")
    ET.fromstring(svg)  # well-formed XML
    text = _svg_text(svg)
    assert "hello from the demo" in text  # the note is in the frame, in the caption bar:
    bar = text[text.index(" space "):]  # the last key pressed, what it does, the demo's title
    assert re.match(r" space +play / pause training +mini\n+ *hello from the demo", bar), bar[:200]
    # existing files are kept unless asked
    with pytest.raises(FileExistsError):
        play_headless(demo, tmp_path / "a")
    play_headless(demo, tmp_path / "a", overwrite=True)
    assert first[0].read_bytes() == second[0].read_bytes()


# `make screenshots` with every initial weight one ulp off: what another CPU's rounding in
# the last bit does. A demo whose frames depend on that (a run on the edge of stability)
# cannot give the same bytes on every machine.
_ULP_OFF = """
import sys
import relutui.engine as engine
real = engine.MLP.__init__
def init(self, *args, **kwargs):
    real(self, *args, **kwargs)
    for w in self.weights:
        w *= 1 + 2.0 ** -52
engine.MLP.__init__ = init
from relutui.demos.make_screenshots import main
sys.exit(main([sys.argv[1], "--jobs", "1"]))
"""


@pytest.fixture(scope="module")
def screenshots_ulp_off(tmp_path_factory):
    """Every demo played headless (as `make screenshots` does), its weights one ulp off."""
    out = tmp_path_factory.mktemp("shots")
    proc = subprocess.run([PY, "-c", _ULP_OFF, str(out)], capture_output=True, text=True,
                          timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


def test_headless_frames_train_speed_steps_whatever_the_clock(monkeypatch):
    """A wait's frames train ``speed`` steps each, not what fits in a time budget: with a clock
    that jumps 10 s at every reading (the slowest machine there is), 7 frames are 7 x speed steps."""
    import types

    import relutui.session.session as state_module
    from relutui.session import Session as AppState
    from relutui.demos.player import HeadlessDemoApp

    clock = iter(range(0, 10**9, 10))
    monkeypatch.setattr(state_module.time, "perf_counter", lambda: float(next(clock)))
    state = AppState(load_demo("vanishing-gradient").config)
    state.play()
    fake = types.SimpleNamespace(state=state, notify=lambda *a, **k: None, refresh_views=lambda: None)
    assert HeadlessDemoApp.advance_frames(fake, 7) == 7
    assert state.step == 7 * state.speed


@pytest.mark.slow
def test_every_demo_runs_headless_and_marks_its_screenshots(screenshots_ulp_off):
    out = screenshots_ulp_off
    expected = {f"{s}.svg" for d in load_all_demos() for s in d.screenshots}
    assert {p.name for p in out.glob("*.svg")} == expected
    for p in out.glob("*.svg"):
        svg = p.read_text(encoding="utf-8")
        root = ET.fromstring(svg)
        assert root.tag.endswith("svg")
        assert "Traceback" not in svg


@pytest.mark.slow
def test_screenshots_do_not_depend_on_the_last_bit(screenshots_ulp_off):
    """The committed screenshots, made again with every initial weight one ulp off, are the
    same bytes: a demo's frames depend on its script and seed, not on a CPU's rounding
    (tests/test_readme.py checks that `make screenshots` itself gives the committed bytes)."""
    names = sorted(p.name for p in screenshots_ulp_off.glob("*.svg"))
    different = [n for n in names
                 if (screenshots_ulp_off / n).read_bytes() != (ROOT / "screenshots" / n).read_bytes()]
    assert not different, f"screenshots that change with the last bit of a weight: {different}"


@pytest.mark.slow
def test_demos_show_what_they_claim(screenshots_ulp_off):
    out = screenshots_ulp_off

    def text(name: str) -> str:
        return _svg_text((out / f"{name}.svg").read_text(encoding="utf-8"))

    assert "bias -1" in text("dying-relu-bias")
    assert re.search(r"✕\s*[1-9]\d* dead", text("dying-relu-stay-dead"))
    leaky = text("dying-relu-leaky")
    assert "Leaky ReLU" in leaky and re.search(r"✕\s*0 dead", leaky)
    assert "Sigmoid" in text("vanishing-gradient-compare") and "ReLU" in text("vanishing-gradient-compare")
    assert "backward" in text("step-through-backward")
    assert re.search(r" n +step-through: next phase +One training step", text("step-through-backward"))
    assert re.search(r" \? +help: every key", text("tour-help"))  # the bar follows the key to the help
    assert "controls" in text("tour-main") and "network" in text("tour-main")


def test_committed_screenshots_match_the_readme():
    """Every screenshots/NAME.svg the README names exists and is made by a demo."""
    readme = ROOT / "README.md"
    names = set(re.findall(r"screenshots/([A-Za-z0-9._-]+\.svg)", readme.read_text(encoding="utf-8")))
    made = {f"{s}.svg" for d in load_all_demos() for s in d.screenshots}
    for n in sorted(names):
        assert (ROOT / "screenshots" / n).is_file(), f"README names screenshots/{n}, which is missing"
        assert n in made, f"README names screenshots/{n}, which no demo makes (make screenshots)"


# ---------------------------------------------------------------- live play
def test_live_player_plays_pauses_and_exits(tmp_path):
    from relutui.demos.player import LiveDemoApp

    demo = load_demo(_demo_file(tmp_path))

    async def run() -> tuple[int, bool, bool, int]:
        app = LiveDemoApp(demo, exit_at_end=True, speed=4.0)
        app.END_DELAY = 0.05
        from relutui.app.widgets.caption_bar import caption_of

        async with app.run_test(size=demo.size) as pilot:
            for _ in range(100):  # the note is on
                if caption_of(app).text:
                    break
                await pilot.pause(0.05)
            await pilot.press("x")  # a user key pauses ...
            paused = app.demo_paused
            assert caption_of(app).key_text == ("paused", "any key resumes, q quits")  # in the bar
            sent_while_paused = app.keys_sent
            await pilot.pause(1.2)  # (longer than the note's 4 s at speed 4)
            assert app.keys_sent == sent_while_paused  # ... and nothing is pressed meanwhile
            assert caption_of(app).text == "hello from the demo"  # the caption stays while paused
            await pilot.press("x")  # ... any key resumes
            resumed = not app.demo_paused
            assert caption_of(app).key_text != ("paused", "any key resumes, q quits")
            for _ in range(200):
                if app.demo_finished:
                    break
                await pilot.pause(0.05)
            await pilot.pause(0.2)
            return app.keys_sent, paused, resumed, app.state.step

    keys, paused, resumed, step = asyncio.run(run())
    assert paused and resumed
    assert keys == 4  # s, s, space, space
    assert step >= 2


def test_live_player_captions_in_the_bar(tmp_path):
    """Live, a note and each key the demo presses show in the caption bar (no toast), and the
    bar goes when the demo is over: the screen is the user's."""
    from relutui.app.widgets.caption_bar import CaptionBar
    from relutui.demos.player import LiveDemoApp

    demo = load_demo(_demo_file(tmp_path))

    async def run() -> tuple[list[str], int, bool]:
        app = LiveDemoApp(demo, speed=4.0)
        seen: list[str] = []
        async with app.run_test(size=demo.size) as pilot:
            for _ in range(200):
                bars = app.screen.query(CaptionBar)
                if bars and bars.first().display:
                    seen.append(str(bars.first().compose_content().plain))
                if app.demo_finished:
                    break
                await pilot.pause(0.05)
            toasts = len(app._notifications)
            from relutui.app.widgets.caption_bar import hide_captions

            hide_captions(app)  # what the end's timer does, 5 s later
            await pilot.pause()
            return seen, toasts, app.screen.query_one(CaptionBar).display

    seen, toasts, shown_at_the_end = asyncio.run(run())
    assert any(t.endswith("\nhello from the demo") for t in seen), seen[:3]
    assert any(t.startswith(" s   one whole training step") for t in seen), seen
    assert any("the demo is over" in t for t in seen)
    assert toasts == 0 and not shown_at_the_end


def test_live_player_q_quits(tmp_path):
    from relutui.demos.player import LiveDemoApp

    demo = load_demo(_demo_file(tmp_path))

    async def run() -> bool:
        app = LiveDemoApp(demo)
        async with app.run_test(size=demo.size) as pilot:
            await pilot.press("q")
            await pilot.pause(0.1)
            return app.demo_finished

    assert asyncio.run(run()) is False  # quit before the end, without error


# ---------------------------------------------------------------- asciicast
def _asciinema_plays(path: Path) -> str:
    """`asciinema cat FILE` needs a terminal: run it in a pty. Returns its output."""
    import pexpect

    child = pexpect.spawn("asciinema", ["cat", str(path)], dimensions=(36, 120), encoding="utf-8",
                          timeout=60)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before[-2000:]
    return child.before


def _screen_before_exit(header: dict, events: list) -> str:
    import pyte

    screen = pyte.Screen(header["width"], header["height"])
    stream = pyte.Stream(screen)
    best = ""
    for _, _, text in events:
        if "\x1b[?1049l" in text:  # the app leaves the alternate screen: it is over
            stream.feed(text.split("\x1b[?1049l")[0])
            break
        stream.feed(text)
    best = "\n".join(screen.display)
    return best


@pytest.mark.slow
def test_record_cast_of_a_demo(tmp_path):
    demo = load_demo(_demo_file(tmp_path))
    cast = tmp_path / "mini.cast"
    result = record_cast(demo, cast, (100, 30), speed=2.0)
    assert result.path == cast and result.events > 5
    lines = cast.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    assert header["version"] == 2 and (header["width"], header["height"]) == (100, 30)
    assert header["env"]["TERM"] == "xterm-256color"
    assert "timestamp" not in header  # nothing variable in the header
    times = []
    for line in lines[1:]:
        t, code, text = json.loads(line)
        assert code == "o" and isinstance(text, str)
        times.append(t)
    assert times == sorted(times) and times[0] >= 0
    h, events = read_cast(cast)
    screen = _screen_before_exit(h, events)
    for title in ("network", "loss", "f(x) = max(0, x)"):
        assert title in screen, screen
    if shutil.which("asciinema"):
        _asciinema_plays(cast)
    # an existing cast is kept unless asked
    with pytest.raises(FileExistsError):
        record_cast(demo, cast, (100, 30), speed=2.0)


def test_record_command_basics(tmp_path):
    cast = tmp_path / "hi.cast"
    code = "import os; print('hi', os.get_terminal_size().columns, os.get_terminal_size().lines)"
    record_command([PY, "-c", code], cast, (90, 20))
    header, events = read_cast(cast)
    assert (header["width"], header["height"]) == (90, 20)
    assert "".join(e[2] for e in events) == "hi 90 20\r\n"
    if shutil.which("asciinema"):
        assert "hi 90 20" in _asciinema_plays(cast)
    with pytest.raises(CastError, match="exited with code 3"):
        record_command([PY, "-c", "import sys; sys.exit(3)"], tmp_path / "bad.cast")
    assert not (tmp_path / "bad.cast").exists()
    with pytest.raises(CastError, match="still running"):
        record_command([PY, "-c", "import time; time.sleep(30)"], tmp_path / "slow.cast", timeout=0.5)
    assert not (tmp_path / "slow.cast").exists()


def test_read_cast_rejects_bad_files(tmp_path):
    bad = tmp_path / "bad.cast"
    bad.write_text('{"version": 2, "width": 80, "height": 24}\n[1.0, "o", "a"]\n[0.5, "o", "b"]\n')
    with pytest.raises(ValueError, match="backwards"):
        read_cast(bad)
    bad.write_text('{"version": 1}\n')
    with pytest.raises(ValueError, match="version 2"):
        read_cast(bad)


# ---------------------------------------------------------------- the command
def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="relutui")
    add_demo_parser(parser.add_subparsers(dest="command"))
    return parser


def test_demo_list(capsys):
    assert run_demo(_parser().parse_args(["demo", "--list"])) == 0
    out = capsys.readouterr().out
    for name in SHIPPED:
        assert name in out


def test_unknown_demo_exits_2_with_the_list(capsys):
    assert run_demo(_parser().parse_args(["demo", "nope"])) == 2
    err = capsys.readouterr().err
    assert "unknown demo 'nope'" in err and "dying-relu" in err


def test_bad_demo_file_exits_2(tmp_path, capsys):
    bad = _demo_file(tmp_path, 'title = "t"\n[[steps]]\nkye = "s"\n', "bad.toml")
    assert run_demo(_parser().parse_args(["demo", str(bad)])) == 2
    assert "unknown step kind 'kye'" in capsys.readouterr().err


def test_bad_size_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        _parser().parse_args(["demo", "tour", "--size", "big"])
    assert info.value.code == 2
    assert "120x36" in capsys.readouterr().err


def test_live_play_needs_a_terminal():
    proc = subprocess.run([PY, "-m", "relutui.demos.commands", "tour"], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=60, cwd=ROOT)
    assert proc.returncode == 2
    assert "needs a terminal" in proc.stderr


@pytest.mark.slow
def test_screenshots_command_refuses_to_overwrite(tmp_path):
    demo = _demo_file(tmp_path)
    out = tmp_path / "shots"
    cmd = [PY, "-m", "relutui.demos.commands", str(demo), "--screenshots", str(out)]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip().endswith("mini-shot.svg")
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert again.returncode == 1 and "already exists" in again.stderr
    forced = subprocess.run(cmd + ["--overwrite"], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert forced.returncode == 0, forced.stderr
