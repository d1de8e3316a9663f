"""The layers, locked: the core is numpy only, the session is plain Python, and imports go one
way (app and demos -> session -> core).

* Importing any core module, or ``relutui.session`` with every module under it, in a fresh
  interpreter loads neither textual nor rich.
* No core module, and nothing in ``relutui.session``, imports ``relutui.app`` or
  ``relutui.demos`` (imports read from the source with ``ast``: also those inside functions);
  the core does not import ``relutui.session`` either.

A core module that does not exist yet (the list is the target layout) is left out by looking at
the files, never by catching an ImportError.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "relutui"
CORE_NAMES = ("activations", "engine", "datasets", "diagnostics", "training", "experiments", "settings",
              "format", "io")
UI = ("textual", "rich")


def _exists(name: str) -> bool:
    return (PACKAGE / f"{name}.py").is_file() or (PACKAGE / name / "__init__.py").is_file()


CORE = [name for name in CORE_NAMES if _exists(name)]


def _files(name: str) -> list[Path]:
    """The source files of ``relutui.<name>`` (a module, or a package and everything under it)."""
    if (PACKAGE / f"{name}.py").is_file():
        return [PACKAGE / f"{name}.py"]
    return sorted((PACKAGE / name).rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in the file, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            out.add(module)
            out.update(f"{module}.{alias.name}" for alias in node.names)  # `from relutui import app`
    return out


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_core_list_is_read_from_the_files():
    assert {"activations", "engine", "datasets", "diagnostics", "training"} <= set(CORE)
    assert (PACKAGE / "session" / "__init__.py").is_file()


@pytest.mark.parametrize("name", CORE + ["session"])
def test_importing_loads_neither_textual_nor_rich(name):
    modules = [_module_name(path) for path in _files(name)]
    code = (
        "import importlib, json, sys\n"
        f"for module in {modules!r}:\n"
        "    importlib.import_module(module)\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {UI!r})))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=PACKAGE.parent)
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded == [], f"importing relutui.{name} loaded {loaded[:8]}"


@pytest.mark.parametrize("name", CORE + ["session"])
def test_imports_go_one_way(name):
    forbidden = ["relutui.app", "relutui.demos", *UI]
    if name != "session":
        forbidden.append("relutui.session")
    bad = [(_module_name(path), module) for path in _files(name) for module in sorted(_imports(path))
           if any(_within(module, f) for f in forbidden)]
    assert bad == [], f"relutui.{name} imports {bad}"


def test_the_import_reader_sees_imports_inside_functions():
    """(The reader itself: an import inside a function counts.)"""
    path = PACKAGE / "session" / "present" / "chart.py"
    assert "relutui.session.views" in _imports(path)
    lab = _imports(PACKAGE / "session" / "lab.py")
    assert "relutui.experiments" in lab  # imported inside load_experiment
