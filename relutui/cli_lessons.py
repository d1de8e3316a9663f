"""``relutui lessons``: the lessons shipped with relutui (they sit inside the installed package,
e.g. site-packages after pipx, so a teacher needs their names, not their paths).

    relutui lessons                 name, title and experiment of each, and how to open them
    relutui lessons --json          [{"name", "title", "experiment", "path"}]
    relutui lessons NAME            the lesson's TOML on stdout (to copy and edit:
                                    relutui lessons dying-relu-class > my-lesson.toml)
"""

from __future__ import annotations

import argparse
import json
import os
import sys

__all__ = ["build_lessons_parser", "run_lessons", "lesson_rows"]


def build_lessons_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "lessons", help="the bundled lessons: open one with relutui --lesson NAME",
        description="The lessons shipped with relutui. Open one with 'relutui --lesson NAME', "
                    "several in a row with 'relutui --lesson A --lesson B' (m / M: next / "
                    "previous); 'relutui lessons NAME > FILE' copies one to edit.")
    p.add_argument("name", nargs="?", default=None, help="print this lesson's TOML")
    p.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    return p


def lesson_rows() -> list[dict]:
    """One row per bundled lesson (a broken one says why instead of a title)."""
    from relutui.lessons import LessonError, bundled_lessons, load_lesson

    rows = []
    for name, path in bundled_lessons().items():
        try:
            lesson = load_lesson(path)
            rows.append({"name": name, "title": lesson.title, "experiment": lesson.experiment,
                         "path": str(path)})
        except LessonError as exc:
            rows.append({"name": name, "title": None, "experiment": None, "path": str(path),
                         "error": str(exc)})
    return rows


def run_lessons(args: argparse.Namespace) -> int:
    from relutui.cli_config import UsageError
    from relutui.lessons import bundled_lessons

    if args.name is not None:
        lessons = bundled_lessons()
        key = args.name[:-len(".toml")] if args.name.endswith(".toml") else args.name
        if key not in lessons:
            raise UsageError(f"no bundled lesson {key!r}; the lessons are: {', '.join(lessons) or 'none'}")
        if args.json:
            raise UsageError("--json lists the lessons; give no NAME with it")
        sys.stdout.write(lessons[key].read_text(encoding="utf-8"))
        return 0
    rows = lesson_rows()
    if args.json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return 0
    if not rows:
        sys.stdout.write("no bundled lessons found\n")
        return 1
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        what = r["title"] if r.get("error") is None else f"(cannot be opened: {r['error']})"
        sys.stdout.write(f"{r['name']:<{width}}  {what}\n")
        if r["experiment"]:
            sys.stdout.write(f"{'':<{width}}  experiment: {r['experiment']}\n")
    first = rows[0]["name"]
    sys.stdout.write(f"\nopen one:      relutui --lesson {first}\n"
                     f"a sequence:    relutui --lesson {first} --lesson {rows[-1]['name']}   (m / M: next / previous)\n"
                     f"copy to edit:  relutui lessons {first} > my-lesson.toml\n"
                     f"they are in:   {os.path.dirname(rows[0]['path'])}\n")
    return 0
