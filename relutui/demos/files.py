"""Writing files safely: the app's screenshots, and re-exports of :mod:`relutui.io`.

The atomic writes (a temporary file in the same folder, then a rename; never replacing
an existing file unless asked, nor anything that is not a regular file; the umask
respected) live in :mod:`relutui.io`, which the core uses too; they are re-exported here
for the demos and older callers.
"""

from __future__ import annotations

import os
from pathlib import Path

from relutui.io import atomic_write_bytes, atomic_write_text, next_free_path

__all__ = ["atomic_write_text", "atomic_write_bytes", "next_free_path", "save_screenshot_svg"]


def save_screenshot_svg(svg: str, directory: str | os.PathLike = ".", stem: str = "relutui") -> Path:
    """Save an SVG screenshot (``App.export_screenshot()``) as ``DIR/relutui-NNN.svg``, atomically,
    never replacing a file. Returns the path written (for the "saved to ..." notice)."""
    for _ in range(20):  # another process may take the same name between the check and the link
        path = next_free_path(directory, stem, ".svg")
        try:
            return atomic_write_text(path, svg)
        except FileExistsError:
            continue
    raise FileExistsError(f"{directory}: could not find a free screenshot name")

