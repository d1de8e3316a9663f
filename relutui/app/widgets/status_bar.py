"""One line at the top: what is running and how it is doing.

The line gives way in steps when it is too long (``GIVE_WAY``): the speed while paused, the
long form of the state, the app's name, the settings (the controls show them too), then the
figures that matter least. How far it gives way is chosen for the longest state it can show
(playing, paused, any step-through phase), not the one of the moment: the line keeps one
shape while it plays, pauses or steps through the phases. The state ("diverged at step N",
"playing · 5 steps/frame", the step-through's phase) always stays in view, at the end of the
line. In compare mode it gives both runs' figures, each after its activation's name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from relutui.app.widgets import palette
from relutui.app.widgets.controls import compact_layers
from relutui.format import dataset_text, fmt, short_name
from relutui.settings import setting_text

if TYPE_CHECKING:
    from relutui.session import Session

# what gives way, in this order, while the line is too long: the speed while paused, the long
# form of the state, the settings, the app's name (and the activation's long name), the words
# "dead" and "sat" (for the network panel's symbols: "✕ 5% ◐ 13%"), sat %, acc %
GIVE_WAY = ("paused speed", "long", "brand", "settings", "symbols", "sat", "acc")
LEVELS = tuple(GIVE_WAY[:k] for k in range(len(GIVE_WAY) + 1))


def speed_text(state: Session) -> str:
    """The speed while playing, in words: "5 steps/frame" (at most; see ``Session.tick``)."""
    return f"{state.speed} step{'s' if state.speed != 1 else ''}/frame"


def state_text(state: Session, long: bool = True, paused_speed: bool = True) -> tuple[str, str]:
    """The state at the end of the line and its tag: diverged, step-through phase, playing or
    paused. ``long=False``: the short form, for narrow terminals; ``paused_speed=False``: no
    speed while paused."""
    if state.diverged:
        if long:
            return f"⚠ {state.diverged_message()} — r resets", "dead"
        steps = sorted({r.diverged_at for r in state.runs() if r.diverged_at is not None})
        return f"⚠ diverged at step {', '.join(map(str, steps))} — r resets", "dead"
    if state.phase is not None:
        return f"◆ {phase_text(state.phase, state.n_layers, long)}", "sel"
    if state.playing:
        return (f"▶ playing · {speed_text(state)}" if long else f"▶ {speed_text(state)}"), "active"
    return (f"‖ paused · {speed_text(state)}" if long and paused_speed else "‖ paused"), "dim"


def phase_text(phase, n_layers: int, long: bool = True) -> str:
    """The phase: "backward · layer 3/6", short "backward 3/6"."""
    if long or phase.layer is None:
        return phase.label(n_layers)
    return f"{phase.kind} {phase.layer + 1}/{n_layers}"


def widest_states(state: Session) -> list[tuple[str, bool]]:
    """The states the line may show next, as (text, diverged): playing, paused and the phases
    of a step-through (the widest of each kind decides how far the line gives way)."""
    from relutui.session.views import Phase

    n = state.n_layers
    states = [(f"▶ playing · {speed_text(state)}", f"▶ {speed_text(state)}"),
              (f"‖ paused · {speed_text(state)}", "‖ paused")]
    for kind in ("forward", "backward"):
        phase = Phase(kind, n - 1)
        states.append((f"◆ {phase_text(phase, n)}", f"◆ {phase_text(phase, n, False)}"))
    return states


def pct(value: float, widest: bool = False) -> str:
    """A share in whole percent; ``widest``: at least two digits wide."""
    text = f"{value:.0f}"
    return text.rjust(2, "9") if widest else text


def loss_text(loss: float, widest: bool = False) -> str:
    """The loss as shown; ``widest``: as wide as a loss is usually shown (6 characters, "0.0123")."""
    text = fmt(loss)
    return text.ljust(6, "0") if widest else text


class StatusBar(Static):
    _shown: Text | None = None

    def show(self, state: Session) -> None:
        width = self.size.width or self.app.size.width
        t = None
        for k, drop in enumerate(LEVELS):
            # the level that fits the widest state, so that the shape stays from frame to frame
            if not state.diverged and self.widest(state, drop) > width and k < len(LEVELS) - 1:
                continue
            t = self.line(state, drop)
            if t.cell_len <= width:
                break
        if t == self._shown:  # the same text and styles: no repaint (the views come often)
            return
        self._shown = t
        self.update(t, layout=False)  # one fixed line: no relayout

    def widest(self, state: Session, drop: tuple[str, ...]) -> int:
        """The width of the line at this level with the widest state it may show next."""
        base = self.line(state, drop, state_part=False, widest=True).cell_len
        long = "long" not in drop
        return base + max(len(full if long else short) for full, short in widest_states(state))

    def line(self, state: Session, drop: tuple[str, ...] = (), state_part: bool = True,
             widest: bool = False) -> Text:
        """The line at a level. ``widest``: every figure as wide as it usually grows (a 4-digit
        step, a 6-character loss, 2-digit shares), for choosing the level (``widest``) once
        for every frame of a run."""
        app = self.app
        dim = palette.tag_style(app, "dim")
        num = palette.tag_style(app, "num")
        title = palette.tag_style(app, "title")
        c = state.config
        compare = state.compare and state.run_b is not None
        runs = [state.run, state.run_b] if compare else [state.run]
        t = Text(no_wrap=True, overflow="ellipsis")
        if "brand" not in drop:
            t.append(" relutui ", title)
            t.append("│ ", dim)
        else:
            t.append(" ")
        if not compare:
            name = state.activation.display_name if "brand" not in drop else short_name(state.activation)
            t.append(name if state.run.net.hidden_layers else "linear", num)
        layers = ",".join(map(str, c.layers))
        # (the layers as "8×7" when long)
        settings = [dataset_text(c), layers if len(layers) <= 7 else compact_layers(layers),
                    f"lr {setting_text('lr', c.lr)}", f"bias {setting_text('bias_init', c.bias_init)}", c.optimizer]
        if "settings" not in drop:
            t.append((" · " if not compare else "") + " · ".join(settings), dim)
        if not compare or "settings" not in drop:
            t.append(" │ ", dim)
        t.append(f"step {max(state.run.step, 9_999) if widest else state.run.step}", num)
        for run in runs:
            tv = state.training_view(run)
            if compare:
                t.append(" │ ", dim)
                t.append(tv.label, palette.tag_style(app, "title"))
                t.append(f" loss {loss_text(tv.last_loss, widest)}", num)
            else:
                t.append(f" · loss {loss_text(tv.last_loss, widest)}", num)
            if tv.last_acc is not None and "acc" not in drop:
                t.append(f" · acc {pct(100 * tv.last_acc, widest)}%", num)
            # dead and sat as their symbols (the network panel's ✕ and ◐): one run at an 80-column
            # terminal, both runs at 120, keep their sat % so
            short = "symbols" in drop
            t.append(" " if compare and "acc" in drop else " · ", dim)
            dead = pct(tv.dead_pct, widest)
            t.append(f"✕ {dead}%" if short else f"dead {dead}%",
                     palette.state_style(app, 2, bold=tv.n_dead > 0))
            if "sat" not in drop:
                sat = pct(tv.sat_pct, widest)
                t.append(" " if short else " · ", dim)
                t.append(f"◐ {sat}%" if short else f"sat {sat}%", palette.state_style(app, 1, bold=tv.n_sat > 0))
        t.append(" │ ", dim)
        if state_part:
            busy = getattr(app, "busy_text", None)  # training off the UI thread (lesson steps, a slow step)
            if busy and not state.diverged:
                text, tag = (busy if "long" not in drop else busy.split(" · ")[0]), "active"
            else:
                text, tag = state_text(state, long="long" not in drop, paused_speed="paused speed" not in drop)
            t.append(text, palette.tag_style(app, tag))
        return t
