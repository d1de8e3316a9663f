"""The claims table quotes the article word for word, in the article's order, and names
experiments that exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from relutui.experiments import experiment_names, get_experiment
from relutui.experiments.claims import (CLAIMS, EXTENSION, EXTENSIONS, KINDS, article_text, claims_for,
                                        normalise, part_verdict)

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "seed-article.md"
ARTICLE = normalise(article_text())


def test_the_package_copy_is_the_shared_article():
    copy = (ROOT / "relutui" / "experiments" / "article.md").read_text(encoding="utf-8")
    assert copy == article_text()
    if SHARED.is_file():  # in CI and in a checkout next to ../shared; the copy is checked anyway
        assert copy == SHARED.read_text(encoding="utf-8")


def test_the_normalisation_is_only_whitespace_and_quote_marks():
    assert normalise(" a\n\n “b”  c’s\t") == 'a "b" c\'s'


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.short)
def test_each_quote_is_the_articles_own_words(claim):
    assert claim.quote and normalise(claim.quote) in ARTICLE


def test_quotes_are_in_article_order():
    positions = [ARTICLE.find(normalise(c.quote)) for c in CLAIMS]
    assert positions == sorted(positions)
    assert len({normalise(c.quote) for c in CLAIMS}) >= 30  # every factual claim: about 30


def test_every_claim_has_a_kind_a_reason_and_an_experiment_or_why_not():
    for c in (*CLAIMS, *EXTENSIONS):
        assert c.kind in KINDS and c.reason.strip(), c.short
        assert c.experiment is not None or c.note.strip(), c.short
        if c.experiment is not None:
            assert get_experiment(c.experiment).name == c.experiment
    assert all(c.kind != EXTENSION for c in CLAIMS)
    assert all(c.kind == EXTENSION and c.quote is None for c in EXTENSIONS)


def test_words_in_quotation_marks_are_the_articles():
    for c in (*CLAIMS, *EXTENSIONS):
        for text in (c.reason, c.note, c.short):
            for quoted in re.findall(r'"([^"]+)"|“([^”]+)”', text):
                words = normalise(next(q for q in quoted if q))
                assert words in ARTICLE, (c.short, words)


def test_every_experiment_tests_a_claim_or_an_extension():
    named = {c.experiment for c in (*CLAIMS, *EXTENSIONS)}
    assert set(experiment_names()) <= named


def test_claims_for_and_part_verdict():
    assert [c.short for c in claims_for("f_vs_derivative")] == ["positive values return 1.0"]
    speed = [c for c in claims_for("training-speed")]
    assert [c.part for c in speed] == ["sigmoid", "tanh"]
    x, y = {"what": "x", "value": 1}, {"what": "y", "value": 2}
    verdict = {"verdict": "does not hold",
               "evidence": {"deciding": x, "parts": {"sigmoid": {"verdict": "holds", "deciding": y}}}}
    assert part_verdict(speed[0], verdict) == ("holds", y)
    assert part_verdict(speed[1], verdict) == ("does not hold", x)  # no such part: the whole
    assert part_verdict(speed[0], {"verdict": "not tested", "evidence": {}}) == ("not tested", None)
    assert part_verdict(speed[0], None) == (None, None)


NEW = ("f-vs-derivative", "linear-pieces", "compute-cost", "training-speed", "lower-layers-learn",
       "sigmoid-output")


@pytest.mark.parametrize("name", NEW)
def test_the_new_experiments_claim_is_the_articles_own_words(name):
    """The app shows an experiment's claim in quotation marks."""
    claim = get_experiment(name).claim
    assert normalise(claim) in ARTICLE
    assert any(normalise(c.quote) == normalise(claim) for c in claims_for(name))


def test_only_the_articles_words_are_quoted_in_the_claim_panel():
    """The claims lab shows a claim in quotation marks only when it is the article's words:
    leaky-fix is the lab's own extension."""
    from relutui.experiments import list_experiments
    from relutui.experiments.claims import is_article_words
    from relutui.session import Session

    quoted = {e.name: is_article_words(e.claim) for e in list_experiments()}
    assert not quoted.pop("leaky-fix") and all(quoted.values()), quoted
    s = Session()
    s.load_experiment("leaky-fix", apply_config=False)
    assert s.experiment_view().claim_quoted is False
    s.load_experiment("sparsity", apply_config=False)
    assert s.experiment_view().claim_quoted is True
