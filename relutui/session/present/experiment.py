"""The claims-lab panel: the loaded experiment, its arms as run, its verdict and evidence."""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, Any

from relutui.session.views import NOT_TESTED_KEY, VERDICT_TAGS, ExperimentView, evidence_rows, setting_text
from relutui.training import TrainConfig

if TYPE_CHECKING:
    from relutui.session.session import Session


def cache_key(s: Session) -> tuple:
    return (s.experiment_token, s.experiment_status, s.experiment_progress,
            id(s.experiment_result), s.config, s.compare_activation)


_FIELDS = sorted((f.name for f in dataclasses.fields(TrainConfig) if "_" in f.name), key=len, reverse=True)
_FIELD_RE = re.compile(r"\b(" + "|".join(_FIELDS) + r")\b( None\b)?")


def plain_words(text: str | None) -> str | None:
    """A text from an experiment with its settings in words: "bias_init 0" -> "bias init 0",
    "clip_norm None" -> "clip norm off" (the panel never prints Python)."""
    if not text:
        return text
    return _FIELD_RE.sub(lambda m: m.group(1).replace("_", " ") + (" " + _value_words(m.group(1), None) if m.group(2) else ""), text)


def _value_words(key: str, value: Any) -> str:
    """``setting_text``, with its word for no value ("auto", "as PyTorch", "off"); "off" for
    a setting that has none (never Python's ``None``)."""
    text = setting_text(key, value)
    return "off" if value is None and text in ("", "None") else text


def setting_phrase(key: str, value: Any) -> str:
    """A setting as a student reads it: "clip norm off", "bias init -3" (never Python's
    ``clip_norm None``)."""
    return f"{key.replace('_', ' ')} {_value_words(key, value)}"


def describe_changes(changes: list[tuple[str, str, Any, Any]]) -> list[str]:
    return [f"{setting_phrase(k, old)} → {_value_words(k, new)}"
            + (f" ({label})" if label else "")
            for label, k, old, new in changes]


def arm_lines(defined, run) -> list[str]:
    """One line per arm of ``run`` (the experiment as run: changes applied): its role and the
    settings it differs in. An arm whose own settings were changed no longer plays its role
    as defined: its line gives the settings it ran with, then the experiment's arm.
    Arms measured but not judged say so."""
    fields = [f.name for f in dataclasses.fields(TrainConfig) if f.name != "seed"]
    # the settings the experiment varies, and any the arms now differ in (a change to one arm)
    keys = [k for k in fields if k in defined.varies
            or len({repr(getattr(r.config, k)) for r in run.arms}) > 1]

    def what(arm, keys) -> str:
        return ", ".join(setting_phrase(k, getattr(arm.config, k)) for k in keys
                         if not (k == "activation" and arm.label == arm.config.activation))

    lines = []
    for d, r in zip(defined.arms, run.arms):
        changed = [k for k in keys if getattr(d.config, k) != getattr(r.config, k)]
        if changed:
            shown = ", ".join(setting_phrase(k, getattr(r.config, k)) for k in keys)
            defined_as = ", ".join(setting_phrase(k, getattr(d.config, k)) for k in keys)
            line = f"{shown} (the experiment's “{d.label}” arm: {defined_as})"
        else:
            shown = what(r, keys)
            line = f"{r.label}: {shown}" if shown else r.label
        if r.label in defined.unjudged:
            line += " · shown, not judged"
        lines.append(line)
    return lines


def _deciding_row(evidence: dict) -> tuple[str, list[tuple[str, str]]] | None:
    """The deciding row ``{"what", "value"}`` whole, for the panel's sentence: ``evidence_rows``
    leaves out a value of several numbers (a dict), and the sentence fell back to the first
    row ("mean accuracy: identity 0.55, relu 0.984, tanh 0.984", not the deciding pair)."""
    from relutui.cli_claims import format_deciding

    dec = evidence.get("deciding")
    if not isinstance(dec, dict) or not isinstance(dec.get("value"), dict) or not dec.get("what"):
        return None  # (a single number: ``evidence_rows`` keeps it)
    value = format_deciding({"what": "", "value": dec["value"]}).replace("_", " ")
    return ("deciding", [("what", plain_words(f"{dec['what']}:")), ("value", plain_words(value))])


def build(s: Session) -> ExperimentView:
    from relutui.experiments.claims import is_article_words  # (lazy: the package loads every experiment)

    exp = s.experiment
    pending = s.experiment_changes()
    ran = s.experiment_ran
    result = s.experiment_result
    # the arms as run: the finished run's, the one in flight, or (nothing run) as defined
    shown = result.experiment if result is not None else (
        ran.experiment if ran is not None and ran.experiment is not None else exp)
    arms = arm_lines(exp, shown)
    verdict = result.verdict if result is not None else None
    evidence = [(plain_words(name), [(label, plain_words(value)) for label, value in items])
                for name, items in evidence_rows(result.evidence)] if result is not None else []
    evidence = [_deciding_row(result.evidence) or row if name == "deciding" else row
                for row in evidence for name in [row[0]]]
    criterion = plain_words(str(result.evidence.get("criterion", ""))) if result is not None else ""
    untested = plain_words(result.evidence.get(NOT_TESTED_KEY)) if result is not None else None
    if ran is not None:
        first, n = ran.first_seed, ran.seeds
        seeds = f"seed {first}" if n == 1 else f"seeds {first}–{first + n - 1}"
        ran_text = f"{seeds} × {ran.steps} steps"
        stale = (ran.changes != pending or ran.seed != s.config.seed)
        ran_changes = describe_changes(ran.changes)
        previous = ran.previous
    else:
        ran_text, stale, ran_changes, previous = "", False, [], None
    pending_untested = None
    if stale or ran is None:
        try:
            pending_untested = plain_words(s.experiment_to_run().untested_reason())
        except ValueError:
            pending_untested = None
    return ExperimentView(
        name=exp.name, title=exp.title, claim=exp.claim, claim_quoted=is_article_words(exp.claim), explanation=plain_words(exp.explanation), arms=arms,
        status=s.experiment_status, progress=s.experiment_progress, verdict=verdict,
        verdict_tag=VERDICT_TAGS.get(verdict or "", "dim"), untested=untested, previous=previous,
        evidence=evidence, criterion=criterion, ran=ran_text, ran_changes=ran_changes,
        pending=describe_changes(pending), stale=stale, pending_untested=pending_untested,
        error=s.experiment_error,
        tables=list(getattr(result, "tables", None) or []) if result is not None else [],
    )
