"""Regenerate the README's screenshots: every demo played headless, an SVG at each mark.

    python -m relutui.demos.make_screenshots screenshots      # what `make screenshots` runs
    python -m relutui.demos.make_screenshots DIR --demo tour  # one demo only

Screenshots in DIR are replaced (this command owns them); SVGs no demo makes any more
are listed, and removed with ``--prune``. Demos run in parallel processes (``--jobs``);
the output is the same bytes whatever the order or the number of jobs.
"""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from relutui.demos.script import DemoError, load_all_demos, load_demo

__all__ = ["make_screenshots", "main"]


def _one(name: str, out: str) -> list[str]:
    from relutui.demos.player import play_headless

    return [str(p) for p in play_headless(load_demo(name), out, overwrite=True)]


def make_screenshots(out_dir: str | os.PathLike, names: list[str] | None = None, jobs: int | None = None,
                     prune: bool = False) -> tuple[list[Path], list[Path]]:
    """Play ``names`` (default: every demo) headless into ``out_dir``.

    Returns (files written, stale SVGs: in ``out_dir`` but made by no demo; deleted if ``prune``).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    every = load_all_demos()
    demos = [load_demo(n) for n in names] if names else every  # all valid before anything is written
    names = list(names) if names else [d.name for d in every]
    produced = {f"{s}.svg" for d in every for s in d.screenshots}
    seen: dict[str, str] = {}
    for d in demos:
        for s in d.screenshots:
            if s in seen and seen[s] != d.name:
                raise DemoError(f"screenshot name {s!r} is used by both {seen[s]} and {d.name}")
            seen[s] = d.name
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(names)))
    written: list[Path] = []
    if jobs == 1:
        for n in names:
            written += [Path(p) for p in _one(n, str(out))]
    else:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
            for files in pool.map(_one, names, [str(out)] * len(names)):
                written += [Path(p) for p in files]
    stale = sorted(p for p in out.glob("*.svg") if p.name not in produced)
    if prune:
        for p in stale:
            p.unlink()
    return written, stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m relutui.demos.make_screenshots",
                                     description="Regenerate the demos' SVG screenshots.")
    parser.add_argument("out_dir", nargs="?", default="screenshots", help="output folder (default screenshots)")
    parser.add_argument("--demo", action="append", dest="names", metavar="NAME",
                        help="only this demo (repeatable)")
    parser.add_argument("--jobs", type=int, default=None, help="parallel processes (default: one per core)")
    parser.add_argument("--prune", action="store_true", help="delete SVGs in the folder that no demo makes")
    args = parser.parse_args(argv)
    try:
        written, stale = make_screenshots(args.out_dir, args.names, args.jobs, args.prune)
    except DemoError as exc:
        print(f"make_screenshots: {exc}", file=sys.stderr)
        return 2
    for p in written:
        print(p)
    for p in stale:
        print(f"{'removed' if args.prune else 'stale (no demo makes it; --prune removes)'}: {p}",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
