"""Writing files safely: a temporary file in the same folder, then a rename.

A reader never sees a half-written screenshot, cast or lesson, and an existing
file is never replaced unless the caller asks (``overwrite=True``).
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from pathlib import Path

__all__ = ["atomic_write_text", "atomic_write_bytes", "next_free_path", "save_screenshot_svg"]


def atomic_write_text(path: str | os.PathLike, text: str, overwrite: bool = False) -> Path:
    """Write ``text`` (UTF-8, ``\\n`` newlines) to ``path`` atomically; see :func:`atomic_write_bytes`."""
    return atomic_write_bytes(path, text.encode("utf-8"), overwrite=overwrite)


def atomic_write_bytes(path: str | os.PathLike, data: bytes, overwrite: bool = False) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same directory and a rename.

    Refuses (FileExistsError) to replace an existing file unless ``overwrite``; the
    check and the rename are one step (a hard link), so a file that appears meanwhile
    is not clobbered either.
    """
    p = Path(path)
    if p.exists() and not overwrite:
        raise FileExistsError(f"{p}: already exists (not overwritten)")
    directory = p.parent if str(p.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a screenshot or lesson is meant to be shared
        if overwrite:
            os.replace(tmp, p)
        else:
            try:
                os.link(tmp, p)
            except FileExistsError:
                raise FileExistsError(f"{p}: already exists (not overwritten)") from None
            except OSError:  # file systems without hard links
                if p.exists():
                    raise FileExistsError(f"{p}: already exists (not overwritten)") from None
                os.replace(tmp, p)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return p



def next_free_path(directory: str | os.PathLike, stem: str, suffix: str, limit: int = 100_000) -> Path:
    """``DIR/STEM-001.SUFFIX``, ``-002`` ...: the first name not taken (no clocks in names)."""
    d = Path(directory)
    for i in range(1, limit):
        p = d / f"{stem}-{i:03d}{suffix}"
        if not p.exists():
            return p
    raise FileExistsError(f"{d}: no free {stem}-NNN{suffix} name")


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


def load_toml(text: str, source: str, error: type[Exception]) -> dict:
    """The TOML text's table; a syntax error raises ``error("SOURCE: bad TOML: ...")`` with
    tomllib's message, always with a line number ("at end of document" gets the last line)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        if "(at end of document)" in msg:
            last = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
            msg = msg.replace("(at end of document)", f"(at end of document, line {last})")
        raise error(f"{source}: bad TOML: {msg}") from None
