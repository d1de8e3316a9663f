"""``relutui claims`` (text, --json, --markdown) and ``relutui run --list`` (text, --json).

The claims commands run every experiment; here a stand-in returns a verdict per experiment
(the real runs are checked against the README's table in test_readme_claims.py).
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

import relutui.experiments as ex
from relutui.cli import main
from relutui.cli_claims import _number, format_deciding
from relutui.experiments.claims import CLAIMS, EXTENSIONS, article_text, normalise

_PARTS = {"compute-cost": ("per element", "gradient", "training step"),
          "training-speed": ("sigmoid", "tanh"), "sigmoid-output": ("classification", "regression")}


def _fake_run(name, **kw):
    deciding = {"what": f"{name}'s number", "value": {"relu": 0.99996, "sigmoid": 1e-7}}
    evidence = {"deciding": deciding, "criterion": "a rule"}
    if name in _PARTS:
        evidence["parts"] = {p: {"verdict": "depends", "deciding": {"what": p, "value": 0.5}}
                             for p in _PARTS[name]}
    verdict = "not tested" if name == "leaky-fix" else "holds"
    if verdict == "not tested":
        evidence["not_tested_because"] = "a reason"
    return SimpleNamespace(verdict_obj={"claim": "", "verdict": verdict, "evidence": evidence})


@pytest.fixture
def fake_runs(monkeypatch):
    calls = []

    def run(name, **kw):
        calls.append(name)
        return _fake_run(name, **kw)

    monkeypatch.setattr(ex, "run_experiment", run)
    monkeypatch.setenv("COLUMNS", "80")
    return calls


def _no_nan(text: str):
    def refuse(c):
        raise AssertionError(f"{c} in the JSON")
    return json.loads(text, parse_constant=refuse)


def test_claims_json_is_one_document_with_every_claim(fake_runs, capsys):
    assert main(["claims", "--json"]) == 0
    out, err = capsys.readouterr()
    doc = _no_nan(out)
    assert out.count("\n") == 1 and "running" in err  # progress on stderr only
    assert len(fake_runs) == len(set(fake_runs))      # each experiment run once
    rows = doc["claims"]
    assert [r["quote"] for r in rows] == [c.quote for c in CLAIMS]
    for r, c in zip(rows, CLAIMS):
        assert {"quote", "kind", "experiment", "verdict", "evidence", "note"} <= set(r)
        assert r["kind"] == c.kind and r["experiment"] == c.experiment
        if c.experiment is None:
            assert r["verdict"] is None and r["evidence"] is None and r["note"]
        elif c.part:
            assert r["verdict"] == "depends" and r["evidence"] == {"what": c.part, "value": 0.5}
        else:
            assert r["verdict"] == "holds" and r["evidence"]["what"] == f"{c.experiment}'s number"
    assert [r["quote"] for r in doc["extensions"]] == [None] * len(EXTENSIONS)
    leaky = next(r for r in doc["extensions"] if r["experiment"] == "leaky-fix")
    assert leaky["verdict"] == "not tested" and "not tested: a reason" in leaky["note"]


def test_claims_text_reads_at_80_columns(fake_runs, capsys):
    assert main(["claims"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert all(line == line.rstrip() for line in lines)
    positions = [out.find(f". {c.short}  [") for c in CLAIMS]
    assert -1 not in positions and positions == sorted(positions)
    assert "[no experiment]" in out and "[holds]" in out and "[depends]" in out
    assert "0.99996" in out and "1e-07" in out  # never rounded to 1 or 0
    # every quotation mark opens the article's own words
    for chunk in out.split("“")[1:]:
        quoted = normalise(chunk.split("”")[0].replace("\n", " "))
        assert quoted in normalise(article_text())


def test_claims_markdown_has_a_row_per_claim(fake_runs, capsys):
    assert main(["claims", "--markdown"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| ")]
    assert len(rows) == 2 + len(CLAIMS) + len(EXTENSIONS)  # header, rule, rows
    assert rows[2].startswith("| 1 | ") and "**holds**" in "".join(rows)


def test_run_list_json(capsys):
    assert main(["run", "--list", "--json"]) == 0
    doc = _no_nan(capsys.readouterr().out)
    assert [e["name"] for e in doc] == list(ex.experiment_names())
    article = normalise(article_text())
    for e in doc:
        assert e["title"] and isinstance(e["quotes"], list)
        assert all(normalise(q) in article for q in e["quotes"])
        assert e["arms"] and all({"key", "label", "config"} <= set(a) for a in e["arms"])
    assert next(e for e in doc if e["name"] == "f-vs-derivative")["quotes"] == [
        "Values larger than zero return 1.0, whereas values less than zero return 0.0."]
    assert next(e for e in doc if e["name"] == "leaky-fix")["quotes"] == []  # an extension


def test_run_list_text_reads_at_80_columns(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["run", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) <= 80
    names = [line.split()[0] for line in lines if line.split() and line.split()[0] in ex.experiment_names()]
    assert names == list(ex.experiment_names())
    assert len(lines) <= 2 * len(names) + 4  # a name and its title on one or two lines


@pytest.mark.parametrize("value, text", [
    (2.5, "2.5"), (1.0, "1"), (0.0, "0"), (0.99996, "0.99996"), (1e-7, "1e-07"),
    (0.05344, "0.05344"), (123456, "123,456"), (True, "true"),
])
def test_numbers_are_never_rounded_into_another_value(value, text):
    assert _number(value) == text


def test_format_deciding():
    assert format_deciding({"what": "w", "value": {"a": 1, "b": {"c": 0.5}}}) == "w: a 1; b: c 0.5"
    assert format_deciding(None) == ""
