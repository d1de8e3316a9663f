"""Dialogs, and keys typed in a burst.

Textual runs a key's binding only once the key has bubbled up to the app: one message per
widget on the way. Keys typed in one burst (a fast typist, a held key, a paste, tmux
send-keys) are all on their way at once, so the binding of one key can run after the keys
behind it were read and dropped. An enter that opens the editor of a setting ran after the
characters typed behind it had reached the screen under the editor (lost, and the last enter
applied the old value); an Input types a character at once but runs backspace or enter
later (Textual issue #6605). Hence:

* ``KeysInOrder`` (screens): a key's binding runs when the key reaches the screen, one key
  after the other. A key that reaches a screen no longer on top (a dialog opened, or the
  dialog closed, by an earlier key of the burst) goes on to the screen on top
  (``take_key``); a dialog keeps the keys that come before its field has focus and hands
  them to the field, in order, once it has.
* ``InlineKeys`` (the fields of the dialogs, and the control sheet): a key's binding runs
  where the key lands, not once it has bubbled up; an Input's editing keys then act between
  the characters typed around them.
* ``ChoiceList``: enter (or a click) acts at once (OptionList posts a message instead, which
  is handled after the keys already waiting).
* ``OneShotModal``: a dialog (with ``KeysInOrder``) that closes once: a second enter in the
  same burst must not pop the screen under it.
"""

from __future__ import annotations

from typing import Callable, TypeVar

from textual import events
from textual.app import App
from textual.screen import ModalScreen
from textual.widgets import OptionList

from relutui.app.textual_compat import InlineBindings, PagesAfterLayout, forwarded_copy, run_binding

R = TypeVar("R")


def pass_on(app: App, event: events.Key) -> None:
    """Give a key to the screen on top (it came in before the change of screen was seen)."""
    screen = app.screen
    if isinstance(screen, KeysInOrder):
        screen.take_key(event)
    else:  # as the app forwards a key
        (screen.focused or screen).post_message(forwarded_copy(event))


class KeysInOrder:
    """Mixed into a screen: the bindings of the keys that reach it run in the order the keys
    came, and a key meant for the screen on top goes there (see the module's docstring)."""

    # keys for the field of a dialog that has none focused yet (None: nothing is kept)
    _waiting: list[events.Key] | None = None

    def take_key(self, event: events.Key) -> None:
        """A key for this screen that reached another one first."""
        if not self.is_active:  # type: ignore[attr-defined]
            pass_on(self.app, event)  # type: ignore[attr-defined]
        elif self._waiting is not None:
            self._waiting.append(forwarded_copy(event))
        else:
            (self.focused or self).post_message(forwarded_copy(event))  # type: ignore[attr-defined]

    def keys_ready(self) -> None:
        """The field has focus (or never will): the keys kept for it go to it, in order."""
        waiting, self._waiting = self._waiting or [], None
        for key in waiting:
            (self.focused or self).post_message(key)  # type: ignore[attr-defined]

    async def on_key(self, event: events.Key) -> None:
        if not self.is_active:  # type: ignore[attr-defined]
            # typed before the screen on top opened, or after this one closed
            event.stop()
            pass_on(self.app, event)  # type: ignore[attr-defined]
            return
        focused = self.focused  # type: ignore[attr-defined]
        if isinstance(focused, InlineKeys):
            # Such a field stops every key it reads: this one was sent to the screen itself,
            # before the field had focus. It goes behind the keys handed to the field.
            event.stop()
            focused.post_message(forwarded_copy(event))
            return
        if await run_binding(self, event):  # type: ignore[arg-type]
            event.stop()


class InlineKeys(InlineBindings):
    """Mixed into a focusable widget (before the widget's class): the binding of a key it
    reads (its own, or its screen's) runs there and then, not once the key has bubbled up
    to the app, by which time the next keys were read: an Input has typed the characters
    behind a backspace (Textual issue #6605), a list has moved on from the line an enter
    was for. A key the widget takes itself (an Input's character) goes to its own handler.
    (The Textual side is ``textual_compat.InlineBindings``.)"""

    def _key_for_another_screen(self, event: events.Key) -> None:
        pass_on(self.app, event)  # type: ignore[attr-defined]


class ChoiceList(InlineKeys, PagesAfterLayout, OptionList):
    """An OptionList whose enter (or a click) calls ``chosen`` with the option's id at once,
    before the next key is read (OptionList posts OptionSelected, which is handled after the
    keys that were already waiting). Page keys before the first layout do nothing (Textual's
    raise KeyError: the line map is empty until the list has a size)."""

    def __init__(self, *options, chosen: Callable[[str], object], **kwargs) -> None:
        super().__init__(*options, **kwargs)
        self._chosen = chosen

    def action_select(self) -> None:
        option = self.highlighted_option
        if option is not None and not option.disabled and option.id is not None:
            self._chosen(option.id)


class OneShotModal(KeysInOrder, ModalScreen[R]):
    """A dialog that closes once, and takes the keys typed behind the key that opened it.

    A subclass gives its field focus in its ``on_mount`` (with ``set_focus``: ``focus()``
    waits for the next refresh); this class's ``on_mount`` runs after it and hands the field
    the keys that came meanwhile."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._waiting = []

    def on_mount(self) -> None:
        self.keys_ready()

    def dismiss(self, result=None):  # type: ignore[override]
        if self.is_active:
            return super().dismiss(result)
        return None
