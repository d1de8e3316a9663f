"""The app's model: the single source of truth for everything the UI shows.

Plain Python (no Textual, no Rich). Widgets never compute math: they ask this
object for ready-made *views* (plain dataclasses of numbers and strings) and
render them. Every user intention is a method here; bad values raise
``ValueError`` with a clear message and leave the last valid state in force.

Data flows one way: key/control -> message -> app calls a method here -> the
state drives the core (``TrainingRun``, activations, diagnostics) -> widgets
re-render from the views (``views.py``). Typed values are parsed by ``values.py``.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import textwrap
import time
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from relutui.activations import ACTIVATIONS, canonical_name, get_activation
from relutui.app.values import (BIAS_LIMIT, SEED_MAX, fmt, fmt_fit, fmt_signed, parse_batch, parse_bias,
                                parse_l2, parse_layers, parse_lr, parse_noise, parse_params, parse_seed,
                                parse_split, short_name)
from relutui.app.views import (NOT_TESTED_KEY, OFF_SYMBOL, STATE_NAMES, STATE_SYMBOLS, VERDICT_TAGS,
                               BoundaryView, ChartView, ExperimentView, LayerColumn, Line, NetworkView,
                               NeuronCell, Phase, Segment, TrainingView, evidence_rows, make_phases,
                               setting_text)
from relutui.datasets import DATASETS
from relutui.diagnostics import DEAD, SATURATED, SATURATION_RATIO, neuron_states
from relutui.engine import INITS, OPTIMIZERS, accuracy
from relutui.training import TrainConfig, TrainingRun

# ---------------------------------------------------------------- constants
LR_STEPS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)
BIAS_STEP = 0.5
SPEEDS = (1, 2, 5, 10, 20, 50, 100, 200)
DEFAULT_SPEED = 5
X_RANGES = (1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0)  # half-width of the chart's x-axis
DEFAULT_X_RANGE = 10.0
KINK_CHOICES: tuple[float | None, ...] = (None, 0.0, 0.5, 1.0)
HIST_BINS = 41
CURVE_POINTS = 401
HISTORY_POINTS = 240  # what charts plot, at most
# the activation card (controls panel): its content width at the narrowest (the controls column
# of a short terminal, with its scrollbar; 25 at 120x36), and its height (tcss), the longest card's
CARD_WIDTH = 24
CARD_LINES = 8



def _intervals(xs: np.ndarray, mask: np.ndarray) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    if not mask.any():
        return out
    edges = np.flatnonzero(np.diff(np.r_[0, mask.astype(np.int8), 0]))
    for start, stop in zip(edges[::2], edges[1::2]):
        out.append((float(xs[start]), float(xs[stop - 1])))
    return out


def _downsample(n: int, limit: int = HISTORY_POINTS) -> np.ndarray:
    if n <= limit:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, limit).round().astype(int))


@dataclass
class _Snapshot:
    """Full-batch forward + backward of the state being shown."""

    x: np.ndarray
    y: np.ndarray
    z: list[np.ndarray]
    a: list[np.ndarray]
    da: list[np.ndarray]
    dz: list[np.ndarray]
    fprime: list[np.ndarray]
    grad_norms: np.ndarray
    loss: float
    states: list[np.ndarray]  # per weight layer (int8 per neuron)
    figures: tuple | None = None  # AppState._figures_now, when a training thread computed them


def _choice(name: str, choices, what: str) -> str:
    if name not in choices:
        raise ValueError(f"unknown {what} {name!r} (choose from {', '.join(choices)})")
    return name


def _compare_arm(exp):
    """The arm whose activation goes to the compare side: the first judged arm after the first
    (vanishing-gradient: relu, not tanh, which is shown but not judged)."""
    judged = [a for a in exp.arms[1:] if a.label not in exp.unjudged]
    return (judged or list(exp.arms[1:]))[0]


def _make_snapshot(net, x, y, trace, grads, norms, loss) -> _Snapshot:
    bw = grads.backward
    states = [neuron_states(act, z, fp) for act, z, fp in zip(net.activations, trace.z, bw.fprime)]
    return _Snapshot(x=x, y=y, z=list(trace.z), a=list(trace.a), da=list(bw.da), dz=list(bw.dz),
                     fprime=list(bw.fprime), grad_norms=np.asarray(norms, dtype=float),
                     loss=float(loss), states=states)


def training_set_snapshot(run: TrainingRun) -> _Snapshot:
    """Forward and backward of the whole training set through ``run``'s network, as the panels
    show it. Reads ``run`` only: a training thread computes it for the runs it trained."""
    net = run.net
    with np.errstate(all="ignore"):
        x, y = run.dataset.X_train, run.dataset.y_train
        trace = net.forward(x)
        loss, grads = net.loss_and_gradients(x, y, run.loss_name, trace)
        snap = _make_snapshot(net, x, y, trace, grads, grads.norms(), loss)
    snap.figures = AppState._figures_now(run, snap)  # (the test set's pass: as costly)
    return snap


# ---------------------------------------------------------------- the state
class AppState:
    """Everything the app shows and every action a user can take."""

    def __init__(self, config: TrainConfig | None = None) -> None:
        config = (config if config is not None else TrainConfig()).validate()
        self.config: TrainConfig = config
        self.run: TrainingRun = TrainingRun(config)
        self.compare: bool = False
        self.compare_activation: str = "sigmoid" if config.activation != "sigmoid" else "relu"
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
        # claims lab (issue 4): the loaded experiment and its last run
        self.experiment = None  # relutui.experiments.Experiment, as loaded
        self.experiment_status: str = "ready"  # ready | running | done | failed
        self.experiment_progress: tuple[int, int] = (0, 0)
        self.experiment_result = None  # ExperimentResult of the last finished run
        self.experiment_error: str | None = None
        self.experiment_ran: dict[str, Any] | None = None  # what the last run used (changes, seeds)
        self._experiment_token: int = 0  # a run's results are kept only if no newer run started
        self._experiment_compare_base: str | None = None
        # the experiment whose loading closed compare mode (its claim panel is on the main
        # screen); the compare screen says so as it closes, then clears it
        self.compare_left_for: str | None = None
        # lessons (issue 5): notes shown in a side panel
        self.notes: str | None = None
        self.notes_title: str = ""
        self.show_notes: bool = False

    # ------------------------------------------------------------ helpers
    def _touch(self) -> None:
        self.version += 1

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
    def _compare_config(self, cfg: TrainConfig) -> TrainConfig:
        params = cfg.activation_params if self.compare_activation == cfg.activation else {}
        return dataclasses.replace(cfg, activation=self.compare_activation, activation_params=dict(params))

    def _rebuild(self, **changes: Any) -> None:
        """Apply config changes: validate first, then restart the run(s) from the seed."""
        new = dataclasses.replace(self.config, **changes).validate()
        same_data = all(
            getattr(new, k) == getattr(self.config, k)
            for k in ("dataset", "data_path", "n_samples", "noise", "test_fraction", "seed")
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

    def set_activation(self, name: str) -> None:
        name = canonical_name(name)
        params = self.config.activation_params if name == self.config.activation else {}
        self._rebuild(activation=name, activation_params=dict(params))

    def cycle_activation(self, delta: int = 1) -> str:
        i = ACTIVATIONS.index(self.config.activation) if self.config.activation in ACTIVATIONS else 0
        name = ACTIVATIONS[(i + delta) % len(ACTIVATIONS)]
        self.set_activation(name)
        return name

    def set_activation_params(self, text_or_dict: str | dict) -> None:
        if isinstance(text_or_dict, dict):
            params = {k: float(v) for k, v in text_or_dict.items()}
            get_activation(self.config.activation, **params)
        else:
            params = parse_params(text_or_dict, self.config.activation)
        self._rebuild(activation_params=params)

    def set_lr(self, value: float | str) -> float:
        """Learning rate applies live: the run keeps its weights."""
        lr = parse_lr(value) if isinstance(value, str) else parse_lr(repr(float(value)))
        self.config = dataclasses.replace(self.config, lr=lr).validate()
        for r in self.runs():
            r.set_lr(lr)
        if self._preview is not None:
            self._enter_phase(self.phase_index or 0)
        self.generation += 1
        self._touch()
        return lr

    def lr_step(self, delta: int) -> float:
        lr = self.config.lr
        if delta > 0:
            bigger = [s for s in LR_STEPS if s > lr * (1 + 1e-9)]
            new = bigger[0] if bigger else LR_STEPS[-1]
        else:
            smaller = [s for s in LR_STEPS if s < lr * (1 - 1e-9)]
            new = smaller[-1] if smaller else LR_STEPS[0]
        return self.set_lr(new)

    def set_bias(self, value: float | str) -> float:
        b = parse_bias(value) if isinstance(value, str) else parse_bias(repr(float(value)))
        self._rebuild(bias_init=b)
        return b

    def bias_step(self, delta: int) -> float:
        b = round(self.config.bias_init + delta * BIAS_STEP, 6)
        b = min(max(b, -BIAS_LIMIT), BIAS_LIMIT)
        return self.set_bias(b)

    def set_dataset(self, name: str) -> None:
        self._rebuild(dataset=_choice(name, DATASETS, "dataset"), data_path=None)

    def cycle_dataset(self, delta: int = 1) -> str:
        cur = self.config.dataset if self.config.dataset in DATASETS else DATASETS[0]
        name = DATASETS[(DATASETS.index(cur) + delta) % len(DATASETS)]
        self.set_dataset(name)
        return name

    def set_layers(self, value: str | tuple[int, ...]) -> tuple[int, ...]:
        sizes = parse_layers(value) if isinstance(value, str) else parse_layers(",".join(map(str, value)))
        self._rebuild(layers=sizes)
        return sizes

    def set_init(self, name: str) -> None:
        self._rebuild(init=_choice(name, INITS, "init"))

    def set_optimizer(self, name: str) -> None:
        self._rebuild(optimizer=_choice(name, OPTIMIZERS, "optimiser"))

    def set_batch_size(self, value: int | str) -> int:
        n = parse_batch(str(value))
        n_train = len(self.run.dataset.X_train)
        if n > n_train:
            raise ValueError(f"batch size {n} is larger than the {n_train} training samples")
        self._rebuild(batch_size=n)
        return n

    def _set_typed(self, field: str, parse: Callable[[str], Any], value: Any) -> Any:
        """``field`` set to the parsed ``value`` (typed text or a number); the parsed value."""
        v = parse(str(value))
        self._rebuild(**{field: v})
        return v

    def set_noise(self, value: float | str) -> float:
        return self._set_typed("noise", parse_noise, value)

    def set_test_fraction(self, value: float | str) -> float:
        return self._set_typed("test_fraction", parse_split, value)

    def set_l2(self, value: float | str) -> float:
        return self._set_typed("l2", parse_l2, value)

    def set_kink(self, value: float | None) -> None:
        if value not in KINK_CHOICES:
            raise ValueError(f"f'(0) convention must be 0, 0.5 or 1, not {value}")
        self._rebuild(derivative_at_kink=value)

    def set_seed(self, value: int | str) -> int:
        return self._set_typed("seed", parse_seed, value)

    def set_compare_activation(self, name: str) -> None:
        name = canonical_name(name)
        old = self.compare_activation
        self.compare_activation = name
        try:
            if self.compare:
                self._rebuild()
        except ValueError:
            self.compare_activation = old
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
                   snapshots: list[_Snapshot] | None = None) -> bool:
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

    # ------------------------------------------------------------ snapshot
    def _batch_size_shown(self) -> int:
        snap = self.snapshot()
        return len(snap.x)

    def snapshot(self, run: TrainingRun | None = None) -> _Snapshot:
        """Forward/backward of what is shown: the pending step's batch, or the training set."""
        run = run or self.run
        main = run is self.run
        pending = self._pending if main else None
        key = (id(run), run.step, id(pending))
        cache = self._cache.get(f"snap-{id(run)}")
        if cache is not None and cache[0] == key:
            return cache[1]
        net = run.net
        with np.errstate(all="ignore"):
            if pending is not None:
                trace, grads = pending.trace, pending.grads
                x, y = trace.x, pending.y  # the batch and its targets, as the step used them
                loss = float(pending.loss)
                # dL/dW of the loss, as the charts show it (the step's own gradient has the
                # weight decay and clipping in it by now)
                norms = pending.grad_norms
            else:
                return self._keep_snapshot(run, training_set_snapshot(run))
            snap = _make_snapshot(net, x, y, trace, grads, norms, loss)
        self._cache[f"snap-{id(run)}"] = (key, snap)
        return snap

    def _keep_snapshot(self, run: TrainingRun, snap: _Snapshot) -> _Snapshot:
        """Cache the training-set snapshot of ``run`` (not the main run's pending step)."""
        pending = self._pending if run is self.run else None
        if pending is None:
            self._cache[f"snap-{id(run)}"] = ((id(run), run.step, id(None)), snap)
        return snap

    def _pick(self, arr: np.ndarray) -> np.ndarray:  # noqa: D401
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

    # ------------------------------------------------------------ views
    def _cached(self, name: str, key: Any, build):
        hit = self._cache.get(name)
        if hit is not None and hit[0] == key:
            return hit[1]
        value = build()
        self._cache[name] = (key, value)
        return value

    def chart_view(self) -> ChartView:
        key = (self.generation, self.x_range, self.selected, self.sample, self.use_mean)
        return self._cached("chart", key, self._build_chart)

    def _build_chart(self) -> ChartView:
        act = self.activation
        R = self.x_range
        xs = np.linspace(-R, R, CURVE_POINTS)
        if 0.0 not in xs:
            xs = np.sort(np.r_[xs, 0.0])
        with np.errstate(all="ignore"):
            f = np.asarray(act.forward(xs), dtype=float)
            fp = np.asarray(act.derivative(xs), dtype=float)
        maxd = float(act.max_derivative) or 1.0
        dead_mask = fp == 0
        sat_mask = (~dead_mask) & (np.abs(fp) < SATURATION_RATIO * maxd)
        snap = self.snapshot()
        hidden = self.run.net.hidden_layers
        layer = min(self.selected[0], hidden - 1)
        z = snap.z[layer].ravel() if hidden > 0 else np.zeros(0)
        finite = z[np.isfinite(z)]
        counts, edges = np.histogram(np.clip(finite, -R, R), bins=HIST_BINS, range=(-R, R))
        outside = float(np.mean(np.abs(finite) > R)) if len(finite) else 0.0
        centers = (edges[:-1] + edges[1:]) / 2
        # operating points of the selected sample, every hidden neuron
        pz, pstate, sel = [], [], None
        for l in range(hidden):
            row = self._pick(snap.z[l])
            for j, v in enumerate(row):
                if (l, j) == self.selected:
                    sel = len(pz)
                pz.append(float(v))
                pstate.append(int(snap.states[l][j]))
        pz_arr = np.clip(np.asarray(pz, dtype=float), -R, R)
        with np.errstate(all="ignore"):
            pf = np.asarray(act.forward(pz_arr), dtype=float) if len(pz_arr) else np.zeros(0)
            pfp = np.asarray(act.derivative(pz_arr), dtype=float) if len(pz_arr) else np.zeros(0)
        ffin = f[np.isfinite(f)]
        flo, fhi = (float(ffin.min()), float(ffin.max())) if len(ffin) else (-1.0, 1.0)
        if fhi - flo < 1e-9:
            flo, fhi = flo - 1, fhi + 1
        pad = 0.05 * (fhi - flo)
        fpfin = fp[np.isfinite(fp)]
        fplo = min(0.0, float(fpfin.min()) if len(fpfin) else 0.0)
        fphi = max(1.0, float(fpfin.max()) if len(fpfin) else 1.0)
        name = act.display_name
        if act.params:
            name += " (" + ", ".join(f"{k}={fmt(v)}" for k, v in act.params.items()) + ")"
        return ChartView(
            title=name,
            formula=act.formula,
            x_range=R,
            xs=xs, f=f, fp=fp,
            fp_limits=(fplo - 0.05, fphi + 0.05),
            f_limits=(flo - pad, fhi + pad),
            dead=_intervals(xs, dead_mask),
            saturated=_intervals(xs, sat_mask),
            hist_centers=centers,
            hist_counts=counts.astype(float),
            hist_label=f"z of layer {layer + 1}" if hidden else "no hidden layer",
            outside=outside,
            points_z=pz_arr, points_f=pf, points_fp=pfp,
            points_state=np.asarray(pstate, dtype=int), selected_point=sel,
        )

    def network_view(self, run: TrainingRun | None = None) -> NetworkView:
        run = run or self.run
        return self._cached(f"network-{id(run)}", (self.generation, id(run), run.step, self.phase_index, self.selected,
                             self.sample, self.use_mean),
                            lambda: self._build_network(run))

    def _build_network(self, run: TrainingRun) -> NetworkView:
        snap = self.snapshot(run)
        net = run.net
        L = net.n_layers
        phase = self.phase if run is self.run else None
        cols: list[LayerColumn] = []
        value_name = "a"
        if phase is not None:
            value_name = {"forward": "a", "loss": "a", "backward": "dL/dz", "update": "Δb"}[phase.kind]
        xrow = self._pick(snap.x)
        cols.append(LayerColumn("x", "input", [NeuronCell(None, float(v), False) for v in xrow], False, True))
        i = None if self.use_mean else min(self.sample, len(snap.x) - 1)  # the sample shown
        counts = {"active": 0, "saturated": 0, "dead": 0}
        for l in range(L):
            kind = "output" if l == L - 1 else "hidden"
            computed = True
            if phase is not None:
                if phase.kind == "forward":
                    values = self._pick(snap.a[l])
                    computed = l <= phase.layer
                elif phase.kind == "backward":
                    values = self._pick(snap.dz[l])
                    computed = l >= phase.layer
                elif phase.kind == "update":
                    values = self._bias_delta(l)
                else:
                    values = self._pick(snap.a[l])
            else:
                values = self._pick(snap.a[l])
            highlight = phase is not None and (
                phase.layer == l or (phase.kind == "loss" and l == L - 1) or phase.kind == "update"
            )
            # f'(z) = 0 for the sample shown, once its layer is computed (a batch mean: never)
            off = (snap.fprime[l][i] == 0 if i is not None and computed
                   else np.zeros(net.layer_sizes[l + 1], dtype=bool))
            cells = []
            for j in range(net.layer_sizes[l + 1]):
                st = int(snap.states[l][j])
                if kind == "hidden":
                    counts[STATE_NAMES[st]] += 1
                v = float(values[j]) if computed else None
                cells.append(NeuronCell(st, v, (l, j) == self.selected, bool(off[j])))
            W = net.weights[l]
            cols.append(
                LayerColumn(
                    "out" if kind == "output" else f"h{l + 1}",
                    kind, cells, highlight, computed,
                    int((W > 0).sum()), int((W < 0).sum()),
                    float(np.max(np.abs(W))) if W.size else 0.0,
                )
            )
        vals = [abs(c.value) for col in cols[1:] for c in col.cells if c.value is not None and math.isfinite(c.value)]
        scale = max(vals) if vals else 1.0
        return NetworkView(
            columns=cols,
            value_name=value_name,
            scale=scale if scale > 0 else 1.0,
            where=self.where(run),
            phase_label=phase.label(L) if phase is not None else "trained state",
            counts=counts,
        )

    def _bias_delta(self, l: int) -> np.ndarray:
        if self._preview is None:
            return np.zeros(self.run.net.layer_sizes[l + 1])
        with np.errstate(all="ignore"):
            return self._preview.net.biases[l] - self.run.net.biases[l]

    # -------- training
    def training_view(self, run: TrainingRun | None = None) -> TrainingView:
        run = run or self.run
        return self._cached(f"training-{id(run)}", (self.generation, run.step, id(run)), lambda: self._build_training(run))

    def _build_training(self, run: TrainingRun) -> TrainingView:
        h = run.history
        steps = h["step"]
        n = len(steps)
        idx = _downsample(n)
        L = run.net.n_layers
        H = run.net.hidden_layers

        def series(key: str) -> np.ndarray:
            arr = h[key]
            return arr[idx] if len(arr) == n else np.full(len(idx), np.nan)

        def per_layer(key: str, cols: int) -> np.ndarray:
            arr = h[key]
            if n == 0 or arr.ndim != 2:
                return np.zeros((len(idx), cols))
            return arr[idx]

        gn = per_layer("grad_norm", L)
        dead = per_layer("dead_fraction", max(H, 1))
        sat = per_layer("saturated_fraction", max(H, 1))
        dead_all = dead.mean(axis=1) if dead.size else np.zeros(len(idx))
        sat_all = sat.mean(axis=1) if sat.size else np.zeros(len(idx))

        # current neuron states (what is shown, exact, not downsampled)
        snap = self.snapshot(run)
        loss_now, acc_now, test_loss_now, test_acc_now = self._figures_now(run, snap)
        states, layer_norms = snap.states[:H], snap.grad_norms
        all_states = np.concatenate(states) if states else np.zeros(0, dtype=int)
        n_hidden = int(all_states.size)
        n_dead = int((all_states == DEAD).sum())
        n_sat = int((all_states == SATURATED).sum())
        name = short_name(run.net.activations[0]) if H else "linear"
        return TrainingView(
            steps=steps[idx], loss=series("loss"), test_loss=series("test_loss"),
            accuracy=series("accuracy"), grad_norms=gn, dead=dead_all, saturated=sat_all,
            step=int(run.step), last_loss=loss_now, last_test_loss=test_loss_now,
            last_acc=acc_now, last_test_acc=test_acc_now,
            dead_pct=100.0 * n_dead / n_hidden if n_hidden else 0.0,
            sat_pct=100.0 * n_sat / n_hidden if n_hidden else 0.0,
            n_dead=n_dead, n_sat=n_sat, n_hidden=n_hidden,
            layer_norms=np.asarray(layer_norms, dtype=float),
            diverged_at=run.diverged_at, task=run.dataset.task, label=name,
        )

    @staticmethod
    def _figures_now(run: TrainingRun, snap: _Snapshot) -> tuple[float, float | None, float | None, float | None]:
        """Loss and accuracy of the network as it is now (after ``run.step`` updates) on the whole
        training set, then on the test set: what the status line, the loss panel's title, the
        boundary map and a step-through's loss phase (full batch) all show. (The history's last
        row is older: the loss of the last step's batch, measured before that step's update.)"""
        ds = run.dataset
        if snap.figures is not None:
            return snap.figures
        classification = ds.task == "classification"
        with np.errstate(all="ignore"):
            if snap.x is ds.X_train:  # the snapshot is the training set (no pending mini-batch)
                loss = float(snap.loss)
                acc = accuracy(snap.a[-1], snap.y) if classification else None
            else:
                loss, acc = run.evaluate(ds.X_train, ds.y_train)
            test_loss = test_acc = None
            if len(ds.X_test):
                test_loss, test_acc = run.evaluate(ds.X_test, ds.y_test)
        return float(loss), acc, (None if test_loss is None else float(test_loss)), test_acc

    # -------- boundary
    def boundary_view(self, cols: int, rows_px: int, run: TrainingRun | None = None) -> BoundaryView:
        run = run or self.run
        key = (id(run), run.step, cols, rows_px, self.generation)
        return self._cached(f"boundary-{id(run)}", key, lambda: self._build_boundary(run, cols, rows_px))

    def boundary_accuracy(self, run: TrainingRun | None = None) -> float | None:
        """The accuracy the boundary map's caption shows (its view's ``accuracy``)."""
        run = run or self.run
        if run.dataset.task != "classification":
            return None
        return self.training_view(run).last_acc  # the network as it is now, training set

    def _build_boundary(self, run: TrainingRun, cols: int, rows_px: int) -> BoundaryView:
        cols, rows_px = max(cols, 1), max(rows_px, 1)
        ds = run.dataset
        X = ds.X
        lo = X.min(axis=0)
        hi = X.max(axis=0)
        span = np.maximum(hi - lo, 1e-9)
        lo, hi = lo - 0.08 * span, hi + 0.08 * span
        gx = np.linspace(lo[0], hi[0], cols)
        gy = np.linspace(hi[1], lo[1], rows_px)  # top row = max y
        GX, GY = np.meshgrid(gx, gy)
        grid = np.c_[GX.ravel(), GY.ravel()]
        with np.errstate(all="ignore"):
            p = np.asarray(run.net.predict(grid), dtype=float).reshape(rows_px, cols)
        ynorm = ds.y.ravel()
        if ds.task != "classification":  # targets and predictions on the same 0..1 scale
            ylo, yhi = float(ynorm.min()), float(ynorm.max())
            scale = yhi - ylo if yhi > ylo else 1.0
            p = (p - ylo) / scale
            ynorm = (ynorm - ylo) / scale
        p = np.nan_to_num(np.clip(p, 0.0, 1.0), nan=0.5)
        cx = np.clip(((X[:, 0] - lo[0]) / (hi[0] - lo[0]) * (cols - 1)).round().astype(int), 0, cols - 1)
        cy = np.clip(((hi[1] - X[:, 1]) / (hi[1] - lo[1]) * (rows_px - 1)).round().astype(int), 0, rows_px - 1)
        is_test = np.arange(len(X)) >= len(ds.X_train)
        points = list(zip(cx.tolist(), cy.tolist(), ynorm.tolist(), is_test.tolist()))
        acc = self.boundary_accuracy(run)
        return BoundaryView(p, points, (float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])), ds.task, acc)

    # -------- inspector (neuron detail, chain-rule ledger, update)
    def inspector_lines(self) -> tuple[str, list[Line]]:
        key = (self.generation, self.phase_index, self.selected, self.sample, self.use_mean)
        return self._cached("inspector", key, self._build_inspector)

    def _build_inspector(self) -> tuple[str, list[Line]]:
        phase = self.phase
        with np.errstate(all="ignore"):
            if phase is None:
                return self._neuron_detail()
            if phase.kind == "forward":
                return self._forward_table(phase.layer)
            if phase.kind == "loss":
                return self._loss_detail()
            if phase.kind == "backward":
                return self._ledger(phase.layer)
            return self._update_detail()

    def _state_seg(self, st: int) -> Segment:
        return (f"{STATE_SYMBOLS[st]} {STATE_NAMES[st]}", STATE_NAMES[st])

    def _neuron_detail(self) -> tuple[str, list[Line]]:
        snap = self.snapshot()
        l, j = self.selected
        L = self.n_layers
        net = self.run.net
        lname = "output" if l == L - 1 else f"layer {l + 1}"
        st = int(snap.states[l][j])
        z, a, fp, dz = snap.z[l][:, j], snap.a[l][:, j], snap.fprime[l][:, j], snap.dz[l][:, j]
        i = min(self.sample, len(z) - 1)
        # the sample (or the batch mean), then the batch's min, mean and max (the mean once in
        # batch-mean mode): fixed columns, a blank before every number at any magnitude
        lines: list[Line] = [
            [(f"{lname} #{j + 1}  ", "title"), self._state_seg(st),
             (f"  f'=0 on {100 * float(np.mean(fp == 0)):.0f}%", "dim")],
            [(f"{'':6}{'mean' if self.use_mean else '#' + str(i):>8}{'min':>7}"
              + ("" if self.use_mean else f"{'mean':>7}") + f"{'max':>7}", "dim")],
        ]
        for name, arr in (("z", z), ("a", a), ("f'(z)", fp), ("dL/dz", dz)):
            mine = arr.mean() if self.use_mean else arr[i]
            rest = (arr.min(), arr.max()) if self.use_mean else (arr.min(), arr.mean(), arr.max())
            lines.append([
                (f"{name:<6}", "label"),
                (f"{fmt_fit(mine, 7, signed=True):>8}", "dead" if name == "f'(z)" and mine == 0 else "num"),
                ("".join(f"{fmt_fit(v, 6, 2):>7}" for v in rest), "dim"),
            ])
        b = float(net.biases[l][j])
        w = net.weights[l][:, j]
        lines.append([(f"{'bias':<7}", "label"), (fmt_signed(b), "pos" if b > 0 else "neg")])
        wseg: Line = [(f"{'w in':<7}", "label")]
        for v in w[:5]:
            wseg.append((fmt_signed(v, 2) + " ", "pos" if v > 0 else "neg"))
        if len(w) > 5:
            wseg.append((f"+{len(w) - 5}", "dim"))
        lines.append(wseg)
        if l < net.hidden_layers:
            death = self.run.death
            ds = int(death.death_step[l][j])
            if ds >= 0:
                lines.append([("✕ died at step ", "dead"), (str(ds), "dead")])
                k = death.killing_update(l, j)
                if k:
                    lines.append([("  bias ", "dim"), (fmt_signed(k["bias_before"]), "num"),
                                  (" → ", "dim"), (fmt_signed(k["bias_after"]), "num")])
                    wb, wa = np.asarray(k["w_before"]), np.asarray(k["w_after"])
                    lines.append([("  w ", "dim"), (" ".join(fmt_signed(v, 2) for v in wb[:3]), "num"),
                                  (" → ", "dim"), (" ".join(fmt_signed(v, 2) for v in wa[:3]), "num")])
                else:
                    lines.append([("  dead from the start: no update killed it", "dim")])
            elif bool(death.revived[l][j]):
                lines.append([("revived after dying", "saturated")])
        return (f"neuron · {self.where()}", lines)

    def _forward_table(self, l: int) -> tuple[str, list[Line]]:
        snap = self.snapshot()
        L = self.n_layers
        net = self.run.net
        act = net.activations[l]
        prev = "x" if l == 0 else f"a{l}"
        lines: list[Line] = [
            [("z", "title"), (f"{l + 1} = {prev} · W{l + 1} + b{l + 1}    ", "dim"),
             ("a", "title"), (f"{l + 1} = {act.display_name}(z{l + 1})", "dim")],
            [(f" {'#':>3} {'z':>8} {'a':>8} {'f′(z)':>7}", "dim")],
        ]
        z, a, fp = self._pick(snap.z[l]), self._pick(snap.a[l]), self._pick(snap.fprime[l])
        for j in range(len(z)):
            st = int(snap.states[l][j])
            sel = (l, j) == self.selected
            # the state over the batch, drawn as in the network panel: hollow when f'(z) = 0 for
            # this sample (not for a batch mean)
            off = not self.use_mean and fp[j] == 0 and st != DEAD
            lines.append([
                ("▸" if sel else " ", "sel"), (f"{j + 1:>3} ", "sel" if sel else "dim"),
                (f"{fmt_fit(z[j], 8, signed=True):>8} ", "num"), (f"{fmt_fit(a[j], 8, signed=True):>8} ", "num"),
                (f"{fmt_fit(fp[j], 7):>7} ", "dead" if fp[j] == 0 else "num"),
                (OFF_SYMBOL if off else STATE_SYMBOLS[st], STATE_NAMES[st]),
            ])
        return (f"forward · layer {l + 1}/{L} · {self.where()}", lines)

    def _batch_words(self, n: int) -> str:
        """What the pending step's batch is: "all 160 training samples" or "this step's batch of 32"."""
        n_train = len(self.run.dataset.X_train)
        return f"all {n} training samples" if n == n_train else f"this step's batch of {n}"

    def _loss_detail(self) -> tuple[str, list[Line]]:
        """The loss of the pending step: its batch, at the weights in force (the step's own
        forward pass). With the whole training set as the batch (the default) these are the
        status line's loss and accuracy; the first line says which batch it is. dL/dp shows the
        1/N of the mean: L = (1/N) Σ ℓ_i, so dL/dp_i = (1/N) · dℓ_i/dp_i."""
        snap = self.snapshot()
        p = snap.a[-1][:, 0]
        y = snap.y[:, 0]
        n = len(p)
        i = min(self.sample, n - 1)
        out = self.run.net.activations[-1]
        lines: list[Line] = [
            [("loss ", "dim"), (self.loss_name, "title"), (f" on {self._batch_words(n)}", "dim")],
        ]
        if self.loss_name == "bce":
            lines.append([("L = −mean( y·log p + (1−y)·log(1−p) )", "dim")])
        else:
            lines.append([("L = mean( (p − y)² )", "dim")])
        total: Line = [("  = ", "dim"), (fmt(snap.loss, 4), "num")]
        if self.run.dataset.task == "classification":
            hits = int(np.count_nonzero((p > 0.5) == (y > 0.5)))
            total += [("   acc ", "label"), (f"{100 * hits / n:.1f}%", "num"), (f" ({hits}/{n})", "dim")]
        lines.append(total)
        da, fp = float(snap.da[-1][i, 0]), float(snap.fprime[-1][i, 0])
        sym = "σ" if out.name == "sigmoid" else "f"
        lines += [
            [("sample #%d  " % i, "label"), ("p = ", "dim"), (fmt(p[i], 4), "num"), ("  y = ", "dim"), (fmt(y[i], 3), "num")],
            [("dL/dp = ", "label"), (f"1/{n}", "num"), (" × ", "dim"), (fmt_signed(da * n), "num"), (" = ", "dim"),
             (fmt_signed(da), "num")],
            [("dL/dz_out = dL/dp × ", "label"), (f"{sym}′(z)", "label")],
            [("  = ", "dim"), (fmt_signed(da), "num"), (" × ", "dim"), (fmt(fp), "num"), (" = ", "dim"),
             (fmt_signed(snap.dz[-1][i, 0]), "num")],
        ]
        return ("loss · n: the gradient flows back", lines)

    def _ledger(self, l: int) -> tuple[str, list[Line]]:
        """How dL/dz of layer l is built from layer l+1's dL/dz, the weights and f'(z)."""
        snap = self.snapshot()
        net = self.run.net
        L = net.n_layers
        _, j = self.selected
        if self.selected[0] != l:
            j = min(j, net.layer_sizes[l + 1] - 1)
        fp = self._pick(snap.fprime[l])[j]
        da = self._pick(snap.da[l])[j]
        dz = self._pick(snap.dz[l])[j]
        act = net.activations[l]
        lines: list[Line] = []
        if l == L - 1:
            # L is the mean of the N samples' losses: dL/dp carries a 1/N, shown as a factor
            n = len(snap.x)
            lines.append([("dL/dz_out", "title"), (" = dL/dp · f'(z)", "dim"), (f"  (N = {n})", "dim")])
            if self.use_mean:  # a mean of products is not the product of the means
                lines.append([("  dL/dp = 1/N × dℓ/dp, per sample", "dim")])
                lines.append([("  batch mean ", "dim"), (fmt_signed(dz), "num")])
            else:
                lines.append([("  = ", "dim"), (f"1/{n}", "num"), (" × ", "dim"), (fmt_signed(da * n), "num"),
                              (" × ", "dim"), (fmt(fp), "num")])
                lines.append([("  = ", "dim"), (fmt_signed(da), "num"), (" × ", "dim"), (fmt(fp), "num"),
                              (" = ", "dim"), (fmt_signed(dz), "num")])
        else:
            W = net.weights[l + 1]
            dz_next = self._pick(snap.dz[l + 1])
            terms = W[j, :] * dz_next
            order = np.argsort(-np.abs(terms))
            lines.append([(f"dL/da{l + 1}[{j + 1}]", "title"), (f" = Σ_k W{l + 2}[{j + 1},k] · dL/dz{l + 2}[k]", "dim")])
            for k in order[:4]:
                lines.append([(f"   k={k + 1:<3}", "dim"), (f"{fmt_signed(W[j, k], 2):>7}", "pos" if W[j, k] > 0 else "neg"),
                              (" × ", "dim"), (f"{fmt_signed(dz_next[k]):>9}", "num"), (" = ", "dim"),
                              (fmt_signed(terms[k]), "num")])
            if len(order) > 4:
                lines.append([(f"   … {len(order) - 4} more terms", "dim")])
            lines.append([("   sum ", "label"), (fmt_signed(da), "num")])
            if self.use_mean:  # a mean of products is not the product of the means
                lines.append([(f"dL/dz{l + 1}[{j + 1}]", "title"), (" = mean of f'(z)·dL/da = ", "dim"),
                              (fmt_signed(dz), "num")])
            else:
                lines.append([(f"dL/dz{l + 1}[{j + 1}]", "title"), (" = f'(z) × dL/da = ", "dim"),
                              (fmt(fp), "dead" if fp == 0 else "num"), (" × ", "dim"), (fmt_signed(da), "num"),
                              (" = ", "dim"), (fmt_signed(dz), "num")])
            lines.append([(f"   f' ≤ {fmt(act.max_derivative)} for {act.display_name}", "dim")])
        # the chain so far: mean |dL/dz| per layer, from the output down to l
        lines.append([(f"{'chain':<6}{'mean|dL/dz|':>12}{'×factor':>9}{'mean f′':>9}", "dim")])
        prev = None
        for m in range(L - 1, l - 1, -1):
            mag = float(np.mean(np.abs(snap.dz[m])))
            mf = float(np.mean(snap.fprime[m]))
            ratio = None if prev is None or prev == 0 else mag / prev
            tag = "dead" if ratio is not None and ratio < 0.1 else "num"
            lines.append([(f"{'L' + str(m + 1):<6}", "sel" if m == l else "label"),
                          (f"{fmt_fit(mag, 11):>12}", "num"),
                          (f"{'' if ratio is None else fmt_fit(ratio, 8, 2):>9}", tag),
                          (f"{fmt_fit(mf, 8, 2):>9}", "num")])
            prev = mag
        lines.append([("‖dL/dW‖ ", "label"), ("  ".join(f"L{m + 1} {fmt(snap.grad_norms[m], 2)}" for m in range(L)), "num")])
        return (f"backward · layer {l + 1}/{L} · chain rule · {self.where()}", lines)

    def _update_detail(self) -> tuple[str, list[Line]]:
        net = self.run.net
        after = self._preview.net if self._preview is not None else net
        snap = self.snapshot()
        l, j = self.selected
        opt = self.config.optimizer
        rule = {"sgd": "W ← W − lr·dL/dW", "momentum": "v ← μv + dL/dW;  W ← W − lr·v",
                "adam": "W ← W − lr·m̂/(√v̂+ε)"}.get(opt, opt)
        lines: list[Line] = [
            [(f"{opt}  ", "title"), (rule, "dim"), (f"   lr = {fmt(self.config.lr)}", "num")],
            [("layer  ‖dL/dW‖     ‖ΔW‖      ‖ΔW‖/‖W‖", "dim")],
        ]
        with np.errstate(all="ignore"):
            for m in range(net.n_layers):
                dW = after.weights[m] - net.weights[m]
                nw = float(np.linalg.norm(net.weights[m]))
                rel = float(np.linalg.norm(dW)) / nw if nw > 0 else 0.0
                lines.append([(f"  L{m + 1:<3}", "sel" if m == l else "label"),
                              (f"{fmt_fit(snap.grad_norms[m], 9):>9}  ", "num"),
                              (f"{fmt_fit(float(np.linalg.norm(dW)), 9):>9}  ", "num"), (fmt(rel), "num")])
            lines.append([(f"neuron L{l + 1}#{j + 1}  bias ", "label"), (fmt_signed(net.biases[l][j]), "num"),
                          (" → ", "dim"), (fmt_signed(after.biases[l][j]), "num")])
            wb, wa = net.weights[l][:, j], after.weights[l][:, j]
            lines.append([("  weights ", "label"), (" ".join(fmt_signed(v, 2) for v in wb[:4]), "num")])
            lines.append([("       →  ", "label"), (" ".join(fmt_signed(v, 2) for v in wa[:4]), "num")])
        lines.append([("n applies the update and starts the next step", "dim")])
        return (f"update · step {self.step} → {self.step + 1}", lines)

    def activation_card(self, width: int = CARD_WIDTH) -> list[Line]:
        """The hidden activation's facts, a line each, for a card ``width`` columns wide: name,
        formula (the one line that may be cut), range, largest slope, kinks (one per line when
        they do not fit on one) and, for a small largest slope, the warning, wrapped at its spaces.
        No fact line is wider than ``width`` (``CARD_LINES`` lines at most)."""
        act = self.activation
        lo, hi = act.output_range
        rng = f"({fmt(lo)}, {fmt(hi)})".replace("inf", "∞")
        lines: list[Line] = [
            [(act.display_name, "title")],
            [(act.formula, "num")],
            [("range ", "label"), (rng, "num")],
            [("max f′ ", "label"), (fmt(act.max_derivative), "num")],
        ]
        kinks = act.describe_kinks().split(", ")  # "smooth", or "f'(0) = 0, f'(6) = 0"
        if len("kinks " + max(kinks, key=len)) <= width:  # "kinks f'(0) = 0" / "      f'(6) = 0"
            indents = ["kinks "] + ["      "] * (len(kinks) - 1)
        else:  # the label alone, each kink under it
            lines.append([("kinks", "label")])
            indents = ["  "] * len(kinks)
        lines += [[(indent, "label"), (k, "num")] for indent, k in zip(indents, kinks)]
        if act.max_derivative == 0:
            warnings = ["f′ = 0 everywhere: no gradient gets through"]
        elif act.max_derivative < 0.5:
            m = fmt(act.max_derivative)
            warnings = [f"f′ ≤ {m}: each layer can shrink the gradient ×{m}",
                        f"f′ ≤ {m}: each layer can cut gradients ×{m}"]  # (fewer lines, narrow)
        else:
            warnings = []
        if warnings:
            wrapped = [textwrap.wrap(w, width, break_long_words=False, break_on_hyphens=False) for w in warnings]
            best = next((w for w in wrapped if len(w) <= 2), wrapped[-1])
            lines += [[(text, "warn")] for text in best]
        return lines

    # ------------------------------------------------------------ claims lab (issue 4)
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

    def _describe_changes(self, changes: list[tuple[str, str, Any, Any]]) -> list[str]:
        return [f"{k} {setting_text(k, old)} → {setting_text(k, new)}" + (f" ({label})" if label else "")
                for label, k, old, new in changes]

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
            previous = self.experiment_ran.get("previous")
        self.experiment_ran = {
            "experiment": exp, "changes": self.experiment_changes(), "seed": self.config.seed,
            "compare": self.compare_activation, "first_seed": first, "seeds": exp.seeds,
            "steps": exp.steps, "previous": previous,
        }
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
        key = (self._experiment_token, self.experiment_status, self.experiment_progress,
               id(self.experiment_result), self.config, self.compare_activation)
        return self._cached("experiment", key, self._build_experiment_view)

    @staticmethod
    def _arm_lines(defined, run) -> list[str]:
        """One line per arm of ``run`` (the experiment as run: changes applied): its role and the
        settings it differs in. An arm whose own settings were changed no longer plays its role
        as defined: its line gives the settings it ran with, then the experiment's arm.
        Arms measured but not judged say so."""
        fields = [f.name for f in dataclasses.fields(TrainConfig) if f.name != "seed"]
        # the settings the experiment varies, and any the arms now differ in (a change to one arm)
        keys = [k for k in fields if k in defined.varies
                or len({repr(getattr(r.config, k)) for r in run.arms}) > 1]

        def what(arm, keys) -> str:
            return ", ".join(f"{k} {setting_text(k, getattr(arm.config, k))}" for k in keys
                             if not (k == "activation" and arm.label == arm.config.activation))

        lines = []
        for d, r in zip(defined.arms, run.arms):
            changed = [k for k in keys if getattr(d.config, k) != getattr(r.config, k)]
            if changed:
                shown = ", ".join(f"{k} {setting_text(k, getattr(r.config, k))}" for k in keys)
                defined_as = ", ".join(f"{k} {setting_text(k, getattr(d.config, k))}" for k in keys)
                line = f"{shown} (the experiment's “{d.label}” arm: {defined_as})"
            else:
                shown = what(r, keys)
                line = f"{r.label}: {shown}" if shown else r.label
            if r.label in defined.unjudged:
                line += " · shown, not judged"
            lines.append(line)
        return lines

    def _build_experiment_view(self) -> ExperimentView:
        exp = self.experiment
        pending = self.experiment_changes()
        ran = self.experiment_ran
        result = self.experiment_result
        # the arms as run: the finished run's, the one in flight, or (nothing run) as defined
        shown = result.experiment if result is not None else (
            ran["experiment"] if ran is not None and ran.get("experiment") is not None else exp)
        arms = self._arm_lines(exp, shown)
        verdict = result.verdict if result is not None else None
        evidence = evidence_rows(result.evidence) if result is not None else []
        criterion = str(result.evidence.get("criterion", "")) if result is not None else ""
        untested = result.evidence.get(NOT_TESTED_KEY) if result is not None else None
        if ran is not None:
            first, n = ran["first_seed"], ran["seeds"]
            seeds = f"seed {first}" if n == 1 else f"seeds {first}–{first + n - 1}"
            ran_text = f"{seeds} × {ran['steps']} steps"
            stale = (ran["changes"] != pending or ran["seed"] != self.config.seed)
            ran_changes = self._describe_changes(ran["changes"])
            previous = ran.get("previous")
        else:
            ran_text, stale, ran_changes, previous = "", False, [], None
        pending_untested = None
        if stale or ran is None:
            try:
                pending_untested = self.experiment_to_run().untested_reason()
            except ValueError:
                pending_untested = None
        return ExperimentView(
            name=exp.name, title=exp.title, claim=exp.claim, explanation=exp.explanation, arms=arms,
            status=self.experiment_status, progress=self.experiment_progress, verdict=verdict,
            verdict_tag=VERDICT_TAGS.get(verdict or "", "dim"), untested=untested, previous=previous,
            evidence=evidence, criterion=criterion, ran=ran_text, ran_changes=ran_changes,
            pending=self._describe_changes(pending), stale=stale, pending_untested=pending_untested,
            error=self.experiment_error,
        )

    # ------------------------------------------------------------ lessons (issue 5)
    def open_lesson(self, lesson: Any) -> None:
        """The lesson's state (compare mode, steps trained), notes and experiment. The state must
        have been built with ``lesson.config`` (or the command line's changes to it)."""
        from relutui.lessons import apply_lesson

        apply_lesson(self, lesson)
        self.set_notes(lesson.notes, lesson.title)
        if lesson.experiment:
            self.load_experiment(lesson.experiment, apply_config=False)
        self._touch()

    def set_notes(self, notes: str | None, title: str = "") -> None:
        self.notes = notes.strip("\n").rstrip() if notes and notes.strip() else None
        self.notes_title = title or ""
        self.show_notes = self.notes is not None
        self._touch()

    def toggle_notes(self) -> bool:
        if self.notes is None:
            raise ValueError("no notes: a lesson with notes shows them here (relutui --lesson FILE)")
        self.show_notes = not self.show_notes
        self._touch()
        return self.show_notes

    def as_lesson(self, focus: str | None = None):
        """The current state as a lesson (``relutui.lessons.Lesson``): settings, compare mode,
        steps trained, notes, the loaded experiment."""
        from relutui.experiments import experiment_names
        from relutui.lessons import lesson_from_state

        experiment = None
        if self.experiment is not None and self.experiment.name in experiment_names():
            experiment = self.experiment.name
        return lesson_from_state(self, title=self.notes_title, notes=self.notes, focus=focus,
                                 experiment=experiment)

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


__all__ = ["AppState", "LR_STEPS", "SPEEDS", "X_RANGES", "KINK_CHOICES"]
