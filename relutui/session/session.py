"""The session: the single source of truth for everything the UI shows.

Plain Python (no Textual, no Rich). Widgets never compute math: they ask this
object for ready-made *views* (plain dataclasses of numbers and strings, ``views.py``)
and render them. Every user intention is a method here; bad values raise
``ValueError`` with a clear message and leave the last valid state in force.

Data flows one way: key/control -> message -> app calls a method here -> the
session drives the core (``TrainingRun``, activations, diagnostics) -> widgets
re-render from the views, built by ``present/`` (one module per view, each with the
inputs that invalidate its cache beside it). The claims lab is ``lab.py``, the lesson
glue ``lessons.py``. Settings are changed by ``set(name, value)``, driven by ``relutui.settings``.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import time
from typing import Any

import numpy as np

from relutui.activations import ACTIVATIONS, canonical_name, get_activation
from relutui.datasets import DATASETS
from relutui.format import fmt
from relutui.session.lab import ClaimsLab
from relutui.session.lessons import LessonNotes
from relutui.session.present import boundary, card, chart, inspector, network, snapshot, training
from relutui.session.present.card import CARD_LINES, CARD_WIDTH
from relutui.session.present.snapshot import Snapshot
from relutui.session.views import BoundaryView, ChartView, Line, NetworkView, Phase, TrainingView, make_phases
from relutui.settings import SETTINGS, setting
from relutui.training import TrainConfig, TrainingRun

# ---------------------------------------------------------------- constants
LR_STEPS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)
BIAS_STEP = 0.5
SPEEDS = (1, 2, 5, 10, 20, 50, 100, 200)
DEFAULT_SPEED = 5
X_RANGES = (1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0)  # half-width of the chart's x-axis
DEFAULT_X_RANGE = 10.0
# the f'(0) control's choices as values: (None, 0.0, 0.5, 1.0)
KINK_CHOICES: tuple[float | None, ...] = tuple(setting("kink").parse(v) for _, v in setting("kink").choices())
_DATA_FIELDS = tuple(row.field for row in SETTINGS if row.data)  # a change draws the data again


# ---------------------------------------------------------------- the session
class Session(ClaimsLab, LessonNotes):
    """Everything the app shows and every action a user can take."""

    def __init__(self, config: TrainConfig | None = None) -> None:
        config = (config if config is not None else TrainConfig()).validate()
        self.config: TrainConfig = config
        self.run: TrainingRun = TrainingRun(config)
        self.compare: bool = False
        self._compare_pick: str | None = None  # the compare side's activation, once the user picks it
        self.run_b: TrainingRun | None = None
        self._main_run: TrainingRun | None = None  # the main run, kept while compare mode runs a pair
        self.phase_index: int | None = None
        self._preview: TrainingRun | None = None  # the run after the pending step
        self._pending = None  # StepResult of the pending step
        self.selected: tuple[int, int] = (0, 0)  # (weight layer, neuron)
        self.sample: int = 0
        self.use_mean: bool = False
        self.x_range: float = DEFAULT_X_RANGE
        self.playing: bool = False
        self.speed: int = DEFAULT_SPEED
        self.version: int = 0  # bumped by every change (anything shown may differ)
        self.generation: int = 0  # bumped when the network's numbers change (train, restart, lr)
        self._cache: dict[str, tuple[Any, Any]] = {}
        self._step_cost: float = 0.0  # seconds per training step while playing (tick's budget)
        self._init_lab()
        self._init_notes()

    # ------------------------------------------------------------ helpers
    def _touch(self) -> None:
        self.version += 1

    @property
    def preview(self) -> TrainingRun | None:
        """The run after the pending step of a step-through (None when not stepping)."""
        return self._preview

    @property
    def n_layers(self) -> int:
        return self.run.net.n_layers

    @property
    def phases(self) -> list[Phase]:
        return make_phases(self.n_layers)

    @property
    def phase(self) -> Phase | None:
        if self.phase_index is None:
            return None
        return self.phases[self.phase_index]

    @property
    def step(self) -> int:
        return int(self.run.step)

    @property
    def diverged_at(self) -> int | None:
        return self.run.diverged_at

    @property
    def diverged(self) -> bool:
        return self.run.diverged_at is not None or (
            self.run_b is not None and self.run_b.diverged_at is not None
        )

    @property
    def activation(self):
        return self.run.net.activations[0]

    @property
    def loss_name(self) -> str:
        return self.run.loss_name

    def runs(self) -> list[TrainingRun]:
        return [self.run] + ([self.run_b] if self.run_b is not None else [])

    def status(self) -> str:
        parts = [f"step {self.step}"]
        if self.diverged:
            which = []
            for r in self.runs():
                if r.diverged_at is not None:
                    which.append(f"diverged at step {r.diverged_at}")
            parts.append(" / ".join(which) + " — r resets")
        elif self.playing:
            parts.append(f"▶ playing · {self.speed} steps/frame")
        else:
            parts.append(f"‖ paused · {self.speed} steps/frame")
        if self.phase is not None:
            parts.append("phase: " + self.phase.label(self.n_layers))
        return " · ".join(parts)

    def _refuse_if_diverged(self, what: str) -> None:
        """A diverged network cannot train on: the key says so (``what`` it could not do)."""
        if self.diverged:
            raise ValueError(f"cannot {what}: {self.diverged_message()} — press r to reset")

    def diverged_message(self) -> str | None:
        msgs = []
        for r in self.runs():
            if r.diverged_at is not None:
                name = get_activation(r.config.activation).display_name
                msgs.append(f"{name} diverged at step {r.diverged_at}")
        return "; ".join(msgs) or None

    # ------------------------------------------------------------ config changes
    @staticmethod
    def contrast_of(activation: str) -> str:
        """The compare side's default: ReLU against anything else, sigmoid against ReLU."""
        return "sigmoid" if activation == "relu" else "relu"

    @property
    def compare_activation(self) -> str:
        """The compare side's activation: the user's pick, else the contrast of the main one
        (so that ``a`` to sigmoid never leaves "Sigmoid vs Sigmoid")."""
        return self._compare_pick or self.contrast_of(self.config.activation)

    @compare_activation.setter
    def compare_activation(self, name: str) -> None:
        self._compare_pick = name

    def _compare_config(self, cfg: TrainConfig) -> TrainConfig:
        other = self._compare_pick or self.contrast_of(cfg.activation)
        params = cfg.activation_params if other == cfg.activation else {}
        return dataclasses.replace(cfg, activation=other, activation_params=dict(params))

    def _rebuild(self, **changes: Any) -> None:
        """Apply config changes: validate first, then restart the run(s) from the seed."""
        new = dataclasses.replace(self.config, **changes).validate()
        same_data = all(
            getattr(new, k) == getattr(self.config, k)
            for k in _DATA_FIELDS
        )
        run = TrainingRun(new, dataset=self.run.dataset if same_data else None)
        run_b = None
        if self.compare:
            bcfg = self._compare_config(new).validate()
            run_b = TrainingRun(bcfg, dataset=run.dataset)
        self.config, self.run, self.run_b = new, run, run_b
        self._sync_compare_weights()
        self._after_restart()

    def _after_restart(self) -> None:
        self.generation += 1
        self._step_cost = 0.0  # another network: measure again
        self._cache.clear()
        self.phase_index = None
        self._preview = self._pending = None
        self._clamp_selection()
        self._touch()

    def _sync_compare_weights(self) -> None:
        """Compare mode: both networks start from the very same weights."""
        if self.run_b is None:
            return
        a, b = self.run.net, self.run_b.net
        if [w.shape for w in a.weights] == [w.shape for w in b.weights]:
            for l in range(a.n_layers):
                b.weights[l][...] = a.weights[l]
                b.biases[l][...] = a.biases[l]

    def _clamp_selection(self) -> None:
        sizes = self.run.net.layer_sizes[1:]
        layer = min(max(self.selected[0], 0), len(sizes) - 1)
        neuron = min(max(self.selected[1], 0), sizes[layer] - 1)
        self.selected = (layer, neuron)
        n = len(self.run.dataset.X_train)
        self.sample = min(max(self.sample, 0), max(n - 1, 0))

    def set(self, name: str, value: Any) -> Any:
        """Change one setting, by its field or short name in ``relutui.settings`` (``"bias"``,
        ``"bias_init"``), to ``value``: typed text or a value, checked by the setting's row.
        A live setting (lr) applies to the running network, through ``TrainingRun.set_<field>``;
        any other restarts the run(s) from the seed. Returns the value now in force."""
        row = setting(name)
        activation = self.config.activation
        if isinstance(value, str):
            value = row.parse(value, activation=activation)
        else:
            value = row.check(value, row.label, activation)
        changes: dict[str, Any] = {row.field: value}
        if row.field == "activation":  # the parameters are kept for the same activation only
            changes["activation_params"] = dict(self.config.activation_params if value == activation else {})
        elif row.field == "dataset":
            changes["data_path"] = None
        elif row.field == "batch_size":
            n_train = len(self.run.dataset.X_train)
            if value > n_train:
                raise ValueError(f"batch size {value} is larger than the {n_train} training samples")
        if not row.live:
            self._rebuild(**changes)
            return value
        self.config = dataclasses.replace(self.config, **changes).validate()
        for r in self.runs():
            getattr(r, f"set_{row.field}")(value)
        if self._preview is not None:
            self._enter_phase(self.phase_index or 0)
        self.generation += 1
        self._touch()
        return value

    def cycle_activation(self, delta: int = 1) -> str:
        i = ACTIVATIONS.index(self.config.activation) if self.config.activation in ACTIVATIONS else 0
        name = ACTIVATIONS[(i + delta) % len(ACTIVATIONS)]
        self.set("activation", name)
        return name

    def lr_step(self, delta: int) -> float:
        """The next (or previous) learning rate of ``LR_STEPS`` (the [ and ] keys)."""
        lr = self.config.lr
        if delta > 0:
            bigger = [s for s in LR_STEPS if s > lr * (1 + 1e-9)]
            new = bigger[0] if bigger else LR_STEPS[-1]
        else:
            smaller = [s for s in LR_STEPS if s < lr * (1 - 1e-9)]
            new = smaller[-1] if smaller else LR_STEPS[0]
        return self.set("lr", new)

    def bias_step(self, delta: int) -> float:
        """The bias ``BIAS_STEP`` up or down, within its limits (the { and } keys)."""
        lo, hi = setting("bias").limits
        b = round(self.config.bias_init + delta * BIAS_STEP, 6)
        return self.set("bias", min(max(b, lo), hi))

    def cycle_dataset(self, delta: int = 1) -> str:
        cur = self.config.dataset if self.config.dataset in DATASETS else DATASETS[0]
        name = DATASETS[(DATASETS.index(cur) + delta) % len(DATASETS)]
        self.set("dataset", name)
        return name

    def set_compare_activation(self, name: str) -> None:
        name = canonical_name(name)
        old = self._compare_pick
        self._compare_pick = name
        try:
            if self.compare:
                self._rebuild()
        except ValueError:
            self._compare_pick = old
            raise

    def cycle_compare_activation(self, delta: int = 1) -> str:
        i = ACTIVATIONS.index(self.compare_activation)
        name = ACTIVATIONS[(i + delta) % len(ACTIVATIONS)]
        self.set_compare_activation(name)
        return name

    def toggle_compare(self) -> bool:
        """Compare mode trains a pair from the seed, in lockstep. The main run is kept: leaving
        compare mode goes back to it where it was, unless a setting changed meanwhile."""
        self.compare = not self.compare
        self.compare_left_for = None
        kept = self._main_run
        if self.compare:
            self._main_run = self.run
        elif kept is not None and kept.config == self.config:
            self._main_run = None
            self.run, self.run_b = kept, None
            self._after_restart()
            return self.compare
        try:
            self._rebuild()
        except ValueError:
            self.compare = not self.compare
            raise
        if not self.compare:
            self._main_run = None
        return self.compare

    # ------------------------------------------------------------ training
    def reset(self) -> None:
        """Same seed, same initial state."""
        for r in self.runs():
            r.reset()
        self._sync_compare_weights()
        self.playing = False
        self._after_restart()

    def _train(self, n: int) -> None:
        self.generation += 1
        with np.errstate(all="ignore"):
            for r in self.runs():
                if r.diverged_at is None:
                    r.train(n)
        if self.diverged:
            self.playing = False

    def train_steps(self, n: int) -> None:
        """``n`` whole training steps at once (fewer if the network diverges on the way)."""
        if n > 0 and not self.diverged:
            self._train(n)
            self._touch()

    @property
    def step_cost(self) -> float:
        """Seconds per training step measured while playing (0: not measured yet)."""
        return self._step_cost

    def adopt_runs(self, runs: list[TrainingRun], generation: int, seconds_per_step: float = 0.0,
                   snapshots: list[Snapshot] | None = None) -> bool:
        """Runs trained in a thread (``relutui.app.background``: copies of ``runs()`` made at
        ``generation``, with their ``training_set_snapshot``s) replace these, unless the network
        changed since: False, dropped."""
        if generation != self.generation or len(runs) != len(self.runs()):
            return False
        self.run, self.run_b = runs[0], (runs[1] if self.run_b is not None else None)
        for run, snap in zip(runs, snapshots or []):
            self._keep_snapshot(run, snap)
        if seconds_per_step > 0:
            self._step_cost = seconds_per_step
        self.generation += 1
        if self.diverged:
            self.playing = False
        self._touch()
        return True

    def _keep_snapshot(self, run: TrainingRun, snap: Snapshot) -> Snapshot:
        """Cache the training-set snapshot of ``run`` (not the main run's pending step)."""
        if not (run is self.run and self._pending is not None):
            self._cache[f"snap-{id(run)}"] = (snapshot.cache_key(run, None), snap)
        return snap

    def full_step(self) -> None:
        """One whole training step (finishes a step-through in progress)."""
        self._refuse_if_diverged("step")
        if self.phase_index is not None:
            self._commit()
            self.phase_index = None
        else:
            self._train(1)
        self._touch()

    def play(self) -> None:
        self._refuse_if_diverged("play")
        if self.phase_index is not None:
            self.phase_index = None
            self._preview = self._pending = None
        self.playing = True
        self._touch()

    def pause(self) -> None:
        self.playing = False
        self._touch()

    def toggle_play(self) -> bool:
        if self.playing:
            self.pause()
        else:
            self.play()
        return self.playing

    def tick(self, budget: float | None = None) -> bool:
        """One animation frame while playing: advance ``speed`` steps.

        With ``budget`` (seconds), ``speed`` is an upper bound: the frame trains as many steps
        as fit in the budget (estimated from the cost of the steps before), so that a frame
        stays short and the UI keeps its frame rate and answers keys at once, whatever the
        network's size or the machine's load. Without it (tests, demos) exactly ``speed``."""
        if not self.playing:
            return False
        if budget is None:
            self._train(self.speed)
        else:
            n = min(self.speed, 8)  # cost unknown yet (new network): a few steps to measure it
            if self._step_cost > 0:
                n = max(1, min(self.speed, int(budget / self._step_cost)))
            t0 = time.perf_counter()
            self._train(n)
            cost = (time.perf_counter() - t0) / n
            # a slow frame (another process took the core) counts for a third: no collapse
            self._step_cost = cost if self._step_cost <= 0 else 0.67 * self._step_cost + 0.33 * cost
        self._touch()
        return True

    def set_speed(self, speed: int) -> int:
        if speed not in SPEEDS:
            raise ValueError(f"speed must be one of {', '.join(map(str, SPEEDS))} steps per frame")
        self.speed = speed
        self._touch()
        return speed

    def speed_step(self, delta: int) -> int:
        i = SPEEDS.index(self.speed) if self.speed in SPEEDS else SPEEDS.index(DEFAULT_SPEED)
        return self.set_speed(SPEEDS[min(max(i + delta, 0), len(SPEEDS) - 1)])

    # ------------------------------------------------------------ step-through
    def _enter_phase(self, index: int) -> None:
        """Compute the pending step on a copy of the run: the exact trace the step will use."""
        self.generation += 1
        preview = copy.deepcopy(self.run)
        with np.errstate(all="ignore"):
            result = preview.train(1)
        self._preview, self._pending = preview, result
        self.phase_index = index

    def _commit(self) -> None:
        if self._preview is None:
            self._train(1)
            return
        self.run = self._preview
        self.generation += 1
        self._cache.clear()
        if self.run_b is not None and self.run_b.diverged_at is None:
            with np.errstate(all="ignore"):
                self.run_b.train(1)
        self._preview = self._pending = None
        if self.diverged:
            self.playing = False

    def next_phase(self) -> Phase | None:
        self._refuse_if_diverged("step through")
        self.playing = False
        if self.phase_index is None:
            self._enter_phase(0)
        elif self.phase_index >= len(self.phases) - 1:
            self._commit()
            if self.diverged:
                self.phase_index = None
            else:
                self._enter_phase(0)
        else:
            self.phase_index += 1
        self._touch()
        return self.phase

    def prev_phase(self) -> Phase | None:
        if self.phase_index is None:
            raise ValueError("not stepping: press n to start a step-through")
        if self.phase_index == 0:
            raise ValueError("at the first phase: an applied update cannot be undone (r resets)")
        self.phase_index -= 1
        self._touch()
        return self.phase

    def leave_phases(self) -> None:
        self.phase_index = None
        self._preview = self._pending = None
        self._touch()

    # ------------------------------------------------------------ selection
    def select_layer(self, delta: int) -> tuple[int, int]:
        sizes = self.run.net.layer_sizes[1:]
        layer = min(max(self.selected[0] + delta, 0), len(sizes) - 1)
        self.selected = (layer, min(self.selected[1], sizes[layer] - 1))
        self._touch()
        return self.selected

    def select_neuron(self, delta: int) -> tuple[int, int]:
        sizes = self.run.net.layer_sizes[1:]
        layer, neuron = self.selected
        self.selected = (layer, (neuron + delta) % sizes[layer])
        self._touch()
        return self.selected

    def select(self, layer: int, neuron: int) -> None:
        sizes = self.run.net.layer_sizes[1:]
        if not (0 <= layer < len(sizes) and 0 <= neuron < sizes[layer]):
            raise ValueError(f"no neuron {neuron + 1} in layer {layer + 1}")
        self.selected = (layer, neuron)
        self._touch()

    def toggle_mean(self) -> bool:
        self.use_mean = not self.use_mean
        self._touch()
        return self.use_mean

    def sample_step(self, delta: int) -> int:
        n = self._batch_size_shown()
        self.sample = (self.sample + delta) % max(n, 1)
        self.use_mean = False
        self._touch()
        return self.sample

    def zoom(self, delta: int) -> float:
        """delta > 0 zooms in (narrower x-range)."""
        i = X_RANGES.index(self.x_range) if self.x_range in X_RANGES else X_RANGES.index(DEFAULT_X_RANGE)
        self.x_range = X_RANGES[min(max(i - delta, 0), len(X_RANGES) - 1)]
        self._touch()
        return self.x_range

    # ------------------------------------------------------------ snapshot and views
    def _batch_size_shown(self) -> int:
        snap = self.snapshot()
        return len(snap.x)

    def snapshot(self, run: TrainingRun | None = None) -> Snapshot:
        """Forward/backward of what is shown: the pending step's batch, or the training set."""
        run = run or self.run
        pending = self._pending if run is self.run else None
        return self._cached(f"snap-{id(run)}", snapshot.cache_key(run, pending),
                            lambda: snapshot.build(run, pending))

    def pick(self, arr: np.ndarray) -> np.ndarray:
        """Row of the selected sample, or the batch mean."""
        if self.use_mean:
            return arr.mean(axis=0)
        return arr[min(self.sample, len(arr) - 1)]

    def where(self, run: TrainingRun | None = None) -> str:
        snap = self.snapshot(run)
        if self.use_mean:
            return f"batch mean over {len(snap.x)} samples"
        i = min(self.sample, len(snap.x) - 1)
        x = snap.x[i]
        return f"sample #{i} x=({fmt(x[0], 2)}, {fmt(x[1], 2)}) y={fmt(float(snap.y[i, 0]), 2)}"

    def _cached(self, name: str, key: Any, build):
        hit = self._cache.get(name)
        if hit is not None and hit[0] == key:
            return hit[1]
        value = build()
        self._cache[name] = (key, value)
        return value

    def chart_view(self) -> ChartView:
        return self._cached("chart", chart.cache_key(self), lambda: chart.build(self))

    def network_view(self, run: TrainingRun | None = None) -> NetworkView:
        run = run or self.run
        return self._cached(f"network-{id(run)}", network.cache_key(self, run), lambda: network.build(self, run))

    def training_view(self, run: TrainingRun | None = None) -> TrainingView:
        run = run or self.run
        return self._cached(f"training-{id(run)}", training.cache_key(self, run), lambda: training.build(self, run))

    def boundary_view(self, cols: int, rows_px: int, run: TrainingRun | None = None) -> BoundaryView:
        run = run or self.run
        return self._cached(f"boundary-{id(run)}", boundary.cache_key(self, run, cols, rows_px),
                            lambda: boundary.build(self, run, cols, rows_px))

    def boundary_accuracy(self, run: TrainingRun | None = None) -> float | None:
        """The accuracy the boundary map's caption shows (its view's ``accuracy``)."""
        run = run or self.run
        if run.dataset.task != "classification":
            return None
        return self.training_view(run).last_acc  # the network as it is now, training set

    def inspector_lines(self) -> tuple[str, list[Line]]:
        """The inspector's title and lines (neuron detail, chain-rule ledger, update), by phase."""
        return self._cached("inspector", inspector.cache_key(self), lambda: inspector.build(self))

    def activation_card(self, width: int = CARD_WIDTH) -> list[Line]:
        """The hidden activation's facts for a card ``width`` columns wide (``present/card.py``)."""
        return card.build(self.activation, width)

    # ------------------------------------------------------------ invariants (tests, fuzzing)
    def check_invariants(self) -> None:
        net = self.run.net
        cfg = self.config
        assert net.layer_sizes[1:-1] == tuple(cfg.layers), (net.layer_sizes, cfg.layers)
        for l in range(net.n_layers):
            assert net.weights[l].shape == (net.layer_sizes[l], net.layer_sizes[l + 1])
            assert net.biases[l].shape == (net.layer_sizes[l + 1],)
        if self.run.diverged_at is None:
            assert net.params_finite()
        assert cfg.lr > 0 and math.isfinite(cfg.lr)
        assert self.speed in SPEEDS and self.x_range in X_RANGES
        if self.phase_index is not None:
            assert 0 <= self.phase_index < len(self.phases)
        l, j = self.selected
        assert 0 <= l < net.n_layers and 0 <= j < net.layer_sizes[l + 1]


AppState = Session  # the name the app and the tests knew it by

__all__ = ["Session", "AppState", "LR_STEPS", "SPEEDS", "X_RANGES", "KINK_CHOICES", "CARD_WIDTH", "CARD_LINES"]
