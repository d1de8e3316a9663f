"""Play: steps per second actually achieved, UI frames per second, key latency.

Method (see appprobe.py): the app runs headless under ``run_test(size=(120, 36))``
with terminal encoding put back, and plays (space) for a few seconds at each
speed setting (steps per frame, ``>`` to raise it). Achieved steps/s is the
change of ``state.step`` over wall time; frames/s counts painted compositor
updates; the play timer's own rate and its work per frame are shown too. Then,
at the top speed, keys are sent through the driver while training plays and the
latency is measured from the key to the first painted frame after the key's
state change: ``space`` (pause, and play again) and ``]``/``[`` (lr up/down,
which restarts the run).
"""

from __future__ import annotations

import asyncio
import time

from common import app_available, busy_note, check, main, median, table

NAME = "play"
TARGET_STEPS, TARGET_FPS, TARGET_KEY_MS = 2000.0, 20.0, 100.0


async def measure(seconds: float, latency_rounds: int) -> dict:
    from appprobe import PaintProbe, now, send_key, wait_quiet

    probe = PaintProbe()
    from relutui.app.app import FPS, ReluApp
    from relutui.app.state import SPEEDS

    app = ReluApp()
    rows = []
    lat: dict[str, list[float]] = {"space (pause)": [], "space (play)": [], "lr ] / [": []}
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        state = app.state
        await pilot.press("space")
        for speed in [s for s in SPEEDS if s >= 20]:
            state.set_speed(speed)
            await asyncio.sleep(0.3)  # settle
            probe.clear()
            s0, t0, c0 = state.step, now(), time.process_time()
            await asyncio.sleep(seconds)
            s1, t1, c1 = state.step, now(), time.process_time()
            ticks = [b - a for a, b in probe.ticks]
            frames = [f for f in probe.frames if t0 <= f <= t1]
            rows.append({
                "speed": speed, "steps_per_s": (s1 - s0) / (t1 - t0),
                "frames_per_s": len(frames) / (t1 - t0),
                "ticks_per_s": len(probe.ticks) / (t1 - t0),
                "tick_ms_median": median(ticks) * 1000 if ticks else None,
                "nominal_steps_per_s": speed * FPS,
                # CPU the process used per painted frame, and the share of a core it got
                "cpu_ms_per_frame": (c1 - c0) * 1000 / max(1, len(frames)),
                "cores_used": (c1 - c0) / (t1 - t0),
            })
            if state.diverged or not state.playing:
                state.reset()
                state.play()
                app._sync_timer()
        top = max(SPEEDS)
        state.set_speed(top)
        await asyncio.sleep(0.3)

        async def key_latency(key: str, changed) -> float | None:
            probe.clear()
            t0 = send_key(app, key)
            while not probe.intents:
                await asyncio.sleep(0.001)
                if now() - t0 > 3:
                    return None
            t_state = probe.intents[0][1]
            while not any(f > t_state for f in probe.frames):
                await asyncio.sleep(0.001)
                if now() - t0 > 3:
                    return None
            assert changed(), key
            return (min(f for f in probe.frames if f > t_state) - t0) * 1000

        for i in range(latency_rounds):
            await asyncio.sleep(0.25)
            lat["space (pause)"].append(await key_latency("space", lambda: not state.playing))
            await asyncio.sleep(0.1)
            lat["space (play)"].append(await key_latency("space", lambda: state.playing))
            await asyncio.sleep(0.25)
            lr = state.config.lr
            key = "right_square_bracket" if i % 2 == 0 else "left_square_bracket"
            lat["lr ] / ["].append(await key_latency(key, lambda: state.config.lr != lr))
            if not state.playing:
                await pilot.press("space")
        await pilot.press("q")
    return {"rows": rows, "latency_ms": lat, "top": top}


def run(quick: bool = False) -> dict:
    ok, why = app_available()
    if not ok:
        print(f"  SKIP: {why}")
        return {"figures": {}, "notes": [why], "checks": [
            check("play steps/s", None, TARGET_STEPS, ">=", unit="steps/s", note=why),
            check("play frames/s", None, TARGET_FPS, ">=", unit="fps", note=why),
            check("key latency while playing", None, TARGET_KEY_MS, "<=", unit="ms", note=why)]}
    r = asyncio.run(measure(1.5 if quick else 3.0, 3 if quick else 8))
    rows = r["rows"]
    print(table([[x["speed"], f"{x['nominal_steps_per_s']:,}", f"{x['steps_per_s']:,.0f}",
                  f"{x['frames_per_s']:.1f}", f"{x['ticks_per_s']:.1f}", f"{x['tick_ms_median']:.1f}",
                  f"{x['cpu_ms_per_frame']:.1f}", f"{x['cores_used']:.2f}"]
                 for x in rows],
                ["speed (steps/frame)", "nominal st/s", "achieved st/s", "frames/s", "ticks/s",
                 "tick ms", "cpu ms/frame", "cores used"]))
    print("  (tick ms: the play timer's frame function, training included; cpu ms/frame: all the "
          "process's CPU per painted frame; cores used < 1 means other processes took the core)")
    lat = {k: [x for x in v if x is not None] for k, v in r["latency_ms"].items()}
    all_lat = [x for v in lat.values() for x in v]
    lost = sum(1 for v in r["latency_ms"].values() for x in v if x is None)
    print(table([[k, len(v), f"{median(v):.1f}", f"{max(v):.1f}"] for k, v in lat.items() if v],
                ["key while playing (top speed)", "n", "median ms", "worst ms"]))
    # the verdict: the speed giving the most steps/s that still keeps >= 20 fps, else the top speed
    ok_rows = [x for x in rows if x["frames_per_s"] >= TARGET_FPS]
    best = max(ok_rows, key=lambda x: x["steps_per_s"]) if ok_rows else rows[-1]
    top_row = rows[-1]
    figures = {
        "method": "headless run_test 120x36, terminal encoding put back; play at each speed; keys "
                  "sent through the driver while playing at the top speed",
        "by_speed": [{k: (round(v, 2) if isinstance(v, float) else v) for k, v in x.items()} for x in rows],
        "verdict_speed": best["speed"],
        "key_latency_ms": {k: [round(x, 1) for x in v] for k, v in lat.items()},
        "key_latency_median_ms": round(median(all_lat), 1) if all_lat else None,
        "key_latency_worst_ms": round(max(all_lat), 1) if all_lat else None,
        "keys_without_effect": lost,
    }
    note = (f"at speed {best['speed']} (the fastest setting that keeps >= {TARGET_FPS:.0f} fps)" if ok_rows
            else f"no speed keeps {TARGET_FPS:.0f} fps; figures at the top speed {top_row['speed']}")
    checks = [
        check("play: steps/s achieved", best["steps_per_s"], TARGET_STEPS, ">=", unit="steps/s", note=note),
        check("play: UI frames/s", best["frames_per_s"], TARGET_FPS, ">=", unit="fps", note=note),
        check("play: key -> effect latency, worst", max(all_lat) if all_lat else None, TARGET_KEY_MS, "<=",
              unit="ms", note=f"median {median(all_lat):.0f} ms over {len(all_lat)} keys at speed {r['top']}"
              + (f"; {lost} keys without effect in 3 s" if lost else "")),
    ]
    notes = [figures["method"]]
    busy = busy_note()
    if busy:
        notes.append(busy)
    return {"figures": figures, "checks": checks, "notes": notes}


if __name__ == "__main__":
    main(NAME, run)
