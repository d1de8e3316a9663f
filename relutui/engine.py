"""A tiny multi-layer perceptron in numpy, with every intermediate value kept.

Layer ``l`` computes ``z[l] = a[l-1] @ W[l] + b[l]`` and ``a[l] = f_l(z[l])`` with
``W[l]`` of shape ``(fan_in, fan_out)``; ``a[-1]`` is the input. The forward pass
returns every ``z`` and ``a``; the backward pass every ``dL/da``, ``dL/dz`` and
``f'(z)``, so the step-through view can show the chain rule as it happens.

Losses follow PyTorch: ``mse`` is the mean over all elements of the squared error,
``bce`` the mean binary cross-entropy, computed from the logits when the output is
a sigmoid (``BCEWithLogitsLoss``) so it never takes ``log(0)``.

Numbers that blow up are part of the lesson (exploding gradients), so the engine
computes with floating-point warnings silenced and reports non-finite values as a
divergence instead: a diverged step changes nothing and says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial
from typing import Sequence

import numpy as np

from .activations import Activation, get_activation

__all__ = [
    "INITS", "LOSSES", "OPTIMIZERS", "ForwardTrace", "BackwardTrace", "Gradients",
    "MLP", "SGD", "Adam", "Optimizer", "make_optimizer", "StepResult", "train_step",
]

INITS = ("he", "xavier", "normal", "zeros")
LOSSES = ("bce", "mse")
OPTIMIZERS = ("sgd", "momentum", "adam")

_QUIET = dict(over="ignore", invalid="ignore", divide="ignore", under="ignore")


@dataclass
class ForwardTrace:
    x: np.ndarray
    z: list[np.ndarray]
    a: list[np.ndarray]

    @property
    def output(self) -> np.ndarray:
        return self.a[-1]


class BackwardTrace:
    """dL/da, dL/dz and f'(z) of every layer (index ``l`` as in ``ForwardTrace``).

    The update needs neither dL/da nor f'(z) of the output layer when a sigmoid is
    trained with BCE from the logits, so those two are computed on first use.
    """

    __slots__ = ("dz", "_da", "_fprime", "_fill")

    def __init__(self, da: list, dz: list[np.ndarray], fprime: list, fill=None) -> None:
        self._da, self.dz, self._fprime = da, dz, fprime
        self._fill = fill  # fills da[-1] and fprime[-1] in place, or None

    def _complete(self) -> None:
        fill, self._fill = self._fill, None
        with np.errstate(**_QUIET):
            fill(self._da, self._fprime)

    @property
    def da(self) -> list[np.ndarray]:
        if self._fill is not None:
            self._complete()
        return self._da

    @property
    def fprime(self) -> list[np.ndarray]:
        if self._fill is not None:
            self._complete()
        return self._fprime

    def hidden_fprime(self) -> list[np.ndarray]:
        """f'(z) of the hidden layers (all but the output), without completing the output's."""
        return self._fprime[:-1]

    def __repr__(self) -> str:
        return f"BackwardTrace(layers={len(self.dz)})"


@dataclass
class Gradients:
    """dL/dW and dL/db per layer, as views into one flat vector laid out like the net's."""

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    backward: BackwardTrace
    flat: np.ndarray

    def norms(self) -> np.ndarray:
        """Per-layer Frobenius norm of dL/dW."""
        return _frobenius(self.weights)

    def global_norm(self) -> float:
        with np.errstate(**_QUIET):
            total = float(np.vdot(self.flat, self.flat))
        return math.sqrt(total) if math.isfinite(total) else math.inf

    def finite(self) -> bool:
        return bool(np.isfinite(self.flat).all())


def _frobenius(arrays: list[np.ndarray]) -> np.ndarray:
    """The Frobenius norm of each array (inf where its square overflows).

    No errstate needed: ``vdot`` (BLAS) raises no numpy warning when it overflows,
    and the square root of a sum of squares (>= 0, inf or nan) never warns.
    """
    return np.sqrt(np.array([np.vdot(a, a) for a in arrays], dtype=np.float64))


def frobenius_rows(rows: Sequence[list[np.ndarray]]) -> np.ndarray:
    """``_frobenius`` of each list of arrays (all of the same length), shape (len(rows), length)."""
    squares = np.array([np.vdot(a, a) for arrays in rows for a in arrays], dtype=np.float64)
    return np.sqrt(squares).reshape(len(rows), -1)


_ONES: dict[int, np.ndarray] = {}


def _ones(n: int) -> np.ndarray:
    """A cached read-only vector of n ones: ``ones @ A`` sums the rows of A in one BLAS call."""
    v = _ONES.get(n)
    if v is None:
        if len(_ONES) > 64:
            _ONES.clear()
        v = np.ones(n, dtype=np.float64)
        v.flags.writeable = False
        _ONES[n] = v
    return v


def _check_choice(kind: str, value: str, choices: Sequence[str]) -> str:
    if value not in choices:
        raise ValueError(f"unknown {kind} {value!r}; valid: {', '.join(choices)}")
    return value


def _init_weight(rng: np.random.Generator, init: str, fan_in: int, fan_out: int,
                 init_std: float) -> np.ndarray:
    shape = (fan_in, fan_out)
    if init == "he":
        return rng.standard_normal(shape) * math.sqrt(2.0 / fan_in)
    if init == "xavier":
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-limit, limit, shape)
    if init == "normal":
        return rng.standard_normal(shape) * init_std
    return np.zeros(shape, dtype=np.float64)


class _Layout:
    """Where each layer's weights and biases sit in the flat parameter vector."""

    def __init__(self, sizes: tuple[int, ...]) -> None:
        self.layers: list[tuple[slice, tuple[int, int], slice]] = []
        offset = 0
        for i, o in zip(sizes[:-1], sizes[1:]):
            ws = slice(offset, offset + i * o)
            bs = slice(ws.stop, ws.stop + o)
            self.layers.append((ws, (i, o), bs))
            offset = bs.stop
        self.size = offset
        self.weight_mask = np.zeros(offset, dtype=np.float64)
        for ws, _, _ in self.layers:
            self.weight_mask[ws] = 1.0

    def views(self, flat: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        return ([flat[ws].reshape(shape) for ws, shape, _ in self.layers],
                [flat[bs] for _, _, bs in self.layers])


_LAYOUTS: dict[tuple[int, ...], _Layout] = {}


def _layout(sizes: tuple[int, ...]) -> _Layout:
    if sizes not in _LAYOUTS:
        _LAYOUTS[sizes] = _Layout(sizes)
    return _LAYOUTS[sizes]


class MLP:
    """A fully connected network: ``MLP((2, 8, 8, 1), hidden="relu", output="sigmoid")``.

    ``hidden`` is one activation (name or object) for every hidden layer or a list
    with one per hidden layer. ``bias_init`` sets every hidden bias (the article's
    "large negative bias" lever); output biases start at 0. ``init_std`` is the
    standard deviation of the ``normal`` scheme.
    """

    def __init__(
        self,
        layer_sizes: Sequence[int],
        hidden: str | Activation | Sequence[str | Activation] = "relu",
        output: str | Activation = "sigmoid",
        init: str = "he",
        bias_init: float = 0.0,
        seed: int = 0,
        init_std: float = 1.0,
        derivative_at_kink: float | None = None,
        activation_params: dict | None = None,
    ) -> None:
        sizes = tuple(int(s) for s in layer_sizes)
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"layer_sizes needs at least an input and an output size >= 1, got {sizes}")
        _check_choice("init", init, INITS)
        if not (math.isfinite(bias_init) and math.isfinite(init_std) and init_std >= 0):
            raise ValueError("bias_init must be finite and init_std finite and >= 0")
        rng = np.random.default_rng(seed)
        weights = [_init_weight(rng, init, i, o, init_std) for i, o in zip(sizes[:-1], sizes[1:])]
        biases = [np.full(o, float(bias_init), dtype=np.float64) for o in sizes[1:-1]]
        biases.append(np.zeros(sizes[-1], dtype=np.float64))
        self._setup(weights, biases, hidden, output, derivative_at_kink, activation_params)
        self.init, self.seed, self.bias_init, self.init_std = init, seed, float(bias_init), init_std

    @classmethod
    def from_params(cls, weights, biases, hidden="relu", output="sigmoid",
                    derivative_at_kink=None, activation_params=None) -> "MLP":
        """A network with the given weights ``W[l] (fan_in, fan_out)`` and biases ``b[l]``."""
        weights = [np.array(w, dtype=np.float64, ndmin=2) for w in weights]
        biases = [np.array(b, dtype=np.float64).reshape(-1) for b in biases]
        if len(weights) != len(biases) or not weights:
            raise ValueError("need one bias vector per weight matrix")
        for l, (w, b) in enumerate(zip(weights, biases)):
            if l and w.shape[0] != weights[l - 1].shape[1]:
                raise ValueError(f"layer {l}: fan_in {w.shape[0]} != previous fan_out {weights[l-1].shape[1]}")
            if b.shape != (w.shape[1],):
                raise ValueError(f"layer {l}: bias has shape {b.shape}, expected ({w.shape[1]},)")
        net = cls.__new__(cls)
        net._setup(weights, biases, hidden, output, derivative_at_kink, activation_params)
        net.init, net.seed, net.bias_init, net.init_std = "given", None, None, None
        return net

    def _setup(self, weights, biases, hidden, output, derivative_at_kink, activation_params):
        self.layer_sizes = (weights[0].shape[0], *(w.shape[1] for w in weights))
        self._layout = _layout(self.layer_sizes)
        flat = np.empty(self._layout.size, dtype=np.float64)
        for (ws, shape, bs), w, b in zip(self._layout.layers, weights, biases):
            flat[ws] = w.reshape(-1)
            flat[bs] = b
        self.flat = flat
        n_hidden = len(weights) - 1
        names = list(hidden) if isinstance(hidden, (list, tuple)) else [hidden] * n_hidden
        if len(names) != n_hidden:
            raise ValueError(f"{len(names)} hidden activations given for {n_hidden} hidden layers")
        params = dict(activation_params or {})
        if derivative_at_kink is not None:
            params["derivative_at_kink"] = derivative_at_kink
        hidden_acts = [get_activation(h, **params) for h in names]
        self.activations: list[Activation] = [*hidden_acts, get_activation(output)]

    @property
    def flat(self) -> np.ndarray:
        """Every parameter in one vector; ``weights`` and ``biases`` are views into it."""
        return self._flat

    @flat.setter
    def flat(self, value: np.ndarray) -> None:
        self._flat = value
        self.weights, self.biases = self._layout.views(value)

    @property
    def n_layers(self) -> int:
        return len(self.weights)

    @property
    def hidden_layers(self) -> int:
        return len(self.weights) - 1

    @property
    def n_parameters(self) -> int:
        return self._flat.size

    def copy(self) -> "MLP":
        net = MLP.__new__(MLP)
        net.__dict__.update(self.__dict__)
        net.flat = self._flat.copy()
        net.activations = list(self.activations)
        return net

    def params_finite(self) -> bool:
        return bool(np.isfinite(self._flat).all())

    def forward(self, X) -> ForwardTrace:
        with np.errstate(**_QUIET):
            return self._forward(X)

    def _forward(self, X) -> ForwardTrace:
        # np.dot rather than @: the same BLAS call (bit for bit, checked in the tests) with
        # less dispatch overhead, which dominates on nets this small
        a = x = np.asarray(X, dtype=np.float64)
        zs, acts = [], []
        for W, b, f in zip(self.weights, self.biases, self.activations):
            z = np.dot(a, W)
            z += b
            a = f._forward(z)
            zs.append(z)
            acts.append(a)
        return ForwardTrace(x=x, z=zs, a=acts)

    def predict(self, X) -> np.ndarray:
        return self.forward(X).a[-1]

    def _loss_head(self, trace: ForwardTrace, y: np.ndarray, loss: str):
        """dL/da, dL/dz and f'(z) of the output layer, and a function that fills in the
        first and last of those later (None if all three are given)."""
        z, a = trace.z[-1], trace.a[-1]
        n = a.size
        out = self.activations[-1]
        if loss == "mse":
            da = 2.0 * (a - y) / n
            fp = out.derivative(z)
            return da, da * fp, fp, None
        if out.name == "sigmoid":
            dz = (a - y) / n

            def fill(da_list: list, fp_list: list) -> None:
                fp = out.derivative(z)
                # dL/da = dL/dz / sigmoid'(z); sigmoid' underflows to 0 only for |z| > 745.
                da_list[-1] = np.divide(dz, fp, out=np.zeros_like(dz), where=fp > 0.0)
                fp_list[-1] = fp

            return None, dz, None, fill
        p = np.clip(a, 1e-12, 1.0 - 1e-12)
        da = (p - y) / (p * (1.0 - p)) / n
        fp = out.derivative(z)
        return da, da * fp, fp, None

    def loss(self, X, y, loss: str = "bce") -> float:
        """Mean loss on (X, y), without the backward pass."""
        _check_choice("loss", loss, LOSSES)
        with np.errstate(**_QUIET):
            trace = self._forward(X)
            return self._loss_value(trace, np.asarray(y, dtype=np.float64).reshape(trace.a[-1].shape), loss)

    def _loss_value(self, trace: ForwardTrace, y: np.ndarray, loss: str) -> float:
        z, a = trace.z[-1], trace.a[-1]
        if loss == "mse":
            diff = a - y
            return float(np.vdot(diff, diff)) / diff.size
        if self.activations[-1].name == "sigmoid":
            per_sample = np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))
            return float(per_sample.sum()) / z.size
        p = np.clip(a, 1e-12, 1.0 - 1e-12)
        return float(-np.mean(y * np.log(p) + (1.0 - y) * np.log1p(-p)))

    def _loss_values(self, z: np.ndarray, a: np.ndarray, y: np.ndarray, loss: str) -> np.ndarray:
        """``_loss_value`` of K batches at once, bit for bit: z, a and y of shape (K, n, out).

        Elementwise ufuncs give the same bits in any shape and the sum of a contiguous row
        runs the same pairwise summation as that row alone; mse keeps one vdot per batch.
        """
        size = z[0].size
        if loss == "mse":
            return np.array([float(np.vdot(d, d)) for d in a - y], dtype=np.float64) / size
        if self.activations[-1].name == "sigmoid":
            # max(z, 0) - z * y + log1p(exp(-|z|)), in that order, with fewer temporaries
            tail = np.abs(z)
            np.negative(tail, out=tail)
            np.exp(tail, out=tail)
            np.log1p(tail, out=tail)
            per_sample = np.maximum(z, 0.0)
            per_sample -= z * y
            per_sample += tail
            return per_sample.reshape(len(z), -1).sum(axis=1) / size
        p = np.clip(a, 1e-12, 1.0 - 1e-12)
        per_sample = y * np.log(p) + (1.0 - y) * np.log1p(-p)
        return -np.mean(per_sample.reshape(len(z), -1), axis=1)

    def loss_and_gradients(self, X, y, loss: str = "bce",
                           trace: ForwardTrace | None = None) -> tuple[float, Gradients]:
        """Mean loss and the gradients of every weight and bias, with the backward trace."""
        _check_choice("loss", loss, LOSSES)
        with np.errstate(**_QUIET):
            if trace is None:
                trace = self._forward(X)
            y = np.asarray(y, dtype=np.float64).reshape(trace.a[-1].shape)
            return self._backward(trace, y, loss)

    def _backward(self, trace: ForwardTrace, y: np.ndarray, loss: str,
                  with_loss: bool = True) -> tuple[float | None, Gradients]:
        L = len(self.weights)
        da_list: list = [None] * L
        dz_list: list = [None] * L
        fp_list: list = [None] * L
        gflat = np.empty(self._flat.size, dtype=np.float64)
        gW, gb = self._layout.views(gflat)
        ones = _ones(trace.x.shape[0])
        da, dz, fp, fill = self._loss_head(trace, y, loss)
        value = self._loss_value(trace, y, loss) if with_loss else None
        da_list[-1], dz_list[-1], fp_list[-1] = da, dz, fp
        zs, acts, weights, activations = trace.z, trace.a, self.weights, self.activations
        for l in range(L - 1, -1, -1):
            # np.dot with out=: the BLAS products of matmul, bit for bit, written in place
            np.dot((acts[l - 1] if l else trace.x).T, dz, out=gW[l])
            np.dot(ones, dz, out=gb[l])
            if l:
                da = np.dot(dz, weights[l].T)
                f, z = activations[l - 1], zs[l - 1]
                fp = f.derivative_of_array(z)
                dz = da * fp
                da_list[l - 1], dz_list[l - 1], fp_list[l - 1] = da, dz, fp
        return value, Gradients(gW, gb, BackwardTrace(da_list, dz_list, fp_list, fill), gflat)


class Optimizer:
    """Updates a network from its gradients, on the flat parameter vector.

    An update makes a new vector rather than writing into the old one, so the
    parameters before a step stay available (to the death tracker, to undo a step
    that overflowed) without a copy.
    """

    lr: float

    def step(self, net: MLP, grads: Gradients) -> None:
        net.flat = net.flat - self.lr * self._direction(grads.flat)

    def _direction(self, g: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def reset(self) -> None:
        """Forget accumulated state (momentum, moments)."""


class SGD(Optimizer):
    """Plain or momentum SGD, PyTorch style: ``v = mu * v + g``, ``p -= lr * v``."""

    def __init__(self, lr: float, momentum: float = 0.0) -> None:
        self.lr, self.momentum = float(lr), float(momentum)
        self._velocity: np.ndarray | None = None

    def reset(self) -> None:
        self._velocity = None

    def _direction(self, g):
        if not self.momentum:
            return g
        self._velocity = g if self._velocity is None else self.momentum * self._velocity + g
        return self._velocity


class Adam(Optimizer):
    """Adam with bias correction, as ``torch.optim.Adam``."""

    def __init__(self, lr: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> None:
        self.lr, self.beta1, self.beta2, self.eps = float(lr), beta1, beta2, eps
        self.reset()

    def reset(self) -> None:
        self._m: np.ndarray | None = None
        self._v: np.ndarray | None = None
        self._t = 0

    def _direction(self, g):
        b1, b2 = self.beta1, self.beta2
        if self._m is None:
            self._m = np.zeros_like(g)
            self._v = np.zeros_like(g)
        self._t += 1
        self._m = b1 * self._m + (1.0 - b1) * g
        self._v = b2 * self._v + (1.0 - b2) * (g * g)
        m_hat = self._m / (1.0 - b1 ** self._t)
        v_hat = self._v / (1.0 - b2 ** self._t)
        return m_hat / (np.sqrt(v_hat) + self.eps)


def make_optimizer(name: str, lr: float, **kw) -> Optimizer:
    """``sgd``, ``momentum`` (SGD with momentum 0.9) or ``adam``."""
    _check_choice("optimizer", name, OPTIMIZERS)
    if not (math.isfinite(lr) and lr > 0):
        raise ValueError(f"learning rate must be a finite number > 0, got {lr}")
    if name == "adam":
        return Adam(lr, **kw)
    return SGD(lr, momentum=kw.get("momentum", 0.9 if name == "momentum" else 0.0))


class StepResult:
    """What one training step did. ``loss`` and ``accuracy`` are computed on first use."""

    __slots__ = ("diverged", "trace", "grads", "before", "_y", "_loss_fn", "_classification",
                 "_loss", "_accuracy", "_raw_flat", "_raw_grads", "_norms")

    def __init__(self, diverged, trace, grads, before, y, loss_fn, classification):
        self.diverged: bool = diverged
        self.trace: ForwardTrace = trace
        self.grads: Gradients = grads
        self.before: tuple[list[np.ndarray], list[np.ndarray]] = before
        self._y, self._loss_fn, self._classification = y, loss_fn, classification
        self._loss: float | None = None
        self._accuracy: float | None = None
        self._raw_flat, self._raw_grads = grads.flat, grads.weights  # before weight decay and clipping
        self._norms: np.ndarray | None = None

    @property
    def grad_norms(self) -> np.ndarray:
        """Per-layer ||dL/dW|| of this step, before weight decay and clipping."""
        if self._norms is None:
            self._norms = _frobenius(self._raw_grads)
        return self._norms

    @property
    def raw_weight_grads(self) -> list[np.ndarray]:
        """dL/dW per layer, before weight decay and clipping (``grad_norms`` are their norms)."""
        return self._raw_grads

    @property
    def raw_grad_flat(self) -> np.ndarray:
        """Every gradient, laid out like ``MLP.flat``, before weight decay and clipping."""
        return self._raw_flat

    @property
    def loss(self) -> float:
        if self._loss is None:
            with np.errstate(**_QUIET):
                self._loss = self._loss_fn(self.trace, self._y)
        return self._loss

    @property
    def y(self) -> np.ndarray:
        """The targets of the batch this step trained on (its inputs are ``trace.x``)."""
        return self._y

    @property
    def accuracy(self) -> float | None:
        if self._classification and self._accuracy is None:
            self._accuracy = accuracy(self.trace.a[-1], self._y)
        return self._accuracy

    def __repr__(self) -> str:
        return f"StepResult(loss={self.loss!r}, accuracy={self.accuracy!r}, diverged={self.diverged})"


def accuracy(output: np.ndarray, y: np.ndarray) -> float:
    """Fraction of samples on the right side of 0.5."""
    return float(np.count_nonzero((output > 0.5) == (y > 0.5)) / output.size)


def accuracies(outputs: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``accuracy`` of K batches at once: outputs and y of shape (K, n, out)."""
    hits = np.count_nonzero(((outputs > 0.5) == (y > 0.5)).reshape(len(outputs), -1), axis=1)
    return hits / outputs[0].size


def train_step(net: MLP, X, y, optimizer: Optimizer, loss: str = "bce",
               clip_norm: float | None = None, l2: float = 0.0,
               classification: bool | None = None) -> StepResult:
    """One forward/backward/update on (X, y).

    Gradient norms are reported before clipping. Weight decay (``l2``) adds
    ``l2 * W`` to the weight gradients only. If a gradient or an updated
    parameter is not finite (or so large its square overflows), the network is
    left as it was and ``diverged`` is set; a non-finite loss always comes with
    non-finite gradients. ``before`` holds the parameters before the update.
    """
    _check_choice("loss", loss, LOSSES)
    if classification is None:
        classification = loss == "bce"
    with np.errstate(**_QUIET):
        trace = net._forward(X)
        y = np.asarray(y, dtype=np.float64).reshape(trace.a[-1].shape)
        _, grads = net._backward(trace, y, loss, with_loss=False)
        old = net.flat
        before = (net.weights, net.biases)
        result = StepResult(True, trace, grads, before, y,
                            partial(net._loss_value, loss=loss), classification)
        g = grads.flat
        if not math.isfinite(float(np.vdot(g, g))):
            return result
        if l2:
            g = g + l2 * net._layout.weight_mask * old
        if clip_norm is not None:
            total = math.sqrt(float(np.vdot(g, g)))
            if total > clip_norm:
                g = g * (clip_norm / (total + 1e-6))
        if g is not grads.flat:
            grads.flat = g
            grads.weights, grads.biases = net._layout.views(g)
        optimizer.step(net, grads)
        if not math.isfinite(float(np.vdot(net.flat, net.flat))):
            net.flat = old
            return result
    result.diverged = False
    return result
