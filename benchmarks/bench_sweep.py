"""Sweep: wall time of a 3x3x2x10 sweep with one job against all cores.

    relutui sweep --activation relu,leaky_relu,sigmoid --lr 0.01,0.1,1 --bias -3,0 --seeds 10 --jobs N

Each command runs as a fresh process (``python -m relutui``) in a scratch
directory, timed from spawn to exit; the figure is the median of the runs, taken
alternately (1 job, all cores, 1 job, ...) so that background load falls on both.
The speed-up target applies on 2 cores; on one core the check is skipped.
"""

from __future__ import annotations

import os
import resource
import subprocess
import tempfile
import time

from common import PYTHON, ROOT, busy_note, check, loadavg, main, median, table

NAME = "sweep"
TARGET = 1.7
ARGS = ["sweep", "--activation", "relu,leaky_relu,sigmoid", "--lr", "0.01,0.1,1",
        "--bias", "-3,0", "--seeds", "10"]


def _cli_ready() -> tuple[bool, str]:
    try:
        p = subprocess.run([PYTHON, "-m", "relutui", "sweep", "--help"], cwd=ROOT,
                           capture_output=True, text=True, timeout=60)
    except Exception as exc:  # noqa: BLE001
        return False, f"{type(exc).__name__}: {exc}"
    if p.returncode != 0:
        return False, (p.stderr.strip().splitlines() or ["no output"])[-1]
    if "--jobs" not in p.stdout:
        return False, "`relutui sweep --help` has no --jobs option"
    return True, p.stdout


def _time(jobs: int, workdir: str) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall seconds, CPU seconds (the process and its workers) and the finished process."""
    env = dict(os.environ)
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run([PYTHON, "-m", "relutui", *ARGS, "--jobs", str(jobs)], cwd=workdir,
                       capture_output=True, text=True, timeout=600, env=env)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return wall, cpu, p


def run(quick: bool = False) -> dict:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    ok, info = _cli_ready()
    cmd = "relutui " + " ".join(ARGS)
    if not ok:
        note = f"sweep CLI not usable yet: {info}"
        print(f"  SKIP: {note}")
        return {"figures": {"command": cmd}, "notes": [note],
                "checks": [check("sweep speed-up, all cores vs 1 job", None, TARGET, ">=", unit="x",
                                 note=note)]}
    reps = 1 if quick else 2
    times: dict[int, list[float]] = {1: [], cores: []}
    cpus: dict[int, list[float]] = {1: [], cores: []}
    load_before = loadavg()
    busy = busy_note()
    with tempfile.TemporaryDirectory(prefix="relutui-bench-sweep-") as wd:
        for rep in range(reps):
            if rep and times[1] and times[1][0] > 10:  # keep `make bench` short: one pair if slow
                break
            for jobs in (1, cores):
                dt, cpu, p = _time(jobs, wd)
                cpus[jobs].append(cpu)
                if p.returncode != 0:
                    note = f"`{cmd} --jobs {jobs}` exited {p.returncode}: {p.stderr.strip()[-300:]}"
                    print(f"  MISS: {note}")
                    return {"figures": {"command": cmd}, "notes": [note],
                            "checks": [check("sweep speed-up, all cores vs 1 job", None, TARGET, ">=",
                                             unit="x", note=note, status="MISS")]}
                times[jobs].append(dt)
        lines = p.stdout.strip().splitlines()
    t1, tn = median(times[1]), median(times[cores])
    c1, cn = median(cpus[1]), median(cpus[cores])
    speedup = t1 / tn
    # CPU seconds per wall second: how many cores the sweep actually got
    used1, usedn = c1 / t1, cn / tn
    print(table([["--jobs 1", f"{t1:.2f}", f"{c1:.2f}", f"{used1:.2f}"],
                 [f"--jobs {cores}", f"{tn:.2f}", f"{cn:.2f}", f"{usedn:.2f}"]],
                ["run", "wall s", "cpu s", "cores used"]))
    print(f"  speed-up {speedup:.2f}x on {cores} cores; load average before: {load_before}")
    figures = {"command": cmd, "cores": cores, "wall_s": {"jobs_1": round(t1, 3), f"jobs_{cores}": round(tn, 3)},
               "cpu_s": {"jobs_1": round(c1, 3), f"jobs_{cores}": round(cn, 3)},
               "cores_used": {"jobs_1": round(used1, 2), f"jobs_{cores}": round(usedn, 2)},
               "wall_s_runs": {str(k): [round(x, 3) for x in v] for k, v in times.items()},
               "speedup": round(speedup, 3), "runs": 3 * 3 * 2 * 10, "loadavg_before": load_before,
               "output_tail": lines[-3:]}
    notes = []
    if busy:
        notes.append(busy + f"; the {cores}-job sweep got {usedn:.2f} cores' worth of CPU. Its total "
                     f"work ({cn:.1f} CPU s vs {c1:.1f} for one job) bounds the speed-up on {cores} idle "
                     f"cores at {cores * c1 / cn:.2f}x (perfect spread of the work, no serial part).")
    figures["speedup_upper_bound_idle"] = round(cores * c1 / cn, 3)
    if cores < 2:
        c = check("sweep speed-up, all cores vs 1 job", speedup, TARGET, ">=", unit="x", ratio=speedup,
                  status="SKIP", note="one core available: no parallel speed-up possible")
    else:
        c = check(f"sweep speed-up, --jobs {cores} vs --jobs 1", speedup, TARGET, ">=", unit="x",
                  ratio=speedup, note=f"{tn:.2f} s vs {t1:.2f} s for {figures['runs']} runs"
                  + (" (machine busy, see notes)" if busy else ""))
    return {"figures": figures, "checks": [c], "notes": notes}


if __name__ == "__main__":
    main(NAME, run)
