"""A modal that closes once: a second enter in the same burst of keys must not pop the screen
under it (its Selected/Submitted message is handled after the first one closed it)."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

R = TypeVar("R")


class OneShotModal(ModalScreen[R]):
    def dismiss(self, result=None):  # type: ignore[override]
        if self.is_active:
            return super().dismiss(result)
        return None
