"""Every command in the README runs, so the README cannot go stale.

```console blocks: each ``$ command`` line is run and must exit 0 (or the code named by a
trailing ``# exits N`` comment). ```python blocks are run as scripts. How a command runs:

* it opens the app (``relutui`` with flags, ``make run``, a live ``relutui demo NAME``,
  ``asciinema play``): in a pseudo-terminal at 120x36; the test waits until the screen,
  read back through pyte, shows the app's panels, then presses ``q`` (ctrl+c for
  asciinema) and checks the exit status;
* ``relutui serve``: started, asked for its page over loopback, stopped;
* ``make test``, ``make test-fast`` and ``make bench`` (the suite itself, and minutes of benchmarks): checked
  with ``make -n``, which runs the recipe's shell expansion but not the commands;
* ``relutui claims`` (every experiment at its defaults): in this process, on the suite's own
  runs of them (``default_results``, shared with the claims lab's tests), so that each
  experiment runs once per suite; the command's code is the same, only the runs are shared;
* ``make screenshots``: into an empty temporary folder (``SCREENSHOTS=DIR``), and it must
  give the committed ``screenshots/*.svg`` byte for byte (the tracked files are not touched);
* ``pip install .`` and ``pipx install .``: into a throwaway environment, without
  re-downloading the dependencies the suite's own environment already proved install;
* anything else: as written, in a scratch directory where ``relutui`` names the
  package's folder, so relative paths in the README resolve. The commands run in order,
  in one directory per pytest worker, so a file one command writes is there for the next
  (the commands that use another's file are kept on one worker: ``xdist_group``).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pexpect
import pyte
import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BIN = Path(sys.executable).parent
APP_MARKERS = ("controls", "network")


def _blocks(kind: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    return re.findall(rf"```{kind}\n(.*?)```", text, flags=re.S)


def _commands() -> list[tuple[str, int]]:
    out = []
    for block in _blocks("console"):
        for line in block.splitlines():
            if not line.startswith("$ "):
                continue
            command, _, comment = line[2:].partition("  #")
            m = re.search(r"exits (\d+)", comment)
            out.append((command.strip(), int(m.group(1)) if m else 0))
    return out


COMMANDS = _commands()


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["TERM"] = "xterm-256color"
    env.pop("NO_COLOR", None)
    return env


def _opens_app(command: str) -> bool:
    words = command.split()
    if command == "make run" or words[0] == "asciinema":
        return True
    if words[0] != "relutui":
        return False
    if len(words) == 1 or words[1].startswith("--") and words[1] not in ("--help", "--version"):
        return True
    return words[1] == "demo" and len(words) == 3 and not words[2].startswith("-")


def _screen_text(screen) -> str:
    return "\n".join(screen.display).lower()


def _run_in_pty(command: str, cwd: Path) -> None:
    if command.startswith("asciinema") and not shutil.which("asciinema"):
        pytest.skip("asciinema is not installed (Debian package asciinema; .ci/run installs it)")
    screen = pyte.Screen(120, 36)
    stream = pyte.ByteStream(screen)
    child = pexpect.spawn("bash", ["-c", command], cwd=str(cwd), env=_env(), dimensions=(36, 120))
    deadline = time.monotonic() + 60
    try:
        while not all(m in _screen_text(screen) for m in APP_MARKERS):
            assert time.monotonic() < deadline, f"{command!r} never showed the app:\n{_screen_text(screen)}"
            try:
                stream.feed(child.read_nonblocking(65536, timeout=0.5))
            except pexpect.TIMEOUT:
                pass
        child.send("\x03" if command.startswith("asciinema") else "q")
        child.expect(pexpect.EOF, timeout=30)
    finally:
        child.close(force=True)
    if command.startswith("asciinema"):
        assert child.exitstatus in (0, 1, 130) or child.signalstatus == signal.SIGINT
    else:
        assert child.exitstatus == 0, f"{command!r} exited with {child.exitstatus}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_server(command: str, cwd: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen(f"{command} --port {port}", shell=True, cwd=cwd, env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as page:
                    assert page.status == 200
                    break
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode()
                assert time.monotonic() < deadline, "the server never answered"
                time.sleep(0.3)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)


def _install(command: str, tmp_path: Path) -> None:
    # from a copy of the checkout: pip builds in the source folder (build/, *.egg-info), and
    # the suite writes nothing in the checkout
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    env = _env()
    if command.startswith("pipx"):
        env.update(PIPX_HOME=str(tmp_path / "pipx"), PIPX_BIN_DIR=str(tmp_path / "bin"),
                   PIPX_MAN_DIR=str(tmp_path / "man"))
        # (no .pyc for the dependencies: compiling numpy, textual, aiohttp... was a third of the cost)
        args = [sys.executable, "-m", "pipx", "install", "--pip-args=--no-compile", str(src)]
        exe = tmp_path / "bin" / "relutui"
    else:
        args = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-compile",
                "--target", str(tmp_path / "site"), str(src)]
        exe = None
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    if exe is not None:
        assert subprocess.run([str(exe), "--help"], capture_output=True, timeout=60).returncode == 0
    else:
        assert (tmp_path / "site" / "relutui" / "engine.py").is_file()


# commands whose every run is an experiment at its defaults
SHARED_RUNS = ("relutui claims",)


def _run_on_the_suites_runs(command: str, default_results, monkeypatch, capsys) -> int:
    """``command`` through ``relutui.cli.main`` in this process; ``run_experiment`` at an
    experiment's defaults gives the suite's run of it (any other call runs for real)."""
    import shlex

    import relutui.experiments as ex
    from relutui.cli import main

    real = ex.run_experiment

    def shared(name_or_exp, seeds=None, steps=None, progress=None, first_seed=0, jobs=1,
               arm_changes=None, tables=True):
        if isinstance(name_or_exp, str) and (seeds, steps, first_seed, arm_changes) == (None, None, 0, None):
            return default_results[name_or_exp]  # (its verdict does not depend on ``tables``)
        return real(name_or_exp, seeds=seeds, steps=steps, progress=progress, first_seed=first_seed,
                    jobs=jobs, arm_changes=arm_changes, tables=tables)

    monkeypatch.setattr(ex, "run_experiment", shared)
    code = main(shlex.split(command)[1:])
    out, err = capsys.readouterr()
    assert out.strip(), f"{command!r} printed nothing:\n{err}"
    return code


def _make_screenshots(out: Path) -> None:
    done = subprocess.run(["make", "screenshots", f"SCREENSHOTS={out}"], cwd=ROOT, env=_env(),
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    made = sorted(p.name for p in out.glob("*.svg"))
    committed = sorted(p.name for p in (ROOT / "screenshots").glob("*.svg"))
    assert made == committed, (made, committed)
    different = [n for n in made if (out / n).read_bytes() != (ROOT / "screenshots" / n).read_bytes()]
    assert not different, f"make screenshots no longer gives the committed files: {different}"


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    """One working directory for the whole README, as a reader following it would have."""
    work = tmp_path_factory.mktemp("readme") / "work"
    work.mkdir()
    (work / "relutui").symlink_to(ROOT / "relutui")
    return work


def test_readme_has_the_quick_start_first():
    assert COMMANDS[:2] == [("make run", 0), ("make test", 0)]


def _slow(command: str) -> bool:
    """Installs, the screenshots of every demo, a cast and the app in a terminal: seconds each
    (``make test-fast`` leaves them out)."""
    return (command.startswith(("pip install", "pipx install", "make screenshots", "relutui sweep"))
            or _opens_app(command) or "--cast" in command or "--screenshots" in command)


def _marks(command: str) -> list:
    marks = [pytest.mark.slow] if _slow(command) else []
    if command in SHARED_RUNS:
        marks.append(pytest.mark.xdist_group("experiments"))  # on the worker that has the runs
    if "--cast" in command or command.startswith("asciinema"):
        # `asciinema play` plays the cast the command before it wrote: both on one worker, in order
        marks.append(pytest.mark.xdist_group("readme-cast"))
    return marks


@pytest.mark.parametrize("command,expected", [pytest.param(c, e, id=c, marks=_marks(c)) for c, e in COMMANDS])
def test_readme_command(command, expected, scratch, tmp_path, request, monkeypatch, capsys):
    if command in ("make test", "make test-fast", "make bench"):
        done = subprocess.run(["make", "-n", command.split()[1]], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return
    if command in SHARED_RUNS:
        monkeypatch.chdir(scratch)
        code = _run_on_the_suites_runs(command, request.getfixturevalue("default_results"), monkeypatch, capsys)
        assert code == expected, f"{command!r} exited {code}"
        return
    if command.startswith(("pip install", "pipx install")):
        _install(command, tmp_path)
        return
    if command == "make screenshots":
        _make_screenshots(tmp_path / "shots")
        return
    if _opens_app(command):
        _run_in_pty(command, ROOT if command.startswith("make") else scratch)
        return
    if command.startswith("relutui serve"):
        _run_server(command, scratch)
        return
    cwd = ROOT if command.startswith("make") else scratch
    done = subprocess.run(command, shell=True, cwd=cwd, env=_env(), capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == expected, f"{command!r} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    if expected == 2:
        assert done.stderr.count("\n") == 1 and "relutui: error:" in done.stderr


@pytest.mark.parametrize("index", range(len(_blocks("python"))))
def test_readme_python_block(index, scratch):
    code = _blocks("python")[index]
    done = subprocess.run([sys.executable, "-c", code], cwd=scratch.parent, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_every_screenshot_the_readme_names_exists():
    names = re.findall(r"\((screenshots/[^)\s]+\.svg)\)", README.read_text(encoding="utf-8"))
    assert names, "the README shows no screenshot"
    for name in names:
        assert (ROOT / name).is_file(), name
