"""Help: every key (generated from the bindings) and what the colours and symbols mean."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from relutui.app.screens.bindings import APP, ARTICLE, COMPARE, FOOTER_ONLY, MAIN
from relutui.app.screens.modal import OneShotModal
from relutui.session.views import GRAD_RAMP, MARK_HELP, MARK_SYMBOLS, STATE_HELP, STATE_SYMBOLS
from relutui.diagnostics import ACTIVE, DEAD, SATURATED
from relutui.app.widgets import palette
from relutui.app.widgets.boundary_map import TEST_POINT, TRAIN_POINT
from relutui.app.widgets.function_chart import ZONE
from relutui.app.widgets.network_view import INPUT_SYMBOL

HELP_INTRO = (
    "relutui trains a small network live and lets you open it up. Change the activation, the "
    "bias or the learning rate and watch where the pre-activations z land on f(x) and f'(x): "
    "wherever f' is 0 (ReLU's dead zone) or nearly 0 (sigmoid's flat tails) no gradient flows."
)
# What to press first, in the order a newcomer needs it (the keys of the main screen).
GETTING_STARTED = [
    ("space", "play / pause: watch the network learn (xor by default), the loss fall, the zones fill"),
    ("s", "one whole training step (paused)"),
    ("n", "step through one training step phase by phase: forward, loss, backward (the chain-rule "
          "ledger: how the gradient shrinks or grows layer by layer), update; p goes back"),
    ("c", "compare: two activations side by side (ReLU and sigmoid at first), same data, seed and "
          "initial weights"),
    ("e", "the claims lab: test the article's claims one by one, each with its measured verdict"),
    ("w", "the article walk-through: its text, each claim marked by its verdict; ] [ go from claim to "
          "claim, enter runs one on the main screen"),
    ("?", "this help (escape closes it)"),
]

# What each key does, by its action (a footer label is short: "Phase›", "Left act.", "Panels";
# a binding's own description says it already where it is not here): the help and the demos'
# caption bar name every key by this.
ACTIONS = {
    "toggle_play": "play / pause training (each frame trains a few steps; < and > set how many)",
    "full_step": "one whole training step (in a step-through: applies the step being shown)",
    "reset": "reset: same seed, same initial weights, step 0",
    "next_phase": "step-through: next phase (forward, loss, backward, update; n after the update "
                  "applies it)",
    "prev_phase": "step-through: previous phase",
    "escape": "leave the controls list, else the step-through (its step is not applied)",
    "compare": "compare mode: two activations side by side, in lockstep",
    "cycle_view": "below 32 rows: the centre column shows its next panel (chart, loss, gradients, "
                  "boundary)",
    "scroll_side(-1)": "scroll the step-through's ledger (else the claim panel) up a page",
    "scroll_side(1)": "scroll the step-through's ledger (else the claim panel) down a page",
    "toggle_mean": "the network and inspector show one sample / the batch mean",
    "lr(-1)": "learning rate down a step (… 0.05, 0.1, 0.2 …); applies live",
    "lr(1)": "learning rate up a step (… 0.05, 0.1, 0.2 …); applies live",
    "bias(-1)": "hidden bias init down 0.5 (restarts from the seed)",
    "bias(1)": "hidden bias init up 0.5 (restarts from the seed)",
    "activation(1)": "next activation (restarts from the seed)",
    "activation(-1)": "previous activation (restarts from the seed)",
    "dataset(1)": "next dataset (restarts from the seed)",
    "dataset(-1)": "previous dataset (restarts from the seed)",
    "zoom(1)": "function chart: zoom in (a narrower x range)",
    "zoom(-1)": "function chart: zoom out (a wider x range)",
    "sample(-1)": "previous sample (shown in the network, the inspector and the charts' dots)",
    "sample(1)": "next sample (shown in the network, the inspector and the charts' dots)",
    "pick_experiment": "the claims lab: pick an experiment; it loads and runs (its claim in the panel)",
    "app.article": "article walk-through (the article's text, each claim marked by its verdict)",
    "help": "help: every key, the colours and the symbols",
    "quit": "quit",
    "show_controls": "show the controls column",
    "dismiss": "close the help",
    "cancel": "close this box: nothing changes",  # (the experiment picker, a setting's editor)
}
COMPARE_ACTIONS = {
    "compare": "back to the main screen (your run is where you left it)",
    "activation(1)": "next activation of the left run (restarts both from the seed)",
    "activation(-1)": "previous activation of the left run (restarts both from the seed)",
    "compare_activation(1)": "next activation of the right run (restarts both from the seed)",
    "compare_activation(-1)": "previous activation of the right run (restarts both from the seed)",
}
ARTICLE_ACTIONS = {
    "claim(1)": "next claim",
    "claim(-1)": "previous claim",
    "claim_at(0)": "first claim",
    "claim_at(1)": "last claim",
    "open_claim": "open the claim's experiment on the main screen (its settings, a short run, its "
                  "verdict)",
    "run_claim": "run the claim's experiment here, at its defaults (its verdict marks the claim)",
    "scroll(1)": "scroll the article down",
    "scroll(-1)": "scroll the article up",
    "close": "back to the screen before",
}


def file_actions(app) -> dict[str, str]:
    """What ctrl+s and ctrl+l do: a file in the working directory, or, under ``relutui serve``,
    a download in the visitor's browser (nothing is written on the server)."""
    if getattr(app, "is_web", False):
        return {"save_screenshot": "save an SVG screenshot: a download in your browser (nothing is "
                                   "written on the server)",
                "save_lesson": "save the current state as a lesson (TOML): a download in your browser"}
    return {"save_screenshot": "save an SVG screenshot to the working directory",
            "save_lesson": "save the current state as a lesson (TOML) to the working directory"}


def actions_for(screen, app) -> dict[str, str]:
    """The names of the actions of ``screen``'s keys (the app's keys' included)."""
    from relutui.app.screens.article import ArticleScreen
    from relutui.app.screens.compare import CompareScreen

    names = {**ACTIONS, **file_actions(app)}
    if isinstance(screen, CompareScreen):
        names.update(COMPARE_ACTIONS)
    elif isinstance(screen, ArticleScreen):
        names.update(ARTICLE_ACTIONS)
    return names


READING = [
    ("status line", "step N: the updates done so far. loss and acc: the network as it is now, on all "
     "training samples (the loss panel's title and the boundary map say the same; the curves end one "
     "step earlier: each point is a step's batch, measured before its update). dead / sat: the hidden "
     "neurons' states. ▶ playing · 5 steps/frame: while playing, each frame (about 30 a second) trains "
     "up to 5 steps, fewer when a big network would slow the screen down; < and > change it."),
    ("function chart", "f(x) on the left axis, f'(x) on the right; ▒ is the histogram of the selected "
     "layer's z over the batch; dots are the selected sample's neurons, ◆ the selected one; "
     f"{ZONE} shades the dead (red) and saturated (amber) zones."),
    ("network", "columns are layers (x, h1, h2, ..., out), each layer's neurons in a block under its "
     f"title ({INPUT_SYMBOL}: an input; several to a line when they do not fit one a line; +k: k more "
     "not shown); +n−m under a title counts the positive and "
     "negative incoming weights; numbers are a (post-activation), dL/dz in backward phases or Δb "
     "in the update, for one sample or the batch mean (b). Colour strength is |value| / the largest "
     "|value| shown, the scale is printed at the bottom (not clamped: 7 looks stronger than 1)."),
    ("step-through", "n walks one training step: forward through each layer, the loss, backward "
     "through each layer (the chain-rule ledger shows dL/dz = f'(z) · Σ W·dL/dz_next and the "
     "shrinking or growing factor per layer), then the update; n again applies it. p goes back. "
     "The loss is the mean over the step's batch of N samples (all training samples unless batch "
     "is set), so each sample's dL/dp carries a factor 1/N."),
    ("settings", "lr applies live; every other setting restarts the run from the same seed. In the "
     "controls list enter edits a setting; a typed value applies on enter, a refused one says why "
     "and escape keeps the value in force."),
    ("compare", "c trains two networks in lockstep: same data, same initial weights, same seed, only "
     "the activation differs (a / v change the left / right one). Back on the main screen "
     "your run is where you left it, unless you changed a setting."),
]


def key_written(app, binding: Binding, key: str) -> str:
    """One of ``binding``'s keys as the help and the caption bar write it: ctrl+s, not ^s."""
    shown = app.get_key_display(binding.with_key(key.strip()))
    return "ctrl+" + shown[1:] if shown.startswith("^") and len(shown) > 1 else shown


def _key_display(app, binding: Binding) -> str:
    return " ".join(key_written(app, binding, key) for key in binding.key.split(","))


def bindings_table(app, title: str, bindings: list[Binding], actions: dict[str, str] | None = None) -> Table:
    """Key and what it does: ``actions`` (then ``ACTIONS``) name what a key's footer label
    abbreviates; the other bindings' descriptions already say it."""
    names = {**ACTIONS, **file_actions(app), **(actions or {})}
    table = Table(title=title, title_justify="left", box=None, padding=(0, 2), show_header=False,
                  title_style=palette.tag_style(app, "title"))
    table.add_column(style=palette.tag_style(app, "sel"), no_wrap=True)
    table.add_column()
    seen = set()
    for b in bindings:
        key = (b.key, b.action)
        if key in seen or b.action in FOOTER_ONLY:
            continue
        seen.add(key)
        table.add_row(_key_display(app, b), names.get(b.action, b.description))
    return table


def getting_started_table(app) -> Table:
    table = Table(title="getting started: press", title_justify="left", box=None, padding=(0, 2),
                  show_header=False, title_style=palette.tag_style(app, "title"))
    table.add_column(style=palette.tag_style(app, "sel"), no_wrap=True)
    table.add_column()
    for key, what in GETTING_STARTED:
        table.add_row(key, what)
    return table


class HelpScreen(OneShotModal):
    BINDINGS = [
        Binding("escape,question_mark,f1,q", "dismiss", "Close help"),
    ]

    def compose(self) -> ComposeResult:
        app = self.app
        with VerticalScroll(id="help-body"):
            yield Static(getting_started_table(app), classes="help-para")
            yield Static(Text(HELP_INTRO), classes="help-para")
            legend = Table(box=None, show_header=False, padding=(0, 2), title="neuron states",
                           title_justify="left", title_style=palette.tag_style(app, "title"))
            legend.add_column(no_wrap=True)
            legend.add_column()
            for s in (ACTIVE, SATURATED, DEAD):
                legend.add_row(Text(STATE_SYMBOLS[s], palette.state_style(app, s)), STATE_HELP[s])
            pos = palette.hex_(app, palette.POSITIVE_VAR)
            neg = palette.hex_(app, palette.NEGATIVE_VAR)
            legend.add_row(Text("+1.2 ", style=pos), "positive values, weights and class 1 (boundary map)")
            legend.add_row(Text("-1.2 ", style=neg), "negative values, weights and class 0 (boundary map)")
            for name, symbol in MARK_SYMBOLS.items():  # what the panels draw for the sample shown
                legend.add_row(Text(symbol, palette.state_style(app, ACTIVE)), MARK_HELP[name])
            legend.add_row(Text("".join(GRAD_RAMP)),
                           "backward phases: |dL/dz| by decades below the largest: █ ×1, ▓ ÷10, ▒ ÷100, ░ less")
            legend.add_row(Text(f"{TRAIN_POINT} {TEST_POINT}"),
                           "boundary map: training point / test point, coloured by label")
            yield Static(legend, classes="help-para")
            reading = Table(box=None, show_header=False, padding=(0, 2), title="reading the screen",
                            title_justify="left", title_style=palette.tag_style(app, "title"))
            reading.add_column(style=palette.tag_style(app, "label"), no_wrap=True)
            reading.add_column()
            for k, v in READING:
                reading.add_row(k, v)
            yield Static(reading, classes="help-para")
            yield Static(bindings_table(app, "keys: main screen", MAIN + APP), classes="help-para")
            from relutui.app.screens.compare import CompareScreen  # (its page keys are its own)

            yield Static(bindings_table(app, "keys: compare mode", CompareScreen.BINDINGS, COMPARE_ACTIONS),
                         classes="help-para")
            yield Static(bindings_table(app, "keys: article walk-through (w)", ARTICLE, ARTICLE_ACTIONS),
                         classes="help-para")
            yield Static(Text("ctrl+p opens the command palette: relutui's commands first (activations, "
                              "datasets, experiments and every action by name), then Textual's (the "
                              "themes: type \"theme\"; keys; quit). The mouse works too: click a neuron, "
                              "the buttons and the settings. tab goes to the controls: up and down pick "
                              "a setting, enter edits it (escape cancels), left and right step a "
                              "choice; escape leaves the list. Below 110 columns the controls fold away: "
                              "o shows them (the footer says so), and tab shows them and goes to the "
                              "list (escape folds them away again). f'(0) \"as PyTorch\": exactly at a "
                              "kink the slope is the one PyTorch uses, relu'(0) = 0; 0, 0.5 or 1 replace "
                              "it."), classes="help-para")

    def on_mount(self) -> None:
        self.query_one("#help-body").border_title = "help — escape closes"

    def plain_text(self, width: int = 120) -> str:
        """Everything the help shows, as plain text (tests, and the README)."""
        from io import StringIO

        from rich.console import Console

        console = Console(width=width, file=StringIO(), record=True, color_system=None)
        for static in self.query(Static):
            console.print(static.content)
        return console.export_text()

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss()
