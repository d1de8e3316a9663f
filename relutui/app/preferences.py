"""The user's UI preferences between runs: the theme and whether the controls column shows.

Kept in ``$XDG_CONFIG_HOME/relutui/preferences.toml`` (``~/.config/relutui`` by default), a
small TOML file::

    theme = "textual-light"
    controls = "hidden"      # or "shown"; absent: by the terminal's width

The file is read bounded and validated: a broken, huge or hostile file (not a regular file,
not UTF-8, not TOML, wrong values) is ignored with a one-line notice and never crashes the
app; nothing from it is shown as markup. Writes are atomic and only when a value changed.
``relutui --no-preferences`` neither reads nor writes it. Plain Python (no Textual): the app
applies what ``load_preferences`` returns and calls ``save_preferences`` when a value changes.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping

__all__ = ["MAX_BYTES", "Preferences", "load_preferences", "preferences_path", "save_preferences"]

MAX_BYTES = 16 * 1024  # a preferences file is a few lines; anything bigger is not one
FILENAME = "preferences.toml"
CONTROLS = ("shown", "hidden")
_THEME_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


@dataclass(frozen=True)
class Preferences:
    theme: str | None = None  # a Textual theme name; None: the default theme
    controls: str | None = None  # "shown" / "hidden"; None: by width (hidden below 110 columns)
    welcome: str | None = None  # "seen": the first-run card was dismissed once, not shown again

    def changed(self, **changes) -> "Preferences":
        return replace(self, **changes)


def config_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME/relutui``, or ``~/.config/relutui`` when it is unset or relative
    (the XDG base directory rule)."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CONFIG_HOME", "")
    if not base or not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "relutui"


def preferences_path(environ: Mapping[str, str] | None = None) -> Path:
    return config_dir(environ) / FILENAME


def _read_bounded(path: Path) -> bytes | None:
    """The file's bytes, or None when there is none; OSError/ValueError with the reason when it
    cannot be a preferences file. Opened non-blocking and checked on the open descriptor: a
    FIFO or a device never blocks or streams forever."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError("not a regular file")
        chunks, size = [], 0
        while size <= MAX_BYTES:
            chunk = os.read(fd, MAX_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_BYTES:
            raise ValueError(f"larger than {MAX_BYTES // 1024} KiB")
        return b"".join(chunks)
    finally:
        os.close(fd)


def parse_preferences(data: bytes) -> tuple[Preferences, list[str]]:
    """Preferences from a file's bytes and the reasons for what was ignored (each a plain
    sentence that quotes nothing from the file but validated names)."""
    import tomllib  # (here: a first run has no preferences file to read)

    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        return Preferences(), ["not UTF-8 text"]
    except tomllib.TOMLDecodeError:  # (its message quotes the file: not shown)
        return Preferences(), ["not valid TOML"]
    problems = []
    theme = doc.get("theme")
    if theme is not None and not (isinstance(theme, str) and _THEME_NAME.fullmatch(theme)):
        problems.append("theme is not a theme name")
        theme = None
    controls = doc.get("controls")
    if controls is not None and controls not in CONTROLS:
        problems.append('controls must be "shown" or "hidden"')
        controls = None
    welcome = doc.get("welcome")
    if welcome is not None and welcome != "seen":
        problems.append('welcome must be "seen"')
        welcome = None
    unknown = sorted(k for k in doc if k not in ("theme", "controls", "welcome"))
    if unknown:
        names = [k if _THEME_NAME.fullmatch(k) else "?" for k in unknown[:3]]
        problems.append(f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(names)}"
                        + (" …" if len(unknown) > 3 else ""))
    return Preferences(theme=theme, controls=controls, welcome=welcome), problems


def load_preferences(path: Path | None = None) -> tuple[Preferences, str | None]:
    """The saved preferences and a one-line notice (None when all is well or there is no
    file). Never raises: whatever is wrong with the file, the defaults are used."""
    path = preferences_path() if path is None else path
    try:
        data = _read_bounded(path)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return Preferences(), f"preferences file ignored: {reason}"
    if data is None:
        return Preferences(), None
    prefs, problems = parse_preferences(data)
    if problems:
        what = "preferences file ignored" if prefs == Preferences() else "preferences partly ignored"
        return prefs, f"{what}: {'; '.join(problems)}"
    return prefs, None


def dumps(prefs: Preferences) -> str:
    lines = ["# relutui preferences: written by the app when you change them (relutui --no-preferences ignores them)"]
    if prefs.theme is not None:
        lines.append(f'theme = "{prefs.theme}"')
    if prefs.controls is not None:
        lines.append(f'controls = "{prefs.controls}"')
    if prefs.welcome is not None:
        lines.append(f'welcome = "{prefs.welcome}"')
    return "\n".join(lines) + "\n"


def save_preferences(prefs: Preferences, path: Path | None = None) -> str | None:
    """Write ``prefs`` atomically (the folder made if needed); None, or a one-line notice of why
    it was not written. Something that is not a regular file at ``path`` is never replaced."""
    from relutui.demos.files import atomic_write_text  # (moves to relutui.io, re-exported here)

    path = preferences_path() if path is None else path
    if prefs.theme is not None and not _THEME_NAME.fullmatch(prefs.theme):
        return "preferences not saved: the theme name is not a plain name"
    try:
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            st = None
        if st is not None and not stat.S_ISREG(st.st_mode):
            return "preferences not saved: the preferences path is not a regular file"
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write_text(path, dumps(prefs), overwrite=True)
    except OSError as exc:
        return f"preferences not saved: {exc.strerror or exc}"
    return None
