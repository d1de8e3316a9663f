"""The claims lab's controller (issue 4): load an experiment into the session, run it with
the settings in force (off the UI thread: the caller runs it and reports back with a token),
keep its result, and say what changed since.

A mixin of ``Session``: loading an experiment changes the session's settings and mode."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from relutui.activations import canonical_name
from relutui.session.present import experiment as experiment_present
from relutui.session.views import ExperimentView
from relutui.settings import LIMITS
from relutui.training import TrainConfig

SEED_MAX = LIMITS["seed"][1]


def _compare_arm(exp):
    """The arm whose activation goes to the compare side: the first judged arm after the first
    (vanishing-gradient: relu, not tanh, which is shown but not judged)."""
    judged = [a for a in exp.arms[1:] if a.label not in exp.unjudged]
    return (judged or list(exp.arms[1:]))[0]


@dataclass(frozen=True)
class RunRecord:
    """What the last run of the loaded experiment used: the experiment as run (changes applied),
    the changes against the experiment, the seed in force, the compare side's activation, the
    seeds and steps it ran, and the verdict before it (a re-run)."""

    experiment: Any  # relutui.experiments.Experiment
    changes: list[tuple[str, str, Any, Any]]
    seed: int
    compare: str
    first_seed: int
    seeds: int
    steps: int
    previous: str | None


class ClaimsLab:
    """The loaded experiment and its last run (state kept on the session)."""

    def _init_lab(self) -> None:
        self.experiment = None  # relutui.experiments.Experiment, as loaded
        self.experiment_status: str = "ready"  # ready | running | done | failed
        self.experiment_progress: tuple[int, int] = (0, 0)
        self.experiment_result = None  # ExperimentResult of the last finished run
        self.experiment_error: str | None = None
        self.experiment_ran: RunRecord | None = None  # what the last run used (changes, seeds)
        self._experiment_token: int = 0  # a run's results are kept only if no newer run started
        self._experiment_compare_base: str | None = None
        # the experiment whose loading closed compare mode (its claim panel is on the main
        # screen); the compare screen says so as it closes, then clears it
        self.compare_left_for: str | None = None

    def load_experiment(self, experiment: Any, apply_config: bool = True) -> None:
        """Load a claims-lab experiment (a name or an ``Experiment``). ``apply_config``: its first
        arm's settings go into the controls (seed 0, as ``relutui run`` uses) and the compare
        arm's activation (``_compare_arm``) to the compare side, and compare mode closes: the
        claim panel, its verdict and its numbers are on the main screen. A lesson keeps its own
        settings and mode instead."""
        from relutui.experiments import Experiment, get_experiment

        exp = experiment if isinstance(experiment, Experiment) else get_experiment(str(experiment))
        if apply_config:
            cfg = dataclasses.replace(exp.arms[0].config, seed=0)
            old_cmp, old_compare = self.compare_activation, self.compare
            if len(exp.arms) > 1:
                self.compare_activation = canonical_name(_compare_arm(exp).config.activation)
            self.compare = False
            try:
                self._rebuild(**{f.name: getattr(cfg, f.name) for f in dataclasses.fields(cfg)})
            except ValueError:
                self.compare_activation, self.compare = old_cmp, old_compare
                raise
            self._main_run = None
            if old_compare:
                self.compare_left_for = exp.name
        self.experiment = exp
        self._experiment_compare_base = self.compare_activation
        self.experiment_status = "ready"
        self.experiment_progress = (0, 0)
        self.experiment_result = None
        self.experiment_error = None
        self.experiment_ran = None
        self._experiment_token += 1  # a run still in flight no longer counts
        self._touch()

    def dismiss_experiment(self) -> None:
        if self.experiment is None:
            raise ValueError("no experiment loaded: press e to pick one")
        self.experiment = None
        self.experiment_result = None
        self.experiment_ran = None
        self.experiment_status = "ready"
        self._experiment_token += 1
        self._touch()

    @property
    def experiment_token(self) -> int:
        """Bumped by every load, dismissal and run: a run's results count only with its token."""
        return self._experiment_token

    @property
    def experiment_running(self) -> bool:
        return self.experiment is not None and self.experiment_status == "running"

    def experiment_changes(self) -> list[tuple[str, str, Any, Any]]:
        """Settings in force that differ from the loaded experiment:
        ``(arm label, or "" for every arm, setting, experiment's value, value in force)``.

        A setting all arms share changes in every arm; a setting the arms differ in (the
        one the experiment compares) changes in the first arm only, and the compare side's
        activation in the compare arm (``_compare_arm``). The seed is not a change: the runs
        start from it.
        """
        exp = self.experiment
        if exp is None:
            return []
        base = exp.arms[0].config
        out: list[tuple[str, str, Any, Any]] = []
        for f in dataclasses.fields(TrainConfig):
            key = f.name
            if key == "seed":
                continue
            old, new = getattr(base, key), getattr(self.config, key)
            if new == old:
                continue
            shared = all(getattr(a.config, key) == old for a in exp.arms)
            out.append(("" if shared else exp.arms[0].label, key, old, new))
        if (len(exp.arms) > 1 and self._experiment_compare_base is not None
                and self.compare_activation != self._experiment_compare_base):
            arm = _compare_arm(exp)
            out.append((arm.label, "activation", arm.config.activation, self.compare_activation))
        return out

    def experiment_to_run(self):
        """The loaded experiment with the settings in force applied (``with_changes``)."""
        exp = self.experiment
        if exp is None:
            raise ValueError("no experiment loaded: press e to pick one")
        changes = self.experiment_changes()
        shared = {k: new for label, k, _, new in changes if not label}
        per_arm: dict[str, dict[str, Any]] = {}
        for label, k, _, new in changes:
            if label:
                per_arm.setdefault(label, {})[k] = new
        try:
            if shared:
                exp = exp.with_changes(**shared)
            for label, ch in per_arm.items():
                arm = exp.arm(label)
                if "activation" in ch and ch["activation"] != arm.config.activation:
                    ch.setdefault("activation_params", {})
                exp = exp.with_arm_changes(label, **ch)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"cannot run {exp.name} with these settings: {exc}") from None
        return exp

    def start_experiment_run(self):
        """Begin a run of the loaded experiment with the settings in force.
        Returns ``(token, experiment, first_seed)``; the caller runs it (off the UI thread)
        and reports back with the token."""
        exp = self.experiment_to_run()
        first = min(self.config.seed, SEED_MAX - exp.seeds + 1)
        self._experiment_token += 1
        previous = None
        if self.experiment_result is not None:
            previous = self.experiment_result.verdict
        elif self.experiment_ran is not None:
            previous = self.experiment_ran.previous
        self.experiment_ran = RunRecord(
            experiment=exp, changes=self.experiment_changes(), seed=self.config.seed,
            compare=self.compare_activation, first_seed=first, seeds=exp.seeds,
            steps=exp.steps, previous=previous,
        )
        self.experiment_status = "running"
        self.experiment_progress = (0, len(exp.arms) * exp.seeds)
        self.experiment_result = None
        self.experiment_error = None
        self._touch()
        return self._experiment_token, exp, first

    def set_experiment_progress(self, token: int, done: int, total: int) -> bool:
        if token != self._experiment_token or self.experiment_status != "running":
            return False
        self.experiment_progress = (int(done), int(total))
        self._touch()
        return True

    def finish_experiment_run(self, token: int, result: Any) -> bool:
        """Keep a finished run's result (False: a newer run or another experiment replaced it)."""
        if token != self._experiment_token or self.experiment is None:
            return False
        self.experiment_result = result
        self.experiment_status = "done"
        total = self.experiment_progress[1]
        self.experiment_progress = (total, total)
        self._touch()
        return True

    def fail_experiment_run(self, token: int, message: str) -> bool:
        if token != self._experiment_token or self.experiment is None:
            return False
        self.experiment_status = "failed"
        self.experiment_error = message
        self._touch()
        return True

    def experiment_view(self) -> ExperimentView | None:
        if self.experiment is None:
            return None
        return self._cached("experiment", experiment_present.cache_key(self),
                            lambda: experiment_present.build(self))
