"""The views: plain dataclasses of numbers and strings that the state builds and the
widgets render, the step-through phases, and the words and symbols of neuron states and
verdicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from relutui.diagnostics import ACTIVE, DEAD, SATURATED
from relutui.format import fmt
from relutui.settings import setting_text  # noqa: F401  (the one "setting = value" text)

STATE_NAMES = {ACTIVE: "active", SATURATED: "saturated", DEAD: "dead"}
STATE_SYMBOLS = {ACTIVE: "●", SATURATED: "◐", DEAD: "✕"}
OFF_SYMBOL = "○"  # a neuron not dead over the batch whose f'(z) = 0 for the sample shown
# what a neuron not dead over the batch does for the sample shown, when its f'(z) is 0 or tiny
# (``present/marks.py``): drawn in place of its state's symbol, named in the legends and help
MARK_SYMBOLS = {"off": OFF_SYMBOL, "clipped": "◑", "weak": "◌"}
MARK_HELP = {
    "off": "off for the sample shown: f'(z) = 0, output 0 (a ReLU's z < 0); ●◐✕ are batch states",
    "clipped": "clipped for the sample shown: output at a bound (hard tanh's ±1), f'(z) = 0: saturation",
    "weak": "weak for the sample shown: 0 < f'(z) ≤ 1% of its max (a leaky ReLU's 0.01 for z < 0)",
}
# |dL/dz| in the backward phases, by decades below the largest in the network
GRAD_RAMP = ("█", "▓", "▒", "░")
STATE_HELP = {
    ACTIVE: "active: f'(z) is large enough on the batch for gradients to pass",
    SATURATED: ("saturated: on most samples |f'(z)| < 1% of its maximum (flat tails of sigmoid/tanh) "
                "or f'(z) = 0 at a bound other than 0 (clipped: hard tanh's ±1)"),
    DEAD: "dead: f'(z) = 0 on every sample, so no gradient can ever reach its weights",
}

# tags the widgets map to theme colours
Segment = tuple[str, str]  # (text, tag)
Line = list[Segment]


# ---------------------------------------------------------------- phases
@dataclass(frozen=True)
class Phase:
    kind: str  # "forward" | "loss" | "backward" | "update"
    layer: int | None  # weight-layer index (0-based) for forward/backward

    def label(self, n_layers: int) -> str:
        if self.kind == "forward":
            return f"forward · layer {self.layer + 1}/{n_layers}"
        if self.kind == "backward":
            return f"backward · layer {self.layer + 1}/{n_layers}"
        return {"loss": "loss", "update": "weight update"}[self.kind]


def make_phases(n_layers: int) -> list[Phase]:
    return (
        [Phase("forward", l) for l in range(n_layers)]
        + [Phase("loss", None)]
        + [Phase("backward", l) for l in reversed(range(n_layers))]
        + [Phase("update", None)]
    )


# ---------------------------------------------------------------- views
@dataclass
class ChartView:
    title: str
    formula: str
    x_range: float
    xs: np.ndarray
    f: np.ndarray
    fp: np.ndarray
    fp_limits: tuple[float, float]
    fp_max: float  # the activation's sup |f'| (0.25 sigmoid, 1.5 hard swish): labelled on the f' axis
    f_limits: tuple[float, float]
    dead: list[tuple[float, float]]
    saturated: list[tuple[float, float]]
    hist_centers: np.ndarray
    hist_counts: np.ndarray
    hist_label: str
    outside: float  # fraction of pre-activations outside the visible range
    points_z: np.ndarray  # operating points of the selected sample (all hidden neurons)
    points_f: np.ndarray
    points_fp: np.ndarray
    points_state: np.ndarray
    selected_point: int | None  # index into points_* of the selected neuron


@dataclass
class NeuronCell:
    state: int | None  # over the batch; None for input / not computed
    value: float | None
    selected: bool
    off: bool = False  # f'(z) = 0 for the sample shown: no gradient through it for that sample
    mark: str | None = None  # "off" | "clipped" | "weak" for the sample shown (MARK_SYMBOLS)
    level: int | None = None  # backward phases: decades of |dL/dz| below the largest (GRAD_RAMP)


@dataclass
class LayerColumn:
    title: str
    kind: str  # input | hidden | output
    cells: list[NeuronCell]
    highlight: bool
    computed: bool
    w_pos: int = 0  # incoming weights > 0
    w_neg: int = 0
    w_max: float = 0.0


@dataclass
class NetworkView:
    columns: list[LayerColumn]
    value_name: str  # what the numbers are: "a", "dL/dz", "Δb" ...
    scale: float  # max |value| shown (colour scale, not clamped)
    where: str  # "sample #12 (x=(0.3, -0.8), y=1)" or "batch mean (160)"
    phase_label: str
    counts: dict[str, int]
    mark_words: dict[str, str] | None = None  # each mark's words in the legend ("leaky: f'=0.01")
    ramp: str | None = None  # what GRAD_RAMP shades ("|dL/dz|"), in the backward phases


@dataclass
class TrainingView:
    steps: np.ndarray
    loss: np.ndarray
    test_loss: np.ndarray
    accuracy: np.ndarray
    grad_norms: np.ndarray  # (n, L)
    dead: np.ndarray  # (n,) overall fraction
    saturated: np.ndarray
    step: int
    # the network as it is now (after ``step`` updates): loss and accuracy on the whole training
    # set and on the test set; the curves end one step earlier (each history row is measured on
    # its step's batch, before that step's update)
    last_loss: float | None
    last_test_loss: float | None
    last_acc: float | None
    last_test_acc: float | None
    dead_pct: float
    sat_pct: float
    n_dead: int
    n_sat: int
    n_hidden: int
    layer_norms: np.ndarray  # current per-layer grad norms (L,)
    diverged_at: int | None
    task: str
    label: str  # activation display name


@dataclass
class BoundaryView:
    probs: np.ndarray  # (rows_px, cols) in [0, 1] (or regression value, normalised)
    points: list[tuple[int, int, float, bool]]  # (col, row_px, label, is_test)
    extent: tuple[float, float, float, float]
    task: str
    accuracy: float | None


@dataclass
class ExperimentView:
    """The claims-lab panel: the loaded experiment, its run and the measured verdict."""

    name: str
    title: str
    claim: str
    explanation: str
    arms: list[str]  # "negative bias: bias_init -3", as run (a changed arm names what it was)
    status: str  # ready | running | done | failed
    progress: tuple[int, int]
    verdict: str | None
    verdict_tag: str  # active (holds) | dead (does not hold) | saturated (depends) | sel (not tested)
    untested: str | None  # why the shown verdict is "not tested"
    previous: str | None  # the verdict before this run, when it was a re-run
    evidence: list[tuple[str, list[tuple[str, str]]]]  # (quantity, [(arm or "", value)])
    criterion: str
    ran: str  # "seeds 0-4 × 300 steps"
    ran_changes: list[str]  # settings the shown verdict was measured with, against the experiment
    pending: list[str]  # settings in force now that differ from the experiment
    stale: bool  # the settings changed since the shown verdict: R re-runs
    pending_untested: str | None  # why the settings in force could not test the claim (before R)
    error: str | None
    # graded sweeps beside the verdict (ExperimentResult.tables): {title, columns, rows, note}
    tables: list[dict] = field(default_factory=list)
    claim_quoted: bool = True  # the claim is the article's own words (shown in quotation marks)


VERDICT_TAGS = {"holds": "active", "does not hold": "dead", "depends": "saturated", "not tested": "sel"}
VERDICT_SYMBOLS = {"holds": "✔", "does not hold": "✘", "depends": "◐", "not tested": "○"}
NOT_TESTED_KEY = "not_tested_because"  # relutui.experiments.NOT_TESTED_KEY (no numpy import here)


def _evidence_value(v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if v is None:
        return "—"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return fmt(float(v))
    return str(v)


def evidence_rows(evidence: dict) -> list[tuple[str, list[tuple[str, str]]]]:
    """The deciding numbers of a verdict, readable: per-arm scalars and top-level scalars
    (per-seed lists are left to ``relutui run --json``)."""
    rows: list[tuple[str, list[tuple[str, str]]]] = []
    for key, value in evidence.items():
        if key in ("criterion", NOT_TESTED_KEY):  # shown on their own lines
            continue
        name = str(key).replace("_", " ")
        if isinstance(value, dict):
            items = [(str(k), _evidence_value(v)) for k, v in value.items()
                     if not isinstance(v, (list, tuple, dict))]
            if items:
                rows.append((name, items))
        elif not isinstance(value, (list, tuple)):
            rows.append((name, [("", _evidence_value(value))]))
    return rows
