"""The activation library: each function, its exact derivative and its metadata.

Definitions and defaults follow PyTorch (``torch.nn.functional``). Derivatives are
analytic. Exactly at a kink the derivative is the value PyTorch's autograd returns:

============  =======================  ==========================================
activation    kink(s)                  derivative used exactly there
============  =======================  ==========================================
step          0                        0 (the derivative is 0 everywhere)
relu          0                        0
leaky_relu    0                        negative_slope
relu6         0, 6                     0 at both
elu           0                        alpha (1 with the default; smooth if alpha=1)
selu          0                        scale * alpha = 1.7580993408473766
celu          0                        1 (smooth for every alpha)
hardtanh      min_val, max_val         0 at both
hardsigmoid   -3, 3                    0 at both
hardswish     -3, 3                    0 at -3, 1 at 3
softplus      threshold / beta         sigmoid(threshold); above it f(x) = x, f' = 1
============  =======================  ==========================================

``derivative_at_kink=v`` replaces those values by ``v`` (the f'(0) experiment).

Every function is evaluated branch by branch on its own mask, or on a clipped
argument, so that nothing overflows anywhere on the float64 line.
"""

from __future__ import annotations

import functools
import math
from typing import ClassVar

import numpy as np

from relutui.ranges import ValueRange, closed, finite_set, format_range, half_open, open_interval

__all__ = ["ACTIVATIONS", "ALIASES", "Activation", "canonical_name", "get_activation"]

_SQRT2 = math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_GELU_TANH_K = math.sqrt(2.0 / math.pi)
_GELU_TANH_C = 0.044715
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _as_float(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(x))
    return np.where(x >= 0.0, 1.0, e) / (1.0 + e)  # 1/(1+e) or e/(1+e): never exp of a large x


def _sigmoid_prime(x: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(x))
    return e / (1.0 + e) ** 2


def _sech2(x: np.ndarray) -> np.ndarray:
    """1 - tanh(x)**2 without the cancellation near saturation."""
    e = np.exp(-2.0 * np.minimum(np.abs(x), 400.0))
    return np.minimum(4.0 * e / (1.0 + e) ** 2, 1.0)


def _softplus1(x: np.ndarray) -> np.ndarray:
    """log(1 + exp(x)), stable everywhere."""
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


# W. J. Cody's rational Chebyshev approximations (Math. Comp. 23, 1969), as in
# his CALERF: relative error below 1e-16 over the whole line; checked against
# math.erf in the tests.
_ERF_A = (3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
          3.20937758913846947e03, 1.85777706184603153e-1)
_ERF_B = (2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
          2.84423683343917062e03)
_ERF_C = (5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
          2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
          2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8)
_ERF_D = (1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
          1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
          3.43936767414372164e03, 1.23033935480374942e03)
_ERF_P = (3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
          1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2)
_ERF_Q = (2.56852019228982242e00, 1.87295284992346725e00, 5.27905102951428412e-1,
          6.05183413124413191e-2, 2.33520497626869185e-3)
_SQRPI = 5.6418958354775628695e-1


def _erf_small(x: np.ndarray) -> np.ndarray:
    """erf(x) for |x| <= 0.5."""
    y = x * x
    num = _ERF_A[4] * y
    den = y
    for i in range(3):
        num = (num + _ERF_A[i]) * y
        den = (den + _ERF_B[i]) * y
    return x * (num + _ERF_A[3]) / (den + _ERF_B[3])


def _erfc_pos(y: np.ndarray) -> np.ndarray:
    """erfc(y) for y > 0.5 (vectorised)."""
    out = np.empty_like(y)
    mid = y <= 4.0
    ym = y[mid]
    num = _ERF_C[8] * ym
    den = ym
    for i in range(7):
        num = (num + _ERF_C[i]) * ym
        den = (den + _ERF_D[i]) * ym
    out[mid] = (num + _ERF_C[7]) / (den + _ERF_D[7])
    big = ~mid
    yb = np.minimum(y[big], 27.0)
    z = 1.0 / (yb * yb)
    num = _ERF_P[5] * z
    den = z
    for i in range(4):
        num = (num + _ERF_P[i]) * z
        den = (den + _ERF_Q[i]) * z
    r = z * (num + _ERF_P[4]) / (den + _ERF_Q[4])
    out[big] = np.where(y[big] >= 27.0, 0.0, (_SQRPI - r) / yb)
    # exp(-y^2) split as in CALERF to keep full relative precision.
    yc = np.minimum(y, 27.0)
    ysq = np.trunc(yc * 16.0) / 16.0
    dlt = (yc - ysq) * (yc + ysq)
    return out * np.exp(-ysq * ysq) * np.exp(-dlt)


def normal_cdf(x) -> np.ndarray:
    """Phi(x) = (1 + erf(x / sqrt 2)) / 2, to full double precision, even in the tails."""
    x = _as_float(x)
    t = x / _SQRT2
    out = np.empty_like(t)
    small = np.abs(t) <= 0.5
    out[small] = 0.5 + 0.5 * _erf_small(t[small])
    big = ~small
    tb = t[big]
    erfc_abs = _erfc_pos(np.abs(tb))
    out[big] = np.where(tb > 0.0, 1.0 - 0.5 * erfc_abs, 0.5 * erfc_abs)
    return out


def erf(x) -> np.ndarray:
    """Vectorised error function (Cody's rational approximations)."""
    x = _as_float(x)
    out = np.empty_like(x)
    small = np.abs(x) <= 0.5
    out[small] = _erf_small(x[small])
    big = ~small
    xb = x[big]
    out[big] = np.sign(xb) * (1.0 - _erfc_pos(np.abs(xb)))
    return out


def _normal_pdf(x: np.ndarray) -> np.ndarray:
    xc = np.clip(x, -40.0, 40.0)
    return _INV_SQRT_2PI * np.exp(-0.5 * xc * xc)


class Activation:
    """One activation function with its derivative and metadata.

    Subclasses define ``_forward`` and ``_derivative`` on float64 arrays and the
    class attributes below; parameters are validated by ``_check``.
    """

    name: ClassVar[str]
    display_name: ClassVar[str]
    formula: ClassVar[str]
    defaults: ClassVar[dict[str, float]] = {}
    doc: ClassVar[str] = ""

    def __init__(self, derivative_at_kink: float | None = None, **params: float) -> None:
        unknown = sorted(set(params) - set(self.defaults))
        if unknown:
            valid = ", ".join(self.defaults) or "none"
            raise ValueError(
                f"{self.name} has no parameter {unknown[0]!r} (parameters: {valid})"
            )
        values = dict(self.defaults)
        for key, value in params.items():
            try:
                value = float(value)
            except (TypeError, ValueError):
                raise ValueError(f"{self.name}: {key} must be a number, got {value!r}") from None
            if not math.isfinite(value):
                raise ValueError(f"{self.name}: {key} must be finite, got {value}")
            values[key] = value
        self.params: dict[str, float] = values
        self._check()
        if derivative_at_kink is not None:
            try:
                derivative_at_kink = float(derivative_at_kink)
            except (TypeError, ValueError):
                raise ValueError(
                    f"derivative_at_kink must be a number, got {derivative_at_kink!r}"
                ) from None
            if not math.isfinite(derivative_at_kink):
                raise ValueError(f"derivative_at_kink must be finite, got {derivative_at_kink}")
        self.derivative_at_kink = derivative_at_kink
        self._max_derivative: float | None = None

    def _check(self) -> None:
        """Validate ``self.params``; raise ValueError with the reason."""

    def __getattr__(self, key: str) -> float:
        params = self.__dict__.get("params", {})
        if key in params:
            return params[key]
        raise AttributeError(key)

    @property
    def kinks(self) -> tuple[float, ...]:
        return ()

    @property
    def _kink_values(self) -> tuple[float, ...]:
        return ()

    @property
    def kink_derivatives(self) -> tuple[float, ...]:
        if self.derivative_at_kink is not None:
            return tuple(self.derivative_at_kink for _ in self.kinks)
        return self._kink_values

    @property
    def value_range(self) -> ValueRange:
        """The values f takes, each end closed only where f attains it (``relutui.ranges``)."""
        return open_interval(-math.inf, math.inf)

    @property
    def output_range(self) -> tuple[float, float]:
        """(inf, sup) of f: ``value_range`` without its brackets."""
        r = self.value_range
        return (r.lower, r.upper)

    def describe_range(self) -> str:
        """``[0, ∞)``, ``(0, 1)``, ``{0, 1}``: the range as every panel prints it."""
        return format_range(self.value_range)

    @property
    def max_derivative(self) -> float:
        """sup |f'(x)| (to grid precision): the scale of the saturation rule in diagnostics."""
        if self._max_derivative is None:
            key = (self.name, tuple(sorted(self.params.items())))
            if key not in _MAX_DERIVATIVE:
                _MAX_DERIVATIVE[key] = float(np.max(np.abs(self._derivative(_sup_grid()))))
            kinks = [abs(v) for v in self.kink_derivatives]
            self._max_derivative = max([_MAX_DERIVATIVE[key], *kinks])
        return self._max_derivative

    @property
    def can_saturate(self) -> bool:
        """Whether |f'| ever lies strictly between 0 and 1% of its maximum (on a fine grid).

        False for ReLU, leaky ReLU, the step, identity and the hard functions: the
        diagnostics then count no flat tail, only the samples clipped at a bound other than
        0 (``diagnostics.can_clip``: hard tanh's ±1).
        """
        key = (self.name, tuple(sorted(self.params.items())), self.derivative_at_kink)
        if key not in _CAN_SATURATE:
            d = np.abs(self._derivative(_sup_grid()))
            _CAN_SATURATE[key] = bool(np.any((d > 0.0) & (d < 0.01 * self.max_derivative)))
        return _CAN_SATURATE[key]

    @property
    def nonnegative_derivative(self) -> bool:
        """Whether f' >= 0 everywhere (on a fine grid and at the kinks): f is non-decreasing."""
        key = (self.name, tuple(sorted(self.params.items())), self.derivative_at_kink)
        if key not in _NONNEGATIVE:
            d = self._derivative(_sup_grid())
            _NONNEGATIVE[key] = bool(d.min() >= 0.0) and min(self.kink_derivatives, default=0.0) >= 0.0
        return _NONNEGATIVE[key]

    def forward(self, x) -> np.ndarray:
        return self._forward(_as_float(x))

    __call__ = forward

    def derivative(self, x) -> np.ndarray:
        x = _as_float(x)
        d = self._derivative(x)
        if self.derivative_at_kink is not None:
            for k in self.kinks:
                d = np.where(x == k, self.derivative_at_kink, d)
        return d

    def derivative_of_array(self, z: np.ndarray) -> np.ndarray:
        """``derivative`` of a float64 array (the training loop's pre-activations): no
        conversion, and the kinks' fix-up only when a value is set for them."""
        return self._derivative(z) if self.derivative_at_kink is None else self.derivative(z)

    def _forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _derivative(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def with_params(self, **changes) -> "Activation":
        """A copy with some parameters (or derivative_at_kink) changed."""
        kink = changes.pop("derivative_at_kink", self.derivative_at_kink)
        return type(self)(derivative_at_kink=kink, **{**self.params, **changes})

    def describe_kinks(self) -> str:
        if not self.kinks:
            return "smooth"
        return ", ".join(
            # 10 digits: softplus's sigmoid(20) must not print as the 1 of a linear piece
            f"f'({_fmt(k)}) = {v:.10g}" for k, v in zip(self.kinks, self.kink_derivatives)
        )

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        if self.derivative_at_kink is not None:
            args = ", ".join(filter(None, [args, f"derivative_at_kink={self.derivative_at_kink!r}"]))
        return f"get_activation({self.name!r}{', ' if args else ''}{args})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Activation)
            and other.name == self.name
            and other.params == self.params
            and other.derivative_at_kink == self.derivative_at_kink
        )

    def __hash__(self) -> int:
        return hash((self.name, tuple(sorted(self.params.items())), self.derivative_at_kink))


_SUP_GRID_SPEC = (-60.0, 60.0, 240_001)


@functools.cache
def _sup_grid() -> np.ndarray:
    return np.linspace(*_SUP_GRID_SPEC)


# What the grid sweeps give for the default parameters and the library's kink values:
# (sup |f'|, can_saturate, nonnegative_derivative). Each sweep costs 2-8 ms, and the first
# frame of the app needs some of them; tests/test_activations.py recomputes every row.
GRID_FACTS: dict[tuple, tuple[float, bool, bool]] = {
    ("identity", ()): (1.0, False, True),
    ("step", ()): (0.0, False, True),
    ("sigmoid", ()): (0.25, True, True),
    ("tanh", ()): (1.0, True, True),
    ("relu", ()): (1.0, False, True),
    ("leaky_relu", (("negative_slope", 0.01),)): (1.0, False, True),
    ("relu6", ()): (1.0, False, True),
    ("elu", (("alpha", 1.0),)): (1.0, True, True),
    ("selu", ()): (1.7580993408473766, True, True),
    ("celu", (("alpha", 1.0),)): (1.0, True, True),
    ("gelu", ()): (1.1289041357174299, True, False),
    ("gelu_tanh", ()): (1.128993068655481, True, False),
    ("silu", ()): (1.099839319196755, True, False),
    ("mish", ()): (1.088498160667285, True, False),
    ("softplus", (("beta", 1.0), ("threshold", 20.0))): (1.0, True, True),
    ("softsign", ()): (1.0, True, True),
    ("hardsigmoid", ()): (0.16666666666666666, False, True),
    ("hardtanh", (("max_val", 1.0), ("min_val", -1.0))): (1.0, False, True),
    ("hardswish", ()): (1.499833333333335, True, False),
}
_MAX_DERIVATIVE: dict[tuple, float] = {key: facts[0] for key, facts in GRID_FACTS.items()}
_CAN_SATURATE: dict[tuple, bool] = {(*key, None): facts[1] for key, facts in GRID_FACTS.items()}
_NONNEGATIVE: dict[tuple, bool] = {(*key, None): facts[2] for key, facts in GRID_FACTS.items()}


def _fmt(v: float) -> str:
    return f"{v:g}"


class Identity(Activation):
    name, display_name, formula = "identity", "Identity (linear)", "x"

    def _forward(self, x):
        return x.copy()

    def _derivative(self, x):
        return np.ones_like(x)


class Step(Activation):
    name, display_name, formula = "step", "Heaviside step", "1 if x > 0 else 0"
    doc = "f' is 0 everywhere, so no gradient ever flows: the reason it is not trained by backprop."

    kinks = property(lambda self: (0.0,))
    _kink_values = property(lambda self: (0.0,))
    value_range = property(lambda self: finite_set(0.0, 1.0))

    def _forward(self, x):
        return (x > 0.0).astype(np.float64)

    def _derivative(self, x):
        return np.zeros_like(x)


class Sigmoid(Activation):
    name, display_name, formula = "sigmoid", "Sigmoid (logistic)", "1 / (1 + exp(-x))"
    value_range = property(lambda self: open_interval(0.0, 1.0))

    def _forward(self, x):
        return _sigmoid(x)

    def _derivative(self, x):
        return _sigmoid_prime(x)


class Tanh(Activation):
    name, display_name, formula = "tanh", "Tanh", "(exp(x) - exp(-x)) / (exp(x) + exp(-x))"
    value_range = property(lambda self: open_interval(-1.0, 1.0))

    def _forward(self, x):
        return np.tanh(x)

    def _derivative(self, x):
        return _sech2(x)


class ReLU(Activation):
    name, display_name, formula = "relu", "ReLU", "max(0, x)"
    kinks = property(lambda self: (0.0,))
    _kink_values = property(lambda self: (0.0,))
    value_range = property(lambda self: half_open(0.0))

    def _forward(self, x):
        return np.maximum(x, 0.0)

    def _derivative(self, x):
        return (x > 0.0).astype(np.float64)


class LeakyReLU(Activation):
    name, display_name = "leaky_relu", "Leaky ReLU"
    formula = "x if x > 0 else negative_slope * x"
    defaults = {"negative_slope": 0.01}
    kinks = property(lambda self: (0.0,))
    _kink_values = property(lambda self: (self.negative_slope,))

    @property
    def value_range(self):  # a slope <= 0 maps x < 0 to [0, ∞): 0 at x = 0 is attained
        return open_interval(-math.inf, math.inf) if self.negative_slope > 0 else half_open(0.0)

    def _forward(self, x):
        return np.where(x > 0.0, x, x * self.negative_slope)

    def _derivative(self, x):
        return np.where(x > 0.0, 1.0, self.negative_slope)


class ReLU6(Activation):
    name, display_name, formula = "relu6", "ReLU6", "min(max(0, x), 6)"
    kinks = property(lambda self: (0.0, 6.0))
    _kink_values = property(lambda self: (0.0, 0.0))
    value_range = property(lambda self: closed(0.0, 6.0))

    def _forward(self, x):
        return np.clip(x, 0.0, 6.0)

    def _derivative(self, x):
        return ((x > 0.0) & (x < 6.0)).astype(np.float64)


class ELU(Activation):
    name, display_name = "elu", "ELU"
    formula = "x if x > 0 else alpha * (exp(x) - 1)"
    defaults = {"alpha": 1.0}
    kinks = property(lambda self: (0.0,))
    _kink_values = property(lambda self: (self.alpha,))
    value_range = property(lambda self: open_interval(-self.alpha, math.inf) if self.alpha > 0 else half_open(0.0))

    def _check(self):
        if self.alpha < 0:
            raise ValueError(f"elu: alpha must be >= 0, got {self.alpha:g}")

    def _forward(self, x):
        return np.where(x > 0.0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))

    def _derivative(self, x):
        return np.where(x > 0.0, 1.0, self.alpha * np.exp(np.minimum(x, 0.0)))


class SELU(Activation):
    name, display_name = "selu", "SELU"
    formula = "scale * (x if x > 0 else alpha * (exp(x) - 1)), alpha=1.6733, scale=1.0507"
    kinks = property(lambda self: (0.0,))
    _kink_values = property(lambda self: (SELU_SCALE * SELU_ALPHA,))
    value_range = property(lambda self: open_interval(-SELU_SCALE * SELU_ALPHA, math.inf))

    def _forward(self, x):
        # scale * x exceeds the largest float for x > 1.71e308: that rounds to inf, as IEEE says
        with np.errstate(over="ignore"):
            return SELU_SCALE * np.where(x > 0.0, x, SELU_ALPHA * np.expm1(np.minimum(x, 0.0)))

    def _derivative(self, x):
        return SELU_SCALE * np.where(x > 0.0, 1.0, SELU_ALPHA * np.exp(np.minimum(x, 0.0)))


class CELU(Activation):
    name, display_name = "celu", "CELU"
    formula = "max(0, x) + min(0, alpha * (exp(x / alpha) - 1))"
    defaults = {"alpha": 1.0}
    kinks = property(lambda self: (0.0,))
    _kink_values = property(lambda self: (1.0,))
    value_range = property(lambda self: open_interval(-self.alpha, math.inf))

    def _check(self):
        if self.alpha <= 0:
            raise ValueError(f"celu: alpha must be > 0, got {self.alpha:g}")

    def _forward(self, x):
        return np.where(x > 0.0, x, self.alpha * np.expm1(np.minimum(x, 0.0) / self.alpha))

    def _derivative(self, x):
        return np.where(x > 0.0, 1.0, np.exp(np.minimum(x, 0.0) / self.alpha))


class GELU(Activation):
    name, display_name, formula = "gelu", "GELU (exact)", "x * Phi(x), Phi = normal CDF (erf)"
    value_range = property(lambda self: half_open(-0.1699712074796984))  # min at x = -0.7518

    def _forward(self, x):
        return x * normal_cdf(x)

    def _derivative(self, x):
        return normal_cdf(x) + x * _normal_pdf(x)


class GELUTanh(Activation):
    name, display_name = "gelu_tanh", "GELU (tanh approx.)"
    formula = "0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))"
    value_range = property(lambda self: half_open(-0.170040750571004))
    _CUT = 30.0  # beyond it 1 + tanh(u) is 0 or 2 to the last bit

    def _inner(self, x):
        return _GELU_TANH_K * (x + _GELU_TANH_C * x * x * x)

    def _forward(self, x):
        xc = np.clip(x, -self._CUT, self._CUT)
        core = 0.5 * xc * (1.0 + np.tanh(self._inner(xc)))
        return np.where(x > self._CUT, x, np.where(x < -self._CUT, 0.0, core))

    def _derivative(self, x):
        xc = np.clip(x, -self._CUT, self._CUT)
        u = self._inner(xc)
        du = _GELU_TANH_K * (1.0 + 3.0 * _GELU_TANH_C * xc * xc)
        core = 0.5 * (1.0 + np.tanh(u)) + 0.5 * xc * _sech2(u) * du
        return np.where(x > self._CUT, 1.0, np.where(x < -self._CUT, 0.0, core))


class SiLU(Activation):
    name, display_name, formula = "silu", "SiLU / Swish", "x * sigmoid(x)"
    value_range = property(lambda self: half_open(-0.27846454276105104))  # min at x = -1.2785

    def _forward(self, x):
        return x * _sigmoid(x)

    def _derivative(self, x):
        return _sigmoid(x) + x * _sigmoid_prime(x)


class Mish(Activation):
    name, display_name, formula = "mish", "Mish", "x * tanh(softplus(x))"
    value_range = property(lambda self: half_open(-0.30884341301705354))  # min at x = -1.1924

    def _forward(self, x):
        return x * np.tanh(_softplus1(x))

    def _derivative(self, x):
        sp = _softplus1(x)
        return np.tanh(sp) + x * _sech2(sp) * _sigmoid(x)


class Softplus(Activation):
    name, display_name = "softplus", "Softplus"
    formula = "log(1 + exp(beta * x)) / beta; x where beta * x > threshold"
    defaults = {"beta": 1.0, "threshold": 20.0}
    value_range = property(lambda self: open_interval(0.0, math.inf))

    def _check(self):
        if self.beta <= 0:
            raise ValueError(f"softplus: beta must be > 0, got {self.beta:g}")
        if self.threshold <= 0:
            raise ValueError(f"softplus: threshold must be > 0, got {self.threshold:g}")

    kinks = property(lambda self: (self.threshold / self.beta,))
    _kink_values = property(lambda self: (float(_sigmoid(np.float64(self.threshold))),))

    def _scaled(self, x):
        """beta * x, clipped to where the smooth branch lives."""
        return np.clip(x, -1000.0 / self.beta, self.threshold / self.beta) * self.beta

    def _forward(self, x):
        linear = x > self.threshold / self.beta
        return np.where(linear, x, _softplus1(self._scaled(x)) / self.beta)

    def _derivative(self, x):
        return np.where(x > self.threshold / self.beta, 1.0, _sigmoid(self._scaled(x)))


class Softsign(Activation):
    name, display_name, formula = "softsign", "Softsign", "x / (1 + |x|)"
    value_range = property(lambda self: open_interval(-1.0, 1.0))

    def _forward(self, x):
        return x / (1.0 + np.abs(x))

    def _derivative(self, x):
        return (1.0 / (1.0 + np.abs(x))) ** 2


class HardSigmoid(Activation):
    name, display_name, formula = "hardsigmoid", "Hard sigmoid", "min(max(0, x / 6 + 1/2), 1)"
    kinks = property(lambda self: (-3.0, 3.0))
    _kink_values = property(lambda self: (0.0, 0.0))
    value_range = property(lambda self: closed(0.0, 1.0))

    def _forward(self, x):
        return np.clip(x / 6.0 + 0.5, 0.0, 1.0)

    def _derivative(self, x):
        return np.where((x > -3.0) & (x < 3.0), 1.0 / 6.0, 0.0)


class HardTanh(Activation):
    name, display_name, formula = "hardtanh", "Hard tanh", "min(max(min_val, x), max_val)"
    defaults = {"min_val": -1.0, "max_val": 1.0}

    def _check(self):
        if self.min_val >= self.max_val:
            raise ValueError(
                f"hardtanh: min_val ({self.min_val:g}) must be below max_val ({self.max_val:g})"
            )

    kinks = property(lambda self: (self.min_val, self.max_val))
    _kink_values = property(lambda self: (0.0, 0.0))
    value_range = property(lambda self: closed(self.min_val, self.max_val))

    def _forward(self, x):
        return np.clip(x, self.min_val, self.max_val)

    def _derivative(self, x):
        return ((x > self.min_val) & (x < self.max_val)).astype(np.float64)


class HardSwish(Activation):
    name, display_name, formula = "hardswish", "Hard swish", "x * min(max(0, x + 3), 6) / 6"
    kinks = property(lambda self: (-3.0, 3.0))
    _kink_values = property(lambda self: (0.0, 1.0))
    value_range = property(lambda self: half_open(-0.375))  # min at x = -1.5

    def _forward(self, x):
        xc = np.clip(x, -3.0, 3.0)
        return np.where(x >= 3.0, x, xc * (xc + 3.0) / 6.0)

    def _derivative(self, x):
        return np.where(x <= -3.0, 0.0, np.where(x < 3.0, x / 3.0 + 0.5, 1.0))


_CLASSES: tuple[type[Activation], ...] = (
    Identity, Step, Sigmoid, Tanh, ReLU, LeakyReLU, ReLU6, ELU, SELU, CELU, GELU,
    GELUTanh, SiLU, Mish, Softplus, Softsign, HardSigmoid, HardTanh, HardSwish,
)
_REGISTRY: dict[str, type[Activation]] = {cls.name: cls for cls in _CLASSES}
ACTIVATIONS: tuple[str, ...] = tuple(_REGISTRY)
ALIASES: dict[str, str] = {"linear": "identity", "swish": "silu"}


def canonical_name(name: str) -> str:
    """The registered name for ``name`` or an alias; ValueError listing valid names."""
    key = str(name).strip().lower().replace("-", "_")
    key = ALIASES.get(key, key)
    if key not in _REGISTRY:
        raise ValueError(
            f"unknown activation {name!r}; valid names: {', '.join(ACTIVATIONS)} "
            f"(aliases: {', '.join(f'{a}={t}' for a, t in ALIASES.items())})"
        )
    return key


def get_activation(name: str | Activation, **params) -> Activation:
    """An activation by name (or alias) with optional parameters.

    >>> get_activation("leaky_relu", negative_slope=0.1)(np.array([-1.0, 2.0]))
    array([-0.1,  2. ])
    """
    if isinstance(name, Activation):
        return name.with_params(**params) if params else name
    return _REGISTRY[canonical_name(name)](**params)


def parameters_of(name: str) -> dict[str, float]:
    """Default parameters of an activation (empty when it has none)."""
    return dict(_REGISTRY[canonical_name(name)].defaults)


def has_kink(name: str) -> bool:
    return bool(_REGISTRY[canonical_name(name)]().kinks)
