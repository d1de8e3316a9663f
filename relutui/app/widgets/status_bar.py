"""One line at the top: what is running and how it is doing."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from relutui.app.state import AppState
from relutui.app.values import fmt
from relutui.app.widgets import palette


class StatusBar(Static):
    def show(self, state: AppState) -> None:
        app = self.app
        dim = palette.tag_style(app, "dim")
        num = palette.tag_style(app, "num")
        title = palette.tag_style(app, "title")
        c = state.config
        tv = state.training_view()
        t = Text(no_wrap=True, overflow="ellipsis")
        t.append(" relutui ", title)
        t.append("│ ", dim)
        t.append(state.activation.display_name if state.run.net.hidden_layers else "linear", num)
        settings = f" · {c.dataset} · {','.join(map(str, c.layers))} · lr {fmt(c.lr)} · bias {fmt(c.bias_init)} · {c.optimizer}"
        cut = len(t)  # the settings (also in the controls) give way first when the line is too long
        t.append(settings, dim)
        t.append(" │ ", dim)
        t.append(f"step {tv.step}", num)
        t.append(f" · loss {fmt(tv.last_loss)}", num)
        if tv.last_acc is not None:
            t.append(f" · acc {100 * tv.last_acc:.0f}%", num)
        t.append(" · ", dim)
        t.append(f"dead {tv.dead_pct:.0f}%", palette.state_style(app, 2, bold=tv.n_dead > 0))
        t.append(" · ", dim)
        t.append(f"sat {tv.sat_pct:.0f}%", palette.state_style(app, 1, bold=tv.n_sat > 0))
        t.append(" │ ", dim)
        msg = state.diverged_message()
        if msg:
            t.append(f"⚠ {msg} — r resets", palette.tag_style(app, "dead"))
        elif state.phase is not None:
            t.append(f"◆ {state.phase.label(state.n_layers)}", palette.tag_style(app, "sel"))
        elif state.playing:
            t.append(f"▶ playing ×{state.speed}", palette.tag_style(app, "active"))
        else:
            t.append(f"‖ paused ×{state.speed}", dim)
        width = self.size.width or self.app.size.width
        if t.cell_len > width:  # keep the state ("diverged at step N", "playing") in view
            t = t[:cut] + t[cut + len(settings):]
        self.update(t, layout=False)  # one fixed line: no relayout
