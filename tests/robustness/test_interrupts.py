"""^C and SIGTERM stop a parallel sweep (issue 15): it ran on for 272 s after ^C with
``--jobs 2``, and a second ^C or a SIGTERM left its workers orphaned.

A real ``relutui sweep --jobs 2`` in its own session (so its process group is its own, like
a shell job): once its workers run, the signal goes to the whole group as a terminal sends
^C. It must exit (130 for ^C, 143 for SIGTERM) with no process of the group left and no
output file. The timeout is a bound on a hang, not a measure of speed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "relutui.cli"]
HANG_BOUND = 30.0  # seconds


def group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes of a process group, from /proc."""
    out = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            out.append(int(name))
    return out


def children_of(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(x) for x in fh.read().split()]
    except OSError:
        return []


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, from /proc."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            stat = fh.read()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until(predicate, bound: float = HANG_BOUND) -> bool:
    end = time.monotonic() + bound
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def kill_group(proc: subprocess.Popen) -> None:
    """A test's clean-up: whatever the test left of the sweep's process group is killed."""
    if proc.poll() is None or group_members(proc.pid):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def start_sweep(tmp_path: Path, jobs: str = "2") -> subprocess.Popen:
    """The sweep, with ^C acting as in a terminal's foreground job. A suite started in the
    background (``make test &``, nohup, some CI runners) ignores SIGINT, and an ignored signal
    stays ignored across exec (Python installs its handler only over the default): the parent
    handles SIGINT while it starts the child, and a handled signal is reset to the default
    on exec. (Not ``preexec_fn``: Python code between fork and exec can deadlock when a thread
    of the worker holds a lock, and did.)"""
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return subprocess.Popen(
            [*CLI, "sweep", "--activation", "relu,sigmoid", "--lr", "0.1,1", "--seeds", "20",
             "--steps", "5000", "--jobs", jobs, "--csv", str(tmp_path / "out.csv")],
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    finally:
        signal.signal(signal.SIGINT, old)


@pytest.mark.parametrize("sig,code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["INT", "TERM"])
def test_signal_stops_a_parallel_sweep_with_no_orphan(tmp_path, sig, code):
    proc = start_sweep(tmp_path)
    try:
        assert wait_until(lambda: len(children_of(proc.pid)) >= 2), "the workers never started"
        os.killpg(proc.pid, sig)  # the whole group, as a terminal's ^C
        _, err = proc.communicate(timeout=HANG_BOUND)
        assert proc.returncode == code, err.decode()
        assert "Traceback" not in err.decode(), err.decode()
        assert wait_until(lambda: not group_members(proc.pid)), group_members(proc.pid)
        assert not any(p.name.endswith((".csv", ".tmp")) for p in tmp_path.iterdir()), list(tmp_path.iterdir())
    finally:
        kill_group(proc)


def test_a_second_interrupt_leaves_no_orphan(tmp_path):
    proc = start_sweep(tmp_path)
    try:
        assert wait_until(lambda: len(children_of(proc.pid)) >= 2), "the workers never started"
        os.killpg(proc.pid, signal.SIGINT)
        os.killpg(proc.pid, signal.SIGINT)
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        proc.communicate(timeout=HANG_BOUND)
        assert proc.returncode in (130, 143, -signal.SIGTERM), proc.returncode
        assert wait_until(lambda: not group_members(proc.pid)), group_members(proc.pid)
    finally:
        kill_group(proc)


def test_interrupt_of_a_serial_sweep(tmp_path):
    proc = start_sweep(tmp_path, jobs="1")
    try:
        # into the training loop: past its imports (~0.4 CPU s), however busy the machine
        assert wait_until(lambda: cpu_seconds(proc.pid) >= 1.5 or proc.poll() is not None)
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=HANG_BOUND)
        assert proc.returncode == 130, err.decode()
        assert not (tmp_path / "out.csv").exists()
    finally:
        kill_group(proc)


def test_pmap_gives_results_in_input_order_whatever_the_jobs():
    from relutui.parallel import pmap

    items = list(range(7))
    seen = []
    assert pmap(abs, [-i for i in items], 3, lambda done, i: seen.append(done)) == items
    assert seen == list(range(1, 8))
    assert pmap(abs, [-i for i in items], 1) == items


def test_pmap_raises_a_worker_error_after_stopping_the_workers():
    from relutui.parallel import pmap

    with pytest.raises(TypeError):
        pmap(abs, [1, "x", 3, 4], 2)
