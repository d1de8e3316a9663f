"""Every factual claim of the article, in the article's order, and what tests it.

Pure data (no numpy): each ``Claim`` has the article's own words (``quote``, copied word for
word from ``article.md``; a test checks it), what kind of claim it is and why, and the
experiment of the claims lab that tests it, or ``None`` with the reason nothing does.
``EXTENSIONS`` are claims the article never makes that the lab tests anyway (leaky ReLU,
clipping): they have no quote.

A claim may name a ``part`` of an experiment: the experiment judges several things (training
speed against sigmoid and against tanh) and reports each one's verdict in its evidence under
``parts`` (see ``part_verdict``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

__all__ = ["Claim", "CLAIMS", "EXTENSIONS", "KINDS", "TESTABLE", "MUDDLED", "FALSE",
           "NOT_TESTABLE", "EXTENSION", "article_text", "is_article_words", "normalise", "claims_for", "part_verdict"]

TESTABLE, MUDDLED, FALSE, NOT_TESTABLE = "testable", "muddled", "false", "not testable as worded"
EXTENSION = "extension"  # not in the article: the lab's own addition, never quoted
KINDS = (TESTABLE, MUDDLED, FALSE, NOT_TESTABLE, EXTENSION)
PARTS_KEY = "parts"  # an experiment's evidence entry: {part: {"verdict", "deciding"}}
DECIDING_KEY = "deciding"  # an evidence entry: {"what": words, "value": the number(s)}


@dataclass(frozen=True)
class Claim:
    short: str                 # a few words, for tables
    quote: str | None          # the article's own words (None only for an extension)
    kind: str                  # one of KINDS
    reason: str                # why it is that kind, in one line
    experiment: str | None     # the experiment that tests it, or None
    note: str = ""             # why nothing tests it, or what the verdict covers
    part: str | None = None    # the part of the experiment's verdict that answers it

    def __post_init__(self) -> None:
        assert self.kind in KINDS, self.kind
        assert (self.quote is None) == (self.kind == EXTENSION), self.short
        assert self.experiment is not None or self.note, f"{self.short}: say why nothing tests it"


_UNIT = "the unit tests check relutui's relu against this definition and PyTorch"

CLAIMS: tuple[Claim, ...] = (
    Claim("ReLU is the default choice",
          "explain why it is selected as the default choice for Neural Networks",
          NOT_TESTABLE, "a statement about practice, not about the function", None,
          "no run can test what people choose (many recent models use GELU or SiLU instead)"),
    Claim("neurons identical to biological ones",
          "neurons that are identical to the biological neurons within the human body",
          FALSE, "an artificial neuron is a weighted sum and a function, a loose abstraction",
          None, "not a computation: nothing to run"),
    Claim("back-propagation updates the weights",
          "Through the use of an optimizer, most often gradient descent, back-propagation is "
          "used to update the weights and minimize the loss function.",
          MUDDLED, "backpropagation computes the gradient; the optimiser updates the weights",
          None, "a description of training, not a claim a run can refute"),
    Claim("the loss reaches a local minimum",
          "The loss is iterated over many iterations until it reaches a local minimum "
          "somewhere in the world.",
          MUDDLED, "the weights are iterated, not the loss; training usually stops before any "
          "minimum", None, "too vague to measure (\"somewhere in the world\")"),
    Claim("maps any input to any output",
          "An activation function is a straightforward mathematical function that maps any "
          "input to any output within a specified domain.",
          MUDDLED, "it maps each real input to one output in its range", None,
          "a definition, worded loosely: nothing to measure"),
    Claim("threshold switches",
          "threshold switches turn on the neuron when the function’s output reaches a "
          "predetermined value",
          MUDDLED, "that is the step function; relu, sigmoid and tanh have no such threshold",
          None, "about the step function, whose f' is 0 wherever it is defined"),
    Claim("they turn neurons on and off",
          "They turn neurons on and off.",
          MUDDLED, "true of relu (exact zeros), not of sigmoid or tanh (never exactly 0)",
          None, "see sparsity: relu outputs exact zeros, sigmoid none"),
    Claim("non-linearity learns complicated patterns",
          "relu activation function introduces a non-linearity, to make the network learn "
          "complicated patterns in the data",
          TESTABLE, "a bent boundary (xor) needs a non-linear net", "nonlinearity"),
    Claim("without an activation: a linear model",
          "Our model will behave like a limited-learning linear regression model without an "
          "activation function.",
          TESTABLE, "a stack of linear layers is one linear map", "nonlinearity"),
    Claim("relu returns positive inputs, else 0",
          "The rectified linear relu activation function (ReLU) returns positive inputs "
          "directly and 0 otherwise.",
          TESTABLE, "the definition, and true", None, f"true by definition: {_UNIT}"),
    Claim("the most used activation",
          "has the highest frequency of occurrence of any activation function",
          NOT_TESTABLE, "a survey of practice, with no source", None,
          "no run can count what the field uses"),
    Claim("simpler than sigmoid and tanh",
          "It is simpler and more effective than the sigmoid and tanh.",
          TESTABLE, "cost per element and per training step can be measured",
          "compute-cost", part="per element"),
    Claim("more effective than sigmoid",
          "It is simpler and more effective than the sigmoid and tanh.",
          TESTABLE, "\"effective\" read as: fewer training steps to the same accuracy",
          "training-speed", part="sigmoid"),
    Claim("more effective than tanh",
          "It is simpler and more effective than the sigmoid and tanh.",
          TESTABLE, "\"effective\" read as: fewer training steps to the same accuracy",
          "training-speed", part="tanh"),
    Claim("relu(x) = max(0.0, x)",
          "the defined relu activation function relu(x) returns the maximum value (0.0, x)",
          TESTABLE, "the definition, and true", None, f"true by definition: {_UNIT}"),
    Claim("positive values return 1.0",
          "Values larger than zero return 1.0, whereas values less than zero return 0.0.",
          FALSE, "that is relu' (or the step function), not relu", "f-vs-derivative"),
    Claim("the plot spans -10 to 10",
          "Enter -10–10.",
          MUDDLED, "the article's own code plots range(-5, 10), that is -5 to 9", None,
          "about the article's code, not about ReLU"),
    Claim("negatives reset to zero, positives unmodified",
          "The graph reveals that all negative values have been reset to zero while positive "
          "values have been returned unmodified.",
          TESTABLE, "the definition, and true", None, f"true by definition: {_UNIT}"),
    Claim("the result is a linear function",
          "hence the result is a linear function with a rising slope",
          FALSE, "relu of -5..9 is flat at 0 and then rises with slope 1: two pieces, not one "
          "line", None, "linear-pieces shows where it bends: additivity fails only across 0"),
    Claim("complex data needs a non-linear function",
          "detecting and comprehending complex training data linkages requires a non-linear "
          "function",
          TESTABLE, "xor cannot be fitted by a linear model", "nonlinearity"),
    Claim("linear when positive, non-linear when negative",
          "When positive, it acts linearly; when negative, it activates non-linearly.",
          FALSE, "relu is linear on each half-line; the non-linearity is the switch at 0",
          "linear-pieces"),
    Claim("linear for positives simplifies the gradient",
          "Backpropagation using an optimizer like SGD (Stochastic Gradient Descent) "
          "simplifies the computation of the gradient because the function behaves like a "
          "linear one for positive values.",
          MUDDLED, "the optimiser does not compute gradients; relu' is a 0/1 mask, which is "
          "cheap", "compute-cost", part="gradient"),
    Claim("preservation of attributes",
          "In addition to facilitating the preservation of attributes, this close linearity "
          "also facilitates the optimization of linear models using gradient-based techniques.",
          NOT_TESTABLE, "\"attributes\" is undefined, and a relu net is not a linear model",
          None, "nothing definite to measure"),
    Claim("relu prevents saturation",
          "increases the sensitivity of the weighted sum, which helps prevent neuronal "
          "saturation",
          MUDDLED, "relu never saturates for z > 0 (f' = 1), but for z < 0 its output does not "
          "vary at all", None,
          "the flat side is the dead zone: see dying-relu-bias; saturation tests sigmoid and tanh"),
    Claim("relu' is 1 for x > 0, 0 for x < 0",
          "For positive values of x, ReLU’s slope is 1, whereas, for negative values, it is 0.",
          TESTABLE, "the derivative, and true", None,
          "true by definition: the unit tests check relu' against finite differences and PyTorch"),
    Claim("any value at 0 is harmless",
          "When x is zero, differentiation becomes impossible, however, this is usually a "
          "harmless assumption.",
          TESTABLE, "the value assumed for relu'(0) can be changed and the training compared",
          "derivative-at-zero"),
    Claim("sigmoid and tanh make gradients vanish",
          "Instead of employing Sigmoid or tanh in the hidden layers, which can cause the "
          "dreaded “Vanishing Gradient” issue, we turn to ReLU.",
          TESTABLE, "the gradient's size layer by layer can be measured", "vanishing-gradient"),
    Claim("lower layers cannot learn",
          "Backpropagation in a network is inhibited by the “Vanishing Gradient,” which "
          "inhibits lower levels from gaining useful knowledge.",
          TESTABLE, "how far the first layer's weights move can be measured",
          "lower-layers-learn"),
    Claim("sigmoid outputs only 0 and 1",
          "the output of the sigmoid function, which is a logistic function, can only take on "
          "the values 0 and 1",
          FALSE, "sigmoid(z) lies strictly between 0 and 1 for every finite z", "sigmoid-range"),
    Claim("sigmoid suits a binary-classification output",
          "it is best suited for application in issues involving regression or binary "
          "classification, and then only in the output layer",
          TESTABLE, "a sigmoid output with cross-entropy on 0/1 labels can be trained and "
          "compared", "sigmoid-output", part="classification"),
    Claim("sigmoid suits a regression output",
          "it is best suited for application in issues involving regression or binary "
          "classification, and then only in the output layer",
          FALSE, "a sigmoid output lies in (0, 1): it cannot reach targets outside it",
          "sigmoid-output", "\"only in the output layer\" is not tested: shallow sigmoid hidden "
          "layers train, deep ones vanish", part="regression"),
    Claim("sigmoid and tanh saturate",
          "Sigmoid and tanh both reach saturation and lose some of their sensitivity.",
          TESTABLE, "saturated neurons' weight movement can be measured", "saturation"),
    Claim("f' fixed at 1 simplifies training",
          "Keeping the derivative fixed at 1, as it would be for positive input, simplifies the "
          "computation required for training a model and minimizing mistakes.",
          MUDDLED, "the cost half can be measured; \"minimizing mistakes\" is not about cost",
          "compute-cost", "the cost of a training step; \"minimizing mistakes\" is not tested",
          part="training step"),
    Claim("representational sparsity",
          "It possesses the property of representational sparsity, which allows it to provide "
          "a valid zero value.",
          TESTABLE, "exact zeros in the hidden outputs can be counted", "sparsity"),
    Claim("linear functions are easier to fine-tune",
          "Linear activation functions are less of a challenge to fine-tune and have a more "
          "natural feel to them.",
          NOT_TESTABLE, "\"natural feel\" is not a measurable property", None,
          "nothing definite to measure"),
    Claim("best with multiple labels and data",
          "Thus, it performs best in supervised environments with multiple labels and data.",
          NOT_TESTABLE, "best compared with what, on which data, is not said", None,
          "nothing definite to measure"),
    Claim("the gradient accumulates and explodes",
          "The gradient accumulates, leading to explosive gradients and huge discrepancies in "
          "successive weight updates.",
          TESTABLE, "the gradient's size can be measured against a He-init baseline",
          "exploding-gradient"),
    Claim("unstable convergence to global minima",
          "The resulting convergence to global minima is unstable, and the learning process is "
          "similarly unsteady.",
          MUDDLED, "gradient descent on a network is not known to converge to a global minimum "
          "at all", None, "see exploding-gradient for the unstable updates"),
    Claim("dead neurons are stuck at zero",
          "the problem of “dead neurons” arises when the neuron becomes trapped in the negative "
          "side and produces zero values at all times",
          TESTABLE, "a definition of a dead neuron, and the one relutui counts", None,
          "a definition: relutui counts a neuron dead when f'(z) = 0 on every training sample"),
    Claim("a dead neuron won't recover",
          "If the gradient is 0, the neuron won’t recover.",
          MUDDLED, "its own weights get no update, but the layers below it still move and can "
          "bring it back", "dying-relu-bias",
          "at the default bias -3 every neuron is dead, so nothing below can move; with --arm "
          "negative_bias --bias -1 some come back, all in layer 2 (the dying-relu-class lesson)"),
    Claim("a large negative bias kills neurons",
          "This occurs when there is a considerable amount of negative bias",
          TESTABLE, "the bias at initialisation can be set and the dead neurons counted",
          "dying-relu-bias"),
    Claim("a fast learning rate kills neurons",
          "or a fast learning rate",
          TESTABLE, "the learning rate can be set and the dead neurons counted", "dying-relu-lr"),
)

EXTENSIONS: tuple[Claim, ...] = (
    Claim("leaky ReLU and ELU cannot die", None, EXTENSION,
          "the article never mentions leaky ReLU or ELU", "leaky-fix"),
    Claim("clipping bounds the updates", None, EXTENSION,
          "the article never mentions gradient clipping", None,
          "exploding-gradient shows clipped against unclipped runs; its verdict judges the "
          "article's claim, not clipping"),
)


def claims_for(experiment: str) -> tuple[Claim, ...]:
    """The article's claims an experiment tests (hyphens or underscores both accepted)."""
    key = experiment.replace("_", "-")
    return tuple(c for c in CLAIMS if c.experiment == key)


def part_verdict(claim: Claim, verdict: dict | None) -> tuple[str | None, dict | None]:
    """The verdict of ``claim`` and what decided it (``{"what", "value"}``) from its
    experiment's verdict object (``{"verdict", "evidence"}``): the whole verdict, or its
    ``part`` from the evidence's ``parts``."""
    if verdict is None:
        return None, None
    evidence = verdict.get("evidence") or {}
    if claim.part is not None and verdict.get("verdict") != "not tested":
        part = (evidence.get(PARTS_KEY) or {}).get(claim.part)
        if part is not None:
            return part.get("verdict"), part.get(DECIDING_KEY)
    return verdict.get("verdict"), evidence.get(DECIDING_KEY)


# ------------------------------------------------------------------ the article
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def normalise(text: str) -> str:
    """Whitespace runs as one space, curly quote marks as straight ones."""
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()


def article_text() -> str:
    """The article the claims are quoted from (a copy kept in the package)."""
    return resources.files(__package__).joinpath("article.md").read_text(encoding="utf-8")


_ARTICLE_NORMALISED: list[str] = []


def is_article_words(text: str) -> bool:
    """Whether ``text`` is the article's own words (whitespace and quote marks normalised):
    only such text is shown in quotation marks."""
    if not _ARTICLE_NORMALISED:
        _ARTICLE_NORMALISED.append(normalise(article_text()))
    return bool(text.strip()) and normalise(text) in _ARTICLE_NORMALISED[0]
