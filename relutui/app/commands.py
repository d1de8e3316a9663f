"""Command palette (ctrl+p): activations, datasets, experiments and every action by name,
then Textual's own commands (themes, keys, quit)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class ReluCommands(Provider):
    def _commands(self) -> list[tuple[str, object, str]]:
        from relutui.activations import ACTIVATIONS, get_activation
        from relutui.datasets import DATASETS

        app = self.app
        state = app.state  # type: ignore[attr-defined]
        out: list[tuple[str, object, str]] = []
        for name in ACTIVATIONS:
            act = get_activation(name)
            out.append((f"activation: {act.display_name} ({name})",
                        partial(app.intent, state.set, "activation", name), act.formula))
        for name in ACTIVATIONS:
            act = get_activation(name)
            out.append((f"compare against: {act.display_name}",
                        partial(app.compare_against, name), "side-by-side training in lockstep"))
        for name in DATASETS:
            out.append((f"dataset: {name}", partial(app.intent, state.set, "dataset", name), "restart on this dataset"))
        from relutui.app.screens.help import file_actions
        from relutui.experiments import list_experiments

        files = file_actions(app)  # a file here, a download under relutui serve

        for exp in list_experiments():
            out.append((f"experiment: {exp.name}", partial(app.load_experiment, exp.name), exp.title))
        out += [
            ("article walk-through", app.action_article,
             "the article's text, each claim marked by its verdict; enter runs it (w)"),
            ("experiment picker", app.pick_experiment, "the claims lab: load an experiment and run it (e)"),
            ("re-run experiment", app.run_experiment, "with the settings in force (R)"),
            ("close experiment panel", partial(app.run_screen_action, "close_experiment"), "(x)"),
            ("lesson notes", app.action_toggle_notes, "show/hide the notes (N)"),
            ("next lesson", partial(app.run_action, "lesson(1)"), "of the sequence given with --lesson (m)"),
            ("previous lesson", partial(app.run_action, "lesson(-1)"), "of the sequence (M)"),
            ("save lesson", app.action_save_lesson, f"{files['save_lesson']} (ctrl+l)"),
            ("save screenshot", partial(app.call_after_refresh, app.action_save_screenshot),
             f"{files['save_screenshot']} (ctrl+s)"),
        ]
        actions = [
            ("play / pause", "toggle_play", "continuous training (space)"),
            ("full training step", "full_step", "one whole step (s)"),
            ("next phase", "next_phase", "step-through: forward, loss, backward, update (n)"),
            ("previous phase", "prev_phase", "step-through, one phase back (p)"),
            ("reset", "reset", "same seed, step 0 (r)"),
            ("compare mode", "compare", "two activations side by side (c)"),
            ("sample / batch mean", "toggle_mean", "what the network shows (b)"),
            ("help", "help", "keys, colours and symbols (?)"),
            ("learning rate up", "lr(1)", "log step (])"),
            ("learning rate down", "lr(-1)", "log step ([)"),
            ("bias init up", "bias(1)", "+0.5 (})"),
            ("bias init down", "bias(-1)", "-0.5 ({)"),
            ("zoom in", "zoom(1)", "function chart (+)"),
            ("zoom out", "zoom(-1)", "function chart (-)"),
            ("faster", "speed(1)", "more steps per frame (>)"),
            ("slower", "speed(-1)", "fewer steps per frame (<)"),
        ]
        for title, action, help_text in actions:
            out.append((title, partial(app.run_screen_action, action), help_text))
        return out

    def _system_commands(self) -> list[tuple[str, object, str]]:
        """Textual's own commands (theme, keys, screenshot, quit ...), after relutui's: this one
        provider yields both, so the palette opens on relutui's (two providers' discovery hits
        arrive in no fixed order)."""
        screen = getattr(self, "screen", None) or self.app.screen
        try:
            return [(cmd.title, cmd.callback, cmd.help) for cmd in self.app.get_system_commands(screen)]
        except Exception:  # never let a palette break on Textual's side
            return []

    async def discover(self) -> Hits:
        for title, callback, help_text in self._commands() + self._system_commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for weight, commands in ((1.0, self._commands()), (0.9, self._system_commands())):
            for title, callback, help_text in commands:
                score = matcher.match(title)
                if score > 0:  # (an equal match: relutui's first)
                    yield Hit(score * weight, matcher.highlight(title), callback, help=help_text)
