"""What a QA pass found, each as a student would meet it, fixed and kept fixed:

1. the activation card cut its key fact (sigmoid's "max f′ 0.…");
2. the step-through's loss phase and the status line showed different losses (the status line
   showed the previous step's batch loss, measured before its update), the loss ledger had an
   unexplained 1/N, and the loss panel's title lagged the status line while playing;
3. space after a divergence seemed to do nothing;
4. at 80x24 the controls were folded away silently and tab did nothing;
5. jargon: f'(0) "library", and the status line's unexplained "×5".
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from relutui.activations import ACTIVATIONS
from relutui.app.app import ReluApp
from relutui.app.screens.help import HelpScreen
from relutui.app.state import CARD_LINES, CARD_WIDTH, AppState
from relutui.app.values import fmt, fmt_signed
from relutui.app.widgets.controls import (KINK_DEFAULT, VALUE_WIDTH, ActivationCard, ControlSheet, ORDER,
                                          shown_value, tooltip_of)
from relutui.app.widgets.training_panel import LossChart
from relutui.training import TrainConfig

from .conftest import DIVERGING, SIZE

NARROW = (80, 24)


def text_of(widget) -> str:
    return str(widget.render())


def status(app) -> str:
    return text_of(app.screen.query_one("#status"))


def plain(lines) -> list[str]:
    return ["".join(text for text, _ in line) for line in lines]


def inspector_text(state: AppState) -> str:
    return "\n".join(plain(state.inspector_lines()[1]))


# ---------------------------------------------------------------- 1. the activation card
@pytest.mark.parametrize("name", ACTIVATIONS)
@pytest.mark.parametrize("kink", [None, 0.5])
def test_activation_card_lines_fit_the_card(name, kink):
    """Every fact line (all but the formula, which may keep its ellipsis) fits the card's content
    width, at every width the app gives it (24 on a short terminal, 25 at 120x36), and the card
    fits its fixed height."""
    state = AppState(TrainConfig(activation=name, derivative_at_kink=kink))
    for width in range(CARD_WIDTH, 26):
        lines = plain(state.activation_card(width))
        assert len(lines) <= CARD_LINES, lines
        for i, line in enumerate(lines):
            if i != 1:  # the formula
                assert len(line) <= width, (width, line)


def test_card_height_in_the_stylesheet_is_the_longest_card():
    tcss = (Path(__file__).parents[2] / "relutui/app/relutui.tcss").read_text()
    block = re.search(r"^#activation-card \{(.*?)\}", tcss, re.S | re.M).group(1)
    assert re.search(r"height:\s*(\d+);", block).group(1) == str(CARD_LINES)
    longest = max(len(AppState(TrainConfig(activation=a)).activation_card(w))
                  for a in ACTIVATIONS for w in range(CARD_WIDTH, 26))
    assert longest == CARD_LINES


def test_sigmoid_card_says_its_key_fact_in_full():
    lines = plain(AppState(TrainConfig(activation="sigmoid")).activation_card(25))
    assert lines == ["Sigmoid (logistic)", "1 / (1 + exp(-x))", "range (0, 1)", "max f′ 0.25", "kinks smooth",
                     "f′ ≤ 0.25: each layer can", "shrink the gradient ×0.25"]
    narrow = plain(AppState(TrainConfig(activation="sigmoid")).activation_card(24))
    assert narrow[-2:] == ["f′ ≤ 0.25: each layer", "can cut gradients ×0.25"]


@pytest.mark.parametrize("size", [SIZE, NARROW])
async def test_card_as_painted_cuts_no_number(app_pilot, config, size):
    async with app_pilot(TrainConfig(seed=0, activation="hardsigmoid"), size=size) as (app, pilot):
        if app.screen.controls_hidden():
            await pilot.press("o")
        await pilot.pause()
        card = app.screen.query_one(ActivationCard)
        width = card.content_size.width
        assert width in (24, 25)
        lines = str(card.render()).split("\n")
        assert len(lines) <= card.content_size.height
        for i, line in enumerate(lines):
            if i != 1:
                assert len(line) <= width and "…" not in line, line
        assert "      f'(3) = 0" in lines and "max f′ 0.167" in lines


async def test_controls_sheet_lines_never_wrap_on_a_short_narrow_terminal(app_pilot, config):
    """At 80x24 the controls column has a scrollbar; a line ("label value ▾") still fits."""
    async with app_pilot(TrainConfig(seed=0, activation="sigmoid"), size=NARROW) as (app, pilot):
        await pilot.press("o")
        await pilot.pause()
        sheet = app.screen.query_one(ControlSheet)
        assert len(sheet._lines) == len(ORDER)


# ---------------------------------------------------------------- 2. loss: one number, one meaning
def _to_loss_phase(state: AppState) -> None:
    while state.phase is None or state.phase.kind != "loss":
        state.next_phase()


def test_step_through_loss_is_the_status_lines_loss(config):
    """After one step, the loss phase of the next (its batch: the whole training set, the
    weights in force) shows the loss and accuracy the status line shows."""
    s = AppState(config)
    s.full_step()
    _to_loss_phase(s)
    tv = s.training_view()
    snap = s.snapshot()
    assert tv.last_loss == pytest.approx(snap.loss, rel=1e-12)
    hits = int(np.count_nonzero((snap.a[-1] > 0.5) == (snap.y > 0.5)))
    assert tv.last_acc == hits / len(snap.y)
    text = inspector_text(s)
    assert "loss bce on all 160 training samples" in text
    assert f"  = {fmt(snap.loss, 4)}   acc {100 * hits / 160:.1f}% ({hits}/160)" in text
    # and the status line agrees once rounded: loss 0.66 · acc 36%
    assert fmt(tv.last_loss) == fmt(float(fmt(snap.loss, 4)))
    # the history's last row is the previous step's batch, before its update: not what is shown
    assert s.run.history.last("loss") != tv.last_loss


def test_the_status_line_shows_the_network_now_even_at_step_0(config):
    s = AppState(config)
    tv = s.training_view()
    assert tv.step == 0 and tv.last_loss is not None and tv.last_test_loss is not None
    loss, acc = s.run.evaluate(s.run.dataset.X_train, s.run.dataset.y_train)
    assert (tv.last_loss, tv.last_acc) == (pytest.approx(loss, rel=1e-12), acc)
    assert s.boundary_accuracy() == tv.last_acc


def test_mini_batch_loss_phase_names_its_batch():
    s = AppState(TrainConfig(seed=0, batch_size=32))
    _to_loss_phase(s)
    text = inspector_text(s)
    assert "loss bce on this step's batch of 32" in text and "(" in text and "/32)" in text
    loss, _ = s.run.evaluate(s.run.dataset.X_train, s.run.dataset.y_train)
    assert s.training_view().last_loss == pytest.approx(loss, rel=1e-12)  # the status line: training set


def test_loss_ledger_shows_the_1_over_N_of_the_mean(config):
    s = AppState(config)
    s.full_step()
    _to_loss_phase(s)
    snap = s.snapshot()
    n = len(snap.x)
    i = s.sample
    da, fp, dz = snap.da[-1][i, 0], snap.fprime[-1][i, 0], snap.dz[-1][i, 0]
    assert da * fp == pytest.approx(dz, rel=1e-12)
    text = inspector_text(s)
    assert f"dL/dp = 1/{n} × {fmt_signed(da * n)} = {fmt_signed(da)}" in text
    assert f"  = {fmt_signed(da)} × {fmt(fp)} = {fmt_signed(dz)}" in text
    s.next_phase()  # backward through the output layer: the ledger
    text = inspector_text(s)
    assert f"(N = {n})" in text
    assert f"  = 1/{n} × {fmt_signed(da * n)} × {fmt(fp)}" in text
    assert f"  = {fmt_signed(da)} × {fmt(fp)} = {fmt_signed(dz)}" in text
    # the dL/dp a student reads is (1/N) dℓ/dp: for bce and a sigmoid output, (p − y)/(p(1 − p))/N
    p, y = snap.a[-1][i, 0], snap.y[i, 0]
    assert da * n == pytest.approx((p - y) / (p * (1 - p)), rel=1e-9)


def test_batch_mean_ledger_prints_no_false_product(config):
    """A mean of products is not the product of the means: in batch-mean mode no "a × b = c"."""
    s = AppState(TrainConfig(seed=0, layers=(8, 8)))
    s.full_step()
    s.toggle_mean()
    _to_loss_phase(s)
    for _ in range(3):  # the three backward phases
        s.next_phase()
        lines = plain(s.inspector_lines()[1])
        products = [line for line in lines if re.search(r"\d × [-+]?\d[^=]*= ", line)
                    and not line.startswith("   k=")]  # (W × dL/dz terms: a sum, linear, true of means)
        assert not products, products


async def test_status_line_and_loss_title_agree_while_playing(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.press("space")
        seen = set()
        for _ in range(12):
            await pilot.pause(0.03)
            loss = str(app.screen.query_one(LossChart).border_title)
            m = re.search(r"loss (\S+)", status(app))
            if "no steps yet" in loss:
                continue
            assert loss.startswith(f"loss {m.group(1)}  test "), (loss, status(app))
            acc = re.search(r"acc (\d+)%", status(app)).group(1)
            assert str(app.screen.query_one("#boundary").border_subtitle).endswith(f"acc {acc}%")
            seen.add(app.state.step)
        await pilot.press("space")
        assert len(seen) >= 3  # checked on several frames, not only after a full redraw


# ---------------------------------------------------------------- 3. space after a divergence
async def test_space_after_divergence_says_why_nothing_plays():
    app = ReluApp(TrainConfig(seed=0, **DIVERGING))
    notes = []
    async with app.run_test(size=SIZE) as pilot:
        app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
        for _ in range(10):
            await pilot.press("s")
            if app.state.diverged:
                break
        n = app.state.diverged_at
        assert n is not None
        for key, what in (("space", "cannot play"), ("s", "cannot step"), ("n", "cannot step through")):
            notes.clear()
            await pilot.press(key)
            await pilot.pause()
            assert notes == [f"{what}: ReLU diverged at step {n} — press r to reset"], notes
        assert not app.state.playing and app.state.step == n
        assert f"diverged at step {n} — r resets" in status(app)


async def test_diverged_state_stays_in_view_at_80_columns(app_pilot):
    async with app_pilot(TrainConfig(seed=0, **DIVERGING), size=NARROW) as (app, pilot):
        for _ in range(10):
            await pilot.press("s")
            if app.state.diverged:
                break
        await pilot.pause()
        line = status(app)
        assert line.rstrip().endswith(f"diverged at step {app.state.diverged_at} — r resets"), line
        assert len(line) <= NARROW[0]


# ---------------------------------------------------------------- 4. the narrow layout
async def test_narrow_layout_says_o_shows_the_controls_and_tab_goes_there(app_pilot, config):
    async with app_pilot(config, size=NARROW) as (app, pilot):
        await pilot.pause()
        screen = app.screen
        controls = screen.query_one("#controls")
        assert not controls.display
        o = screen.active_bindings["o"].binding
        assert (o.action, o.description, o.show) == ("show_controls", "Controls", True)  # in the footer
        # tab shows the controls and goes to the list; the keys behind it act there
        await pilot.press("tab", "down", "down")
        await pilot.pause()
        sheet = screen.query_one(ControlSheet)
        # (from activation, down skips params, disabled for ReLU: lr, then bias)
        assert controls.display and app.focused is sheet and ORDER[sheet.highlighted] == "bias"
        assert app.state.selected == (0, 0)  # down moved the list, not the selected neuron
        assert screen.active_bindings["o"].binding.action == "toggle_controls"  # no footer hint now
        await pilot.press("tab")
        assert app.focused is not sheet and app.focused is not None  # on to the buttons, as usual
        # escape leaves the controls and folds them away again
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is None and not controls.display
        assert screen.active_bindings["o"].binding.action == "show_controls"
        await pilot.press("o")
        await pilot.pause()
        assert controls.display and app.focused is None
        await pilot.press("o")
        await pilot.pause()
        assert not controls.display


async def test_wide_layout_keeps_the_footer_and_tab_as_they_were(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.pause()
        assert app.screen.active_bindings["o"].binding.action == "toggle_controls"  # not in the footer
        await pilot.press("tab")
        assert app.focused is app.screen.query_one(ControlSheet)
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is None and app.screen.query_one("#controls").display


# ---------------------------------------------------------------- 5. words a student can read
@pytest.mark.parametrize("name", ACTIVATIONS)
def test_kink_default_reads_as_pytorch(name):
    s = AppState(TrainConfig(activation=name))
    text = shown_value("kink", s)
    assert len(text) <= VALUE_WIDTH and text.endswith(KINK_DEFAULT)
    if name == "relu":
        assert text == "0, as PyTorch"  # relu'(0) = 0, as PyTorch does
    if name in ("hardtanh", "relu6", "leaky_relu"):  # kinks not only at 0, or a value too long
        assert text == KINK_DEFAULT
    assert "relu'(0) = 0" in tooltip_of("kink") and "as PyTorch" in tooltip_of("kink")


@pytest.mark.parametrize("size", [SIZE, NARROW])
async def test_status_line_names_the_speed_in_steps_per_frame(app_pilot, config, size):
    async with app_pilot(config, size=size) as (app, pilot):
        await pilot.pause()
        assert status(app).rstrip().endswith("‖ paused")  # the speed while paused gives way first
        await pilot.press("space")
        await pilot.pause(0.1)
        line = status(app)
        assert re.search(r"▶ (playing · )?5 steps/frame$", line.rstrip()), line
        assert "×" not in line and len(line) <= size[0]
        await pilot.press("greater_than_sign")
        await pilot.pause(0.1)
        assert "10 steps/frame" in status(app)
        await pilot.press("space")


async def test_help_explains_the_status_line_and_the_narrow_layout(app_pilot, config):
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(app.screen.plain_text(width=200).split())
        assert "▶ playing · 5 steps/frame: while playing, each frame (about 30 a second) trains up to 5 steps" in text
        assert "loss and acc: the network as it is now, on all training samples" in text
        assert "Below 110 columns the controls fold away: o shows them" in text
        assert "relu'(0) = 0" in text
