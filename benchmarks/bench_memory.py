"""Memory: peak RSS after 100,000 training steps in the app, and whether it stays flat.

Method: a fresh process (nothing else imported) runs the app headless under
``run_test(size=(120, 36))``, plays at the top speed with every frame painted
(terminal encoding put back, see appprobe.py) until ``state.step`` reaches
100,000, sampling its resident set size (``/proc/self/statm``) every 0.25 s. If
the play loop cannot get there in time, the remaining steps are driven through
the app's own frame function (``ReluApp._tick``) with a paint every frame, so the
same code runs. Peak RSS is ``ru_maxrss``. "Flat after warm-up": RSS growth from
the end of the first 20% of steps to the end stays under 10 MB, and the
history length stays within its capacity.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile

from common import HERE, PYTHON, app_available, check, main, table

NAME = "memory"
TARGET_MB = 150.0
FLAT_MB = 10.0
STEPS = 100_000


async def child(steps: int, play_seconds: float) -> dict:
    from appprobe import PaintProbe, now, peak_rss_mb, rss_mb

    probe = PaintProbe()
    from relutui.app.app import ReluApp
    from relutui.app.state import SPEEDS

    samples = []
    rss_start = rss_mb()
    app = ReluApp()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        state = app.state
        rss_mounted = rss_mb()
        state.set_speed(max(SPEEDS))
        await pilot.press("space")
        t0 = now()
        mode = "play"
        while state.step < steps:
            await asyncio.sleep(0.25)
            probe.clear()  # the probe's own records must not count as the app's memory
            samples.append((round(now() - t0, 3), state.step, round(rss_mb(), 2)))
            if state.diverged:
                raise RuntimeError(f"diverged at {state.diverged_at}")
            if now() - t0 > play_seconds:
                mode = "play, then ReluApp._tick driven"
                await pilot.press("space")  # pause the timer; drive the same frame function
                state.playing = True
                while state.step < steps:
                    app._tick()
                    await pilot.pause(0)
                    probe.clear()
                    if len(samples) == 0 or now() - t0 - samples[-1][0] >= 0.25:
                        samples.append((round(now() - t0, 3), state.step, round(rss_mb(), 2)))
                break
        samples.append((round(now() - t0, 3), state.step, round(rss_mb(), 2)))
        hist = state.run.history
        out = {"steps": state.step, "seconds": now() - t0, "mode": mode,
               "history_len": len(hist), "history_capacity": hist.capacity,
               "rss_start_mb": rss_start, "rss_mounted_mb": rss_mounted,
               "peak_rss_mb": peak_rss_mb(), "samples": samples}
        await pilot.press("q")
    return out


def run(quick: bool = False) -> dict:
    ok, why = app_available()
    if not ok:
        print(f"  SKIP: {why}")
        return {"figures": {}, "notes": [why], "checks": [
            check("peak RSS after 100k steps", None, TARGET_MB, "<=", unit="MB", note=why)]}
    steps = 20_000 if quick else STEPS
    with tempfile.NamedTemporaryFile(suffix=".json") as fh:
        p = subprocess.run([PYTHON, str(HERE / "bench_memory.py"), "--child", fh.name, str(steps)],
                           cwd=HERE, capture_output=True, text=True, timeout=600)
        if p.returncode != 0:
            raise RuntimeError(f"memory child failed: {p.stderr[-1500:]}")
        r = json.load(open(fh.name))
    samples = r["samples"]
    warm_step = 0.2 * r["steps"]
    after = [s for s in samples if s[1] >= warm_step]
    rss_warm = after[0][2] if after else samples[0][2]
    rss_end = samples[-1][2]
    max_after = max(s[2] for s in after) if after else rss_end
    growth = max_after - rss_warm
    show = samples[:: max(1, len(samples) // 12)] + [samples[-1]]
    print(table([[f"{t:.1f}", f"{s:,}", f"{m:.1f}"] for t, s, m in show], ["t s", "step", "RSS MB"]))
    print(f"  {r['steps']:,} steps in {r['seconds']:.1f} s ({r['mode']}); RSS at start {r['rss_start_mb']:.1f} MB, "
          f"mounted {r['rss_mounted_mb']:.1f} MB, after warm-up {rss_warm:.1f} MB, end {rss_end:.1f} MB, "
          f"peak {r['peak_rss_mb']:.1f} MB; history {r['history_len']}/{r['history_capacity']} rows")
    figures = {k: (round(v, 2) if isinstance(v, float) else v) for k, v in r.items() if k != "samples"}
    figures.update({"rss_after_warmup_mb": rss_warm, "rss_end_mb": rss_end,
                    "growth_after_warmup_mb": round(growth, 2), "samples": samples})
    checks = [
        check(f"peak RSS after {r['steps']:,} app steps", r["peak_rss_mb"], TARGET_MB, "<=", unit="MB",
              note=f"baseline: the app just mounted, {r['rss_mounted_mb']:.0f} MB"),
        check("RSS growth after warm-up (flat)", growth, FLAT_MB, "<=", unit="MB",
              note=f"{rss_warm:.1f} -> max {max_after:.1f} MB; history {r['history_len']} rows "
                   f"(capacity {r['history_capacity']})"),
    ]
    if r["steps"] < STEPS:
        checks[0]["status"] = "SKIP" if quick else "MISS"
        checks[0]["note"] += f"; only {r['steps']:,} steps (--quick)" if quick else ""
    return {"figures": figures, "checks": checks, "notes": [__doc__.split("\n\n")[1].replace("\n", " ")]}


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        result = asyncio.run(child(int(sys.argv[3]), play_seconds=75.0))
        with open(sys.argv[2], "w") as fh:
            json.dump(result, fh)
    else:
        main(NAME, run)
