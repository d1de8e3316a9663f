"""``relutui claims``: the article, claim by claim, with the verdict of the experiment that
tests each one (run at its defaults); and the experiment list of ``relutui run --list``.

    relutui claims                 readable list, in the article's order
    relutui claims --json          {"claims": [{"quote", "kind", "experiment", "verdict",
                                    "evidence", "note", ...}], "extensions": [...]}
    relutui claims --markdown      the README's claims table

Progress goes to stderr; stdout holds only the list (or one JSON document).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

__all__ = ["build_claims_parser", "run_claims", "claim_rows", "format_deciding", "markdown_table",
           "print_experiment_list", "experiment_list_json"]

_BADGE_STYLE = {"holds": "bold green", "does not hold": "bold red", "depends": "bold yellow",
                "not tested": "dim", None: "dim"}


# ------------------------------------------------------------------ numbers in words
def _number(v: float) -> str:
    """A number with up to 4 significant digits, never rounded into a different kind of value
    (0.99996 is not written 1, 1e-7 is not written 0)."""
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, int):
        return f"{v:,}" if abs(v) >= 10_000 else str(v)
    if not math.isfinite(v):
        return str(v)
    for digits in (4, 6, 10):
        text = f"{v:.{digits}g}"
        if float(text) == v or (float(text) != round(float(text)) and float(text) != 0.0):
            return text
    return repr(v)


def _value(v: Any) -> str:
    if v is None:
        return "none"
    if isinstance(v, (int, float)):
        return _number(v)
    if isinstance(v, dict):
        inner = ", ".join(f"{k} {_value(x)}" for k, x in v.items() if not isinstance(x, dict))
        nested = "; ".join(f"{k}: {_value(x)}" for k, x in v.items() if isinstance(x, dict))
        return "; ".join(t for t in (inner, nested) if t)
    if isinstance(v, (list, tuple)):
        return ", ".join(_value(x) for x in v)
    return str(v)


def format_deciding(deciding: dict | None) -> str:
    """``{"what", "value"}`` as one line: ``what: value``."""
    if not deciding:
        return ""
    what, value = deciding.get("what", ""), deciding.get("value")
    return f"{what}: {_value(value)}" if what else _value(value)


# ------------------------------------------------------------------ running
def _verdicts(jobs: int = 1) -> dict[str, dict]:
    """Every experiment the claims name, run once at its defaults: name -> verdict object."""
    from .experiments import run_experiment
    from .experiments.claims import CLAIMS, EXTENSIONS

    names = list(dict.fromkeys(c.experiment for c in (*CLAIMS, *EXTENSIONS) if c.experiment))
    out: dict[str, dict] = {}
    from .cli_output import _Progress

    with _Progress("claims", len(names), long_job=False) as bar:  # a bar on a terminal
        for i, name in enumerate(names):
            if not sys.stderr.isatty():
                sys.stderr.write(f"running {name} ({i + 1}/{len(names)})\n")
            out[name] = run_experiment(name, jobs=jobs, tables=False).verdict_obj
            bar.update(i + 1)
    return out


def claim_rows(verdicts: dict[str, dict | None]) -> dict[str, list[dict]]:
    """The claims and extensions as JSON-ready rows, each with its verdict from ``verdicts``
    (experiment name -> verdict object, as ``run_experiment(...).verdict_obj``)."""
    from .experiments.claims import CLAIMS, EXTENSIONS, part_verdict

    def row(c) -> dict:
        vobj = verdicts.get(c.experiment) if c.experiment else None
        verdict, deciding = part_verdict(c, vobj)
        note = c.note
        why = ((vobj or {}).get("evidence") or {}).get("not_tested_because")
        if verdict == "not tested" and why:
            note = f"{note}; not tested: {why}" if note else f"not tested: {why}"
        return {"short": c.short, "quote": c.quote, "kind": c.kind, "reason": c.reason,
                "experiment": c.experiment, "part": c.part, "verdict": verdict,
                "evidence": deciding, "note": note}

    return {"claims": [row(c) for c in CLAIMS], "extensions": [row(c) for c in EXTENSIONS]}


# ------------------------------------------------------------------ output
def _print_text(rows: dict[str, list[dict]]) -> None:
    """Each claim: a head line with its verdict badge, then its words, kind, experiment and
    deciding number, wrapped to the console's width (80 when piped) with a hanging indent."""
    import textwrap

    from rich.text import Text

    from .cli_output import _stdout_console

    con = _stdout_console()
    width = max(40, con.width - 1)

    def para(text: str, style: str = "") -> None:
        for line in textwrap.wrap(text, width=width - 4, break_on_hyphens=False):
            con.print(Text("    " + line, style=style))

    con.print(Text("The article, claim by claim (relutui run --experiment NAME shows the runs)",
                   style="bold"))
    for title, items in (("", rows["claims"]),
                         ("Extensions: the lab's own claims, not the article's", rows["extensions"])):
        if title:
            con.print()
            con.print(Text(title, style="bold"))
        for i, r in enumerate(items, 1):
            badge = r["verdict"] or "no experiment"
            con.print(Text.assemble(f"{i:2d}. " if not title else " -  ", (r["short"], "bold"), "  ",
                                    (f"[{badge}]", _BADGE_STYLE.get(r["verdict"], "dim"))))
            if r["quote"]:
                para(f"“{r['quote']}”", "italic")
            para(f"{r['kind']}: {r['reason']}")
            if r["experiment"]:
                where = r["experiment"] + (f" ({r['part']})" if r["part"] else "")
                decided = format_deciding(r["evidence"])
                para(where + (f": {decided}" if decided else ""))
                if r["note"]:
                    para(r["note"], "dim")
            else:
                para(f"why no experiment: {r['note']}", "dim")


def markdown_table(rows: dict[str, list[dict]]) -> str:
    """The README's claims table: one row per claim, article order, then the extensions."""
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    def line(number: str, r: dict) -> str:
        exp = "none"
        if r["experiment"]:
            exp = f"`{r['experiment']}`" + (f" ({r['part']})" if r["part"] else "")
        verdict = f"**{r['verdict']}**" if r["verdict"] else "untested"
        decided = r["note"]
        if r["experiment"]:
            decided = format_deciding(r["evidence"]) + (f" ({r['note']})" if r["note"] else "")
        return f"| {number} | {cell(r['short'])} | {r['kind']} | {exp} | {verdict} | {cell(decided)} |"

    lines = ["| # | claim (short) | kind | experiment | verdict | what decided it, or why untested |",
             "| --- | --- | --- | --- | --- | --- |"]
    lines += [line(str(i), r) for i, r in enumerate(rows["claims"], 1)]
    lines += [line("+", r) for r in rows["extensions"]]
    return "\n".join(lines) + "\n"


def build_claims_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "claims", help="the article's claims, each with the verdict of the experiment that tests it",
        description="Every factual claim of the article, in its order: its words, what kind of "
                    "claim it is, and the verdict of the experiment that tests it, run at its "
                    "defaults (or why nothing tests it).")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    out.add_argument("--markdown", action="store_true", help="print the README's claims table")
    p.add_argument("--jobs", metavar="N", default="1", help="worker processes per experiment")
    return p


def run_claims(args: argparse.Namespace) -> int:
    from .cli_config import positive as _positive

    jobs = _positive(args.jobs, "--jobs", 256)
    rows = claim_rows(_verdicts(jobs))
    if args.json:
        sys.stdout.write(json.dumps(rows, allow_nan=False, ensure_ascii=False) + "\n")
    elif args.markdown:
        sys.stdout.write(markdown_table(rows))
    else:
        _print_text(rows)
    sys.stdout.flush()
    return 0


# ------------------------------------------------------------------ relutui run --list
def experiment_list_json() -> list[dict]:
    """``[{"name", "title", "quotes", "claim", "explanation", "steps", "seeds", "arms", ...}]``."""
    from .experiments import _jsonable, list_experiments
    from .experiments.claims import claims_for

    out = []
    for e in list_experiments():
        d = e.describe()
        quotes = list(dict.fromkeys(c.quote for c in claims_for(e.name)))
        out.append(_jsonable({"name": d.pop("name"), "title": d.pop("title"), "quotes": quotes, **d}))
    return out


def print_experiment_list(as_json: bool = False) -> int:
    if as_json:
        sys.stdout.write(json.dumps(experiment_list_json(), allow_nan=False, ensure_ascii=False) + "\n")
        return 0
    from rich.table import Table

    from .cli_output import _stdout_console
    from .experiments import list_experiments

    table = Table(title="Experiments: relutui run --experiment NAME", title_justify="left",
                  show_edge=False, pad_edge=False)
    table.add_column("name", no_wrap=True)
    table.add_column("what it measures", overflow="fold")
    for e in list_experiments():
        table.add_row(e.name, e.title)
    _stdout_console().print(table)
    return 0

