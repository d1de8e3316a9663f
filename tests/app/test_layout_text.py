"""Saying less instead of cutting (issue 13): the controls' short values, the titles that fit,
the claim panel's words. Pure functions: no app start."""

from __future__ import annotations

from relutui.app.widgets.controls import VALUE_WIDTH, compact_layers, fit_value
from relutui.app.widgets.experiment_panel import evidence_sentence
from relutui.app.widgets.titles import BORDER_CHROME, drop_parts, fitting
from relutui.session.present.experiment import plain_words, setting_phrase
from relutui.session.views import ExperimentView


def test_long_values_are_said_shorter_never_cut():
    assert fit_value("activation", "Sigmoid (logistic)") == "Sigmoid"
    assert fit_value("activation", "GELU (tanh approx.)") == "GELU (tanh)"  # not the same as GELU (exact)
    assert fit_value("layers", "8,8,8,8,8,8,8,8") == "8×8"
    assert fit_value("layers", "16,8,8,8,8,8,8,8") == "16,8×7"
    assert fit_value("params", "negative_slope=0.01") == "slope=0.01"
    assert fit_value("lr", "0.1") == "0.1"
    for field, value in (("activation", "Sigmoid (logistic)"), ("layers", "1,2,3,4,5,6,7,8,9"),
                         ("params", "negative_slope=0.01")):
        said = fit_value(field, value)
        assert len(said) <= VALUE_WIDTH and "…" not in said, said
    assert compact_layers("8,8") == "8×2" and compact_layers("4,8") == "4,8"


def test_titles_fit_or_give_way_by_parts():
    long = "neuron · sample #0 x=(-0.021, -0.86) y=0"
    assert fitting([long], 0) == long  # not laid out yet: the first
    assert fitting([long], len(long) + BORDER_CHROME) == long
    assert fitting([long], 30) == "neuron"
    assert fitting(["a long title that will not fit", "short"], 20) == "short"
    assert drop_parts("a · b · c", 5) == "a · b"
    assert fitting(["[dim]f(x)[/] = x"], 10 + BORDER_CHROME) == "[dim]f(x)[/] = x"  # markup not counted


def test_the_claim_panel_never_prints_python():
    assert plain_words("the negative-bias arm now has bias_init 0") == "the negative-bias arm now has bias init 0"
    assert plain_words("clip_norm None, lr 5") == "clip norm off, lr 5"
    assert setting_phrase("clip_norm", None) == "clip norm off"
    assert setting_phrase("bias_init", -3.0) == "bias init -3"


def _view(evidence) -> ExperimentView:
    return ExperimentView(
        name="x", title="t", claim="c", explanation="", arms=["A: relu"], status="done", progress=(1, 1),
        verdict="holds", verdict_tag="active", untested=None, previous=None, evidence=evidence, criterion="",
        ran="seed 0 × 1 steps", ran_changes=[], pending=[], stale=False, pending_untested=None, error=None)


def test_the_evidence_sentence_gives_the_deciding_number():
    deciding = [("size", [("unclipped", "7.6e4")]), ("deciding", [("what", "gradient over He's"), ("value", "7.6e4")])]
    assert evidence_sentence(_view(deciding)) == "gradient over He's 7.6e4."
    by_arm = [("dead fraction", [("negative_bias", "1"), ("zero_bias", "0.0312")])]
    assert evidence_sentence(_view(by_arm)) == "dead fraction: negative bias 1, zero bias 0.0312."


def test_a_deciding_pair_of_several_numbers_is_the_sentence():
    """nonlinearity's deciding value is a dict ({"identity", "worst_nonlinear"}): the rows lost
    it and the sentence was the first row's ("mean accuracy: identity 0.55, relu 0.984, ...")."""
    from relutui.session.present.experiment import _deciding_row
    from relutui.session.views import evidence_rows

    ev = {"mean_accuracy": {"identity": 0.55, "relu": 0.984},
          "deciding": {"what": "mean accuracy, linear net and worst non-linear arm",
                       "value": {"identity": 0.55, "worst_nonlinear": 0.984}}}
    rows = [_deciding_row(ev) or row if row[0] == "deciding" else row for row in evidence_rows(ev)]
    assert evidence_sentence(_view(rows)) == (
        "mean accuracy, linear net and worst non-linear arm: identity 0.55, worst nonlinear 0.984.")
    assert _deciding_row({"deciding": {"what": "ratio", "value": 3.5}}) is None  # (one number: kept as it is)
