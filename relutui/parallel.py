"""``[fn(x) for x in items]`` in worker processes, stopped at once by ^C or SIGTERM.

``concurrent.futures.ProcessPoolExecutor`` leaving its ``with`` block on ^C waits for
every queued task (a sweep ran on for 272 s after ^C), and a second ^C or a SIGTERM then
left its workers orphaned. ``multiprocessing.Pool`` will not do either: its ``terminate``
waits for a lock that an idle worker holds while it waits for a task. Here each worker has
its own pipe (no lock shared between processes) and gets one task at a time. The workers
ignore SIGINT (the terminal sends it to the whole process group: only the parent decides);
the parent, on ^C, SIGTERM or any error, sends each a SIGTERM and joins it (SIGKILL after
5 s). While they run, the first ^C or SIGTERM raises (:class:`KeyboardInterrupt`,
:class:`Terminated`) and any later one is ignored until they are gone, so a second ^C
cannot leave them behind (``relutui`` exits 130; 143 after a SIGTERM). Results come back
in input order, so the numbers never depend on the number of jobs.
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


_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _worker_init() -> None:
    """A worker ignores ^C (the parent decides) and dies on SIGTERM; the two signals were
    blocked while the pool was made (so a ^C then waited) and are unblocked here."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)


def _worker_main(conn) -> None:
    """A worker: run ``fn(item)`` for each ``(fn, i, item)`` received, send back
    ``(i, True, result)`` or ``(i, False, exception)``; stop on None or a closed pipe."""
    _worker_init()
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        fn, i, item = task
        try:
            reply = (i, True, fn(item))
        except Exception as exc:  # sent to the parent, raised there
            reply = (i, False, exc)
        try:
            conn.send(reply)
        except Exception as exc:  # an unpicklable result or exception
            conn.send((i, False, RuntimeError(f"worker result could not be sent back: {exc!r}")))


class _Latch:
    """SIGINT and SIGTERM handler while workers run: the first signal raises (KeyboardInterrupt,
    or Terminated for SIGTERM), every later one is ignored, so that a second ^C can never break
    off the clean-up and leave workers behind."""

    def __init__(self) -> None:
        self.fired = False

    def __call__(self, signum, frame) -> None:  # pragma: no cover - runs in the signal handler
        if self.fired:
            return
        self.fired = True
        raise Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()


def pmap(fn: Callable, items: list, jobs: int,
         on_done: Callable[[int, int], None] | None = None) -> list:
    """``[fn(x) for x in items]``; in ``min(jobs, len(items))`` processes when jobs > 1.

    ``on_done(done, i)`` after each item (``done`` items finished, ``i`` the one just done).
    ``fn`` must be a module-level function (it is pickled). An exception in a worker is
    raised here after every worker has been stopped; a worker that dies (killed, out of
    memory) is a RuntimeError, not a hang."""
    items = list(items)
    out: list = [None] * len(items)
    if jobs <= 1 or len(items) <= 1:
        for i, item in enumerate(items):
            out[i] = fn(item)
            if on_done:
                on_done(i + 1, i)
        return out
    import multiprocessing
    from multiprocessing.connection import wait

    # fork is fast, but not safe once threads run (the app trains experiments in a thread)
    ctx = multiprocessing.get_context("spawn" if threading.active_count() > 1 else None)
    main = threading.current_thread() is threading.main_thread()  # signal handlers live there only
    old = {sig: signal.signal(sig, _Latch()) for sig in _SIGNALS} if main else {}
    procs: list = []
    conns: list = []
    finished = False
    try:
        for _ in range(min(jobs, len(items))):
            parent_end, child_end = ctx.Pipe()
            proc = ctx.Process(target=_worker_main, args=(child_end,), daemon=True)
            procs.append(proc)
            conns.append(parent_end)
            # ^C and SIGTERM wait while a worker starts: it is known to _stop before a signal
            # can end this function, and it unblocks them itself once it ignores ^C
            signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
            try:
                proc.start()
            finally:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)
            child_end.close()
        tasks = iter(enumerate(items))
        busy: dict = {}

        def feed(conn) -> None:
            task = next(tasks, None)
            if task is not None:
                conn.send((fn, task[0], task[1]))
                busy[conn] = task[0]

        for conn in conns:
            feed(conn)
        done = 0
        while busy:
            for conn in wait(list(busy), timeout=_POLL):
                try:
                    i, ok, value = conn.recv()
                except (EOFError, OSError):
                    raise RuntimeError("a worker process died (killed, or out of memory?)") from None
                del busy[conn]
                if not ok:
                    raise value
                out[i] = value
                done += 1
                if on_done:
                    on_done(done, i)
                feed(conn)
        finished = True
    finally:
        _stop(procs, conns, finished)
        for sig, handler in old.items():
            signal.signal(sig, handler)
    return out


def _stop(procs: list, conns: list, finished: bool) -> None:
    """Finished: ask each worker to stop, then wait. Interrupted or failed: SIGTERM at once.
    Either way a worker still there after a few seconds is killed."""
    for conn in conns:
        if finished:
            try:
                conn.send(None)
            except OSError:
                pass
    for proc in procs:
        if not finished and proc.is_alive():
            proc.terminate()
    for proc in procs:
        if proc.pid is None:
            continue
        proc.join(5.0)
        if proc.is_alive():
            proc.kill()
            proc.join()
    for conn in conns:
        conn.close()
