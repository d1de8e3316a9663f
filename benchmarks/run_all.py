"""Run every relutui benchmark and write benchmarks/results.json (``make bench``).

Each benchmark runs in a fresh interpreter so that imports, caches and memory of
one never colour another. Usage::

    python benchmarks/run_all.py                 # all, in order
    python benchmarks/run_all.py engine redraw   # some
    python benchmarks/run_all.py --quick         # fewer repetitions (smoke run)

UI figures that move with the machine (redraw, play) are also given in units of a machine
reference measured in the same run, just before and after them: the hand-written numpy
loop of bench_engine.py, in steps (a redraw of 15 ms on a machine where the loop does 21.3
steps a millisecond is ~320 loop steps). Their targets are judged on those normalised
figures, converted at the loop's speed on the quiet run the targets were set on
(``REFERENCE_STEPS_PER_S``), so that a busy hour neither hides a regression nor fakes one.
The startup check is a ratio to apps measured in the same run already, and stays as it is.

Benchmarks are not tests: nothing here is collected by pytest. The exit code is
0 whatever the verdicts (a MISS is a figure to act on, not a crash); it is 1 only
if a benchmark itself failed to run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import PYTHON, RESULTS, describe_environment, environment, fmt_num  # noqa: E402

ORDER = ["engine", "sweep", "startup", "redraw", "play", "memory"]
NORMALISED = ("redraw", "play")  # judged in units of the machine reference
# the hand-written loop's steps/s on the quiet run of 30 November 2026 the UI targets were set on
REFERENCE_STEPS_PER_S = 21_281


def machine_reference(seconds: float = 0.6) -> float:
    """The hand-written loop's steps per second now (bench_engine's baseline: 2-8-8-1, 200 xor
    points, full batch): the median of five timed chunks."""
    from statistics import median

    from bench_engine import make_baseline

    from relutui.datasets import make_dataset
    from relutui.engine import MLP

    ds = make_dataset("xor", n=200, test_fraction=0.0, seed=0)
    net = MLP((2, 8, 8, 1), hidden="relu", output="sigmoid", seed=0)
    step, _, _ = make_baseline(ds.X_train, ds.y_train, net.weights, net.biases)
    for _ in range(200):  # warm-up
        step()
    rates = []
    for _ in range(5):
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds / 5:
            for _ in range(50):
                step()
            n += 50
        rates.append(n / (time.perf_counter() - t0))
    return median(rates)


def normalise(check: dict, steps_per_s: float) -> dict:
    """A UI check judged in machine-reference units; the raw figure and target are kept."""
    value, target, unit = check["value"], check["target"], check["unit"]
    if unit == "ms":  # a time: in loop steps done meanwhile
        conv = lambda v, rate: v * rate / 1000  # noqa: E731
        new_unit, op = "loop steps", check["op"]
    elif unit == "steps/s":  # a rate of training steps: a fraction of the loop's
        conv = lambda v, rate: v / rate  # noqa: E731
        new_unit, op = "x loop", check["op"]
    elif unit == "fps":  # a frame rate: the frame's time in loop steps (lower is better)
        conv = lambda v, rate: rate / v if v else float("inf")  # noqa: E731
        new_unit, op = "loop steps/frame", "<=" if check["op"] == ">=" else ">="
    else:
        return check
    out = dict(check, raw_value=value, raw_target=target, raw_unit=unit, unit=new_unit, op=op,
               target=round(conv(target, REFERENCE_STEPS_PER_S), 4), reference_steps_per_s=round(steps_per_s))
    if value is not None:
        out["value"] = round(conv(value, steps_per_s), 4)
        ok = out["value"] >= out["target"] if op == ">=" else out["value"] <= out["target"]
        out["status"] = "PASS" if ok else "MISS"
    out["note"] = (f"{fmt_num(value, unit)} at {steps_per_s:,.0f} loop steps/s (target {fmt_num(target, unit)} "
                   f"at {REFERENCE_STEPS_PER_S:,}); " + check.get("note", "")).rstrip("; ")
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("names", nargs="*", metavar="NAME",
                   help=f"benchmarks to run (default all): {', '.join(ORDER)}")
    p.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = p.parse_args()
    names = args.names or ORDER
    unknown = [n for n in names if n not in ORDER]
    if unknown:
        p.error(f"unknown benchmark {unknown[0]!r}; valid: {', '.join(ORDER)}")
    env = environment()
    print(f"relutui benchmarks - {describe_environment(env)}")
    results = {"environment": env, "quick": args.quick, "benchmarks": {}}
    failed = []
    t_all = time.perf_counter()
    for name in names:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
            out = Path(fh.name)
        cmd = [PYTHON, str(HERE / f"bench_{name}.py"), "--json", str(out)]
        if args.quick:
            cmd.append("--quick")
        print(flush=True)
        ref_before = machine_reference() if name in NORMALISED else None
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=HERE.parent)
        elapsed = time.perf_counter() - t0
        try:
            data = json.loads(out.read_text()) if proc.returncode == 0 else None
        except ValueError:
            data = None
        out.unlink(missing_ok=True)
        if data is None:
            failed.append(name)
            data = {"error": f"exited with {proc.returncode}", "checks": []}
        data["seconds"] = round(elapsed, 2)
        if ref_before is not None:
            ref = (ref_before + machine_reference()) / 2
            data["machine_reference_steps_per_s"] = round(ref)
            data["checks"] = [normalise(c, ref) for c in data.get("checks", [])]
            print(f"  machine reference: the hand-written loop at {ref:,.0f} steps/s "
                  f"(targets set at {REFERENCE_STEPS_PER_S:,})")
        results["benchmarks"][name] = data
        print(f"  ({name}: {data['seconds']:.0f} s)")
    results["seconds"] = round(time.perf_counter() - t_all, 1)
    results["updated"] = time.strftime("%Y-%m-%d %H:%M:%S")
    if len(names) < len(ORDER) and RESULTS.exists():  # keep the sections not rerun
        try:
            old = json.loads(RESULTS.read_text()).get("benchmarks", {})
            results["benchmarks"] = {**{k: v for k, v in old.items() if k not in names},
                                     **results["benchmarks"]}
        except ValueError:
            pass
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")

    print("\n== summary ==")
    width = max(len(c["name"]) for d in results["benchmarks"].values() for c in d.get("checks", [])) \
        if any(d.get("checks") for d in results["benchmarks"].values()) else 20
    for name in ORDER:
        d = results["benchmarks"].get(name)
        if d is None:
            continue
        if "error" in d:
            print(f"  [FAIL] {name}: {d['error']}")
        for c in d.get("checks", []):
            target = f"{c['op']} {fmt_num(c['target'], c['unit'])}"
            raw = (f"  ({fmt_num(c['raw_value'], c['raw_unit'])}, target {fmt_num(c['raw_target'], c['raw_unit'])})"
                   if "raw_unit" in c else "")
            print(f"  [{c['status']}] {c['name']:<{width}}  {fmt_num(c['value'], c['unit']):>16}  "
                  f"target {target}{raw}")
    print(f"\n{sum(c['status'] == 'PASS' for d in results['benchmarks'].values() for c in d.get('checks', []))} pass, "
          f"{sum(c['status'] == 'MISS' for d in results['benchmarks'].values() for c in d.get('checks', []))} miss, "
          f"{sum(c['status'] == 'SKIP' for d in results['benchmarks'].values() for c in d.get('checks', []))} skip; "
          f"{results['seconds']:.0f} s; written to {RESULTS.relative_to(HERE.parent)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
