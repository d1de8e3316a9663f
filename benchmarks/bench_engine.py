"""Engine: full-batch training steps per second against a hand-written numpy loop.

Candidates, all on the same data (xor, 200 training points, float64), the same
2-8-8-1 ReLU/sigmoid network with the same initial weights, BCE loss, SGD lr 0.1:

* ``baseline``    - the shortest hand-written forward/backward/SGD loop (below).
* ``train_step``  - ``relutui.engine.train_step`` alone (forward, backward with full
                    traces, gradient norms, accuracy, divergence guard, update).
* ``TrainingRun`` - ``TrainingRun.train``: what the app and the experiments call per
                    step, i.e. train_step plus dead masks, the DeathTracker update
                    and the bounded history (loss, accuracy, dead/saturated
                    fractions, gradient norms). Measured from ``reset()`` over the
                    first steps a user watches, in chunks of 100 as a play tick does.

Timings run round-robin (baseline, train_step, TrainingRun, repeat) and are taken
in process CPU time, so that other processes on this shared 2-core machine do not
count against either side (wall-clock figures are printed beside them); the figure
is the median of the rounds.
Scaling (width 8..64, depth 1..10, data 200..20,000) is reported as the cost of one
step relative to 2-8-8-1 on 200 points, next to the FLOP ratio.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import numpy as np

from common import check, describe_environment, environment, interleaved_rates, main, median, rate, table

NAME = "engine"
TARGET_RATIO = 0.7


# ------------------------------------------------------------------ the baseline
def make_baseline(X, y, weights, biases, lr=0.1):
    """Shortest plain-numpy full-batch step: ReLU hidden layers, sigmoid output,
    mean BCE (gradient (p - y) / n at the logits), SGD. Works for any depth."""
    W = [w.copy() for w in weights]
    b = [v.copy() for v in biases]
    n = X.shape[0]
    L = len(W)

    def step():
        zs, acts = [], [X]
        for l in range(L):
            z = acts[-1] @ W[l] + b[l]
            zs.append(z)
            acts.append(np.maximum(z, 0.0) if l < L - 1 else 1.0 / (1.0 + np.exp(-z)))
        dz = (acts[-1] - y) / n
        for l in range(L - 1, -1, -1):
            gW = acts[l].T @ dz
            gb = dz.sum(axis=0)
            if l:
                dz = (dz @ W[l].T) * (zs[l - 1] > 0.0)
            W[l] -= lr * gW
            b[l] -= lr * gb

    return step, W, b


def baseline_matches_engine() -> float:
    """Max abs difference of weights after 50 steps of baseline vs engine (sanity)."""
    from relutui.datasets import make_dataset
    from relutui.engine import MLP, make_optimizer, train_step

    ds = make_dataset("xor", n=200, test_fraction=0.0, seed=0)
    net = MLP((2, 8, 8, 1), hidden="relu", output="sigmoid", seed=0)
    step, W, b = make_baseline(ds.X_train, ds.y_train, net.weights, net.biases)
    opt = make_optimizer("sgd", 0.1)
    for _ in range(50):
        step()
        train_step(net, ds.X_train, ds.y_train, opt, loss="bce", classification=True)
    return max(float(np.max(np.abs(a - c))) for a, c in zip(W, net.weights))


# ------------------------------------------------------------------ candidates
def candidates(hidden: tuple[int, ...], n: int, chunk: int = 100, with_run: bool = True):
    from relutui.datasets import make_dataset
    from relutui.engine import MLP, make_optimizer, train_step
    from relutui.training import LIMITS, TrainConfig, TrainingRun

    ds = make_dataset("xor", n=n, test_fraction=0.0, seed=0)
    X, y = ds.X_train, ds.y_train
    sizes = (2, *hidden, 1)
    net = MLP(sizes, hidden="relu", output="sigmoid", seed=0)
    base_step, _, _ = make_baseline(X, y, net.weights, net.biases)
    opt = make_optimizer("sgd", 0.1)

    def engine_step():
        train_step(net, X, y, opt, loss="bce", classification=True)

    fns = {"baseline": base_step, "train_step": engine_step}
    run = None
    if with_run and max(hidden) <= LIMITS["width"][1]:
        run = TrainingRun(TrainConfig(n_samples=n, test_fraction=0.0, layers=hidden, seed=0),
                          dataset=ds)

        def run_chunk():
            run.train(chunk)

        fns["TrainingRun"] = run_chunk
    return fns, run


def flops(sizes: tuple[int, ...], n: int) -> float:
    """Floating-point operations of one full-batch step: matmuls (forward 2nk,
    weight gradient 2nk, input gradient 2nk except for the first layer) plus about
    6 elementwise operations per unit per sample (bias, activation, derivative,
    product with the incoming gradient, update)."""
    total = 0.0
    for l, (i, o) in enumerate(zip(sizes[:-1], sizes[1:])):
        total += 2 * n * i * o * (3 if l else 2) + 6 * n * o + 2 * (i * o + o)
    return total


def run(quick: bool = False) -> dict:
    env = environment()
    notes = [describe_environment(env),
             "BLAS environment variables are left as found (OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE "
             "change the kernels OpenBLAS picks; their values are listed above)."]
    rounds = 5 if quick else 7
    print(f"  {notes[0]}")

    diff = baseline_matches_engine()
    notes.append(f"baseline reproduces the engine: max |W_baseline - W_engine| after 50 steps = {diff:.1e}")

    # ---------------------------------------------------------------- headline
    fns, run_obj = candidates((8, 8), 200)
    # TrainingRun, two cases: its first 1,000 steps from reset() (the history logs every
    # step up to its capacity, then every 2nd: what a user sees first), and steady state
    # (the same run after 20,000 steps, logging every 64th step). Both in chunks of 100,
    # as a play frame calls it.
    steady = candidates((8, 8), 200)[1]
    steady.train(20_000)
    fns["TrainingRun (steady)"] = lambda: steady.train(100)
    fns["TrainingRun (first 1k)"] = fns.pop("TrainingRun")
    steps_per_call = {"baseline": 1, "train_step": 1, "TrainingRun (first 1k)": 100,
                      "TrainingRun (steady)": 100}
    n_calls = {"baseline": 2000, "train_step": 1000, "TrainingRun (first 1k)": 10,
               "TrainingRun (steady)": 10}
    for k, fn in fns.items():  # warm-up
        for _ in range(max(1, n_calls[k] // 10)):
            fn()
    cpu: dict[str, list[float]] = {k: [] for k in fns}
    wall: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(rounds):
        run_obj.reset()
        for k, fn in fns.items():
            c0, w0 = time.process_time(), time.perf_counter()
            for _ in range(n_calls[k]):
                fn()
            c1, w1 = time.process_time(), time.perf_counter()
            cpu[k].append(n_calls[k] * steps_per_call[k] / max(c1 - c0, 1e-9))
            wall[k].append(n_calls[k] * steps_per_call[k] / max(w1 - w0, 1e-9))
    med = {k: median(v) for k, v in cpu.items()}
    medw = {k: median(v) for k, v in wall.items()}
    base, basew = med["baseline"], medw["baseline"]
    figures = {
        "network": "2-8-8-1 relu/sigmoid, xor 200 points, float64, full batch, sgd lr 0.1",
        "clock": "process CPU time (primary; immune to other processes on the machine) and wall time",
        "steps_per_s_cpu": {k: round(v, 1) for k, v in med.items()},
        "steps_per_s_wall": {k: round(v, 1) for k, v in medw.items()},
        "steps_per_s_cpu_rounds": {k: [round(x, 1) for x in v] for k, v in cpu.items()},
        "us_per_step_cpu": {k: round(1e6 / v, 2) for k, v in med.items()},
        "ratio_vs_baseline_cpu": {k: round(v / base, 3) for k, v in med.items()},
        "ratio_vs_baseline_wall": {k: round(v / basew, 3) for k, v in medw.items()},
    }
    print(table([[k, f"{med[k]:,.0f}", f"{1e6 / med[k]:.1f}", f"{med[k] / base:.2f}x",
                  f"{medw[k]:,.0f}", f"{medw[k] / basew:.2f}x"] for k in med],
                ["candidate (2-8-8-1, 200 pts)", "steps/s cpu", "us/step", "vs base",
                 "steps/s wall", "vs base"]))

    # the app's own default (160 train / 40 test points, test loss every 10th logged step)
    from relutui.training import TrainConfig, TrainingRun
    app_run = TrainingRun(TrainConfig())
    app_rates = []
    for _ in range(3 if quick else 5):
        app_run.reset()
        app_rates.append(rate(lambda: app_run.train(100), 10) * 100)
    figures["app_default_TrainingRun_first_1k_steps_per_s_cpu"] = round(median(app_rates), 1)
    print(f"  TrainingRun with the app's default config (160 train + 40 test points), first 1,000 steps: "
          f"{median(app_rates):,.0f} steps/s")

    checks = [
        check("TrainingRun.train, first 1k steps (UI diagnostics) vs loop", med["TrainingRun (first 1k)"] / base,
              TARGET_RATIO, ">=", unit="x", ratio=med["TrainingRun (first 1k)"] / base,
              note=f"{med['TrainingRun (first 1k)']:,.0f} vs {base:,.0f} steps/s (CPU time)"),
        check("TrainingRun.train, steady state vs loop", med["TrainingRun (steady)"] / base,
              TARGET_RATIO, ">=", unit="x", ratio=med["TrainingRun (steady)"] / base,
              note=f"{med['TrainingRun (steady)']:,.0f} vs {base:,.0f} steps/s (CPU time)"),
        check("engine.train_step vs hand-written loop", med["train_step"] / base,
              TARGET_RATIO, ">=", unit="x", ratio=med["train_step"] / base,
              note=f"{med['train_step']:,.0f} vs {base:,.0f} steps/s (CPU time)"),
    ]

    # ---------------------------------------------------------------- scaling
    scaling = measure_scaling(quick)
    print("  scaling, BLAS threads as found (CPU time; 'cost' = time per step / that of 2-8-8-1 on 200):")
    print(scaling_table(scaling))
    figures["scaling"] = scaling
    # the same in a child process with OpenBLAS limited to one thread, to show what BLAS
    # threading does on this machine (the environment of this process is left as found)
    one = None
    if os.environ.get("OPENBLAS_NUM_THREADS") != "1":
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
        p = subprocess.run([sys.executable, __file__, "--scaling-child", "--quick"],
                           env=env, capture_output=True, text=True, timeout=300)
        if p.returncode == 0:
            one = json.loads(p.stdout.strip().splitlines()[-1])
            figures["scaling_openblas_1_thread"] = one
            print("  scaling again in a child process with OPENBLAS_NUM_THREADS=1 (subset):")
            print(scaling_table(one))
            in_both = [e for e in scaling if any(o["layers"] == e["layers"] and o["n"] == e["n"] for o in one)]
            worst = max(in_both, key=lambda e: e["cost_ratio"]["baseline"] / e["flop_ratio"])
            w1 = next(e for e in one if e["layers"] == worst["layers"] and e["n"] == worst["n"])
            notes.append(
                f"BLAS threading: at {worst['layers']} on {worst['n']} points the hand-written loop runs "
                f"{worst['steps_per_s']['baseline']:,.0f} steps/s with OpenBLAS threads as found and "
                f"{w1['steps_per_s']['baseline']:,.0f} with OPENBLAS_NUM_THREADS=1 (CPU time; wall-clock "
                "differs more when the other core is busy): the nets here are too small for BLAS threads.")
    notes.append("scaling: 'cost' is CPU time per step relative to 2-8-8-1 on 200 points for the same "
                 "candidate; FLOPx is the FLOP ratio. TrainingRun is limited to width <= 32 by "
                 "training.LIMITS, so it has no figure at width 64.")
    bad = [f"{e['layers']}/{e['n']}" for e in scaling if not e["grows_no_faster_than_flops"]]
    also_base = [f"{e['layers']}/{e['n']}" for e in scaling if e["baseline_grows_faster_than_flops"]]
    checks.append(check("engine cost grows no faster than FLOPs (width, depth, data)", len(bad), 0, "<=",
                        unit="cases over", note=(("over: " + ", ".join(bad)) if bad else
                        "every growing case within FLOP ratio x1.15")
                        + (f"; the hand-written loop itself grows faster than FLOPs at "
                           f"{', '.join(also_base)}, so numpy/BLAS on this machine, not the engine, "
                           "sets those" if also_base else "")))
    return {"figures": figures, "checks": checks, "notes": notes}


def measure_scaling(quick: bool) -> list[dict]:
    ref_sizes, ref_n = (2, 8, 8, 1), 200
    ref_flops = flops(ref_sizes, ref_n)
    cases = ([("width", (w, w), 200) for w in (8, 16, 32, 64)]
             + [("depth", (8,) * d, 200) for d in (1, 2, 4, 6, 8, 10)]
             + [("data", (8, 8), n) for n in (200, 2000, 20000)])
    if quick:
        cases = [c for c in cases if c[1] in ((8, 8), (64, 64), (8,) * 10) or c[2] == 20000]
    scaling = []
    ref_time: dict[str, float] = {}
    for axis, hidden, n in cases:
        fns, run_obj = candidates(hidden, n, chunk=10)
        sizes = (2, *hidden, 1)
        work = flops(sizes, n) / 1e6
        calls = min(400, max(3, int(0.04 / max(1e-6, work * 1e-3))))  # ~40 ms per candidate per round
        spc = {"baseline": 1, "train_step": 1, "TrainingRun": 10}
        r = interleaved_rates(fns, n=calls, rounds=3, warmup=2, clock="cpu")
        med_s = {k: median(v) * spc[k] for k, v in r.items()}
        if hidden == (8, 8) and n == 200 and not ref_time:
            ref_time = {k: 1.0 / v for k, v in med_s.items()}
        scaling.append({"axis": axis, "layers": "-".join(map(str, sizes)), "n": n,
                        "mflop_per_step": round(work, 4), "flop_ratio": round(flops(sizes, n) / ref_flops, 2),
                        "steps_per_s": {k: round(v, 1) for k, v in med_s.items()}})
    for e in scaling:  # cost ratios against the reference measured in the same pass
        cost = {k: (1.0 / v) / ref_time[k] for k, v in e["steps_per_s"].items() if k in ref_time}
        e["cost_ratio"] = {k: round(v, 2) for k, v in cost.items()}
        e["engine_vs_baseline"] = round(e["steps_per_s"]["train_step"] / e["steps_per_s"]["baseline"], 2)
        # only growth is judged (a smaller net cannot shed the fixed per-call overhead); the
        # engine is judged against the FLOPs, or against the loop's own growth where that is larger
        limit = max(e["flop_ratio"], cost["baseline"]) * 1.15
        e["grows_no_faster_than_flops"] = e["flop_ratio"] < 1.5 or all(
            v <= limit for k, v in cost.items() if k != "baseline")
        e["baseline_grows_faster_than_flops"] = e["flop_ratio"] >= 1.5 and cost["baseline"] > e["flop_ratio"] * 1.15
    return scaling


def scaling_table(scaling: list[dict]) -> str:
    rows = []
    for e in scaling:
        sp, cost = e["steps_per_s"], e["cost_ratio"]
        rows.append([e["axis"], e["layers"], e["n"], f"{e['flop_ratio']:.2f}", f"{sp['baseline']:,.0f}",
                     f"{sp['train_step']:,.0f}", f"{sp['TrainingRun']:,.0f}" if "TrainingRun" in sp else "-",
                     f"{cost['baseline']:.2f}", f"{cost['train_step']:.2f}",
                     f"{cost['TrainingRun']:.2f}" if "TrainingRun" in cost else "-",
                     f"{e['engine_vs_baseline']:.2f}x"])
    return table(rows, ["axis", "layers", "n", "FLOPx", "loop st/s", "step st/s", "run st/s",
                        "loop cost", "step cost", "run cost", "step/loop"])


if __name__ == "__main__":
    if "--scaling-child" in sys.argv:
        print(json.dumps(measure_scaling("--quick" in sys.argv)))
    else:
        main(NAME, run)
