"""A training run: config, data, network, optimiser, bounded history and neuron deaths.

This is what the app, the experiments and the command line all drive, so that a
given config and seed give the same numbers everywhere.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields, replace

import numpy as np

from . import settings
from .activations import canonical_name, get_activation
from .datasets import DATASETS, Dataset, load_csv, make_dataset
from .diagnostics import SATURATED, DeathTracker, LayerDiagnostics, can_clip, layer_diagnostics, neuron_states
from .engine import (_QUIET, MLP, ForwardTrace, StepResult, _ones, accuracies, accuracy, frobenius_rows,
                     make_optimizer, train_step)

__all__ = ["TrainConfig", "TrainingRun", "History", "LIMITS"]

# the limits of every setting, from its row in ``relutui.settings`` (and the layers' depth, width)
LIMITS = settings.LIMITS
parse_layers = settings.parse_layers


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise ValueError(message)


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides a training run. The defaults train visibly on xor with ReLU."""

    dataset: str = "xor"
    data_path: str | None = None
    n_samples: int = 200
    noise: float = 0.1
    test_fraction: float = 0.2
    layers: tuple[int, ...] = (8, 8)
    activation: str = "relu"
    activation_params: dict = field(default_factory=dict)
    output: str | None = None
    loss: str | None = None
    init: str = "he"
    init_std: float = 1.0
    bias_init: float = 0.0
    lr: float = 0.1
    optimizer: str = "sgd"
    batch_size: int = 0
    l2: float = 0.0
    clip_norm: float | None = None
    derivative_at_kink: float | None = None
    seed: int = 0

    def validate(self) -> "TrainConfig":
        """Return a normalised copy; ValueError with a clear message if anything is off.

        Each field is checked by its row in ``relutui.settings`` (kind, limits, choices); the
        activation and its parameters by the activation itself."""
        if self.data_path is None:
            _require(self.dataset in DATASETS,
                     f"unknown dataset {self.dataset!r}; valid: {', '.join(DATASETS)}")
        activation = canonical_name(self.activation)
        _require("derivative_at_kink" not in self.activation_params,
                 "activation_params: derivative_at_kink is not an activation parameter; it is a "
                 "setting of its own (derivative_at_kink, the flag --kink)")
        get_activation(activation, derivative_at_kink=self.derivative_at_kink,
                       **self.activation_params)
        changes = {}
        for row in settings.SETTINGS:
            if row.field in ("activation", "activation_params", "dataset", "data_path"):
                continue
            changes[row.field] = row.check(getattr(self, row.field), row.field, activation)
        return replace(self, activation=activation, **changes)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["layers"] = list(self.layers)
        return d

    @classmethod
    def from_dict(cls, data: dict) -> "TrainConfig":
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        _require(not unknown, f"unknown setting {unknown[0]!r}" if unknown else "")
        values = dict(data)
        if "layers" in values:
            values["layers"] = parse_layers(values["layers"])
        return cls(**values).validate()


class History:
    """Per-step records kept bounded: past ``capacity`` entries every other one is
    dropped and the logging stride doubles, so memory stays flat however long it runs."""

    KEYS = ("step", "loss", "accuracy", "test_loss", "test_accuracy")
    LAYER_KEYS = ("dead_fraction", "saturated_fraction", "grad_norm")

    def __init__(self, capacity: int = 512) -> None:
        self.capacity = capacity
        self.stride = 1
        self._rows: dict[str, list] = {k: [] for k in (*self.KEYS, *self.LAYER_KEYS)}

    def __len__(self) -> int:
        return len(self._rows["step"])

    def wants(self, step: int) -> bool:
        return step % self.stride == 0

    def append(self, **row) -> None:
        for k, v in row.items():
            self._rows[k].append(v)
        if len(self) > self.capacity:
            self._halve()

    def extend(self, **columns: list) -> None:
        """``append`` of each row of ``columns`` (one list per key), in order."""
        n = len(next(iter(columns.values())))
        if len(self) + n > self.capacity:  # a halving on the way: row by row
            for i in range(n):
                self.append(**{k: v[i] for k, v in columns.items()})
            return
        for k, v in columns.items():
            self._rows[k].extend(v)

    def _halve(self) -> None:
        for k in self._rows:
            self._rows[k] = self._rows[k][::2]
        self.stride *= 2

    def __getitem__(self, key: str) -> np.ndarray:
        return np.asarray(self._rows[key], dtype=np.float64)

    def last(self, key: str):
        rows = self._rows[key]
        return rows[-1] if rows else None

    def to_dict(self) -> dict[str, list]:
        def clean(v):
            if isinstance(v, (list, tuple, np.ndarray)):
                return [clean(x) for x in v]
            if v is None:
                return None
            if isinstance(v, (int, np.integer)):
                return int(v)
            f = float(v)
            return f if math.isfinite(f) else None
        return {k: [clean(v) for v in rows] for k, rows in self._rows.items()}


class TrainingRun:
    """A network training on a dataset under a config, step by step.

    The test set is evaluated every ``TEST_EVERY`` steps (the history repeats the
    last test figures in between), so that logging stays cheap. For the same reason
    the loss, accuracy and gradient norms of logged steps are computed for up to
    ``FLUSH_ROWS`` steps at once, when ``train`` returns, or before the history would
    halve: the numbers are the same, bit for bit, as one step at a time.
    """

    TEST_EVERY = 10
    FLUSH_ROWS = 32

    def __init__(self, config: TrainConfig | None = None, dataset: Dataset | None = None,
                 history_capacity: int = 512) -> None:
        self.config = (config or TrainConfig()).validate()
        self._history_capacity = history_capacity
        self.dataset = dataset if dataset is not None else self._load_dataset()
        self.reset()

    def _load_dataset(self) -> Dataset:
        c = self.config
        if c.data_path:
            return load_csv(c.data_path, test_fraction=c.test_fraction, seed=c.seed)
        return make_dataset(c.dataset, n=c.n_samples, noise=c.noise,
                            test_fraction=c.test_fraction, seed=c.seed)

    @property
    def classification(self) -> bool:
        return self.dataset.task == "classification"

    @property
    def loss_name(self) -> str:
        return self.config.loss or ("bce" if self.classification else "mse")

    @property
    def output_name(self) -> str:
        return self.config.output or ("sigmoid" if self.classification else "identity")

    def build_net(self) -> MLP:
        c = self.config
        return MLP(
            (2, *c.layers, 1), hidden=c.activation, output=self.output_name, init=c.init,
            bias_init=c.bias_init, seed=c.seed, init_std=c.init_std,
            derivative_at_kink=c.derivative_at_kink, activation_params=c.activation_params,
        )

    def reset(self) -> None:
        """Back to step 0: same seed, same weights, same batches."""
        c = self.config
        self.net = self.build_net()
        self._loss_name, self._classification = self.loss_name, self.classification
        self._nonneg_fprime = [a.nonnegative_derivative for a in self.net.activations[:-1]]
        self.optimizer = make_optimizer(c.optimizer, c.lr)
        self._full_batch = not c.batch_size or c.batch_size >= len(self.dataset.X_train)
        self.step = 0
        self.diverged_at: int | None = None
        self.last: StepResult | None = None
        self.history = History(self._history_capacity)
        hidden = self.net.layer_sizes[1:-1]
        self._death = DeathTracker(hidden)
        self._settled_step: int | None = None  # the step whose network ``death`` has seen
        self._batch_rng = np.random.default_rng([c.seed, 1])
        self._next_batch: tuple[np.ndarray, np.ndarray] | None = None  # drawn ahead by ``death``
        self._before: tuple[list, list] | None = None
        # dead masks of all hidden layers in one vector; layer l is _hidden[l] of it
        ends = np.cumsum(hidden).tolist()
        self._hidden = [slice(e - k, e) for e, k in zip(ends, hidden)]
        # layers whose neurons can be saturated: a flat tail (sigmoid) or a clipping bound (hard tanh)
        self._can_saturate = [a.can_saturate or can_clip(a) for a in self.net.activations[:-1]]
        self._hidden_bias_index = np.concatenate(
            [np.arange(bs.start, bs.stop) for _, _, bs in self.net._layout.layers[:-1]])
        self._dead_fraction: list[float] = []
        self._prev_dead: np.ndarray | None = None
        self._prev_dead_key: bytes | None = None
        self._pending: list[tuple] = []  # logged steps whose history rows are not complete yet

    def set_lr(self, lr: float) -> None:
        """Change the learning rate in place, keeping the weights and optimiser state."""
        lr = settings.setting("lr").check(lr, "lr")
        self.config = replace(self.config, lr=lr)
        self.optimizer.lr = lr

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    @property
    def death(self) -> DeathTracker:
        """The death tracker, up to date with the network as it is now: a death shows as soon
        as the update that caused it is applied, recorded at that update's step (rather than
        when the next step's forward pass finds it)."""
        self._settle_deaths()
        return self._death

    def _settle_deaths(self) -> None:
        """The dead masks of the network after ``step`` updates, on the batch the next step
        will use (drawn ahead: the sequence of batches is the same), as that step would
        find them; the next step then finds nothing new."""
        if self._settled_step == self.step or not self.net.params_finite():
            return
        self._settled_step = self.step
        if self._next_batch is None:
            self._next_batch = self._batch()
        with np.errstate(**_QUIET):
            trace = self.net._forward(self._next_batch[0])
            masks = [np.all(f.derivative_of_array(z) == 0.0, axis=0)
                     for f, z in zip(self.net.activations[:-1], trace.z[:-1])]
        dead = np.concatenate(masks) if masks else np.zeros(0, dtype=bool)
        self._note_deaths(dead, (self.net.weights, self.net.biases))

    def _note_deaths(self, dead: np.ndarray, now: tuple[list, list]) -> None:
        """Tell the tracker the dead mask of the network after ``step`` updates (``now``: its
        parameters), when it changed (deaths and revivals are rare: work only then)."""
        key = dead.tobytes()
        if key == self._prev_dead_key:
            return
        masks = [dead[s] for s in self._hidden]
        self._death.update(self.step, masks, *(self._before or now), *now)
        self._dead_fraction = [np.count_nonzero(d) / d.size for d in masks]
        self._prev_dead_key = key

    def _batch(self) -> tuple[np.ndarray, np.ndarray]:
        if self._next_batch is not None:
            batch, self._next_batch = self._next_batch, None
            return batch
        X, y = self.dataset.X_train, self.dataset.y_train
        if self._full_batch:
            return X, y
        idx = self._batch_rng.choice(len(X), size=self.config.batch_size, replace=False)
        return X[idx], y[idx]

    def train(self, n_steps: int = 1) -> StepResult | None:
        """Run up to ``n_steps`` updates; stops at a divergence. Returns the last result."""
        try:
            for _ in range(n_steps):
                if self.diverged_at is not None:
                    break
                self._one_step()
        finally:
            self._flush_log()
        return self.last

    def _one_step(self) -> None:
        c = self.config
        X, y = self._batch()
        result = train_step(self.net, X, y, self.optimizer, loss=self._loss_name,
                            clip_norm=c.clip_norm, l2=c.l2, classification=self._classification)
        self.last = result
        if result.diverged:
            self.diverged_at = self.step
            return
        before = result.before
        dead = self._dead_mask(result)
        self._note_deaths(dead, before)
        self._prev_dead = dead
        self._before = before
        if self.step % self.history.stride == 0:  # history.wants(step)
            self._log(result)
        self.step += 1

    def _dead_mask(self, result: StepResult) -> np.ndarray:
        """Dead flags of every hidden neuron, layer after layer, as one bool vector.

        Dead <=> the sum over the batch of |f'| is 0: one BLAS call per layer (|.| only
        where f' can be negative). A dead neuron passes no gradient, so its bias gradient
        is exactly 0 (the gradient of a step that gets here is finite): when no hidden
        bias gradient is 0, no neuron is dead and the sums are skipped.
        """
        candidates = result.raw_grad_flat[self._hidden_bias_index] == 0.0
        if not np.count_nonzero(candidates):  # (cheaper than .any() on a few elements)
            return candidates
        fprime = result.grads.backward.hidden_fprime()
        ones = _ones(fprime[0].shape[0])
        sums = np.empty(candidates.size, dtype=np.float64)
        for fp, nonneg, s in zip(fprime, self._nonneg_fprime, self._hidden):
            np.dot(ones, fp if nonneg else np.abs(fp), out=sums[s])
        return sums == 0.0

    def _log(self, result: StepResult) -> None:
        """Log this step: what needs the current network now, the rest in ``_flush_log``."""
        dead = self._prev_dead  # this step's, just computed
        saturated = [0.0] * len(self._hidden)
        if any(self._can_saturate):
            fprime = result.grads.backward.hidden_fprime()
            for l, (act, s) in enumerate(zip(self.net.activations[:-1], self._hidden)):
                if self._can_saturate[l]:
                    d = dead[s]
                    states = neuron_states(act, result.trace.z[l], fprime[l], dead=d, a=result.trace.a[l])
                    saturated[l] = np.count_nonzero(states == SATURATED) / d.size
        ds = self.dataset
        test_loss, test_acc = self._last_test()
        if len(ds.X_test) and (self.step % self.TEST_EVERY == 0 or test_loss is None):
            test_loss, test_acc = self.evaluate(ds.X_test, ds.y_test)
        trace = result.trace
        self._pending.append((self.step, trace.z[-1], trace.a[-1], result.y, self._dead_fraction,
                              saturated, test_loss, test_acc, result.raw_weight_grads))
        # flush before the history would halve (so that its stride stays exact), and in
        # small batches, which are the fastest (their temporaries stay in cache)
        if (len(self._pending) >= self.FLUSH_ROWS
                or len(self.history) + len(self._pending) > self.history.capacity):
            self._flush_log()

    def _last_test(self) -> tuple:
        """The test figures of the latest history row, logged or pending."""
        if self._pending:
            return self._pending[-1][6:8]
        return self.history.last("test_loss"), self.history.last("test_accuracy")

    def _flush_log(self) -> None:
        """Complete the pending history rows, all at once, and append them.

        Loss, accuracy, dead fractions and gradient norms come out bit for bit as
        ``StepResult.loss``, ``.accuracy`` and ``.grad_norms`` of each step would give them.
        """
        rows, self._pending = self._pending, []
        if not rows:
            return
        k = len(rows)
        steps, z, a, y, dead_fraction, saturated, test_loss, test_acc, raw_grads = zip(*rows)
        # one batch size within a run: (K, n, 1) stacks; with the whole training set every
        # step, its targets once (they broadcast)
        shape = (k, *z[0].shape)
        z, a = np.concatenate(z).reshape(shape), np.concatenate(a).reshape(shape)
        y = y[0][None] if self._full_batch else np.concatenate(y).reshape(shape)
        with np.errstate(**_QUIET):  # as StepResult.loss
            loss = self.net._loss_values(z, a, y, self._loss_name).tolist()
            acc = accuracies(a, y).tolist() if self._classification else [None] * k
        self.history.extend(step=list(steps), loss=loss, accuracy=acc, test_loss=list(test_loss),
                            test_accuracy=list(test_acc), dead_fraction=[list(d) for d in dead_fraction],
                            saturated_fraction=list(saturated),
                            grad_norm=frobenius_rows(raw_grads).tolist())

    def evaluate(self, X: np.ndarray, y: np.ndarray) -> tuple[float, float | None]:
        """Loss and accuracy (None for regression) of the current net on (X, y)."""
        trace = self.net.forward(X)
        with np.errstate(**_QUIET):  # as StepResult.loss: a diverging net's loss is inf or nan, silently
            loss = self.net._loss_value(trace, y, self.loss_name)
        acc = accuracy(trace.a[-1], y) if self.classification else None
        return loss, acc

    def trace(self, X: np.ndarray | None = None) -> ForwardTrace:
        return self.net.forward(self.dataset.X_train if X is None else X)

    def diagnostics(self) -> list[LayerDiagnostics]:
        """Dead / saturated / sparsity per hidden layer on the whole training set."""
        return layer_diagnostics(self.net, self.trace())

    def summary(self) -> dict:
        """Final figures of the run, JSON-ready."""
        diag = self.diagnostics()
        loss, acc = self.evaluate(self.dataset.X_train, self.dataset.y_train)
        out = {
            "step": self.step,
            "diverged_at": self.diverged_at,
            "loss": loss if math.isfinite(loss) else None,
            "accuracy": acc,
            "dead_fraction": [d.dead_fraction for d in diag],
            "saturated_fraction": [d.saturated_fraction for d in diag],
            "sparsity": [d.sparsity for d in diag],
        }
        if len(self.dataset.X_test):
            tl, ta = self.evaluate(self.dataset.X_test, self.dataset.y_test)
            out["test_loss"] = tl if math.isfinite(tl) else None
            out["test_accuracy"] = ta
        return out
