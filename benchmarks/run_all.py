"""Run every relutui benchmark and write benchmarks/results.json (``make bench``).

Each benchmark runs in a fresh interpreter so that imports, caches and memory of
one never colour another. Usage::

    python benchmarks/run_all.py                 # all, in order
    python benchmarks/run_all.py engine redraw   # some
    python benchmarks/run_all.py --quick         # fewer repetitions (smoke run)

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
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=HERE.parent)
        try:
            data = json.loads(out.read_text()) if proc.returncode == 0 else None
        except ValueError:
            data = None
        out.unlink(missing_ok=True)
        if data is None:
            failed.append(name)
            data = {"error": f"exited with {proc.returncode}", "checks": []}
        data["seconds"] = round(time.perf_counter() - t0, 2)
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
            print(f"  [{c['status']}] {c['name']:<{width}}  {fmt_num(c['value'], c['unit']):>16}  "
                  f"target {target}")
    print(f"\n{sum(c['status'] == 'PASS' for d in results['benchmarks'].values() for c in d.get('checks', []))} pass, "
          f"{sum(c['status'] == 'MISS' for d in results['benchmarks'].values() for c in d.get('checks', []))} miss, "
          f"{sum(c['status'] == 'SKIP' for d in results['benchmarks'].values() for c in d.get('checks', []))} skip; "
          f"{results['seconds']:.0f} s; written to {RESULTS.relative_to(HERE.parent)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
