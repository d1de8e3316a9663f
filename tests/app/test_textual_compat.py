"""The Textual seam's contract: every private name of Textual that ``relutui.app.textual_compat``
(and through it the app, the demo player, the tests and the benchmarks) relies on still exists
with the shape used. An upgrade of Textual fails here, in one clear place.

Also the command palette's crashes of Textual 8.2.8 (issue 15), guarded by
``textual_compat.GuardedCommandPalette``. The upstream report:

    Title: CommandPalette: KeyError in OptionList._move_page, and ScreenStackError, when keys
    arrive in one burst after ctrl+p

    Textual 8.2.8, Python 3.11, Linux (tmux; also in Pilot with keys posted through the driver).

    Repro (a bare app)::

        from textual.app import App

        class Bare(App):
            pass

        Bare().run()

    then send ``ctrl+p`` and ``PageUp`` in one write (``tmux send-keys -t S C-p PPage``):

        textual/widgets/_option_list.py:1019 in action_page_up -> self._move_page(-1)
        textual/widgets/_option_list.py:1002 in _move_page
            self._index_to_line[self.highlighted or 0] + direction * height,
        KeyError: 0

    The CommandList has its commands and a highlight (0) but no size yet (height 0), so
    ``_update_lines`` returns early and the line map is empty. PageDown is the same.
    ``ctrl+p``, ``enter``, ``enter`` in one write: each enter selects the highlighted command
    (OptionSelected); the first runs it and dismisses the palette, the second reaches the
    palette after it was dismissed, which dismisses again; ``Screen.dismiss`` pops whatever
    screen is on top:

        textual/command.py:1209 in _select_command -> self._select_or_command()
        textual/command.py:1244 in _select_or_command -> self.dismiss()
        textual/screen.py:2067 in dismiss -> self.app.pop_screen()
        textual/app.py:3105 in pop_screen
        ScreenStackError: Can't pop screen; there must be at least one screen on the stack

    (and the command runs twice). Expected: page keys before the list's first layout do
    nothing (or wait for it); a palette no longer on the screen stack ignores late selections.
"""

from __future__ import annotations

import importlib.metadata
import inspect

import pytest
from textual import events
from textual.app import App, ComposeResult, ScreenStackError, SystemCommand
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from relutui.app import textual_compat as tc
from relutui.app.app import ReluApp
from relutui.app.screens.control_editor import ValueInput
from relutui.training import TrainConfig

SIZE = (100, 30)


def test_textual_is_the_version_the_seam_was_written_for():
    assert importlib.metadata.version("textual") == tc.TEXTUAL_VERSION, (
        "Textual changed: check every workaround in relutui/app/textual_compat.py against the new "
        "version (this file tests each one), then update TEXTUAL_VERSION and the pin in pyproject.toml")


def test_private_key_helpers_exist_with_their_shape():
    import textual.keys as keys

    assert callable(keys._character_to_key) and keys._character_to_key("+") == "plus"
    assert keys._get_unicode_name_from_key("plus_sign") == "PLUS SIGN"
    assert isinstance(keys.REPLACED_KEYS, dict) and keys.REPLACED_KEYS["plus"] == "plus_sign"
    for name, key, char in (("a", "a", "a"), ("+", "plus", "+"), ("minus", "minus", "-"),
                            ("space", "space", " "), ("enter", "enter", None), ("ctrl+p", "ctrl+p", None),
                            ("question_mark", "question_mark", "?")):
        event = tc.key_event(name)
        assert (event.key, event.character) == (key, char), name


def test_private_message_and_app_names_exist():
    key = events.Key("a", "a")
    assert not key.is_forwarded
    copy = tc.forwarded_copy(key)
    assert copy.is_forwarded and (copy.key, copy.character, copy.time) == ("a", "a", key.time)
    assert callable(Pilot._wait_for_screen) and inspect.iscoroutinefunction(Pilot._wait_for_screen)
    assert callable(Screen._on_timer_update)
    assert callable(Widget.check_consume_key)
    assert "refresh_styles" in events.ScreenResume.__dict__
    assert callable(Screen._on_screen_resume)
    for name in ("_action_command_list", "_select_or_command", "_select_command", "dismiss"):
        assert callable(getattr(CommandPalette, name)), name
    for name in ("_move_page", "_replace_option_prompt", "get_option_at_index"):
        assert callable(getattr(OptionList, name)), name
    assert callable(Option._set_prompt)
    assert isinstance(inspect.getattr_static(OptionList, "_index_to_line"), property)
    # the Footer's parts widgets/footer.py composes (private module textual.widgets._footer)
    for cls in (tc.FooterKey, tc.FooterLabel, tc.KeyGroup):
        assert issubclass(cls, Widget), cls
    params = inspect.signature(tc.FooterKey).parameters
    assert list(params)[:4] == ["key", "key_display", "description", "action"], list(params)
    assert {"disabled", "tooltip", "classes"} <= set(params)


async def test_private_app_and_widget_state_exist_at_run_time():
    class Sheet(tc.RepaintOneOption, OptionList):
        pass

    class Probe(App):
        def compose(self) -> ComposeResult:
            yield Sheet(Option("one"), Option("two"), id="list")

    app = Probe()
    async with app.run_test(size=SIZE, notifications=True) as pilot:  # (tests have no rack by default)
        await tc.wait_for_screen(pilot)
        assert tc.app_exception(app) is None
        assert app._notifications is not None and tc.notifications(app) == []
        app.notify("hello")
        await pilot.pause()
        assert [n.message for n in tc.notifications(app)] == ["hello"]
        assert len(app.screen.query(tc.TOAST_RACK)) == 1  # the rack's id
        tc.force_screen_update(app.screen)
        options = app.query_one("#list", OptionList)
        assert options._index_to_line == {0: 0, 1: 1} and tc.option_lines_ready(options)
        cache = options._option_render_cache
        assert hasattr(cache, "keys") and hasattr(cache, "discard")
        assert cache.keys() and all(isinstance(k, tuple) and isinstance(k[0], Option) for k in cache.keys())
        first, second = options.get_option_at_index(0), options.get_option_at_index(1)
        options.replace_option_prompt_at_index(1, "deux")  # through RepaintOneOption
        assert any(k[0] is first for k in cache.keys()) and not any(k[0] is second for k in cache.keys())
        await pilot.pause()
        assert "deux" in str(options.render_line(1).text)
        assert callable(app._driver.send_message)
        tc.send_as_terminal(app, tc.key_event("down"))
        await tc.wait_for_screen(pilot)
        await pilot.pause()


def test_pr_6631_has_not_landed():
    """Textual PR #6631 (the fix for #6605) adds ``Widget._run_key_bindings`` and runs an
    Input's own bindings inline in ``Input._on_key``. Landed as proposed, ``InlineBindings``
    would run a backspace a second time: remove ``InlineBindings`` then."""
    assert not hasattr(Widget, "_run_key_bindings"), "PR #6631 landed: see InlineBindings"


class _Typing(App):
    def __init__(self, field: Input) -> None:
        super().__init__()
        self.field = field

    def compose(self) -> ComposeResult:
        yield self.field

    def on_mount(self) -> None:
        self.set_focus(self.field)


async def _typed_in_a_burst(field: Input, keys: list[str]) -> str:
    app = _Typing(field)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in keys:
            tc.send_as_terminal(app, tc.key_event(key))
        for _ in range(3):
            await tc.wait_for_screen(pilot)
            await pilot.pause()
        assert tc.app_exception(app) is None
        return field.value


async def test_textual_input_still_has_issue_6605_and_the_workaround_applies_each_key_once():
    """b, a, backspace, c typed in one burst. Textual's Input types the characters at once and
    runs backspace once it has bubbled up to the app (#6605): ``ba``. The app's field (with
    ``InlineBindings``) gives ``bc``. If Textual's Input gives ``bc`` too, #6605 is fixed
    upstream and the workaround would apply a backspace twice (``b`` here): remove it."""
    keys = ["b", "a", "backspace", "c"]
    assert await _typed_in_a_burst(Input(), keys) == "ba", "Textual fixed #6605: remove InlineBindings"
    field = ValueInput("", submitted=lambda value: None)
    assert await _typed_in_a_burst(field, keys) == "bc"
    field = ValueInput("", submitted=lambda value: None)
    assert await _typed_in_a_burst(field, ["x", "y", "z", "backspace", "backspace", "w"]) == "xw"


# ---------------------------------------------------------------- issue 15: the command palette
async def _palette_burst(app: App, keys: list[str]) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in keys:
            tc.send_as_terminal(app, tc.key_event(key))
        for _ in range(3):
            await tc.wait_for_screen(pilot)
            await pilot.pause()


@pytest.mark.parametrize("keys", [["ctrl+p", "pageup"], ["ctrl+p", "pagedown"], ["ctrl+p", "enter", "enter"],
                                  ["ctrl+p", "enter", "enter", "enter"], ["ctrl+p", "pagedown", "pageup", "enter"]])
async def test_command_palette_survives_a_burst(keys):
    app = ReluApp(TrainConfig(seed=0))
    try:
        await _palette_burst(app, keys)
    except Exception:  # Pilot re-raises the app's exception on exit: reported below
        pass
    assert tc.app_exception(app) is None, repr(tc.app_exception(app))


async def test_a_burst_of_enters_runs_the_palette_command_once():
    ran = []

    class Counting(App):
        def get_system_commands(self, screen):  # the only command
            yield SystemCommand("Count", "count a run", lambda: ran.append(1))

        def action_command_palette(self) -> None:
            self.push_screen(tc.GuardedCommandPalette(id="--command-palette"))

    app = Counting()
    await _palette_burst(app, ["ctrl+p", "enter", "enter"])
    assert tc.app_exception(app) is None and ran == [1]


@pytest.mark.parametrize("keys, error", [(["ctrl+p", "pageup"], KeyError),
                                         (["ctrl+p", "enter", "enter"], ScreenStackError)])
async def test_textual_command_palette_still_crashes_without_the_guard(keys, error):
    """The bug is upstream (a bare app): when this fails, Textual fixed it and
    ``GuardedCommandPalette`` can go."""

    class Bare(App):
        pass

    app = Bare()
    with pytest.raises(error):
        await _palette_burst(app, keys)
    assert isinstance(tc.app_exception(app), error)
