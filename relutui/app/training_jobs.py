"""Training that does not hold the UI: a step too long for a frame trains in a thread
(``relutui.app.background``), and a lesson's ``steps`` train after the first frame with
progress. A mixin of ``ReluApp``: it reads ``state``, ``_costs``, ``_job``, the lesson counters
and ``refresh_views`` / ``notify`` of the app."""

from __future__ import annotations

import time

from textual.message import Message

from relutui.app.background import SLOW_WORK, TrainJob, step_work
from relutui.session.present.snapshot import training_set_snapshot

FPS = 30
# While playing, a frame trains for at most this long (the speed setting caps the steps): with
# the repaint (~10 ms) a frame fits in 1/FPS, and a key waits at most for one short frame.
TRAIN_BUDGET = 0.012
# A lesson's steps, trained after the first frame, take a longer share of each frame: no key
# waits for more than a frame and a bit, and 100,000 steps of the default net take seconds.
LESSON_BUDGET = 0.025


class TrainJobDone(Message):
    """Posted from a training thread when its job ends (the app adopts the trained runs)."""

    def __init__(self, job: TrainJob) -> None:
        self.job = job
        super().__init__()


class TrainingJobs:
    """Off-the-UI-thread training and a lesson's steps (mixed into ``ReluApp``)."""

    def _cost_key(self) -> str:
        state = self.state
        return repr((state.config, state.compare_activation if state.compare else None))

    def _slow(self) -> bool:
        """A step may not fit in a frame: measured, or (not measured yet) a big network."""
        cost = self._costs.get(self._cost_key(), 0.0)
        if cost > 0:
            return cost > TRAIN_BUDGET
        return sum(step_work(r) for r in self.state.runs()) > SLOW_WORK

    def _start_job(self, n: int, purpose: str, max_seconds: float) -> None:
        state = self.state
        self._job = TrainJob(state.runs(), n, generation=state.generation, purpose=purpose,
                             max_seconds=max_seconds, on_done=self._job_done,
                             snapshot=training_set_snapshot).start()
        self._set_busy()

    def _job_done(self, job: TrainJob) -> None:  # (in the job's thread)
        self.post_message(TrainJobDone(job))

    def on_train_job_done(self, message: TrainJobDone) -> None:
        """Apply a finished job at once (the timers would find it too, a frame later)."""
        if message.job is not self._job:
            return
        if message.job.purpose == "play" and self._timer is not None:
            self._tick()
        elif message.job.purpose == "lesson":
            self._lesson_tick()

    def _finish_job(self, job: TrainJob) -> bool:
        """Adopt a finished job's runs; False when dropped (the network changed meanwhile)."""
        self._job = None
        self.busy_text = None
        if job.error is not None:
            self.state.pause()
            self.notify(f"training stopped: {job.error}", severity="error")
            return False
        if job.steps:
            self._costs[self._cost_key()] = job.seconds / job.steps
        return self.state.adopt_runs(job.runs, job.generation, job.seconds / max(job.steps, 1),
                                     snapshots=job.snapshots)

    def _set_busy(self) -> None:
        job = self._job
        cost = self._costs.get(self._cost_key(), 0.0)
        if self._lesson_timer is not None:
            done = self._lesson_total - self._lesson_left
            self.busy_text = f"⏳ lesson: step {done:,} of {self._lesson_total:,} · any change stops it"
        elif job is not None:
            each = f"{cost:.1f} s a step" if cost >= 0.1 else "a step"
            self.busy_text = f"▶ playing · {each}, trained in the background"
        else:
            self.busy_text = None

    # ------------------------------------------------------------ a lesson's steps
    def _start_lesson_training(self, steps: int) -> None:
        """Train the lesson's ``steps`` after the first frame: a few each frame on the UI thread
        when steps are quick, in a thread otherwise; keys work meanwhile (``q`` quits). Any
        change to the network (a key, play) stops it, and says so."""
        self._lesson_left = self._lesson_total = steps
        self._lesson_gen = self.state.generation
        self._lesson_timer = self.set_interval(1 / FPS, self._lesson_tick, name="lesson-steps")
        self._set_busy()

    def _stop_lesson_training(self, why: str | None = None) -> None:
        if self._lesson_timer is not None:
            self._lesson_timer.stop()
            self._lesson_timer = None
        if self._job is not None and self._job.purpose == "lesson":
            self._job.cancel()
            self._job = None
        done = self._lesson_total - self._lesson_left
        self._lesson_left = 0
        self._set_busy()
        if why:
            self.notify(f"lesson: stopped after {done:,} of its {self._lesson_total:,} steps ({why})",
                        severity="warning", timeout=6)
        self.refresh_views()

    def _lesson_tick(self) -> None:
        if self._lesson_timer is None:
            return
        self._frame += 1
        state = self.state
        job = self._job
        if job is not None:
            if job.purpose != "lesson" or not job.done.is_set():
                self._set_busy()
                self.refresh_views(self._frame)
                return
            if not self._finish_job(job):
                self._stop_lesson_training("the network changed")
                return
            self._lesson_left -= job.steps
            self._lesson_gen = state.generation
        elif state.generation != self._lesson_gen:
            self._stop_lesson_training("the network changed")
            return
        if self._lesson_left <= 0 or state.diverged:
            self._stop_lesson_training()
            if state.diverged:
                self.notify(state.diverged_message() + " — r resets", severity="error", timeout=6)
            return
        if self._slow():
            self._start_job(self._lesson_left, "lesson", 0.25)
        else:
            cost = self._costs.get(self._cost_key(), 0.0)
            n = min(self._lesson_left, 8 if cost <= 0 else max(1, int(LESSON_BUDGET / cost)))
            t0 = time.perf_counter()
            state.train_steps(n)
            self._costs[self._cost_key()] = (time.perf_counter() - t0) / n
            self._lesson_left -= n
            self._lesson_gen = state.generation
        self._set_busy()
        self.refresh_views(self._frame)
