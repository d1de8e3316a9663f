"""Moved to ``relutui.session.views`` (issue 14); these names stay importable from here."""

from relutui.session.views import (NOT_TESTED_KEY, OFF_SYMBOL, STATE_HELP, STATE_NAMES, STATE_SYMBOLS,
                                   VERDICT_SYMBOLS, VERDICT_TAGS, BoundaryView, ChartView, ExperimentView,
                                   LayerColumn, Line, NetworkView, NeuronCell, Phase, Segment, TrainingView,
                                   evidence_rows, make_phases, setting_text)

__all__ = ["NOT_TESTED_KEY", "OFF_SYMBOL", "STATE_HELP", "STATE_NAMES", "STATE_SYMBOLS", "VERDICT_SYMBOLS",
           "VERDICT_TAGS", "BoundaryView", "ChartView", "ExperimentView", "LayerColumn", "Line", "NetworkView",
           "NeuronCell", "Phase", "Segment", "TrainingView", "evidence_rows", "make_phases", "setting_text"]
