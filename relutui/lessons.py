"""Lessons: a TOML file that sets the whole state of the app, for a teacher preparing a class.

A lesson file::

    # relutui lesson
    title = "Why ReLU neurons die"
    focus = "network"            # the panel focused on opening (see FOCUS_PANELS)
    experiment = "dying-relu-bias"   # optional: a claims-lab experiment to load
    compare = false              # optional: open in compare mode ...
    compare_activation = "sigmoid"   # ... against this activation
    steps = 0                    # optional: train this many steps before showing it
    notes = '''
    Text shown in the notes side panel.
    '''

    [config]                     # any TrainConfig field (relutui.training)
    activation = "relu"
    bias_init = -2.0
    layers = [8, 8]

``load_lesson`` refuses bad files with ``"FILE: key 'x': reason"`` (unknown keys,
wrong types, values out of range, bad TOML with its line). ``save_lesson`` writes
atomically (temporary file, then rename) and never overwrites unless asked.
The core never imports Textual; the app calls these functions.
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from relutui.activations import canonical_name
from relutui.io import (LESSON_MAX_BYTES, NO_SUCH_FILE, FileRefused, atomic_write_text, check_input_file,
                        load_untrusted_toml, next_free_path, read_text_bounded)
from relutui.safe_text import printable
from relutui.settings import MAX_STEPS, SETTINGS, setting
from relutui.training import TrainConfig

__all__ = [
    "FOCUS_PANELS", "Lesson", "LessonError", "dumps_lesson", "load_lesson", "parse_lesson",
    "save_lesson", "example_lessons", "bundled_lessons", "resolve_lesson", "default_lesson_filename", "apply_lesson", "lesson_from_state",
]

#: Panels a lesson may focus (the main screen's panel names).
FOCUS_PANELS = ("controls", "chart", "network", "inspector", "loss", "grads", "boundary", "notes")
_TOP_KEYS = ("title", "focus", "experiment", "compare", "compare_activation", "steps", "notes", "config")


class LessonError(ValueError):
    """A lesson file that cannot be used: ``"FILE: key 'x': reason"``."""


@dataclass(frozen=True)
class Lesson:
    config: TrainConfig = field(default_factory=TrainConfig)
    experiment: str | None = None
    focus: str | None = None
    notes: str | None = None
    title: str = ""
    compare: bool = False
    compare_activation: str | None = None
    steps: int = 0


# ---------------------------------------------------------------- validation
# a lesson key's type, from its setting's kind (relutui.settings): "str", "int", "float", ...
_LESSON_TYPES = {"float": "float", "int": "int", "choice": "str", "path": "str", "layers": "layers",
                 "params": "params"}
_FIELD_ORDER = {f.name: i for i, f in enumerate(fields(TrainConfig))}  # files list them as the config does
_CONFIG_TYPES: dict[str, str] = {row.field: _LESSON_TYPES[row.kind]
                                 for row in sorted(SETTINGS, key=lambda r: _FIELD_ORDER[r.field])}
_TYPE_WORDS = {"str": "text", "int": "a whole number", "float": "a number",
               "layers": "a list of sizes like [8, 8] or text like \"8,8\"",
               "params": "a table of numbers like {negative_slope = 0.1}", "bool": "true or false"}


def _type_ok(kind: str, v: Any) -> bool:
    if kind == "str":
        return isinstance(v, str)
    if kind == "int":
        return isinstance(v, int) and not isinstance(v, bool)
    if kind == "float":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    if kind == "bool":
        return isinstance(v, bool)
    if kind == "layers":
        return isinstance(v, str) or (isinstance(v, list) and all(
            isinstance(x, int) and not isinstance(x, bool) for x in v))
    if kind == "params":
        return isinstance(v, dict) and all(
            isinstance(x, (int, float)) and not isinstance(x, bool) for x in v.values())
    return False


def _parse_config(data: Any, fail) -> TrainConfig:
    if not isinstance(data, dict):
        raise fail("config", "must be a table ([config]) of training settings")
    valid = list(_CONFIG_TYPES)
    for key, value in data.items():
        if key not in valid:
            raise fail(f"config.{key}", f"unknown setting (valid: {', '.join(valid)})")
        kind = _CONFIG_TYPES[key]
        if not _type_ok(kind, value):
            raise fail(f"config.{key}", f"must be {_TYPE_WORDS[kind]}, got {type(value).__name__} {value!r}")
    # each value on its own, so that the message names the key that is wrong
    for key, value in data.items():
        single = {key: value}
        if key == "activation_params":
            single["activation"] = data.get("activation", TrainConfig.activation)
        try:
            TrainConfig.from_dict(single)
        except (TypeError, ValueError) as exc:
            if key == "activation_params" and "activation" in data:
                try:
                    TrainConfig.from_dict({"activation": data["activation"]})
                except (TypeError, ValueError):
                    continue  # reported under config.activation
            raise fail(f"config.{key}", str(exc)) from None
    try:
        return TrainConfig.from_dict(data)
    except (TypeError, ValueError) as exc:
        raise fail("config", str(exc)) from None


def parse_lesson(text: str, source: str = "<lesson>", base_dir: str | os.PathLike | None = None) -> Lesson:
    """Parse and validate a lesson's TOML text; LessonError("SOURCE: key 'x': reason").

    A relative ``config.data_path`` is taken relative to ``base_dir`` (the lesson's folder).
    Every string is checked for terminal control characters (refused with its key and line).
    """
    source = printable(source)
    data = load_untrusted_toml(text, source, LessonError)

    def fail(key: str, reason: str) -> LessonError:
        return LessonError(f"{source}: key {key!r}: {reason}")

    for key in data:
        if key not in _TOP_KEYS:
            raise fail(key, f"unknown key (valid: {', '.join(_TOP_KEYS)})")
    for key, kind in (("title", "str"), ("focus", "str"), ("experiment", "str"), ("notes", "str"),
                      ("compare", "bool"), ("compare_activation", "str"), ("steps", "int")):
        if key in data and not _type_ok(kind, data[key]):
            v = data[key]
            raise fail(key, f"must be {_TYPE_WORDS[kind]}, got {type(v).__name__} {v!r}")
    config = _parse_config(data.get("config", {}), fail)
    if config.data_path and base_dir is not None and not os.path.isabs(config.data_path):
        config = replace(config, data_path=os.path.join(os.fspath(base_dir), config.data_path))
    if config.data_path:
        try:
            check_input_file(config.data_path, "CSV data file")
        except FileRefused as exc:  # a directory, a FIFO, a device ... is named as such
            raise fail("config.data_path", f"no such data file: {printable(config.data_path)}"
                       if exc.reason == NO_SUCH_FILE else str(exc)) from None
    focus = data.get("focus")
    if focus is not None and focus not in FOCUS_PANELS:
        raise fail("focus", f"unknown panel {focus!r} (panels: {', '.join(FOCUS_PANELS)})")
    experiment = data.get("experiment")
    if experiment is not None:
        from relutui.experiments import experiment_names

        known = experiment_names()
        if experiment not in known:
            raise fail("experiment", f"unknown experiment {experiment!r} (experiments: {', '.join(known)})")
    compare_activation = data.get("compare_activation")
    if compare_activation is not None:
        try:
            compare_activation = canonical_name(compare_activation)
        except ValueError as exc:
            raise fail("compare_activation", str(exc)) from None
    steps = data.get("steps", 0)
    if not 0 <= steps <= MAX_STEPS:
        raise fail("steps", f"must be from 0 to {MAX_STEPS}, got {steps}")
    notes = data.get("notes")
    if notes is not None:
        notes = notes.strip("\n").rstrip() or None
    return Lesson(config=config, experiment=experiment, focus=focus, notes=notes,
                  title=data.get("title", "").strip(), compare=data.get("compare", False),
                  compare_activation=compare_activation, steps=steps)


def bundled_lessons() -> dict[str, Path]:
    """The lessons shipped with relutui by name (the file name without ``.toml``)."""
    return {p.name[:-len(".toml")]: p for p in example_lessons()}


def resolve_lesson(name_or_path: str | os.PathLike) -> Path:
    """A lesson file: the path if it exists, else the bundled lesson of that name
    (``dying-relu-class`` or ``dying-relu-class.toml``), else the path (reading it fails)."""
    p = Path(name_or_path)
    if p.exists():
        return p
    name = str(name_or_path)
    if "/" not in name and os.sep not in name:
        found = bundled_lessons().get(name[:-len(".toml")] if name.endswith(".toml") else name)
        if found is not None:
            return found
    return p


def load_lesson(path: str | os.PathLike) -> Lesson:
    """Read and validate a lesson file, or a bundled lesson by name (``resolve_lesson``);
    LessonError naming the file, the key and the reason."""
    p = resolve_lesson(path)
    try:  # a regular file of at most LESSON_MAX_BYTES: never a FIFO, a device or a directory
        text = read_text_bounded(p, LESSON_MAX_BYTES, "lesson file")
    except FileRefused as exc:
        if exc.reason == NO_SUCH_FILE:
            names = ", ".join(bundled_lessons()) or "none"
            raise LessonError(f"{printable(p)}: cannot read: No such file or directory "
                              f"(bundled lessons: {names}; relutui lessons lists them)") from None
        raise LessonError(f"{printable(p)}: {exc.reason}") from None
    return parse_lesson(text, source=str(p), base_dir=p.parent)


# ---------------------------------------------------------------- writing
def _toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError(f"cannot write a non-finite number {v!r} to a lesson")
        return repr(v)
    if isinstance(v, str):
        return _toml_str(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(x)}" for k, x in v.items()) + "}"
    raise ValueError(f"cannot write {type(v).__name__} {v!r} to a lesson")


def _toml_key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else _toml_str(k)


def _notes_block(notes: str) -> str:
    ok = "'''" not in notes and all(c.isprintable() or c in "\n\t" for c in notes)
    if ok and "\n" in notes and not notes.endswith("'"):
        return "'''\n" + notes + "\n'''"
    return _toml_str(notes)


def dumps_lesson(lesson: Lesson) -> str:
    """The lesson as TOML text (``parse_lesson(dumps_lesson(l)) == l``). Only non-default config fields."""
    out = ["# relutui lesson: open it with  relutui --lesson FILE"]
    if lesson.title:
        out.append(f"title = {_toml_str(lesson.title)}")
    if lesson.focus is not None:
        out.append(f"focus = {_toml_str(lesson.focus)}")
    if lesson.experiment is not None:
        out.append(f"experiment = {_toml_str(lesson.experiment)}")
    if lesson.compare:
        out.append("compare = true")
    if lesson.compare_activation is not None:
        out.append(f"compare_activation = {_toml_str(lesson.compare_activation)}")
    if lesson.steps:
        out.append(f"steps = {int(lesson.steps)}")
    if lesson.notes:
        out.append(f"notes = {_notes_block(lesson.notes)}")
    out.append("")
    out.append("[config]")
    default = TrainConfig()
    for field in _CONFIG_TYPES:
        row = setting(field)
        value = getattr(lesson.config, row.field)
        if value is None:
            continue  # TOML has no null: None is the default, so leave it out
        if value == getattr(default, row.field) and not row.in_lesson:
            continue
        out.append(f"{row.field} = {_toml_value(row.to_data(value))}")
    return "\n".join(out) + "\n"


def save_lesson(lesson: Lesson, path: str | os.PathLike, overwrite: bool = False) -> Path:
    """Write ``lesson`` to ``path`` atomically; FileExistsError if it exists and not ``overwrite``."""
    text = dumps_lesson(lesson)
    parse_lesson(text, source=str(path))  # never write a file we would refuse to read
    return atomic_write_text(path, text, overwrite=overwrite)


def apply_lesson(state, lesson: Lesson) -> None:
    """Put an app state (``relutui.app.state.AppState``, built with ``lesson.config``) into the
    lesson's state: compare activation, compare mode, ``steps`` steps trained.

    Plain Python: the app builds ``AppState(lesson.config)``, calls this, then does the
    Textual part (push the compare screen when ``state.compare``, focus ``lesson.focus``,
    show ``lesson.notes``, load ``lesson.experiment``).
    """
    if lesson.compare_activation is not None:
        state.set_compare_activation(lesson.compare_activation)
    if lesson.compare and not state.compare:
        state.toggle_compare()
    state.train_steps(lesson.steps)


def lesson_from_state(state, *, title: str = "", notes: str | None = None, focus: str | None = None,
                      experiment: str | None = None) -> Lesson:
    """The current app state as a lesson: its config, compare mode and the steps trained so far
    (the run replays them from the same seed when the lesson opens)."""
    if focus is not None and focus not in FOCUS_PANELS:
        focus = None
    compare_activation = getattr(state, "compare_activation", None)
    return Lesson(config=state.config, experiment=experiment, focus=focus, notes=notes or None,
                  title=title, compare=bool(getattr(state, "compare", False)),
                  compare_activation=compare_activation,
                  steps=min(int(getattr(state, "step", 0)), MAX_STEPS))


def default_lesson_filename(directory: str | os.PathLike = ".", stem: str = "relutui-lesson") -> Path:
    """The first free ``relutui-lesson-NNN.toml`` in ``directory`` (the app's save key uses it)."""
    return next_free_path(directory, stem, ".toml")


def example_lessons() -> list[Path]:
    """The lessons shipped with relutui (relutui/demos/lessons/*.toml)."""
    from importlib import resources

    root = resources.files("relutui.demos").joinpath("lessons")
    try:
        return sorted(Path(str(p)) for p in root.iterdir() if p.name.endswith(".toml"))
    except (FileNotFoundError, NotADirectoryError):
        return []
