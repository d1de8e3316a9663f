"""``[fn(x) for x in items]`` in worker processes, stopped at once by ^C or SIGTERM.

``concurrent.futures.ProcessPoolExecutor`` leaving its ``with`` block on ^C waits for
every queued task (a sweep ran on for 272 s after ^C), and a second ^C or a SIGTERM then
left its workers orphaned. Here the workers ignore SIGINT (the terminal sends it to the
whole process group: only the parent decides), and the parent, on ^C, SIGTERM or any
error, terminates them (``Pool.terminate``: SIGTERM to each, then joined) with SIGINT
and SIGTERM held off until they are gone, then raises :class:`KeyboardInterrupt`
(``relutui`` exits 130; 143 after a SIGTERM). Results come back in input order, so the
numbers never depend on the number of jobs.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable

__all__ = ["Terminated", "pmap"]

_POLL = 0.2  # seconds between checks of the result queue: a bound on the reaction to a signal


class Terminated(KeyboardInterrupt):
    """A SIGTERM received while workers ran: stops like ^C, exit status 143."""

    exit_code = 143


def _worker_init() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _indexed(task: tuple) -> tuple[int, object]:
    fn, i, item = task
    return i, fn(item)


def _on_sigterm(signum, frame):  # pragma: no cover - runs in the signal handler
    raise Terminated()


def pmap(fn: Callable, items: list, jobs: int,
         on_done: Callable[[int, int], None] | None = None) -> list:
    """``[fn(x) for x in items]``; in ``min(jobs, len(items))`` processes when jobs > 1.

    ``on_done(done, i)`` after each item (``done`` items finished, ``i`` the one just done).
    ``fn`` must be a module-level function (it is pickled). An exception in a worker is
    raised here after every worker has been stopped."""
    items = list(items)
    out: list = [None] * len(items)
    if jobs <= 1 or len(items) <= 1:
        for i, item in enumerate(items):
            out[i] = fn(item)
            if on_done:
                on_done(i + 1, i)
        return out
    import multiprocessing

    # fork is fast, but not safe once threads run (the app trains experiments in a thread)
    ctx = multiprocessing.get_context("spawn" if threading.active_count() > 1 else None)
    main_thread = threading.current_thread() is threading.main_thread()
    old_term = signal.signal(signal.SIGTERM, _on_sigterm) if main_thread else None
    pool = ctx.Pool(processes=min(jobs, len(items)), initializer=_worker_init)
    try:
        results = pool.imap_unordered(_indexed, [(fn, i, item) for i, item in enumerate(items)])
        for done in range(1, len(items) + 1):
            while True:
                try:
                    i, value = results.next(timeout=_POLL)
                    break
                except multiprocessing.TimeoutError:
                    continue
            out[i] = value
            if on_done:
                on_done(done, i)
        pool.close()
        pool.join()
    finally:
        _stop(pool, main_thread)
        if main_thread:
            signal.signal(signal.SIGTERM, old_term)
    return out


def _stop(pool, main_thread: bool) -> None:
    """Terminate and join the workers, with ^C and SIGTERM held off meanwhile: a second ^C
    must not leave them running."""
    held = {}
    if main_thread:
        for sig in (signal.SIGINT, signal.SIGTERM):
            held[sig] = signal.signal(sig, signal.SIG_IGN)
    try:
        pool.terminate()
        pool.join()
    finally:
        for sig, handler in held.items():
            signal.signal(sig, handler)
