"""The article walk-through's view (issue 13): the article's text in paragraphs, each claim of
``relutui.experiments.claims.CLAIMS`` located in it, and each claim's status: its verdict once
its experiment ran, "not run yet" before, or its kind when nothing tests it.

No Textual and no Rich here: plain strings and tuples; ``relutui.app.screens.article`` styles them.
The article's words stay plain text (a screen never reads markup from them).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from relutui.experiments.claims import (CLAIMS, FALSE, MUDDLED, NOT_TESTABLE, TESTABLE, Claim,
                                        article_text, part_verdict)
from relutui.session.views import VERDICT_SYMBOLS

__all__ = ["Segment", "ClaimStatus", "ArticleView", "paragraphs", "claim_status", "build",
           "detail_lines", "experiments_in_order", "NOT_RUN", "RUNNING"]

NOT_RUN, RUNNING = "not run yet", "running"
# a claim nothing runs: its mark is its kind (the symbols read without colour)
KIND_SYMBOLS = {TESTABLE: "≡", MUDDLED: "~", FALSE: "✗", NOT_TESTABLE: "·"}
STATUS_SYMBOLS = {**VERDICT_SYMBOLS, NOT_RUN: "?", RUNNING: "…"}


@dataclass(frozen=True)
class Segment:
    """A run of the article's text; ``claims``: the indices (into CLAIMS) whose quote it is."""

    text: str
    claims: tuple[int, ...] = ()


@dataclass(frozen=True)
class ClaimStatus:
    """What the walk-through says of one claim: ``status`` is a verdict ("holds", "does not
    hold", "depends", "not tested"), NOT_RUN, RUNNING, or the claim's kind (nothing runs it)."""

    index: int
    claim: Claim
    status: str
    symbol: str
    deciding: str = ""   # the deciding number(s), one line ("" before a run)

    @property
    def runs(self) -> bool:
        return self.claim.experiment is not None


@dataclass(frozen=True)
class ArticleView:
    title: str
    paragraphs: tuple[tuple[Segment, ...], ...]
    claims: tuple[ClaimStatus, ...]
    heading: tuple[bool, ...]  # per paragraph: a heading (shown bold)


def _normalised_with_map(text: str) -> tuple[str, list[int]]:
    """``claims.normalise`` applied to ``text`` keeping, for each output character, the index
    of the input character it came from (whitespace runs collapse; quote marks map 1:1)."""
    out: list[str] = []
    where: list[int] = []
    space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            space = bool(out)
            continue
        if space:
            out.append(" ")
            where.append(i - 1)
            space = False
        out.append({"“": '"', "”": '"', "‘": "'", "’": "'"}.get(ch, ch))
        where.append(i)
    return "".join(out), where


def _locate(paragraph: str, quote: str) -> tuple[int, int] | None:
    """Start and end of ``quote`` in ``paragraph`` (original indices), matched normalised."""
    from relutui.experiments.claims import normalise

    norm, where = _normalised_with_map(paragraph)
    q = normalise(quote)
    at = norm.find(q)
    if at < 0:
        return None
    return where[at], where[at + len(q) - 1] + 1


@lru_cache(maxsize=1)
def paragraphs() -> tuple[tuple[tuple[Segment, ...], ...], tuple[bool, ...], str]:
    """The article cut into paragraphs and segments (computed once: the text is packaged)."""
    text = article_text()
    lines = [ln.strip() for ln in text.split("\n\n")]
    blocks = [" ".join(ln.split()) for ln in lines if ln.strip()]
    title = ""
    if blocks and blocks[0].startswith("#"):
        title = blocks.pop(0).lstrip("#").strip()
    found: dict[int, list[tuple[int, int, int]]] = {}
    start = 0  # claims are in article order: each is looked for from the last one's paragraph on
    for ci, claim in enumerate(CLAIMS):
        if claim.quote is None:
            continue
        for pi in range(start, len(blocks)):
            span = _locate(blocks[pi], claim.quote)
            if span is not None:
                found.setdefault(pi, []).append((span[0], span[1], ci))
                start = pi
                break
    out: list[tuple[Segment, ...]] = []
    heading: list[bool] = []
    for pi, block in enumerate(blocks):
        is_heading = block.startswith("**") and block.endswith("**") and len(block) > 4
        if is_heading:
            block = block[2:-2]
        heading.append(is_heading)
        spans = sorted(found.get(pi, []))
        segs: list[Segment] = []
        pos = 0
        # claims sharing one quote share its segment; overlapping quotes join into one segment
        groups: list[list] = []
        for s, e, ci in spans:
            if groups and s < groups[-1][1]:
                groups[-1][1] = max(groups[-1][1], e)
                groups[-1][2].append(ci)
            else:
                groups.append([s, e, [ci]])
        for s, e, cis in groups:
            if s > pos:
                segs.append(Segment(block[pos:s]))
            segs.append(Segment(block[s:e], tuple(cis)))
            pos = e
        if pos < len(block):
            segs.append(Segment(block[pos:]))
        out.append(tuple(segs))
    return tuple(out), tuple(heading), title


def claim_status(index: int, verdicts: dict[str, dict], running: frozenset[str] | set[str] = frozenset()
                 ) -> ClaimStatus:
    """The status of CLAIMS[index] from the verdicts known so far (experiment name -> the
    verdict object of a run at the experiment's defaults)."""
    from relutui.cli_claims import format_deciding

    claim = CLAIMS[index]
    if claim.experiment is None:
        return ClaimStatus(index, claim, claim.kind, KIND_SYMBOLS.get(claim.kind, "·"))
    verdict_obj = verdicts.get(claim.experiment)
    if verdict_obj is None:
        status = RUNNING if claim.experiment in running else NOT_RUN
        return ClaimStatus(index, claim, status, STATUS_SYMBOLS[status])
    verdict, deciding = part_verdict(claim, verdict_obj)
    verdict = verdict or "not tested"
    # the evidence's keys in words ("worst_nonlinear 0.98" read as Python)
    deciding_text = format_deciding(deciding).replace("_", " ")
    return ClaimStatus(index, claim, verdict, STATUS_SYMBOLS.get(verdict, "?"), deciding_text)


def build(verdicts: dict[str, dict], running: frozenset[str] | set[str] = frozenset()) -> ArticleView:
    paras, heading, title = paragraphs()
    claims = tuple(claim_status(i, verdicts, running) for i in range(len(CLAIMS)))
    return ArticleView(title, paras, claims, heading)


def experiments_in_order() -> list[str]:
    """Every experiment the article's claims name, in the order the article reaches them."""
    return list(dict.fromkeys(c.experiment for c in CLAIMS if c.experiment))


def detail_lines(st: ClaimStatus, *, total: int, progress: tuple[int, int] | None = None) -> list[tuple[str, str]]:
    """The claim panel's lines as ``(style key, text)``: where it is, its verdict (or kind),
    the deciding number, why, and what to press. Style keys: "head", "verdict", "quote", "dim", ""."""
    c = st.claim
    lines: list[tuple[str, str]] = [("head", f"claim {st.index + 1} of {total} · {c.short}")]
    if st.runs:
        if st.status == NOT_RUN:
            lines.append(("verdict", f"? not run yet: r runs {c.experiment} here, enter on the main screen"))
        elif st.status == RUNNING:
            done = f" ({progress[0]}/{progress[1]} runs)" if progress and progress[1] else ""
            lines.append(("verdict", f"… running {c.experiment}{done}"))
        else:
            part = f" ({c.part})" if c.part else ""
            sentence = f"{st.symbol} {st.status}{part}: {c.experiment} at its defaults"
            if st.deciding:
                sentence += f"; {st.deciding}"
            lines.append(("verdict", sentence))
        lines.append(("", f"kind: {c.kind} · {c.reason}"))
        if c.note:
            lines.append(("dim", c.note))
    else:
        lines.append(("verdict", f"{st.symbol} {c.kind}: {c.reason}"))
        lines.append(("dim", f"no experiment: {c.note}"))
    return lines
