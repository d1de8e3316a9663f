"""One line at the top: what is running and how it is doing.

The line gives way in steps when it is too long (``GIVE_WAY``): the speed while paused, the
long form of the state, the settings (the controls show them too), the app's name, then the
figures that matter least. The state ("diverged at step N", "playing · 5 steps/frame",
the step-through's phase) always stays in view, at the end of the line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from relutui.app.widgets import palette
from relutui.format import dataset_text, fmt, short_name
from relutui.settings import setting_text

if TYPE_CHECKING:
    from relutui.session import Session

# what gives way, in this order, while the line is too long: the speed while paused, the long
# form of the state, the settings, the app's name (and the activation's long name), sat %, acc %
GIVE_WAY = ("paused speed", "long", "settings", "brand", "sat", "acc")
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
        return f"◆ {state.phase.label(state.n_layers)}", "sel"
    if state.playing:
        return (f"▶ playing · {speed_text(state)}" if long else f"▶ {speed_text(state)}"), "active"
    return (f"‖ paused · {speed_text(state)}" if long and paused_speed else "‖ paused"), "dim"


class StatusBar(Static):
    _shown: Text | None = None

    def show(self, state: Session) -> None:
        width = self.size.width or self.app.size.width
        for drop in LEVELS:
            t = self.line(state, drop)
            if t.cell_len <= width:
                break
        if t == self._shown:  # the same text and styles: no repaint (the views come often)
            return
        self._shown = t
        self.update(t, layout=False)  # one fixed line: no relayout

    def line(self, state: Session, drop: tuple[str, ...] = ()) -> Text:
        app = self.app
        dim = palette.tag_style(app, "dim")
        num = palette.tag_style(app, "num")
        title = palette.tag_style(app, "title")
        c = state.config
        tv = state.training_view()
        t = Text(no_wrap=True, overflow="ellipsis")
        if "brand" not in drop:
            t.append(" relutui ", title)
            t.append("│ ", dim)
        else:
            t.append(" ")
        name = state.activation.display_name if "brand" not in drop else short_name(state.activation)
        t.append(name if state.run.net.hidden_layers else "linear", num)
        if "settings" not in drop:
            t.append(f" · {dataset_text(c)} · {','.join(map(str, c.layers))} · lr {setting_text('lr', c.lr)} · bias {setting_text('bias_init', c.bias_init)}"
                     f" · {c.optimizer}", dim)
        t.append(" │ ", dim)
        t.append(f"step {tv.step}", num)
        t.append(f" · loss {fmt(tv.last_loss)}", num)
        if tv.last_acc is not None and "acc" not in drop:
            t.append(f" · acc {100 * tv.last_acc:.0f}%", num)
        t.append(" · ", dim)
        t.append(f"dead {tv.dead_pct:.0f}%", palette.state_style(app, 2, bold=tv.n_dead > 0))
        if "sat" not in drop:
            t.append(" · ", dim)
            t.append(f"sat {tv.sat_pct:.0f}%", palette.state_style(app, 1, bold=tv.n_sat > 0))
        t.append(" │ ", dim)
        busy = getattr(app, "busy_text", None)  # training off the UI thread (lesson steps, a slow step)
        if busy and not state.diverged:
            text, tag = (busy if "long" not in drop else busy.split(" · ")[0]), "active"
        else:
            text, tag = state_text(state, long="long" not in drop, paused_speed="paused speed" not in drop)
        t.append(text, palette.tag_style(app, tag))
        return t
