"""Recorded demos (TOML scripts played on the app), screenshots, asciicasts and lessons.

* :mod:`relutui.demos.script`  — the demo format: load and validate demo files
* :mod:`relutui.demos.player`  — play a demo headless (SVG screenshots) or live
* :mod:`relutui.demos.cast`    — record a live demo as an asciicast v2 file
* :mod:`relutui.demos.commands` — ``relutui demo ...`` on the command line
* :mod:`relutui.demos.make_screenshots` — ``make screenshots``

Loading a demo does not import Textual; playing one does.
"""

from __future__ import annotations

__all__ = ["DEFAULT_SIZE", "Demo", "DemoError", "Step", "demo_names", "load_all_demos",
           "load_demo", "normalize_key", "parse_demo", "parse_size"]


def __getattr__(name: str):
    """The demo format's names, imported when first asked for: ``relutui --help`` builds
    the ``demo`` subcommand's parser without loading it."""
    if name not in __all__:
        raise AttributeError(f"module 'relutui.demos' has no attribute {name!r}")
    from relutui.demos import script

    return getattr(script, name)
