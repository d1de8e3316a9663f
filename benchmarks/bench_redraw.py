"""Redraw: from a control change to the finished repaint of every panel, at 120x36.

Method (see appprobe.py): the app runs headless under ``run_test(size=(120, 36))``
with the terminal-encoding step put back. For each of 100 changes a key is sent
through the driver exactly as a terminal sends it (``a`` next activation,
``{``/``}`` hidden bias -/+ 0.5, ``[``/``]`` learning rate down/up, in rotation),
and the clock runs from that moment to the end of the last compositor update
that follows it (no new frame for 60 ms afterwards). Every panel (status, chart,
loss, grads, network, inspector, boundary, controls) must have re-rendered in
between; a change that leaves one out is reported. The latency is split into
the key's state change plus view push (``ReluApp.intent``) and the paint that
follows (layout, widget renders, plotext, encoding).
"""

from __future__ import annotations

import asyncio
import sys
import time

from common import app_available, busy_note, check, main, median, percentile, table

NAME = "redraw"
TARGET_MS = 33.0
KEYS = ["a", "right_curly_bracket", "right_square_bracket", "a", "left_curly_bracket",
        "left_square_bracket"]
PANELS = {"status", "chart", "loss", "grads", "network", "inspector", "boundary", "controls"}


async def measure(n: int) -> dict:
    from appprobe import PaintProbe, now, send_key, wait_quiet

    probe = PaintProbe()
    from relutui.app.app import ReluApp

    app = ReluApp()
    lat, intent_ms, paint_ms, missing, names, cpu_ms = [], [], [], [], [], []
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await wait_quiet(probe, 0.0, quiet=0.2)
        for i in range(n):
            key = KEYS[i % len(KEYS)]
            probe.clear()
            c0 = time.process_time()
            t0 = send_key(app, key)
            done = await wait_quiet(probe, t0, need=lambda: bool(probe.intents))
            if done is None:
                raise RuntimeError(f"no frame after key {key!r}")
            lat.append((done - t0) * 1000)
            # CPU the process spent on the change (the quiet wait adds only its polling)
            cpu_ms.append((probe.cpu_at_last_frame - c0) * 1000)
            i0, i1 = probe.intents[0]
            intent_ms.append((i1 - i0) * 1000)
            paint_ms.append((done - i1) * 1000)
            miss = PANELS - probe.panels_since(t0)
            missing.append(sorted(miss))
            names.append(f"{key}->{app.state.config.activation},b={app.state.config.bias_init:g},"
                         f"lr={app.state.config.lr:g}")
        await pilot.press("q")
    return {"latency_ms": lat, "intent_ms": intent_ms, "paint_ms": paint_ms, "missing": missing,
            "changes": names, "encode_s": probe.encode_s, "cpu_ms": cpu_ms}


def run(quick: bool = False) -> dict:
    ok, why = app_available()
    if not ok:
        print(f"  SKIP: {why}")
        return {"figures": {}, "notes": [why],
                "checks": [check("redraw median", None, TARGET_MS, "<=", unit="ms", note=why),
                           check("redraw worst", None, TARGET_MS, "<=", unit="ms", note=why)]}
    n = 30 if quick else 100
    r = asyncio.run(measure(n))
    lat = r["latency_ms"]
    med, worst, p90 = median(lat), max(lat), percentile(lat, 0.9)
    by_key: dict[str, list[float]] = {}
    for k, v, a, p in zip((c.split("->")[0] for c in r["changes"]), lat, r["intent_ms"], r["paint_ms"]):
        by_key.setdefault(k, []).append((v, a, p))
    rows = [[k, len(v), f"{median([x[0] for x in v]):.1f}", f"{max(x[0] for x in v):.1f}",
             f"{median([x[1] for x in v]):.1f}", f"{median([x[2] for x in v]):.1f}"]
            for k, v in by_key.items()]
    print(table(rows, ["key", "n", "median ms", "worst ms", "intent ms", "paint ms"]))
    worst_i = max(range(len(lat)), key=lat.__getitem__)
    incomplete = [(i, m) for i, m in enumerate(r["missing"]) if m]
    cpu = r["cpu_ms"]
    print(f"  CPU time per change (load-independent): median {median(cpu):.1f} ms, worst {max(cpu):.1f} ms")
    print(f"  all changes: median {med:.1f} ms, p90 {p90:.1f} ms, worst {worst:.1f} ms "
          f"({r['changes'][worst_i]}); changes with a panel not repainted: {len(incomplete)}")
    figures = {
        "method": "headless run_test 120x36 with terminal encoding put back; key sent through the "
                  "driver -> end of the last compositor update (60 ms quiet after it); every panel "
                  "checked to have re-rendered",
        "changes": n,
        "median_ms": round(med, 2), "p90_ms": round(p90, 2), "worst_ms": round(worst, 2),
        "worst_change": r["changes"][worst_i],
        "intent_median_ms": round(median(r["intent_ms"]), 2),
        "paint_median_ms": round(median(r["paint_ms"]), 2),
        "by_key": {k: {"median_ms": round(median([x[0] for x in v]), 2),
                       "worst_ms": round(max(x[0] for x in v), 2)} for k, v in by_key.items()},
        "latency_ms": [round(x, 2) for x in lat],
        "changes_with_panels_not_repainted": incomplete[:10],
        "terminal_encoding_s_total": round(r["encode_s"], 3),
        "cpu_ms_median": round(median(cpu), 2), "cpu_ms_worst": round(max(cpu), 2),
    }
    note = "" if not incomplete else f"{len(incomplete)} changes left a panel unrepainted"
    checks = [
        check("redraw after a control change, median", med, TARGET_MS, "<=", unit="ms", note=note),
        check("redraw after a control change, worst of %d" % n, worst, TARGET_MS, "<=", unit="ms",
              note=r["changes"][worst_i]),
    ]
    notes = [figures["method"]]
    busy = busy_note()
    if busy:
        notes.append(busy + f"; CPU per change: median {median(cpu):.1f} ms, worst {max(cpu):.1f} ms")
    return {"figures": figures, "checks": checks, "notes": notes}


if __name__ == "__main__":
    sys.setrecursionlimit(10000)
    main(NAME, run)
