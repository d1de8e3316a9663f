"""Shared helpers for the benchmarks: timing, environment, verdicts, results file.

Each benchmark module defines ``run(quick: bool) -> dict`` and ends with
``if __name__ == "__main__": main(NAME, run)``. Run alone it prints its figures
and updates its own section of ``benchmarks/results.json``; ``run_all.py`` runs
every module in a fresh interpreter (so one benchmark's imports and memory never
colour another's) and collects the sections.

Results of one benchmark look like::

    {"figures": {...}, "checks": [{"name", "value", "unit", "target", "op",
     "baseline", "ratio", "status": "PASS" | "MISS" | "SKIP", "note"}], "notes": [...]}
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results.json"
PYTHON = sys.executable

BLAS_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS",
            "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_VERBOSE")


# ------------------------------------------------------------------ environment
def environment() -> dict:
    """Machine facts the figures depend on; BLAS variables are reported, never changed."""
    import numpy as np

    env = {k: os.environ.get(k) for k in BLAS_ENV}
    info = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "cpus": os.cpu_count(),
        "affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "machine": platform.machine(),
        "blas_env": env,
    }
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg["Build Dependencies"]["blas"]
        info["blas"] = f"{blas.get('name')} {blas.get('version')}"
    except Exception:  # pragma: no cover - older numpy
        info["blas"] = "unknown"
    try:
        import textual

        info["textual"] = textual.__version__
    except Exception:
        pass
    try:
        load = os.getloadavg()
        info["loadavg"] = [round(x, 2) for x in load]
    except OSError:
        pass
    return info


def describe_environment(info: dict) -> str:
    blas_env = ", ".join(f"{k}={v}" for k, v in info["blas_env"].items() if v is not None) or "none set"
    return (f"python {info['python']}, numpy {info['numpy']} ({info.get('blas')}), "
            f"{info['cpus']} cpus, load {info.get('loadavg')}; BLAS env: {blas_env}")


# ------------------------------------------------------------------ timing
def rate(fn: Callable[[], object], n: int, clock: str = "cpu") -> float:
    """Calls of ``fn`` per second over ``n`` calls (gc paused, as timeit does).

    ``clock="cpu"`` divides by the process CPU time (every thread of this process,
    BLAS threads included): on a shared machine, other processes stealing the
    cores then do not count against the code measured. ``"wall"`` uses wall time.
    """
    enabled = gc.isenabled()
    gc.disable()
    timer = time.process_time if clock == "cpu" else time.perf_counter
    try:
        t0 = timer()
        for _ in range(n):
            fn()
        dt = timer() - t0
    finally:
        if enabled:
            gc.enable()
    return n / max(dt, 1e-9)


def interleaved_rates(fns: dict[str, Callable[[], object]], n: int, rounds: int,
                      warmup: int | None = None, clock: str = "cpu") -> dict[str, list[float]]:
    """Rates of several candidates measured round-robin, so that noise from other
    processes on the machine falls on all of them alike. Returns every round's rate."""
    for fn in fns.values():
        for _ in range(warmup if warmup is not None else max(1, n // 10)):
            fn()
    out: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(rounds):
        for k, fn in fns.items():
            out[k].append(rate(fn, n, clock))
    return out


def loadavg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def busy_note() -> str | None:
    """A warning when other processes load the machine (latency figures then suffer)."""
    load = loadavg()
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if load and load[0] > 0.5:
        return (f"machine busy while measuring: load average {load[0]:.2f} on {cpus} cores "
                f"(other processes); wall-clock figures are pessimistic")
    return None


def median(xs) -> float:
    return float(statistics.median(xs))


def percentile(xs, q: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return float(xs[lo] + (xs[hi] - xs[lo]) * (k - lo))


# ------------------------------------------------------------------ verdicts
def check(name: str, value: float | None, target: float, op: str, unit: str = "",
          baseline: float | None = None, ratio: float | None = None, note: str = "",
          status: str | None = None) -> dict:
    """One target. ``op`` is ">=" or "<="; ``value`` None means SKIP."""
    if status is None:
        if value is None:
            status = "SKIP"
        else:
            ok = value >= target if op == ">=" else value <= target
            status = "PASS" if ok else "MISS"
    return {"name": name, "value": value, "unit": unit, "target": target, "op": op,
            "baseline": baseline, "ratio": ratio, "status": status, "note": note}


def fmt_num(v, unit: str = "") -> str:
    if v is None:
        return "-"
    if isinstance(v, str):
        return v
    if unit == "x":
        return f"{v:.2f} x"
    if abs(v) >= 1000:
        s = f"{v:,.0f}"
    elif abs(v) >= 100:
        s = f"{v:.0f}"
    elif abs(v) >= 10:
        s = f"{v:.1f}"
    else:
        s = f"{v:.3g}"
    return f"{s} {unit}".rstrip()


def print_checks(checks: list[dict]) -> None:
    for c in checks:
        base = f"  baseline {fmt_num(c['baseline'], c['unit'])}" if c.get("baseline") is not None else ""
        ratio = f"  ratio {c['ratio']:.2f}x" if c.get("ratio") is not None else ""
        print(f"  [{c['status']}] {c['name']}: {fmt_num(c['value'], c['unit'])}{base}{ratio}"
              f"  (target {c['op']} {fmt_num(c['target'], c['unit'] if c['ratio'] is None else 'x')})"
              + (f"  - {c['note']}" if c.get("note") else ""))


def table(rows: list[list], headers: list[str]) -> str:
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for j, r in enumerate(cells):
        lines.append("  " + "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))))
        if j == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return "\n".join(lines)


# ------------------------------------------------------------------ results file
def load_results() -> dict:
    try:
        return json.loads(RESULTS.read_text())
    except (OSError, ValueError):
        return {}


def save_section(name: str, data: dict) -> None:
    """Merge one benchmark's results into results.json (written atomically)."""
    results = load_results()
    results.setdefault("benchmarks", {})[name] = data
    results["environment"] = environment()
    results["updated"] = time.strftime("%Y-%m-%d %H:%M:%S")
    tmp = RESULTS.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(results, indent=2, default=_json_default) + "\n")
    os.replace(tmp, RESULTS)


def _json_default(o):
    try:
        import numpy as np

        if isinstance(o, np.generic):
            return o.item()
        if isinstance(o, np.ndarray):
            return o.tolist()
    except Exception:
        pass
    return str(o)


def app_available() -> tuple[bool, str]:
    """Whether the Textual app can be imported (it is being written in parallel)."""
    try:
        from relutui.app.app import ReluApp  # noqa: F401
    except Exception as exc:  # noqa: BLE001
        return False, f"relutui.app.app.ReluApp not importable yet ({type(exc).__name__}: {exc})"
    return True, ""


def main(name: str, run: Callable[..., dict]) -> None:
    """Command line of a single benchmark module."""
    p = argparse.ArgumentParser(description=f"relutui benchmark: {name}")
    p.add_argument("--quick", action="store_true", help="fewer repetitions (smoke run)")
    p.add_argument("--json", metavar="FILE", help="write the result section to FILE instead of results.json")
    args = p.parse_args()
    print(f"== {name} ==")
    t0 = time.perf_counter()
    data = run(quick=args.quick)
    data["seconds"] = round(time.perf_counter() - t0, 2)
    print_checks(data.get("checks", []))
    for note in data.get("notes", []):
        print(f"  note: {note}")
    if args.json:
        Path(args.json).write_text(json.dumps(data, indent=2, default=_json_default))
    else:
        save_section(name, data)
        print(f"  (written to {RESULTS.relative_to(ROOT)})")
