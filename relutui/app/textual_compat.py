"""Every use of Textual's internals, in one place.

relutui pins Textual (pyproject: ``textual==8.2.8``). Each workaround below names the Textual
issue or PR behind it and what would let it go. ``tests/app/test_textual_compat.py`` checks
that each private name used here still exists with the shape used, so that an upgrade of
Textual fails there, in one clear place, and not as a wrong key or a crash in a panel.

The app's own code, the demo player, the tests and the benchmarks reach Textual's internals
only through this module.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from textual import events
from textual.command import CommandList, CommandPalette
from textual.geometry import Region
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.widgets import Button, Footer, Input, OptionList
# Footer's parts, private in Textual 8.2.8 (textual.widgets._footer): widgets/footer.py composes
# them itself to fold keys that do not fit (goes when Textual's Footer folds by priority)
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup  # noqa: F401 (re-exported)

if TYPE_CHECKING:
    from textual.app import App, ComposeResult
    from textual.notifications import Notification
    from textual.pilot import Pilot
    from textual.screen import Screen

TEXTUAL_VERSION = "8.2.8"  # the version every workaround here was written and tested against


# ---------------------------------------------------------------- key events
# Textual has no public way to make the Key event the terminal driver makes of a key name
# (Pilot.press does it inside the private App._press_keys). Goes when Textual exposes one.
def key_event(key: str) -> events.Key:
    """The Key event ``Pilot.press`` and the terminal driver make of a key name ("a",
    "space", "ctrl+p", "plus") or of one character ("+"). The one builder of the app's demo
    player, the tests (tests/pilot_keys.py) and the benchmarks."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


def send_as_terminal(app: App, event: events.Event) -> None:
    """Post ``event`` as the terminal driver does (``App._driver.send_message``): keys sent
    this way arrive as one burst, with none of Pilot's waits between them (tests of key
    bursts, the benchmarks). Goes when Pilot can press keys without waiting."""
    event.set_sender(app)
    app._driver.send_message(event)  # type: ignore[union-attr]


def forwarded_copy(event: events.Key) -> events.Key:
    """A copy of ``event`` to post to another widget, marked as the app marks the keys it
    forwards (``Message._set_forwarded``): bubbling up to the app, it must not be taken for a
    new key from the terminal and forwarded once more. Textual issue #6605 (see
    ``InlineBindings``); goes with it."""
    key = events.Key(event.key, event.character)
    key.time = event.time
    key._set_forwarded()
    return key


async def run_binding(screen: Screen, event: events.Key) -> bool:
    """Run the key's binding now, as the app would once the key reached it: the first binding
    of the key from the focused widget up (the priority ones ran when the key came in).
    False if there is none, or it did not run (a screen then lets the key go on to the app,
    which tries the other bindings of the key). A copy of the app's binding lookup for
    non-priority keys (``App._check_bindings``), for Textual issue #6605; goes with it."""
    active = screen.active_bindings.get(event.key)
    if active is None or active.binding.priority or not active.enabled:
        return False
    return await screen.app.run_action(active.binding.action, active.node)


class InlineBindings:
    """Mixed into a focusable widget (before the widget's class): the binding of a key it
    reads (its own, or its screen's) runs there and then, not once the key has bubbled up to
    the app, by which time the next keys were read.

    Textual issue #6605: Input and TextArea type a character in their ``_on_key`` but run
    backspace, enter, arrows through bindings, once the key has bubbled up to the app, so in
    a burst the characters typed behind a backspace are typed before it. This ``_on_key``
    runs before the widget's own (Textual calls every ``_on_key`` of the MRO, subclass
    first) and leaves printable keys to it. PR #6631 (open) would run an Input's own bindings
    inline in ``Input._on_key``: landed as proposed, a backspace would then apply twice
    (here, then there); the contract test fails on it, and this class can then go.

    ``_key_for_another_screen`` takes a key that reached the widget after an earlier key of
    the burst closed its screen (or opened one over it)."""

    def _key_for_another_screen(self, event: events.Key) -> None:
        raise NotImplementedError

    async def _on_key(self, event: events.Key) -> None:
        screen = self.screen  # type: ignore[attr-defined]
        if not screen.is_active:  # an earlier key closed the dialog (or opened one over it)
            event.prevent_default()
            event.stop()
            self._key_for_another_screen(event)
            return
        # The key ends here (bubbling up, it would reach the screen as a key sent before the
        # field had focus). The chains of this app have no second binding for a key that
        # the app would try if the first did not run.
        event.stop()
        if not self.check_consume_key(event.key, event.character):  # type: ignore[attr-defined]
            await run_binding(screen, event)
        # else the widget's own handler (next in the MRO) takes it: an Input types it


# ---------------------------------------------------------------- OptionList
def option_lines_ready(option_list: OptionList) -> bool:
    """Whether the list's line map covers its highlighted option. Before the list's first
    layout it is empty and ``OptionList._move_page`` (page up/down) raises KeyError (the
    command palette too: see ``GuardedCommandPalette``). Reads ``OptionList._index_to_line``;
    goes when Textual guards ``_move_page``."""
    return (option_list.highlighted or 0) in option_list._index_to_line


class PagesAfterLayout:
    """Mixed into an OptionList (before it): page up / page down before the list's first
    layout do nothing, instead of raising KeyError in ``OptionList._move_page``."""

    def _move_page(self, direction: Any) -> None:
        if option_lines_ready(self):  # type: ignore[arg-type]
            super()._move_page(direction)  # type: ignore[misc]


class RepaintOneOption:
    """Mixed into an OptionList (before it): a new prompt (``replace_option_prompt_at_index``)
    repaints only its own line. OptionList drops every line's render and repaints the whole
    list for each new prompt; this drops the changed option's renders only
    (``OptionList._option_render_cache``, keyed by tuples that start with the option) and
    refreshes its line (``OptionList._index_to_line``). The option's height must not change
    (the app's values never wrap). Overrides ``OptionList._replace_option_prompt`` and calls
    ``Option._set_prompt``; goes when Textual repaints only the option that changed."""

    def _replace_option_prompt(self, index: int, prompt: Any) -> None:
        option = self.get_option_at_index(index)  # type: ignore[attr-defined]
        option._set_prompt(prompt)
        cache = self._option_render_cache  # type: ignore[attr-defined]
        for key in [key for key in cache.keys() if key[0] is option]:
            cache.discard(key)
        line = self._index_to_line.get(index)  # type: ignore[attr-defined]
        if line is None or not self.size:  # type: ignore[attr-defined]
            self.refresh()  # type: ignore[attr-defined]
        else:
            self.refresh(Region(0, line - self.scroll_offset.y, self.size.width, 1))  # type: ignore[attr-defined]


# ---------------------------------------------------------------- screens
class FirstResumeKeepsStyles:
    """Mixed into a screen (before ``Screen``): its first ScreenResume, right after the mount
    that has just styled every widget, does not restyle them all again (~30 ms of the first
    frame with ~100 widgets); later resumes restyle as usual. Then ``after_resume`` runs.

    ``_on_screen_resume`` runs before ``Screen._on_screen_resume`` (Textual calls the
    handlers of the MRO, subclass first) and clears ``ScreenResume.refresh_styles``, which
    Textual sets for a resume after a suspend. Goes when Textual skips the restyle of a
    screen resumed right after its mount.

    The first resume also lays the screen out (its size changes from nothing), but leaves
    set the ``Screen._layout_required`` of the mount: the update timer then laid out and
    repainted the whole screen once more after the first frame. Cleared here when that
    layout is about to run (``Widget._size`` differs from the app's size, as Textual checks)."""

    _resumed_once = False

    def after_resume(self) -> None:
        """Called at every resume (after the styles question is settled)."""

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._resumed_once:
            self._resumed_once = True
            event.refresh_styles = False
            if self.is_attached and self._size != self.app.size:  # type: ignore[attr-defined]
                self._layout_required = False  # the resume's own layout is the one the mount asked for
        self.after_resume()


TOAST_RACK = "#textual-toastrack"  # the id Textual gives the notification rack of a screen


def hide_empty_toast_rack(screen: Screen) -> None:
    """Hide the screen's notification rack while there is no notification: Textual hides the
    (empty) rack when the screen first resumes, which costs a second layout of the whole
    screen; hidden at mount, it is hidden before the first layout. Uses the rack's id and
    ``App._notifications``; goes when Textual mounts the rack hidden."""
    for rack in screen.query(TOAST_RACK):
        rack.display = bool(screen.app._notifications)


def notifications(app: App) -> list[Notification]:
    """The notifications on screen now (``App._notifications``; Textual has no public list)."""
    return list(app._notifications)


class SteadyFooter(Footer):
    """A Footer drawn once with its keys, then again only when the keys it shows change.

    Textual's Footer composes empty until the screen first publishes its bindings
    (``Footer._bindings_ready``), then recomposes at every ``refresh_bindings``: at start-up
    the screen's first resume and its first resize each published, and the footer (and the
    screen's layout with it) repainted twice more within ~150 ms of the first full frame.
    This one is ready from its first compose and skips a publish that changes none of the
    keys shown. Uses ``Footer._bindings_ready`` and overrides ``Footer.bindings_changed``;
    goes when Textual's Footer composes its keys at once and recomposes only on a change."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_reactive(Footer._bindings_ready, True)
        self._shown: tuple | None = None

    def _keys(self) -> tuple:
        """What ``Footer.compose`` reads: the screen's active bindings, enabled or not."""
        return tuple((key, binding.key, binding.action, binding.description, binding.show, enabled, tooltip)
                     for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items())

    def compose(self) -> ComposeResult:
        self._shown = self._keys()
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen and self.is_attached and self._keys() == self._shown:
            return
        super().bindings_changed(screen)


# ---------------------------------------------------------------- command palette (issue 15)
class GuardedCommandPalette(CommandPalette):
    """Textual's command palette with two crashes of Textual 8.2.8 guarded (a bare app has
    both; the upstream report is in the docstring of ``tests/app/test_textual_compat.py``):

    * ctrl+p then page up / page down in one burst: the palette's list has its commands and
      a highlight but no size yet, ``OptionList._move_page`` looks up an empty line map and
      raises KeyError. The page key now does nothing until the list has its lines.
    * ctrl+p then enter, enter in one burst: each enter selects the highlighted command
      (``OptionList.OptionSelected``); the first runs the command and dismisses the palette,
      the second is already on its way to the palette, which dismisses again:
      ``Screen.dismiss`` pops whatever screen is on top (the main screen: ScreenStackError)
      and the command would run twice. A palette no longer on top now ignores the late
      selections and submits.

    Goes when Textual guards ``_move_page`` and a dismissed palette's late submits."""

    def _action_command_list(self, action: str) -> None:
        if action in ("page_up", "page_down") and not option_lines_ready(self.query_one(CommandList)):
            return
        super()._action_command_list(action)

    def _on_input_submitted(self, event: Input.Submitted) -> None:
        self._ignore_if_closed(event)

    def _on_button_pressed(self, event: Button.Pressed) -> None:
        self._ignore_if_closed(event)

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._ignore_if_closed(event)

    def _ignore_if_closed(self, event: Any) -> None:
        """Runs before ``CommandPalette._select_command`` and ``_select_or_command`` (Textual
        calls the handlers of the MRO, subclass first; ``prevent_default`` stops the walk)."""
        if not self.is_active:
            event.stop()
            event.prevent_default()


# ---------------------------------------------------------------- tests
async def wait_for_screen(pilot: Pilot) -> None:
    """Wait until the screen's widgets have handled their messages (``Pilot._wait_for_screen``),
    without Pilot's key waits. Goes when Pilot has a public wait."""
    await pilot._wait_for_screen()


def app_exception(app: App) -> BaseException | None:
    """The exception that ended the app, if one did (``App._exception``)."""
    return app._exception


def force_screen_update(screen: Screen) -> None:
    """Run the repaint the screen's update timer would run (``Screen._on_timer_update``)."""
    screen._on_timer_update()
