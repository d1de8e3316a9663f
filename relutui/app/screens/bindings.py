"""Key bindings, kept in one place: the screens use them, the help screen lists them."""

from __future__ import annotations

from textual.binding import Binding

LR = Binding.Group("lr", compact=True)
BIAS = Binding.Group("bias", compact=True)
ZOOM = Binding.Group("zoom", compact=True)
SPEED = Binding.Group("speed", compact=True)
SCROLL = Binding.Group("scroll")

TRANSPORT = [
    Binding("space", "toggle_play", "Play/Pause"),
    Binding("s", "full_step", "Step"),
    Binding("r", "reset", "Reset"),
    Binding("greater_than_sign", "speed(1)", "faster: more training steps per frame while playing", group=SPEED,
            show=False),
    Binding("less_than_sign", "speed(-1)", "slower: fewer training steps per frame while playing", group=SPEED,
            show=False),
]
SETTINGS = [
    Binding("left_square_bracket", "lr(-1)", "lr down", group=LR),
    Binding("right_square_bracket", "lr(1)", "lr up", group=LR),
    Binding("left_curly_bracket", "bias(-1)", "bias down", group=BIAS),
    Binding("right_curly_bracket", "bias(1)", "bias up", group=BIAS),
    Binding("a", "activation(1)", "Activation"),
    Binding("A", "activation(-1)", "previous activation", show=False),
    Binding("d", "dataset(1)", "Data"),
    Binding("D", "dataset(-1)", "previous dataset", show=False),
]
# bindings that only stand in the footer for another one (the help lists that one)
FOOTER_ONLY = {"show_controls", "notes"}

# a lesson's notes (a panel, or a strip of one note on a small terminal) and a sequence of lessons
LESSON_KEYS = [
    # in the footer only while a lesson's notes are loaded (the screens' check_action)
    Binding("N", "notes", "Notes"),
    Binding("N", "app.toggle_notes", "hide / show the lesson's notes in every mode (a one-note strip: N "
            "first opens them all)", show=False),
    Binding("m", "app.lesson(1)", "next lesson of the sequence (relutui --lesson A --lesson B)", show=False),
    Binding("M", "app.lesson(-1)", "previous lesson of the sequence", show=False),
]

MAIN = [
    *TRANSPORT[:1],
    Binding("n", "next_phase", "Phase›"),
    Binding("p", "prev_phase", "‹phase", show=False),
    *TRANSPORT[1:],
    Binding("c", "compare", "Compare"),
    # in the footer only while a narrow terminal folds the controls away (MainScreen.check_action)
    Binding("o", "show_controls", "Controls"),
    # in the footer only where they act (MainScreen.check_action): a short terminal, a panel that scrolls
    Binding("v", "cycle_view", "Panels"),
    Binding("pageup", "scroll_side(-1)", "scroll the ledger / claim panel up", group=SCROLL, key_display="PgUp"),
    Binding("pagedown", "scroll_side(1)", "scroll the ledger / claim panel down", group=SCROLL,
            key_display="PgDn"),
    Binding("b", "toggle_mean", "show one sample or the batch mean", show=False),
    Binding("o", "toggle_controls", "show / hide the controls column (hidden below 110 columns)", show=False),
    Binding("tab", "focus_step(1)", "go to the controls (shows them if hidden), then the next one", show=False),
    Binding("shift+tab", "focus_step(-1)", "previous control", show=False),
    Binding("e", "pick_experiment", "Lab"),
    Binding("w", "app.article", "article walk-through: the claims in the article's text", show=False),
    Binding("R", "rerun_experiment", "re-run the experiment with the settings in force", show=False),
    Binding("x", "close_experiment", "close the experiment panel", show=False),
    *LESSON_KEYS,
    *SETTINGS,
    Binding("plus,equals_sign", "zoom(1)", "zoom in", group=ZOOM, show=False),
    Binding("minus", "zoom(-1)", "zoom out", group=ZOOM, show=False),
    Binding("left,h", "layer(-1)", "previous layer", show=False),
    Binding("right,l", "layer(1)", "next layer", show=False),
    Binding("up,k", "neuron(-1)", "previous neuron", show=False),
    Binding("down,j", "neuron(1)", "next neuron", show=False),
    Binding("comma", "sample(-1)", "previous sample", show=False),
    Binding("full_stop", "sample(1)", "next sample", show=False),
    Binding("escape", "escape", "leave step-through / field", show=False),
]
COMPARE = [
    *TRANSPORT,
    Binding("c,escape", "compare", "Back"),
    *SETTINGS[:4],
    Binding("a", "activation(1)", "Left act."),
    Binding("A", "activation(-1)", "previous left activation", show=False),
    Binding("v", "compare_activation(1)", "Right act."),
    Binding("V", "compare_activation(-1)", "previous right activation", show=False),
    *SETTINGS[6:],
    Binding("e", "pick_experiment", "experiment picker (claims lab)", show=False),
    Binding("w", "app.article", "article walk-through: the claims in the article's text", show=False),
    Binding("R", "rerun_experiment", "re-run the experiment with the settings in force", show=False),
    *LESSON_KEYS,
]
ARTICLE = [
    Binding("right_square_bracket,pagedown", "claim(1)", "Next claim"),
    Binding("left_square_bracket,pageup", "claim(-1)", "Prev claim"),
    Binding("enter", "open_claim", "Open"),
    Binding("r", "run_claim", "Run"),
    Binding("escape,w", "close", "Back"),
    Binding("home", "claim_at(0)", "first claim", show=False),
    Binding("end", "claim_at(1)", "last claim", show=False),
    Binding("down,j", "scroll(1)", "scroll the article down", show=False),
    Binding("up,k", "scroll(-1)", "scroll the article up", show=False),
]
APP = [
    Binding("question_mark", "help", "Help"),
    Binding("f1", "help", "Help", show=False),
    Binding("q", "quit", "Quit"),
    # priority: they act on every screen, the help and the picker included; where the file goes
    # (the working directory, or a download under relutui serve): help.file_actions
    Binding("ctrl+s,f12", "save_screenshot", "save an SVG screenshot", show=False,
            priority=True),
    Binding("ctrl+l", "save_lesson", "save the current state as a lesson (TOML)", show=False, priority=True),
]
