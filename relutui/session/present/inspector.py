"""The inspector, by step-through phase: the selected neuron's details, the forward table,
the loss, the chain-rule ledger (backward) or the update. Lines of (text, tag) pieces: the
tag names a style the widget looks up in the theme."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from relutui.diagnostics import can_clip, flat_samples
from relutui.format import bound_text, fmt_fit_honest, fmt_honest, fmt_pct, short_name
from relutui.format import fmt_signed as _fmt_signed
from relutui.session.present import marks
from relutui.session.present.titles import joined, where
from relutui.session.views import MARK_SYMBOLS, STATE_NAMES, STATE_SYMBOLS, Line, Segment
from relutui.settings import setting_text

if TYPE_CHECKING:
    from relutui.session.session import Session


def fmt(v, digits: int = 3) -> str:
    """A number as the inspector prints it: never a false whole number (0.9993 is not 1; a
    float-rounded σ(z) = 1, moved inside by ``marks.inside``, is "<1")."""
    return bound_text(v) or fmt_honest(v, digits)


def fmt_signed(v, digits: int = 3) -> str:
    """``format.fmt_signed``, never a false whole number."""
    return bound_text(v) or _fmt_signed(v, digits, honest=True)


def fmt_fit(v, width: int, digits: int = 3, signed: bool = False) -> str:
    edge = bound_text(v)  # a float-rounded σ(z) = 1 (``marks.inside``): "<1", not "1−1e-16"
    if edge is not None and len(edge) <= width:
        return edge
    return fmt_fit_honest(v, width, digits, signed)


WIDTH = 35  # the narrowest inspector's text (80 columns: 40 less border, padding and the
# scrollbar a long phase gives it): lines built to fit it
LOSS_WIDTH = WIDTH + 1  # the loss phase's 7 lines never scroll there: no scrollbar column


class Lines(list):
    """The inspector's lines; ``unit`` names what its last lines list ("neurons"), for the
    "… k more" line a panel too short for them ends with."""

    unit: str = "lines"

    def __init__(self, lines=(), unit: str = "lines") -> None:
        super().__init__(lines)
        self.unit = unit


def cache_key(s: Session) -> tuple:
    return (s.generation, s.phase_index, s.selected, s.sample, s.use_mean)


def build(s: Session) -> tuple[str, list[Line]]:
    phase = s.phase
    with np.errstate(all="ignore"):
        if phase is None:
            return _neuron_detail(s)
        if phase.kind == "forward":
            return _forward_table(s, phase.layer)
        if phase.kind == "loss":
            return _loss_detail(s)
        if phase.kind == "backward":
            return _ledger(s, phase.layer)
        return _update_detail(s)


def _state_seg(st: int) -> Segment:
    return (f"{STATE_SYMBOLS[st]} {STATE_NAMES[st]}", STATE_NAMES[st])


def _flat_share(fp: np.ndarray, act, a: np.ndarray | None = None) -> str:
    """On how many samples the gradient through the neuron is 0, or weak (a saturated sigmoid:
    "f'≤0.0025 on 87%", where "f'=0 on 0%" said nothing): the weak share always for an
    activation that can saturate (sigmoid, tanh: "on 0%" then says it is not), the zero share
    when there is one or the activation cannot saturate (ReLU). For an activation flat at a
    bound other than 0 (``diagnostics.can_clip``: hard tanh's ±1, ReLU6's 6) the zeros there,
    given the outputs ``a``, are "clipped", a saturation as the diagnostics count it:
    "f'=0 (clipped) on 78%", "f'=0: off on 40%, clipped on 30%". (A sigmoid whose f' float64 rounds
    to 0 far in its tail counts in its weak share.)"""
    fp = np.asarray(fp, dtype=float)
    mag = np.abs(fp)
    zeros = fp == 0
    # (the diagnostics' clipped rule: f' = 0 with an output that is not 0)
    at_bound = flat_samples(act, fp, a)[1] if a is not None else np.zeros_like(zeros)
    off = float(np.mean(zeros & ~at_bound))
    limit = marks.weak_limit(act)
    parts = []
    if can_clip(act):
        clipped = fmt_pct(float(np.mean(at_bound)), 0)
        parts.append(f"f'=0: off on {fmt_pct(off, 0)}, clipped on {clipped}" if off else f"f'=0 (clipped) on {clipped}")
        weak = float(np.mean((mag > 0) & (mag <= limit)))
    else:
        # an f' that float64 rounds to 0 far in a tail (σ(z) = 1.0) is weak, not off
        weak = float(np.mean((mag <= limit) & ~(zeros & ~at_bound)))
        if off or not (weak or act.can_saturate):
            parts.append(f"f'=0 on {fmt_pct(off, 0)}")
    if weak or act.can_saturate:
        parts.append(f"f'≤{fmt(limit, 2)} on {fmt_pct(weak, 0)}")
    return "  ".join(parts)


def _weights(w: np.ndarray, n: int = 2) -> str:
    return " ".join(fmt_fit(v, 7, 2, signed=True) for v in w[:n]) + (" …" if len(w) > n else "")


def _death_lines(s: Session, l: int, j: int) -> list[Line]:
    """The death record of a hidden neuron: the update that killed it (its step, as the
    update phase names it, "step 41 → 42"), its bias and first weights before and after."""
    death = s.run.death
    ds = int(death.death_step[l][j])
    if ds >= 0:
        k = death.killing_update(l, j)
        if not k:
            return [[("✕ dead from step 0: no update killed it", "dead")]]
        return [
            [("✕ died in the update of step ", "dead"), (f"{ds} → {ds + 1}", "dead")],
            [("  bias ", "dim"), (fmt_signed(k["bias_before"]), "num"), (" → ", "dim"),
             (fmt_signed(k["bias_after"]), "num")],
            [("  w ", "dim"), (_weights(np.asarray(k["w_before"])), "num"), (" → ", "dim"),
             (_weights(np.asarray(k["w_after"])), "num")],
        ]
    if bool(death.revived[l][j]):
        return [[("revived after dying", "saturated")]]
    return []


def _neuron_detail(s: Session) -> tuple[str, list[Line]]:
    snap = s.snapshot()
    l, j = s.selected
    L = s.n_layers
    net = s.run.net
    lname = "output" if l == L - 1 else f"layer {l + 1}"
    st = int(snap.states[l][j])
    z, a, fp, dz = snap.z[l][:, j], snap.a[l][:, j], snap.fprime[l][:, j], snap.dz[l][:, j]
    a = marks.inside(a, net.activations[l])  # a float-rounded σ(z) = 1.0 reads "<1", not "1"
    i = min(s.sample, len(z) - 1)
    share = _flat_share(fp, net.activations[l], a)
    # name, state and share on one line, two blanks apart or (narrow) one
    for sep in ("  ", " "):
        head: Line = [(f"{lname} #{j + 1}{sep}", "title"), _state_seg(st)]
        if sum(len(t) for t, _ in head) + len(sep) + len(share) <= WIDTH:
            lines = Lines([head + [(sep + share, "dim")]])
            break
    else:  # (two shares, or a long state: a line of its own)
        head = [(f"{lname} #{j + 1}  ", "title"), _state_seg(st)]
        lines = Lines([head, [(share, "dim")]])
    if l < net.hidden_layers:  # a dead neuron's story first: the update that killed it
        lines += _death_lines(s, l, j)
    # the sample (or the batch mean), then the batch's min, mean and max (the mean once in
    # batch-mean mode): fixed columns, a blank before every number at any magnitude
    lines.append([(f"{'':6}{'mean' if s.use_mean else '#' + str(i):>8}{'min':>7}"
                   + ("" if s.use_mean else f"{'mean':>7}") + f"{'max':>7}", "dim")])
    for name, arr in (("z", z), ("a", a), ("f'(z)", fp), ("dL/dz", dz)):
        mine = arr.mean() if s.use_mean else arr[i]
        rest = (arr.min(), arr.max()) if s.use_mean else (arr.min(), arr.mean(), arr.max())
        lines.append([
            (f"{name:<6}", "label"),
            (f"{fmt_fit(mine, 7, signed=True):>8}", "dead" if name == "f'(z)" and mine == 0 else "num"),
            ("".join(f"{fmt_fit(v, 6, 2):>7}" for v in rest), "dim"),
        ])
    b = float(net.biases[l][j])
    w = net.weights[l][:, j]
    lines.append([(f"{'bias':<7}", "label"), (fmt_signed(b), "pos" if b > 0 else "neg")])
    wseg: Line = [(f"{'w in':<7}", "label")]
    used = 7
    for k, v in enumerate(w):  # as many as fit, then "+k" for the others
        text = fmt_signed(v, 2) + " "
        rest = len(f"+{len(w) - k - 1}") if k < len(w) - 1 else 0
        if used + len(text) + rest > WIDTH:
            wseg.append((f"+{len(w) - k}", "dim"))
            break
        wseg.append((text, "pos" if v > 0 else "neg"))
        used += len(text)
    lines.append(wseg)
    return (joined("neuron", where(s)), lines)


def _neuron_in(s: Session, l: int) -> int:
    """The neuron of layer ``l`` a phase details: the selected one, or the nearest."""
    layer, j = s.selected
    return j if layer == l else min(j, s.run.net.layer_sizes[l + 1] - 1)


def _sum_lines(s: Session, l: int, width: int = WIDTH) -> list[Line]:
    """z = Σ w·x + b of one neuron, with its numbers: the largest terms first, "…k more" for
    those that do not fit, then the bias."""
    snap = s.snapshot()
    net = s.run.net
    j = _neuron_in(s, l)
    inp = s.pick(snap.x) if l == 0 else marks.inside(s.pick(snap.a[l - 1]), net.activations[l - 1])
    w, b, z = net.weights[l][:, j], float(net.biases[l][j]), float(s.pick(snap.z[l])[j])
    name = "x" if l == 0 else f"a{l}"
    terms = w * inp
    order = np.argsort(-np.abs(terms), kind="stable")
    tail = f"  b={fmt(b, 2)}"
    shown: list[str] = []
    for k in order:
        x = fmt(inp[k], 2)
        piece = f"{fmt_signed(w[k], 2)}×{'(' + x + ')' if x.startswith('-') else x}"
        more = len(order) - len(shown) - 1
        rest = f" …{more} more" if more else ""
        if len("  " + " ".join(shown + [piece]) + rest + tail) > width and shown:
            break
        shown.append(piece)
    more = len(order) - len(shown)
    return [
        [(f"z{l + 1}[{j + 1}]", "title"), (f" = Σ w·{name} + b = ", "dim"), (fmt_signed(z), "num")],
        [("  " + " ".join(shown) + (f" …{more} more" if more else ""), "num"), (tail, "num")],
    ]


def _forward_table(s: Session, l: int) -> tuple[str, list[Line]]:
    snap = s.snapshot()
    L = s.n_layers
    net = s.run.net
    act = net.activations[l]
    prev = "x" if l == 0 else f"a{l}"
    zdef: Line = [("z", "title"), (f"{l + 1} = {prev} · W{l + 1} + b{l + 1}", "dim")]
    adef: Line = [("a", "title"), (f"{l + 1} = {short_name(act)}(z{l + 1})", "dim")]
    if sum(len(t) for t, _ in zdef + adef) + 3 <= WIDTH:
        lines = Lines([zdef + [("   ", "dim")] + adef], unit="neurons")
    else:
        lines = Lines([zdef, adef], unit="neurons")
    lines += _sum_lines(s, l)
    lines.append([(f" {'#':>3} {'z':>8} {'a':>8} {'f′(z)':>7}", "dim")])
    z, a, fp = s.pick(snap.z[l]), s.pick(snap.a[l]), s.pick(snap.fprime[l])
    shown = marks.inside(a, act)  # (the marks read the exact outputs: a == 0 is "off")
    limit = marks.weak_limit(act)
    for j in range(len(z)):
        st = int(snap.states[l][j])
        sel = (l, j) == s.selected
        # the state over the batch, drawn as in the network panel: its mark for this sample
        # (○ off, ◑ clipped, ◌ weak) in its place (a batch mean has no sample)
        mark = None if s.use_mean else marks.mark(st, float(a[j]), float(fp[j]), limit)
        lines.append([
            ("▸" if sel else " ", "sel"), (f"{j + 1:>3} ", "sel" if sel else "dim"),
            (f"{fmt_fit(z[j], 8, signed=True):>8} ", "num"), (f"{fmt_fit(shown[j], 8, signed=True):>8} ", "num"),
            (f"{fmt_fit(fp[j], 7):>7} ", "dead" if fp[j] == 0 else "num"),
            (MARK_SYMBOLS[mark] if mark else STATE_SYMBOLS[st], STATE_NAMES[st]),
        ])
    return (joined(f"forward · layer {l + 1}/{L}", where(s)), lines)


def _batch_words(s: Session, n: int) -> str:
    """What the pending step's batch is: "all 160 training samples" or "this step's batch of 32"."""
    n_train = len(s.run.dataset.X_train)
    return f"all {n} training samples" if n == n_train else f"this step's batch of {n}"


def _loss_detail(s: Session) -> tuple[str, list[Line]]:
    """The loss of the pending step: its batch, at the weights in force (the step's own
    forward pass). With the whole training set as the batch (the default) these are the
    status line's loss and accuracy; the first line says which batch it is. dL/dp shows the
    1/N of the mean: L = (1/N) Σ ℓ_i, so dL/dp_i = (1/N) · dℓ_i/dp_i."""
    snap = s.snapshot()
    out = s.run.net.activations[-1]
    p = snap.a[-1][:, 0]
    y = snap.y[:, 0]
    n = len(p)
    i = min(s.sample, n - 1)
    lines: list[Line] = [
        [("loss ", "dim"), (s.loss_name, "title"), (f" on {_batch_words(s, n)}", "dim")],
    ]
    if sum(len(t) for t, _ in lines[0]) > LOSS_WIDTH:  # "all 1600 training samples": no "all"
        lines[0][2] = (f" on {n} training samples", "dim")
    if s.loss_name == "bce":
        lines.append([("L = −mean(y·log p + (1−y)·log(1−p))", "dim")])
    else:
        lines.append([("L = mean((p − y)²)", "dim")])
    total: Line = [("  = ", "dim"), (fmt(snap.loss, 4), "num")]
    if s.run.dataset.task == "classification":
        hits = int(np.count_nonzero((p > 0.5) == (y > 0.5)))
        total += [("   acc ", "label"), (f"{100 * hits / n:.1f}%", "num"), (f" ({hits}/{n})", "dim")]
    lines.append(total)
    da, fp = float(snap.da[-1][i, 0]), float(snap.fprime[-1][i, 0])
    sym = "σ" if out.name == "sigmoid" else "f"
    lines += [
        [("sample #%d  " % i, "label"), ("p = ", "dim"), (fmt(float(marks.inside(p[i:i + 1], out)[0]), 4), "num"), ("  y = ", "dim"), (fmt(y[i], 3), "num")],
        [("dL/dp = ", "label"), (f"1/{n}", "num"), (" × ", "dim"), (fmt_signed(da * n), "num"), (" = ", "dim"),
         (fmt_signed(da), "num")],
        [("dL/dz_out = dL/dp × ", "label"), (f"{sym}′(z)", "label")],
        [("  = ", "dim"), (fmt_signed(da), "num"), (" × ", "dim"), (fmt(fp), "num"), (" = ", "dim"),
         (fmt_signed(snap.dz[-1][i, 0]), "num")],
    ]
    return ("loss · n: the gradient flows back", lines)


def _chain_lines(s: Session, l: int, width: int = WIDTH) -> list[Line]:
    """The chain so far, from the output down to layer ``l``: mean |dL/dz| per layer, the
    factor each layer multiplies it by (the vanishing gradient itself) and its mean f'; then
    every layer's ‖dL/dW‖, as many a line as fit."""
    snap = s.snapshot()
    L = s.n_layers
    lines: list[Line] = [[(f"{'chain':<6}{'mean|dL/dz|':>12}{'×factor':>9}{'mean f′':>8}", "dim")]]
    prev = None
    for m in range(L - 1, l - 1, -1):
        mag = float(np.mean(np.abs(snap.dz[m])))
        mf = float(np.mean(snap.fprime[m]))
        ratio = None if prev is None or prev == 0 else mag / prev
        tag = "dead" if ratio is not None and ratio < 0.1 else "num"
        lines.append([(f"{'L' + str(m + 1):<6}", "sel" if m == l else "label"),
                      (f"{fmt_fit(mag, 11):>12}", "num"),
                      (f"{'' if ratio is None else fmt_fit(ratio, 8, 2):>9}", tag),
                      (f"{fmt_fit(mf, 7, 2):>8}", "num")])
        prev = mag
    norms = [f"L{m + 1} {fmt(snap.grad_norms[m], 2)}" for m in range(L)]
    line: Line = [("‖dL/dW‖ ", "label")]
    used = len(line[0][0])
    for k, text in enumerate(norms):
        if k and used + 2 + len(text) > width:
            lines.append(line)
            line, used = [("        ", "label")], 8
        elif k:  # the gap its own segment: an SVG export's text then starts at the number
            line.append(("  ", "dim"))  # (rsvg drops a text element's leading blanks)
            used += 2
        line.append((text, "num"))
        used += len(text)
    lines.append(line)
    return lines


def _ledger(s: Session, l: int) -> tuple[str, list[Line]]:
    """How dL/dz of layer l is built from layer l+1's dL/dz, the weights and f'(z): the chain
    table first (how the gradient shrinks or grows layer by layer), then the Σ terms."""
    snap = s.snapshot()
    net = s.run.net
    L = net.n_layers
    j = _neuron_in(s, l)
    fp = s.pick(snap.fprime[l])[j]
    da = s.pick(snap.da[l])[j]
    dz = s.pick(snap.dz[l])[j]
    act = net.activations[l]
    lines = Lines(_chain_lines(s, l))
    if l == L - 1:
        # L is the mean of the N samples' losses: dL/dp carries a 1/N, shown as a factor
        n = len(snap.x)
        rule: Line = [("dL/dz_out", "title"), (" = dL/dp · f'(z)", "dim")]
        if len(f"dL/dz_out = dL/dp · f'(z) (N = {n})") <= WIDTH:
            lines.append(rule + [(f" (N = {n})", "dim")])
        else:
            lines += [rule, [(f"  (N = {n})", "dim")]]
        if s.use_mean:  # a mean of products is not the product of the means
            lines.append([("  dL/dp = 1/N × dℓ/dp, per sample", "dim")])
            lines.append([("  batch mean ", "dim"), (fmt_signed(dz), "num")])
        else:
            lines.append([("  = ", "dim"), (f"1/{n}", "num"), (" × ", "dim"), (fmt_signed(da * n), "num"),
                          (" × ", "dim"), (fmt(fp), "num")])
            lines.append([("  = ", "dim"), (fmt_signed(da), "num"), (" × ", "dim"), (fmt(fp), "num"),
                          (" = ", "dim"), (fmt_signed(dz), "num")])
    else:
        W = net.weights[l + 1]
        dz_next = s.pick(snap.dz[l + 1])
        terms = W[j, :] * dz_next
        order = np.argsort(-np.abs(terms), kind="stable")
        lines.append([(f"dL/da{l + 1}[{j + 1}]", "title"), (f" = Σ_k W{l + 2}[{j + 1},k] · dL/dz{l + 2}[k]", "dim")])
        for k in order[:4]:
            lines.append([(f"k={k + 1:<3}", "dim"), (f"{fmt_signed(W[j, k], 2):>7}", "pos" if W[j, k] > 0 else "neg"),
                          (" × ", "dim"), (f"{fmt_signed(dz_next[k]):>9}", "num"), (" = ", "dim"),
                          (fmt_signed(terms[k]), "num")])
        if len(order) > 4:
            lines.append([(f"   … {len(order) - 4} more terms", "dim")])
        lines.append([("   sum ", "label"), (fmt_signed(da), "num")])
        if s.use_mean:  # a mean of products is not the product of the means
            lines.append([(f"dL/dz{l + 1}[{j + 1}]", "title"), (" = mean of f'(z)·dL/da", "dim")])
            lines.append([("   = ", "dim"), (fmt_signed(dz), "num")])
        else:
            lines.append([(f"dL/dz{l + 1}[{j + 1}]", "title"), (" = f'(z) × dL/da = ", "dim")])
            lines.append([("   ", "dim"), (fmt(fp), "dead" if fp == 0 else "num"), (" × ", "dim"),
                          (fmt_signed(da), "num"), (" = ", "dim"), (fmt_signed(dz), "num")])
        lines.append([(f"   f' ≤ {fmt(act.max_derivative)} for {short_name(act)}", "dim")])
    return (joined(f"backward · layer {l + 1}/{L} · chain rule", where(s)), lines)


def _update_detail(s: Session) -> tuple[str, list[Line]]:
    net = s.run.net
    after = s.preview.net if s.preview is not None else net
    snap = s.snapshot()
    l, j = s.selected
    opt = s.config.optimizer
    rule = {"sgd": "W ← W − lr·dL/dW", "momentum": "v ← μv + dL/dW;  W ← W − lr·v",
            "adam": "W ← W − lr·m̂/(√v̂+ε)"}.get(opt, opt)
    lines: list[Line] = [
        [(f"{opt}  ", "title"), (rule, "dim"), (f"   lr = {setting_text('lr', s.config.lr)}", "num")],
        [(f"{'layer':<6}{'‖dL/dW‖':>9} {'‖ΔW‖':>9}  ‖ΔW‖/‖W‖", "dim")],
    ]
    with np.errstate(all="ignore"):
        for m in range(net.n_layers):
            dW = after.weights[m] - net.weights[m]
            nw = float(np.linalg.norm(net.weights[m]))
            rel = float(np.linalg.norm(dW)) / nw if nw > 0 else 0.0
            lines.append([(f"  L{m + 1:<3}", "sel" if m == l else "label"),
                          (f"{fmt_fit(snap.grad_norms[m], 9):>9} ", "num"),
                          (f"{fmt_fit(float(np.linalg.norm(dW)), 9):>9}  ", "num"), (fmt(rel), "num")])
        lines.append([(f"neuron L{l + 1}#{j + 1}  bias ", "label"), (fmt_signed(net.biases[l][j]), "num"),
                      (" → ", "dim"), (fmt_signed(after.biases[l][j]), "num")])
        wb, wa = net.weights[l][:, j], after.weights[l][:, j]
        before, after_text = (" ".join(fmt_signed(v, 2) for v in w[:4]) for w in (wb, wa))
        lines.append([("  weights ", "label"), (before, "num")])
        lines.append([("       →  ", "label"), (after_text, "num")])
        if after_text == before:  # a move below the rounding: say how far, not "no change"
            moves = [fmt_signed(v, 2) for v in (wa - wb)[:4]]
            while len(moves) > 1 and len(" ".join(moves)) > WIDTH - 10:  # (7 columns a move)
                moves.pop()
            lines.append([("  Δw      ", "label"), (" ".join(moves), "num")])
    lines.append([("n applies it, then the next step", "dim")])
    return (f"update · step {s.step} → {s.step + 1}", Lines(lines))
