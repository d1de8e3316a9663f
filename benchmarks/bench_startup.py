"""Startup: process start to the first complete frame of the main screen.

Method: ``startup_launcher.py`` runs each app (relutui through its command's entry
point ``cli.main``, and a bare Textual app with Header, Footer and one PlotextPlot)
as a fresh ``python`` process in a pseudo-terminal of 120x36. The time runs from
just before the process is spawned to the moment the app, at its first complete
frame, stamps ``time.monotonic()`` (a system-wide clock) into a file; the app then
exits. Runs alternate (bare, floor, relutui, bare, ...) and the figure is the
median. The pty output is drained all along, as a terminal would. The "floor" (the
bare app plus numpy, relutui's core and the training run of the first frame) shows
how much of the gap is not the UI; it is reported, not judged. An ``-X importtime``
run lists what relutui imports before its first frame, to show what could be loaded
lazily.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import shutil
import struct
import subprocess
import tempfile
import termios
import time

from common import HERE, PYTHON, ROOT, app_available, busy_note, check, main, median, table

NAME = "startup"
TARGET = 1.3
LAUNCHER = HERE / "startup_launcher.py"
SIZE = (120, 36)


def launch(which: str, extra_args: tuple[str, ...] = (), timeout: float = 30.0,
           env: dict | None = None) -> tuple[float, str]:
    """Seconds from spawn to the first complete frame, and stderr (for -X importtime)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    env = dict(env if env is not None else os.environ, TERM="xterm-256color",
               COLUMNS=str(SIZE[0]), LINES=str(SIZE[1]))
    env.pop("TEXTUAL", None)
    with tempfile.NamedTemporaryFile(prefix="relutui-startup-", delete=False) as fh:
        stamp = fh.name
    os.unlink(stamp)
    err_path = stamp + ".err"
    with open(err_path, "w") as err:
        t0 = time.monotonic()
        proc = subprocess.Popen([PYTHON, *extra_args, str(LAUNCHER), which, stamp], stdin=slave,
                                stdout=slave, stderr=err, cwd=ROOT, env=env, start_new_session=True,
                                close_fds=True)
        os.close(slave)
        deadline = t0 + timeout
        try:
            while proc.poll() is None and time.monotonic() < deadline:
                r, _, _ = select.select([master], [], [], 0.05)
                if r:
                    try:
                        os.read(master, 65536)
                    except OSError:  # EIO: the child closed the terminal
                        break
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                raise RuntimeError(f"{which}: no first frame within {timeout:.0f} s") from None
        finally:
            proc.wait()
            os.close(master)
    errors = open(err_path).read()
    os.unlink(err_path)
    try:
        with open(stamp) as fh:
            t1 = float(fh.read())
        os.unlink(stamp)
    except (OSError, ValueError):
        raise RuntimeError(f"{which}: exited {proc.returncode} without a frame: {errors[-500:]}") from None
    return t1 - t0, errors


def import_profile(errors: str, top: int = 12) -> list[tuple[str, float]]:
    """Heaviest imports (cumulative ms) from -X importtime output, top-level packages."""
    rows = []
    for line in errors.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            rows.append((m.group(4), int(m.group(2)) / 1000, len(m.group(3))))
    # entries at the top level of the tree (least indented)
    if not rows:
        return []
    base = min(r[2] for r in rows)
    tops = [(name, ms) for name, ms, ind in rows if ind == base]
    return sorted(tops, key=lambda t: -t[1])[:top]


def subimports(errors: str, prefixes: tuple[str, ...]) -> list[tuple[str, float]]:
    out = []
    for line in errors.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m and m.group(4).startswith(prefixes):
            out.append((m.group(4), int(m.group(2)) / 1000))
    return sorted(out, key=lambda t: -t[1])


def run(quick: bool = False) -> dict:
    ok, why = app_available()
    if not ok:
        print(f"  SKIP: {why}")
        return {"figures": {}, "notes": [why],
                "checks": [check("startup vs bare Textual app", None, TARGET, "<=", unit="x", note=why)]}
    n = 5 if quick else 9
    # Two ways to start. "cached": modules load from bytecode, as after any pip install
    # (bytecode goes to a scratch PYTHONPYCACHEPREFIX, warmed by one run, never into the
    # repo). "as found": this environment sets PYTHONDONTWRITEBYTECODE=1, so relutui's own
    # sources (an editable install, no __pycache__) are compiled at every start while
    # Textual's come precompiled from site-packages.
    cache_dir = tempfile.mkdtemp(prefix="relutui-bench-pycache-")
    # relutui reads its preferences from $XDG_CONFIG_HOME: a scratch one, so that the figure
    # depends on no user's file (and none is written); the first-run card seen, as on every
    # start but the first: the frame measured is the main screen's (the card, one more frame
    # on a first run, is not measured)
    config_dir = tempfile.mkdtemp(prefix="relutui-bench-config-")
    os.makedirs(os.path.join(config_dir, "relutui"))
    with open(os.path.join(config_dir, "relutui", "preferences.toml"), "w") as fh:
        fh.write('welcome = "seen"\n')
    cached_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cached_env["PYTHONPYCACHEPREFIX"] = cache_dir
    modes = {"cached": cached_env, "as found": dict(os.environ)}
    for env in modes.values():
        env["XDG_CONFIG_HOME"] = config_dir
    apps = ("bare", "floor", "relutui")
    times: dict[str, dict[str, list[float]]] = {m: {a: [] for a in apps} for m in modes}
    try:
        for mode, env in modes.items():
            for which in apps:  # warm the file cache (and the bytecode cache)
                launch(which, env=env)
            for _ in range(n):
                for which in apps:
                    times[mode][which].append(launch(which, env=env)[0])
    except BaseException:
        shutil.rmtree(config_dir, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)
    med = {m: {k: median(v) for k, v in t.items()} for m, t in times.items()}
    ratio = {m: med[m]["relutui"] / med[m]["bare"] for m in modes}
    rows = [[m, k, f"{med[m][k] * 1000:.0f}", f"{min(v) * 1000:.0f}", f"{max(v) * 1000:.0f}",
             "" if k == "bare" else f"{med[m][k] / med[m]['bare']:.2f}x"]
            for m, t in times.items() for k, v in t.items()]
    print(table(rows, ["bytecode", "app (pty 120x36)", "median ms", "min ms", "max ms", "ratio"]))

    # what the first frame imports
    try:
        _, err_app = launch("relutui", ("-X", "importtime"), env=modes["as found"])
        _, err_bare = launch("bare", ("-X", "importtime"), env=modes["as found"])
    finally:
        shutil.rmtree(config_dir, ignore_errors=True)
    rel = [(m, ms) for m, ms in subimports(err_app, ("relutui", "numpy", "textual_plotext", "plotext"))
           if m.count(".") <= 2][:15]
    total_app = sum(ms for _, ms in import_profile(err_app, top=10_000))
    total_bare = sum(ms for _, ms in import_profile(err_bare, top=10_000))
    print(f"  imports before the first frame (-X importtime, as found): relutui {total_app:.0f} ms, "
          f"bare {total_bare:.0f} ms; heaviest relutui / numpy / plotext modules (cumulative):")
    print(table([[m, f"{ms:.0f}"] for m, ms in rel], ["module", "cumulative ms"]))
    figures = {
        "method": "fresh process in a 120x36 pty, spawn -> first complete frame stamped by the app "
                  "(call_after_refresh after the main screen's views are filled), median of "
                  f"{n} alternating runs; 'cached' = modules loaded from bytecode as after a pip install, "
                  "'as found' = this environment (PYTHONDONTWRITEBYTECODE=1: relutui compiled at every start); "
                  "relutui's preferences from a scratch XDG_CONFIG_HOME, the first-run card seen",
        "seconds": {m: {k: round(v, 4) for k, v in d.items()} for m, d in med.items()},
        "runs": {m: {k: [round(x, 4) for x in v] for k, v in d.items()} for m, d in times.items()},
        "ratio": {m: round(r, 3) for m, r in ratio.items()},
        "floor_ratio": {m: round(med[m]["floor"] / med[m]["bare"], 3) for m in modes},
        "floor_note": "floor = the bare app + numpy, relutui's core and the first frame's training run "
                      "(no relutui UI): what any first frame of relutui costs; not a target",
        "imports_total_ms": {"relutui": round(total_app, 1), "bare": round(total_bare, 1)},
        "imports_ms_relutui_modules": [[m, round(ms, 1)] for m, ms in rel],
    }
    c = check("startup, relutui vs bare Header+Footer+PlotextPlot app", ratio["cached"], TARGET, "<=",
              unit="x", ratio=ratio["cached"],
              note=f"{med['cached']['relutui'] * 1000:.0f} ms vs {med['cached']['bare'] * 1000:.0f} ms with "
                   f"bytecode cached; as found here (no bytecode for relutui) "
                   f"{med['as found']['relutui'] * 1000:.0f} vs {med['as found']['bare'] * 1000:.0f} ms = "
                   f"{ratio['as found']:.2f}x; floor (bare + numpy + core + the first run, no UI) "
                   f"{med['cached']['floor'] * 1000:.0f} ms = {figures['floor_ratio']['cached']:.2f}x")
    notes = [figures["method"], figures["floor_note"]]
    busy = busy_note()
    if busy:
        notes.append(busy)
    return {"figures": figures, "checks": [c], "notes": notes}


if __name__ == "__main__":
    main(NAME, run)
