"""The inspector, by step-through phase: the selected neuron's details, the forward table,
the loss, the chain-rule ledger (backward) or the update. Lines of (text, tag) pieces: the
tag names a style the widget looks up in the theme."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from relutui.diagnostics import DEAD
from relutui.format import fmt, fmt_fit, fmt_signed
from relutui.session.views import OFF_SYMBOL, STATE_NAMES, STATE_SYMBOLS, Line, Segment
from relutui.settings import setting_text

if TYPE_CHECKING:
    from relutui.session.session import Session


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


def _neuron_detail(s: Session) -> tuple[str, list[Line]]:
    snap = s.snapshot()
    l, j = s.selected
    L = s.n_layers
    net = s.run.net
    lname = "output" if l == L - 1 else f"layer {l + 1}"
    st = int(snap.states[l][j])
    z, a, fp, dz = snap.z[l][:, j], snap.a[l][:, j], snap.fprime[l][:, j], snap.dz[l][:, j]
    i = min(s.sample, len(z) - 1)
    # the sample (or the batch mean), then the batch's min, mean and max (the mean once in
    # batch-mean mode): fixed columns, a blank before every number at any magnitude
    lines: list[Line] = [
        [(f"{lname} #{j + 1}  ", "title"), _state_seg(st),
         (f"  f'=0 on {100 * float(np.mean(fp == 0)):.0f}%", "dim")],
        [(f"{'':6}{'mean' if s.use_mean else '#' + str(i):>8}{'min':>7}"
          + ("" if s.use_mean else f"{'mean':>7}") + f"{'max':>7}", "dim")],
    ]
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
    for v in w[:5]:
        wseg.append((fmt_signed(v, 2) + " ", "pos" if v > 0 else "neg"))
    if len(w) > 5:
        wseg.append((f"+{len(w) - 5}", "dim"))
    lines.append(wseg)
    if l < net.hidden_layers:
        death = s.run.death
        ds = int(death.death_step[l][j])
        if ds >= 0:
            lines.append([("✕ died at step ", "dead"), (str(ds), "dead")])
            k = death.killing_update(l, j)
            if k:
                lines.append([("  bias ", "dim"), (fmt_signed(k["bias_before"]), "num"),
                              (" → ", "dim"), (fmt_signed(k["bias_after"]), "num")])
                wb, wa = np.asarray(k["w_before"]), np.asarray(k["w_after"])
                lines.append([("  w ", "dim"), (" ".join(fmt_signed(v, 2) for v in wb[:3]), "num"),
                              (" → ", "dim"), (" ".join(fmt_signed(v, 2) for v in wa[:3]), "num")])
            else:
                lines.append([("  dead from the start: no update killed it", "dim")])
        elif bool(death.revived[l][j]):
            lines.append([("revived after dying", "saturated")])
    return (f"neuron · {s.where()}", lines)


def _forward_table(s: Session, l: int) -> tuple[str, list[Line]]:
    snap = s.snapshot()
    L = s.n_layers
    net = s.run.net
    act = net.activations[l]
    prev = "x" if l == 0 else f"a{l}"
    lines: list[Line] = [
        [("z", "title"), (f"{l + 1} = {prev} · W{l + 1} + b{l + 1}    ", "dim"),
         ("a", "title"), (f"{l + 1} = {act.display_name}(z{l + 1})", "dim")],
        [(f" {'#':>3} {'z':>8} {'a':>8} {'f′(z)':>7}", "dim")],
    ]
    z, a, fp = s.pick(snap.z[l]), s.pick(snap.a[l]), s.pick(snap.fprime[l])
    for j in range(len(z)):
        st = int(snap.states[l][j])
        sel = (l, j) == s.selected
        # the state over the batch, drawn as in the network panel: hollow when f'(z) = 0 for
        # this sample (not for a batch mean)
        off = not s.use_mean and fp[j] == 0 and st != DEAD
        lines.append([
            ("▸" if sel else " ", "sel"), (f"{j + 1:>3} ", "sel" if sel else "dim"),
            (f"{fmt_fit(z[j], 8, signed=True):>8} ", "num"), (f"{fmt_fit(a[j], 8, signed=True):>8} ", "num"),
            (f"{fmt_fit(fp[j], 7):>7} ", "dead" if fp[j] == 0 else "num"),
            (OFF_SYMBOL if off else STATE_SYMBOLS[st], STATE_NAMES[st]),
        ])
    return (f"forward · layer {l + 1}/{L} · {s.where()}", lines)


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
    p = snap.a[-1][:, 0]
    y = snap.y[:, 0]
    n = len(p)
    i = min(s.sample, n - 1)
    out = s.run.net.activations[-1]
    lines: list[Line] = [
        [("loss ", "dim"), (s.loss_name, "title"), (f" on {_batch_words(s, n)}", "dim")],
    ]
    if s.loss_name == "bce":
        lines.append([("L = −mean( y·log p + (1−y)·log(1−p) )", "dim")])
    else:
        lines.append([("L = mean( (p − y)² )", "dim")])
    total: Line = [("  = ", "dim"), (fmt(snap.loss, 4), "num")]
    if s.run.dataset.task == "classification":
        hits = int(np.count_nonzero((p > 0.5) == (y > 0.5)))
        total += [("   acc ", "label"), (f"{100 * hits / n:.1f}%", "num"), (f" ({hits}/{n})", "dim")]
    lines.append(total)
    da, fp = float(snap.da[-1][i, 0]), float(snap.fprime[-1][i, 0])
    sym = "σ" if out.name == "sigmoid" else "f"
    lines += [
        [("sample #%d  " % i, "label"), ("p = ", "dim"), (fmt(p[i], 4), "num"), ("  y = ", "dim"), (fmt(y[i], 3), "num")],
        [("dL/dp = ", "label"), (f"1/{n}", "num"), (" × ", "dim"), (fmt_signed(da * n), "num"), (" = ", "dim"),
         (fmt_signed(da), "num")],
        [("dL/dz_out = dL/dp × ", "label"), (f"{sym}′(z)", "label")],
        [("  = ", "dim"), (fmt_signed(da), "num"), (" × ", "dim"), (fmt(fp), "num"), (" = ", "dim"),
         (fmt_signed(snap.dz[-1][i, 0]), "num")],
    ]
    return ("loss · n: the gradient flows back", lines)


def _ledger(s: Session, l: int) -> tuple[str, list[Line]]:
    """How dL/dz of layer l is built from layer l+1's dL/dz, the weights and f'(z)."""
    snap = s.snapshot()
    net = s.run.net
    L = net.n_layers
    _, j = s.selected
    if s.selected[0] != l:
        j = min(j, net.layer_sizes[l + 1] - 1)
    fp = s.pick(snap.fprime[l])[j]
    da = s.pick(snap.da[l])[j]
    dz = s.pick(snap.dz[l])[j]
    act = net.activations[l]
    lines: list[Line] = []
    if l == L - 1:
        # L is the mean of the N samples' losses: dL/dp carries a 1/N, shown as a factor
        n = len(snap.x)
        lines.append([("dL/dz_out", "title"), (" = dL/dp · f'(z)", "dim"), (f"  (N = {n})", "dim")])
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
        order = np.argsort(-np.abs(terms))
        lines.append([(f"dL/da{l + 1}[{j + 1}]", "title"), (f" = Σ_k W{l + 2}[{j + 1},k] · dL/dz{l + 2}[k]", "dim")])
        for k in order[:4]:
            lines.append([(f"   k={k + 1:<3}", "dim"), (f"{fmt_signed(W[j, k], 2):>7}", "pos" if W[j, k] > 0 else "neg"),
                          (" × ", "dim"), (f"{fmt_signed(dz_next[k]):>9}", "num"), (" = ", "dim"),
                          (fmt_signed(terms[k]), "num")])
        if len(order) > 4:
            lines.append([(f"   … {len(order) - 4} more terms", "dim")])
        lines.append([("   sum ", "label"), (fmt_signed(da), "num")])
        if s.use_mean:  # a mean of products is not the product of the means
            lines.append([(f"dL/dz{l + 1}[{j + 1}]", "title"), (" = mean of f'(z)·dL/da = ", "dim"),
                          (fmt_signed(dz), "num")])
        else:
            lines.append([(f"dL/dz{l + 1}[{j + 1}]", "title"), (" = f'(z) × dL/da = ", "dim"),
                          (fmt(fp), "dead" if fp == 0 else "num"), (" × ", "dim"), (fmt_signed(da), "num"),
                          (" = ", "dim"), (fmt_signed(dz), "num")])
        lines.append([(f"   f' ≤ {fmt(act.max_derivative)} for {act.display_name}", "dim")])
    # the chain so far: mean |dL/dz| per layer, from the output down to l
    lines.append([(f"{'chain':<6}{'mean|dL/dz|':>12}{'×factor':>9}{'mean f′':>9}", "dim")])
    prev = None
    for m in range(L - 1, l - 1, -1):
        mag = float(np.mean(np.abs(snap.dz[m])))
        mf = float(np.mean(snap.fprime[m]))
        ratio = None if prev is None or prev == 0 else mag / prev
        tag = "dead" if ratio is not None and ratio < 0.1 else "num"
        lines.append([(f"{'L' + str(m + 1):<6}", "sel" if m == l else "label"),
                      (f"{fmt_fit(mag, 11):>12}", "num"),
                      (f"{'' if ratio is None else fmt_fit(ratio, 8, 2):>9}", tag),
                      (f"{fmt_fit(mf, 8, 2):>9}", "num")])
        prev = mag
    lines.append([("‖dL/dW‖ ", "label"), ("  ".join(f"L{m + 1} {fmt(snap.grad_norms[m], 2)}" for m in range(L)), "num")])
    return (f"backward · layer {l + 1}/{L} · chain rule · {s.where()}", lines)


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
        [("layer  ‖dL/dW‖     ‖ΔW‖      ‖ΔW‖/‖W‖", "dim")],
    ]
    with np.errstate(all="ignore"):
        for m in range(net.n_layers):
            dW = after.weights[m] - net.weights[m]
            nw = float(np.linalg.norm(net.weights[m]))
            rel = float(np.linalg.norm(dW)) / nw if nw > 0 else 0.0
            lines.append([(f"  L{m + 1:<3}", "sel" if m == l else "label"),
                          (f"{fmt_fit(snap.grad_norms[m], 9):>9}  ", "num"),
                          (f"{fmt_fit(float(np.linalg.norm(dW)), 9):>9}  ", "num"), (fmt(rel), "num")])
        lines.append([(f"neuron L{l + 1}#{j + 1}  bias ", "label"), (fmt_signed(net.biases[l][j]), "num"),
                      (" → ", "dim"), (fmt_signed(after.biases[l][j]), "num")])
        wb, wa = net.weights[l][:, j], after.weights[l][:, j]
        lines.append([("  weights ", "label"), (" ".join(fmt_signed(v, 2) for v in wb[:4]), "num")])
        lines.append([("       →  ", "label"), (" ".join(fmt_signed(v, 2) for v in wa[:4]), "num")])
    lines.append([("n applies the update and starts the next step", "dim")])
    return (f"update · step {s.step} → {s.step + 1}", lines)
