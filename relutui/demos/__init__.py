"""Recorded demos (TOML scripts played on the app), screenshots, asciicasts and lessons.

* :mod:`relutui.demos.script`  — the demo format: load and validate demo files
* :mod:`relutui.demos.player`  — play a demo headless (SVG screenshots) or live
* :mod:`relutui.demos.cast`    — record a live demo as an asciicast v2 file
* :mod:`relutui.demos.commands` — ``relutui demo ...`` on the command line
* :mod:`relutui.demos.make_screenshots` — ``make screenshots``

Loading a demo does not import Textual; playing one does.
"""

from relutui.demos.script import (  # noqa: F401
    DEFAULT_SIZE, Demo, DemoError, Step, demo_names, load_all_demos, load_demo, normalize_key,
    parse_demo, parse_size,
)

__all__ = ["DEFAULT_SIZE", "Demo", "DemoError", "Step", "demo_names", "load_all_demos",
           "load_demo", "normalize_key", "parse_demo", "parse_size"]
