"""Moved to ``relutui.session`` (issue 14); these names stay importable from here."""

from relutui.session.session import (BIAS_STEP, CARD_LINES, CARD_WIDTH, DEFAULT_SPEED, DEFAULT_X_RANGE,
                                     KINK_CHOICES, LR_STEPS, SPEEDS, X_RANGES, AppState, Session)

__all__ = ["AppState", "Session", "LR_STEPS", "BIAS_STEP", "SPEEDS", "DEFAULT_SPEED", "X_RANGES",
           "DEFAULT_X_RANGE", "KINK_CHOICES", "CARD_WIDTH", "CARD_LINES"]
