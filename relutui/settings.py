"""The training settings, one row each: what every reader of a setting is generated from.

A row names the ``TrainConfig`` field (also the lesson file's key under ``[config]``), the
short name the controls and the session use, the control's label, the command-line flag, the
kind of value, its limits (inclusive), its choices, whether it applies live or restarts the
run, and one help line. From the rows come: the CLI's flags and their help (``relutui.cli``),
the lesson keys and their types (``relutui.lessons``), the limits ``TrainConfig.validate``
checks (``relutui.training``), the controls' lines and editors, and the session's
``set(name, value)``.

Adding a setting: a ``TrainConfig`` field, a row here, a test.

One wording for every refusal, whoever reads the value (``subject`` is the flag, the key or
the label the reader knows it by)::

    lr must be between 1e-5 and 100, got 0
    lr must be a number, got 'abc'

Plain Python: no numpy at import (``relutui --help`` imports this), no Textual, no Rich.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any, Callable

from relutui.format import fmt, fmt_exact

__all__ = ["Setting", "SETTINGS", "LIMITS", "MAX_STEPS", "DEPTH", "WIDTH", "setting", "controls", "cli_settings",
           "parse_number", "parse_whole", "check_range", "parse_layers", "parse_params",
           "format_params", "NONE_WORDS"]

DEPTH = (1, 10)  # hidden layers
WIDTH = (1, 32)  # neurons a hidden layer
NONE_WORDS = ("none", "off", "default")  # typed for an optional setting: no value
KINDS = ("float", "int", "choice", "layers", "params", "path")

# the kind's word in a lesson file's refusals and in the CLI's help
_METAVARS = {"float": "X", "int": "N", "choice": "NAME", "layers": "SIZES", "params": "K=V",
             "path": "FILE.csv"}


# ------------------------------------------------------------------ one validator per kind
def check_range(value: float, lo: float, hi: float, subject: str) -> None:
    """The one refusal of a value out of its limits."""
    if not lo <= value <= hi:
        raise ValueError(f"{subject} must be between {fmt_exact(lo)} and {fmt_exact(hi)}, "
                         f"got {fmt_exact(value)}")


def parse_number(text: str, subject: str) -> float:
    """A finite number from text; ValueError in the one wording."""
    text = str(text).strip()
    if not text:
        raise ValueError(f"{subject} is empty: type a number")
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{subject} must be a number, got {text!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"{subject} must be a finite number, got {text!r}")
    return value


def parse_whole(text: str, subject: str) -> int:
    text = str(text).strip()
    if not text:
        raise ValueError(f"{subject} is empty: type a whole number")
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{subject} must be a whole number, got {text!r}") from None


def _number(value: Any, subject: str) -> float:
    """A number given as a value (a config, a lesson) or as text."""
    if isinstance(value, str):
        return parse_number(value, subject)
    if isinstance(value, bool):
        raise ValueError(f"{subject} must be a number, got {value!r}")
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{subject} must be a number, got {value!r}") from None
    if not math.isfinite(v):
        raise ValueError(f"{subject} must be a finite number, got {value!r}")
    return v


def _whole(value: Any, subject: str) -> int:
    if isinstance(value, str):
        return parse_whole(value, subject)
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise ValueError(f"{subject} must be a whole number, got {value!r}")
    return int(value)


def parse_layers(text: str | tuple[int, ...] | list[int], subject: str = "layers") -> tuple[int, ...]:
    """Hidden layer sizes from ``"8,8"`` (or a sequence), each and their number in limits."""
    if isinstance(text, str):
        if not text.strip():
            raise ValueError(f"{subject} is empty: type sizes like 8,8")
        parts = [p.strip() for p in text.split(",")]
        if not all(parts):
            raise ValueError(f"{subject} must be comma-separated sizes like 8,8, got {text!r}")
        try:
            sizes = tuple(int(p) for p in parts)
        except ValueError:
            raise ValueError(f"{subject} must be whole numbers like 8,8, got {text!r}") from None
    else:
        sizes = tuple(_whole(s, subject) for s in text)
    check_range(len(sizes), *DEPTH, f"{subject}: depth (hidden layers)")
    for s in sizes:
        check_range(s, *WIDTH, f"{subject}: each width")
    return sizes


def _defaults(activation: str) -> dict[str, float]:
    from relutui.activations import get_activation

    return dict(get_activation(activation).defaults)


def parse_params(text: str | dict, activation: str, subject: str = "params") -> dict[str, float]:
    """``"0.1"`` (single-parameter activations), ``"alpha=1, beta=2"`` or a dict, checked by
    the activation itself (e.g. hardtanh's min < max)."""
    from relutui.activations import get_activation

    defaults = _defaults(activation)
    if isinstance(text, dict):
        out = {str(k): _number(v, f"{subject} {k}") for k, v in text.items()}
        get_activation(activation, **out)
        return out
    text = str(text).strip()
    if not defaults:
        if text and text.lower() not in ("none", "-"):
            raise ValueError(f"{activation} has no parameters")
        return {}
    out = {}
    for part in [p.strip() for p in text.split(",") if p.strip()]:
        if "=" in part:
            key, _, val = part.partition("=")
            key = key.strip()
        elif len(defaults) == 1:
            key, val = next(iter(defaults)), part
        else:
            raise ValueError(f"write parameters as name=value ({', '.join(defaults)})")
        if key not in defaults:
            raise ValueError(f"{activation} has no parameter {key!r} (parameters: {', '.join(defaults)})")
        out[key] = parse_number(val, key)
    get_activation(activation, **out)
    return out


def format_params(params: dict[str, float], activation: str) -> str:
    """Every parameter of ``activation`` (defaults filled in) as ``name=value, ...``: the text
    ``parse_params`` reads back; "" for an activation without parameters."""
    defaults = _defaults(activation)
    return ", ".join(f"{k}={fmt_exact(v)}" for k, v in {**defaults, **params}.items())


# ------------------------------------------------------------------ choices (loaded when asked)
@functools.cache
def _activation_choices() -> tuple[tuple[str, str], ...]:
    from relutui.activations import ACTIVATIONS, get_activation

    return tuple((get_activation(a).display_name, a) for a in ACTIVATIONS)


def _dataset_choices() -> tuple[tuple[str, str], ...]:
    from relutui.datasets import DATASETS

    return tuple((d, d) for d in DATASETS)


def _init_choices() -> tuple[tuple[str, str], ...]:
    from relutui.engine import INITS

    return tuple((v, v) for v in INITS)


def _optimizer_choices() -> tuple[tuple[str, str], ...]:
    from relutui.engine import OPTIMIZERS

    return tuple((v, v) for v in OPTIMIZERS)


def _loss_choices() -> tuple[tuple[str, str], ...]:
    return (("bce", "bce"), ("mse", "mse"))


def _kink_choices() -> tuple[tuple[str, str], ...]:
    # f'(0), the slope used exactly at a kink: PyTorch's by default (relu'(0) = 0)
    return (("as PyTorch", "default"), ("0", "0"), ("0.5", "0.5"), ("1", "1"))


# ------------------------------------------------------------------ the row
@dataclass(frozen=True)
class Setting:
    field: str  # the TrainConfig field, and the lesson file's key under [config]
    name: str  # short name: the control's id, the session's ``set(name, value)``
    label: str  # the control's label (at most 10 characters)
    kind: str  # float | int | choice | layers | params | path
    help: str  # one line: the CLI's help, the control's tip
    flag: str | None = None  # the command-line flag, without "--" (None: lesson files only)
    limits: tuple[float, float] | None = None  # inclusive
    choices: Callable[[], tuple[tuple[str, str], ...]] | None = None  # (shown, value) pairs
    none: str | None = None  # optional: None is a value, shown as this word
    live: bool = False  # applies to the running network; otherwise the run restarts from its seed
    control: bool = True  # a line of the controls panel
    sweep: bool = False  # ``relutui sweep`` takes comma-separated values of it
    data: bool = False  # changes the dataset (other settings keep the one drawn)
    keys: str = ""  # the keys that change it, for the control's tip
    in_lesson: bool = False  # written to every lesson file, even at its default

    # ---------------------------------------------------------- reading
    def is_none_word(self, text: str) -> bool:
        t = str(text).strip().lower()
        return self.none is not None and t in (*NONE_WORDS, self.none.lower(), "")

    def parse(self, text: str, subject: str | None = None, activation: str = "relu") -> Any:
        """The value typed as ``text``, checked; ValueError naming ``subject`` (the label by
        default; the CLI passes its flag). ``activation``: whose parameters ``params`` are."""
        subject = subject or self.label
        if self.is_none_word(text):
            return None
        if self.kind == "float":
            value = parse_number(text, subject)
        elif self.kind == "int":
            value = parse_whole(text, subject)
        elif self.kind == "layers":
            return parse_layers(str(text).strip(), subject)
        elif self.kind == "params":
            return parse_params(text, activation, subject)
        elif self.kind == "choice":
            return self._choose(str(text).strip())
        else:  # path
            text = str(text)
            if not text:
                raise ValueError(f"{subject} is empty: type a file name")
            return text
        if self.limits is not None:
            check_range(value, *self.limits, subject)
        return value

    def check(self, value: Any, subject: str | None = None, activation: str = "relu") -> Any:
        """A value given as such (a config, a lesson, a key), checked and normalised; text is
        parsed as ``parse`` does."""
        subject = subject or self.field
        if value is None and self.none is not None:
            return None
        if isinstance(value, str) and self.kind not in ("choice", "path"):
            return self.parse(value, subject, activation)
        if self.kind == "float":
            value = _number(value, subject)
        elif self.kind == "int":
            value = _whole(value, subject)
        elif self.kind == "layers":
            return parse_layers(value, subject)
        elif self.kind == "params":
            if not isinstance(value, dict):
                raise ValueError(f"{subject} must be a table of numbers, got {value!r}")
            return parse_params(value, activation, subject)
        elif self.kind == "choice":
            if not isinstance(value, str):
                raise ValueError(f"{subject} must be a name, got {value!r}")
            return self._choose(value)
        else:
            if not isinstance(value, str) or not value:
                raise ValueError(f"{subject} must be a file name, got {value!r}")
            return value
        if self.limits is not None:
            check_range(value, *self.limits, subject)
        return value

    def _choose(self, text: str) -> str:
        if self.field in ("activation", "output"):
            from relutui.activations import canonical_name

            return canonical_name(text)
        values = [v for _, v in self.choices()]
        if text not in values:
            raise ValueError(f"unknown {self.field} {text!r}; valid: {', '.join(values)}")
        return text

    # ---------------------------------------------------------- writing
    def format(self, value: Any, activation: str = "relu") -> str:
        """The value as text that ``parse`` reads back to the same value."""
        if value is None:
            return self.none or ""
        if self.kind == "float":
            return fmt_exact(float(value))
        if self.kind == "int":
            return str(int(value))
        if self.kind == "layers":
            return ",".join(str(int(s)) for s in value)
        if self.kind == "params":
            return format_params(value, activation)
        return str(value)

    def choice_value(self, value: Any) -> str:
        """The value as its control's choice (``choices``' second item)."""
        if value is None:
            return next(v for _, v in self.choices() if self.is_none_word(v))
        return value if self.kind == "choice" else fmt_exact(value)

    def shown(self, value: Any, activation: str = "relu") -> str:
        """The value as a control's line shows it: a choice by its display name."""
        if self.choices is not None:
            wanted = self.choice_value(value)
            for shown, v in self.choices():
                if v == wanted:
                    return shown
        return self.format(value, activation)

    def to_data(self, value: Any) -> Any:
        """The value as a lesson file holds it (TOML: lists, tables of floats)."""
        if self.kind == "layers":
            return [int(s) for s in value]
        if self.kind == "params":
            return {k: float(v) for k, v in value.items()}
        return value

    # ---------------------------------------------------------- help
    @property
    def metavar(self) -> str:
        return _METAVARS[self.kind]

    def limits_text(self) -> str:
        if self.limits is None:
            return ""
        lo, hi = self.limits
        return f"{fmt_exact(lo)} to {fmt_exact(hi)}" + (f", or {self.none}" if self.none else "")

    def cli_help(self) -> str:
        """The flag's help: the help line and the limits."""
        limits = self.limits_text()
        return self.help + (f" ({limits})" if limits else "")

    def tip(self) -> str:
        """The control's tip: the help line, whether it applies live, its keys."""
        text = self.help[:1].upper() + self.help[1:]
        if self.live:
            text += ", applies live"
        if self.keys:
            text += f" ({self.keys})"
        return text


# ------------------------------------------------------------------ the table
# The controls panel shows the rows with ``control`` in this order.
SETTINGS: tuple[Setting, ...] = (
    Setting("activation", "activation", "activation", "choice", "hidden activation, e.g. relu (see 'relutui list')",
            flag="activation", choices=_activation_choices, sweep=True, keys="a / A cycle it", in_lesson=True),
    Setting("activation_params", "params", "params", "params",
            "activation parameters, e.g. 0.1 or negative_slope=0.1", flag="param"),
    Setting("lr", "lr", "lr", "float", "learning rate", flag="lr", limits=(1e-5, 100.0), live=True,
            sweep=True, keys="[ and ] step it on a log scale", in_lesson=True),
    Setting("bias_init", "bias", "bias init", "float", "initial value of every hidden bias; -3 kills ReLUs",
            flag="bias", limits=(-50.0, 50.0), sweep=True, keys="{ and } step it by 0.5", in_lesson=True),
    Setting("dataset", "dataset", "dataset", "choice",
            "2-D dataset: xor, circles, moons, spiral, gaussians, linear or sine", flag="dataset",
            choices=_dataset_choices, sweep=True, data=True, keys="d / D cycle it", in_lesson=True),
    Setting("layers", "layers", "layers", "layers",
            f"hidden layer sizes, e.g. 8,8 (depth {DEPTH[0]}..{DEPTH[1]}, width {WIDTH[0]}..{WIDTH[1]})",
            flag="layers", in_lesson=True),
    Setting("init", "init", "init", "choice", "weight initialisation: he, xavier, normal or zeros",
            flag="init", choices=_init_choices, sweep=True),
    Setting("init_std", "init_std", "init std", "float",
            "standard deviation of the normal init (the other inits ignore it)", flag="init-std",
            limits=(1e-4, 100.0)),
    Setting("optimizer", "optimizer", "optimiser", "choice", "optimiser: sgd, momentum or adam",
            flag="optimizer", choices=_optimizer_choices, sweep=True),
    Setting("batch_size", "batch", "batch", "int", "mini-batch size, 0 = full batch", flag="batch-size",
            limits=(0, 100_000)),
    Setting("noise", "noise", "noise", "float", "noise of the generated dataset", flag="noise",
            limits=(0.0, 5.0), data=True),
    Setting("test_fraction", "split", "test split", "float", "fraction of the data held out for testing",
            flag="test-split", limits=(0.0, 0.9), data=True),
    Setting("l2", "l2", "L2", "float", "weight decay (L2 penalty)", flag="l2", limits=(0.0, 10.0)),
    Setting("clip_norm", "clip", "clip norm", "float",
            "largest gradient norm of a step: a longer gradient is scaled down to it", flag="clip",
            limits=(1e-6, 1e6), none="off"),
    Setting("derivative_at_kink", "kink", "f'(0)", "float",
            "the slope f' takes exactly at a kink (x = 0 for ReLU). as PyTorch: PyTorch's value, "
            "relu'(0) = 0; 0.5 or 1 replace it", flag="kink", limits=(-10.0, 10.0), none="as PyTorch",
            choices=_kink_choices),
    Setting("seed", "seed", "seed", "int", "random seed of data, weights and batches", flag="seed",
            limits=(0, 2**32 - 1), data=True, in_lesson=True),
    # not in the controls panel
    Setting("n_samples", "samples", "samples", "int", "number of generated points", flag="samples",
            limits=(4, 100_000), data=True, control=False),
    Setting("data_path", "data", "data file", "path", "your own CSV (columns x1,x2,label) instead of --dataset",
            flag="data", none="none", data=True, control=False),
    Setting("output", "output", "output", "choice",
            "output activation (default: sigmoid to classify, identity for regression)",
            choices=_activation_choices, none="auto", control=False),
    Setting("loss", "loss", "loss", "choice", "loss: bce or mse (default: bce to classify, mse for regression)",
            choices=_loss_choices, none="auto", control=False),
)

_BY_KEY: dict[str, Setting] = {}
for _row in SETTINGS:
    _BY_KEY.setdefault(_row.field, _row)
    _BY_KEY.setdefault(_row.name, _row)

#: the most training steps one run may take (``relutui run --steps``, a lesson's ``steps``)
MAX_STEPS = 100_000

#: the limits by field (and the layers' depth and width): what ``TrainConfig.validate`` checks
LIMITS: dict[str, tuple[float, float]] = {
    **{row.field: row.limits for row in SETTINGS if row.limits is not None}, "depth": DEPTH, "width": WIDTH}


def setting(key: str) -> Setting:
    """The row of a field (``bias_init``) or of a short name (``bias``)."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"no setting {key!r}") from None


def controls() -> tuple[Setting, ...]:
    """The controls panel's rows, in order."""
    return tuple(row for row in SETTINGS if row.control)


def cli_settings() -> tuple[Setting, ...]:
    """The rows with a command-line flag."""
    return tuple(row for row in SETTINGS if row.flag is not None)


def setting_text(key: str, value: Any) -> str:
    """A "setting = value" text's value: exact for a setting's number (the text reads back to
    it), compact for anything else."""
    row = _BY_KEY.get(key)
    if row is not None and not (row.kind == "params" or isinstance(value, dict)):
        return row.format(value)
    if isinstance(value, float):
        return fmt(value, 4)
    if isinstance(value, (tuple, list)):
        return ",".join(map(str, value))
    if isinstance(value, dict):
        return ", ".join(f"{k}={fmt_exact(v)}" for k, v in value.items()) or "{}"
    return str(value)
