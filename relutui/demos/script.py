"""Demo scripts: data files (TOML) describing timed actions on the app.

A demo is a title, a description, a terminal size, the app's initial config
(a :class:`relutui.training.TrainConfig` table) and a list of steps::

    title = "Dying ReLU"
    description = "A negative bias pushes the pre-activations into the dead zone."
    size = "120x36"
    key_delay = 0.45            # optional: seconds between key presses when played live

    [config]                    # TrainConfig.from_dict: any field, validated
    activation = "relu"
    seed = 0

    [[steps]]
    note = "text shown as a notification"
    [[steps]]
    key = "space"               # a Textual key name ("space", "ctrl+p", "question_mark") or one character
    [[steps]]
    keys = ["n", "n"]           # several keys in a row
    repeat = 3                  # optional on key/keys: the whole group this many times
    [[steps]]
    wait = 0.8                  # seconds (live mode only; headless play skips waits)
    [[steps]]
    screenshot = "dying-relu-dead"   # an SVG mark: screenshots/dying-relu-dead.svg

Nothing here imports Textual's app machinery; loading and validating a demo
needs only the standard library and the core's TrainConfig.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from relutui.io import DEMO_MAX_BYTES, FileRefused, load_untrusted_toml, read_text_bounded
from relutui.safe_text import printable

if TYPE_CHECKING:  # numpy stays out of `relutui --help`
    from relutui.training import TrainConfig

__all__ = [
    "DEFAULT_SIZE", "STEP_KINDS", "Demo", "DemoError", "Step", "demo_names", "demo_path",
    "load_demo", "load_all_demos", "normalize_key", "parse_demo", "parse_size",
]

DEFAULT_SIZE = (120, 36)
DEFAULT_KEY_DELAY = 0.45
STEP_KINDS = ("key", "keys", "wait", "screenshot", "note")
_STEP_OPTIONS = {"key": {"repeat", "delay"}, "keys": {"repeat", "delay"},
                 "wait": set(), "screenshot": set(), "note": {"timeout"}}
_TOP_KEYS = {"title", "description", "size", "key_delay", "config", "steps"}
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
_NAMED_KEYS = frozenset(
    ["space", "enter", "escape", "tab", "backspace", "delete", "insert", "home", "end",
     "pageup", "pagedown", "up", "down", "left", "right"]
    + [f"f{i}" for i in range(1, 25)]
)
# Textual spells a few characters differently from their Unicode names.
_KEY_REPLACEMENTS = {"solidus": "slash", "reverse_solidus": "backslash", "commercial_at": "at",
                     "hyphen_minus": "minus", "plus_sign": "plus", "low_line": "underscore"}
_REPLACED = {v: k for k, v in _KEY_REPLACEMENTS.items()}
MAX_REPEAT = 2000
MAX_WAIT = 120.0


class DemoError(ValueError):
    """A demo file that cannot be played: the message names the file, the step and why."""


@dataclass(frozen=True)
class Step:
    kind: str                      # "key" | "wait" | "screenshot" | "note"
    keys: tuple[str, ...] = ()     # kind == "key": Textual key names, pressed in order
    repeat: int = 1                # kind == "key": how many times to press the group
    delay: float | None = None     # kind == "key": live seconds between keys (None: demo default)
    seconds: float = 0.0           # kind == "wait"
    name: str = ""                 # kind == "screenshot"
    text: str = ""                 # kind == "note"
    timeout: float = 4.0           # kind == "note": seconds it stays on screen (live)

    def pressed(self) -> list[str]:
        """Every key this step presses, repeats expanded."""
        return list(self.keys) * self.repeat if self.kind == "key" else []

    def describe(self) -> str:
        if self.kind == "key":
            s = " ".join(self.keys)
            return f"keys {s}" + (f" ×{self.repeat}" if self.repeat > 1 else "")
        if self.kind == "wait":
            return f"wait {self.seconds:g}s"
        if self.kind == "screenshot":
            return f"screenshot {self.name}"
        return f"note {self.text!r}"


@dataclass(frozen=True)
class Demo:
    name: str
    title: str
    description: str
    size: tuple[int, int]
    config: TrainConfig
    steps: tuple[Step, ...]
    key_delay: float = DEFAULT_KEY_DELAY
    path: Path | None = field(default=None, compare=False)

    @property
    def screenshots(self) -> list[str]:
        return [s.name for s in self.steps if s.kind == "screenshot"]

    def live_duration(self) -> float:
        """Roughly how long the demo lasts when played live (seconds)."""
        total = 0.0
        for s in self.steps:
            if s.kind == "key":
                total += len(s.pressed()) * (self.key_delay if s.delay is None else s.delay)
            elif s.kind == "wait":
                total += s.seconds
        return total


# ---------------------------------------------------------------- keys
def normalize_key(key: Any) -> str:
    """A Textual key name for ``key`` ("space", "ctrl+p", "question_mark", "a"), or ValueError.

    Single characters are accepted and turned into the name Textual uses for them
    ("?" -> "question_mark", "+" -> "plus", " " -> "space").
    """
    if not isinstance(key, str):
        raise ValueError(f"a key must be a string, got {type(key).__name__} {key!r}")
    if key == "":
        raise ValueError("a key name is empty")
    if len(key) == 1:
        return _char_to_key(key)
    parts = key.split("+")
    if parts[-1] == "":
        # "ctrl++" style is ambiguous; Textual spells it ctrl+plus
        raise ValueError(f"bad key name {key!r}: write 'plus' for the + key (e.g. 'ctrl+plus')")
    *mods, base = parts
    for m in mods:
        if m not in _MODIFIERS:
            raise ValueError(f"bad key name {key!r}: unknown modifier {m!r} "
                             f"(modifiers: {', '.join(_MODIFIERS)})")
    if len(set(mods)) != len(mods):
        raise ValueError(f"bad key name {key!r}: a modifier is repeated")
    if len(base) == 1:
        base = _char_to_key(base)
    elif base not in _NAMED_KEYS and not _is_unicode_key_name(base):
        raise ValueError(
            f"bad key name {key!r}: {base!r} is not a Textual key name "
            f"(use a single character, a name such as space, enter, escape, tab, up, "
            f"pagedown, f1, or a character name such as question_mark, plus, minus)")
    return "+".join([*mods, base])


def _char_to_key(ch: str) -> str:
    if ch.isalnum():
        return ch
    if ch == " ":
        return "space"
    if not ch.isprintable():
        raise ValueError(f"bad key {ch!r}: not a printable character")
    try:
        name = unicodedata.name(ch).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        raise ValueError(f"bad key {ch!r}: no key name for this character") from None
    return _KEY_REPLACEMENTS.get(name, name)


_CHAR_NAMES: dict[str, str] | None = None


def _char_names() -> dict[str, str]:
    """Textual key name -> character, for the characters a keyboard can type."""
    global _CHAR_NAMES
    if _CHAR_NAMES is None:
        table = {}
        for code in range(0x21, 0x3000):
            ch = chr(code)
            if ch.isprintable() and not ch.isalnum():
                try:
                    table[_char_to_key(ch)] = ch
                except ValueError:
                    pass
        _CHAR_NAMES = table
    return _CHAR_NAMES


def _is_unicode_key_name(name: str) -> bool:
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        return False
    if name in _char_names():
        return True
    original = _REPLACED.get(name, name)
    try:
        ch = unicodedata.lookup(original.upper().replace("_", " "))
    except KeyError:
        return False
    return len(ch) == 1 and ch.isprintable()


# ---------------------------------------------------------------- parsing
def parse_size(value: Any) -> tuple[int, int]:
    """``"120x36"`` or ``[120, 36]`` -> (120, 36); ValueError with the reason."""
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", value)
        if not m:
            raise ValueError(f"size must look like 120x36, got {value!r}")
        w, h = int(m.group(1)), int(m.group(2))
    elif isinstance(value, (list, tuple)) and len(value) == 2 and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value):
        w, h = value
    else:
        raise ValueError(f"size must be \"WxH\" or [W, H], got {value!r}")
    if not (20 <= w <= 400 and 10 <= h <= 200):
        raise ValueError(f"size {w}x{h} is out of range (20..400 columns, 10..200 rows)")
    return (w, h)


def _number(value: Any, what: str, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{what} must be a number, got {type(value).__name__} {value!r}")
    v = float(value)
    if not (lo <= v <= hi):
        raise ValueError(f"{what} must be between {lo:g} and {hi:g}, got {v:g}")
    return v


def _parse_step(raw: Any) -> Step:
    if not isinstance(raw, dict):
        raise ValueError(f"a step must be a table like {{key = \"space\"}}, got {raw!r}")
    kinds = [k for k in raw if k in STEP_KINDS]
    unknown = [k for k in raw if k not in STEP_KINDS]
    if not kinds:
        bad = unknown[0] if unknown else None
        raise ValueError(
            (f"unknown step kind {bad!r}" if bad else "empty step")
            + f" (a step is one of: {', '.join(STEP_KINDS)})")
    if len(kinds) > 1:
        raise ValueError(f"a step has one kind, this one has {len(kinds)}: {', '.join(kinds)}")
    kind = kinds[0]
    extra = [k for k in unknown if k not in _STEP_OPTIONS[kind]]
    if extra:
        allowed = sorted(_STEP_OPTIONS[kind])
        raise ValueError(f"unknown option {extra[0]!r} for a {kind} step"
                         + (f" (options: {', '.join(allowed)})" if allowed else " (it takes none)"))
    value = raw[kind]
    if kind in ("key", "keys"):
        if kind == "key":
            names = [value]
        else:
            if not isinstance(value, list) or not value:
                raise ValueError(f"keys must be a non-empty list of key names, got {value!r}")
            names = value
        keys = tuple(normalize_key(k) for k in names)
        repeat = raw.get("repeat", 1)
        if isinstance(repeat, bool) or not isinstance(repeat, int) or not 1 <= repeat <= MAX_REPEAT:
            raise ValueError(f"repeat must be a whole number from 1 to {MAX_REPEAT}, got {repeat!r}")
        delay = raw.get("delay")
        if delay is not None:
            delay = _number(delay, "delay", 0.0, 10.0)
        return Step("key", keys=keys, repeat=repeat, delay=delay)
    if kind == "wait":
        return Step("wait", seconds=_number(value, "wait", 0.0, MAX_WAIT))
    if kind == "screenshot":
        if not isinstance(value, str) or not _NAME_RE.match(value) or value.endswith(".svg"):
            raise ValueError(f"screenshot name must be lowercase letters, digits, '.', '_' or '-' "
                             f"(no .svg, no '/'), got {value!r}")
        return Step("screenshot", name=value)
    # note
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"note must be non-empty text, got {value!r}")
    timeout = _number(raw.get("timeout", 4.0), "timeout", 0.5, 60.0)
    return Step("note", text=value.strip(), timeout=timeout)


def parse_demo(text: str, name: str, source: str = "<demo>", path: Path | None = None) -> Demo:
    """Parse and validate a demo's TOML text. Raises DemoError("SOURCE: where: reason")."""
    source = printable(source)
    data = load_untrusted_toml(text, source, DemoError)  # depth, control characters, bad TOML

    def fail(where: str, reason: str) -> DemoError:
        return DemoError(f"{source}: {where}: {reason}")

    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise fail(f"key {unknown[0]!r}", f"unknown key (valid: {', '.join(sorted(_TOP_KEYS))})")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise fail("key 'title'", "a demo needs a non-empty title")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise fail("key 'description'", "must be text")
    try:
        size = parse_size(data.get("size", "%dx%d" % DEFAULT_SIZE))
    except ValueError as exc:
        raise fail("key 'size'", str(exc)) from None
    try:
        key_delay = _number(data.get("key_delay", DEFAULT_KEY_DELAY), "key_delay", 0.0, 10.0)
    except ValueError as exc:
        raise fail("key 'key_delay'", str(exc)) from None
    cfg = data.get("config", {})
    if not isinstance(cfg, dict):
        raise fail("key 'config'", "must be a table of TrainConfig settings")
    try:
        from relutui.training import TrainConfig

        config = TrainConfig.from_dict(cfg)
    except (TypeError, ValueError) as exc:
        raise fail("key 'config'", str(exc)) from None
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise fail("key 'steps'", "a demo needs a non-empty list of steps")
    steps: list[Step] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_steps, 1):
        try:
            step = _parse_step(raw)
        except ValueError as exc:
            raise fail(f"step {i}", str(exc)) from None
        if step.kind == "screenshot":
            if step.name in seen:
                raise fail(f"step {i}", f"screenshot name {step.name!r} is used twice")
            seen.add(step.name)
        steps.append(step)
    return Demo(name=name, title=title.strip(), description=description.strip(), size=size,
                config=config, steps=tuple(steps), key_delay=key_delay, path=path)


# ---------------------------------------------------------------- the shipped demos
def _demo_dir():
    return resources.files("relutui.demos")


def demo_names() -> list[str]:
    """The shipped demos, sorted by name."""
    return sorted(p.name[:-5] for p in _demo_dir().iterdir()
                  if p.name.endswith(".toml") and p.is_file())


def demo_path(name_or_path: str | Path) -> Path:
    """A shipped demo's file, or a path to a .toml file. KeyError for unknown names."""
    p = Path(name_or_path)
    if str(name_or_path).endswith(".toml") and p.exists():  # a FIFO or a folder is refused when read
        return p
    if str(name_or_path) in demo_names():
        return Path(str(_demo_dir().joinpath(f"{name_or_path}.toml")))
    raise KeyError(str(name_or_path))


def load_demo(name_or_path: str | Path) -> Demo:
    """Load a shipped demo by name (``"dying-relu"``) or any demo file by path."""
    try:
        path = demo_path(name_or_path)
    except KeyError:
        raise DemoError(f"unknown demo '{printable(name_or_path)}'; demos: {', '.join(demo_names())}") from None
    try:  # a regular file of at most DEMO_MAX_BYTES, UTF-8 text
        text = read_text_bounded(path, DEMO_MAX_BYTES, "demo file")
    except FileRefused as exc:
        raise DemoError(str(exc)) from None
    return parse_demo(text, name=path.stem, source=str(path), path=path)


def load_all_demos() -> list[Demo]:
    return [load_demo(n) for n in demo_names()]
