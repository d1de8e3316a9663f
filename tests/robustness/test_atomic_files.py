"""Every file relutui writes is written atomically (a temporary file in the same folder,
then a rename or link) and never replaces an existing file unless asked.

Writers: ``relutui run/sweep --csv`` (cli.write_atomic), lessons (``save_lesson`` and the
app's ctrl+l), screenshots (the app's ctrl+s / F12, ``relutui demo --screenshots``), and
the shared ``relutui.demos.files.atomic_write_*``. For each: an existing file is kept
byte for byte; a write that fails half-way (fsync raising: disk full) leaves neither a
partial target nor a temporary file; a place that cannot be written is a one-line error,
not a traceback.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from relutui.cli import main

SIZE = (120, 36)


def digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def listing(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir())


class Spy:
    """Records how the final file came to be: by os.link / os.replace from a temp file."""

    def __init__(self, monkeypatch):
        self.calls: list[tuple[str, str, str]] = []
        real_link, real_replace = os.link, os.replace

        def link(src, dst, *a, **k):
            self.calls.append(("link", os.fspath(src), os.fspath(dst)))
            return real_link(src, dst, *a, **k)

        def replace(src, dst, *a, **k):
            self.calls.append(("replace", os.fspath(src), os.fspath(dst)))
            return real_replace(src, dst, *a, **k)

        monkeypatch.setattr(os, "link", link)
        monkeypatch.setattr(os, "replace", replace)

    def assert_renamed_into(self, target: Path) -> None:
        ok = [c for c in self.calls if Path(c[2]).resolve() == target.resolve()]
        assert ok, self.calls
        for _, src, _ in ok:
            assert Path(src).parent.resolve() == target.parent.resolve()  # same folder: atomic rename
            assert Path(src).name.startswith(".") and Path(src).name.endswith(".tmp"), src


def fail_fsync(monkeypatch):
    def boom(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", boom)


# ------------------------------------------------------------------ CLI --csv
CSV_ARGS = ["run", "-e", "sparsity", "--seeds", "1", "--steps", "3"]


def test_cli_csv_is_renamed_into_place(tmp_path, capsys, monkeypatch):
    spy = Spy(monkeypatch)
    out = tmp_path / "h.csv"
    assert main([*CSV_ARGS, "--csv", str(out)]) == 0
    spy.assert_renamed_into(out)
    assert listing(tmp_path) == ["h.csv"] and out.read_text().startswith("arm,seed,step")


def test_cli_csv_never_overwrites_and_force_replaces_atomically(tmp_path, capsys, monkeypatch):
    out = tmp_path / "h.csv"
    out.write_text("precious\n")
    before = digest(out)
    assert main([*CSV_ARGS, "--csv", str(out)]) == 2
    assert "already exists; use --force" in capsys.readouterr().err
    assert digest(out) == before and listing(tmp_path) == ["h.csv"]
    spy = Spy(monkeypatch)
    assert main([*CSV_ARGS, "--csv", str(out), "--force"]) == 0
    spy.assert_renamed_into(out)
    assert out.read_text().startswith("arm,") and listing(tmp_path) == ["h.csv"]


@pytest.mark.parametrize("existing", [False, True])
def test_cli_csv_failing_half_way_leaves_nothing_behind(tmp_path, capsys, monkeypatch, existing):
    out = tmp_path / "h.csv"
    if existing:
        out.write_text("precious\n")
    fail_fsync(monkeypatch)
    code = main([*CSV_ARGS, "--csv", str(out), *(["--force"] if existing else [])])
    out_, err = capsys.readouterr()
    assert code == 2 and err == f"relutui: error: cannot write {str(out)!r}: No space left on device\n"
    if existing:
        assert out.read_text() == "precious\n" and listing(tmp_path) == ["h.csv"]
    else:
        assert listing(tmp_path) == []


def test_cli_csv_into_an_unwritable_place_is_refused_before_the_work(capsys, monkeypatch):
    import relutui.experiments as ex

    ran = []
    monkeypatch.setattr(ex, "run_experiment", lambda *a, **k: ran.append(1))
    for where in ("/proc/relutui-test.csv", "/sys/relutui-test.csv"):
        if not os.path.isdir(os.path.dirname(where)):
            continue
        assert main([*CSV_ARGS, "--csv", where]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"relutui: error: cannot write {where!r}: ") and err.count("\n") == 1
    assert ran == []


def test_sweep_csv_never_overwrites(tmp_path, capsys):
    out = tmp_path / "s.csv"
    out.write_text("precious\n")
    assert main(["sweep", "--lr", "0.1,1", "--seeds", "1", "--steps", "2", "--jobs", "1",
                 "--csv", str(out)]) == 2
    assert out.read_text() == "precious\n" and listing(tmp_path) == ["s.csv"]


# ------------------------------------------------------------------ shared writer, lessons
def test_atomic_write_bytes_failing_half_way(tmp_path, monkeypatch):
    from relutui.demos.files import atomic_write_text

    target = tmp_path / "a.svg"
    fail_fsync(monkeypatch)
    with pytest.raises(OSError):
        atomic_write_text(target, "<svg/>")
    assert listing(tmp_path) == []
    target.write_text("old")
    with pytest.raises(OSError):
        atomic_write_text(target, "<svg/>", overwrite=True)
    assert target.read_text() == "old" and listing(tmp_path) == ["a.svg"]


def test_save_lesson_atomic_and_never_overwrites(tmp_path, monkeypatch):
    from relutui.lessons import Lesson, load_lesson, save_lesson
    from relutui.training import TrainConfig

    lesson = Lesson(config=TrainConfig(activation="sigmoid", seed=3), title="t")
    path = tmp_path / "l.toml"
    spy = Spy(monkeypatch)
    save_lesson(lesson, path)
    spy.assert_renamed_into(path)
    assert load_lesson(path).config.activation == "sigmoid"
    before = digest(path)
    with pytest.raises(FileExistsError):
        save_lesson(Lesson(title="other"), path)
    assert digest(path) == before
    save_lesson(Lesson(title="other"), path, overwrite=True)
    assert load_lesson(path).title == "other" and listing(tmp_path) == ["l.toml"]
    fail_fsync(monkeypatch)
    with pytest.raises(OSError):
        save_lesson(lesson, path, overwrite=True)
    assert load_lesson(path).title == "other" and listing(tmp_path) == ["l.toml"]


# ------------------------------------------------------------------ the app's keys
async def test_app_screenshot_and_lesson_keys_never_overwrite(app_pilot, tmp_path, monkeypatch):
    from relutui.app.app import ReluApp
    from relutui.training import TrainConfig

    monkeypatch.chdir(tmp_path)
    (tmp_path / "relutui-001.svg").write_text("mine")
    (tmp_path / "relutui-lesson.toml").write_text("# mine\n")
    notes: list[str] = []
    async with app_pilot(size=SIZE) as (app, pilot):
        app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
        spy = Spy(monkeypatch)
        await pilot.press("ctrl+s")
        await pilot.press("f12")
        await pilot.press("ctrl+l")
        await pilot.press("question_mark", "ctrl+s", "escape")  # from the help screen too
        await pilot.pause()
        assert app._exception is None
    files = listing(tmp_path)
    assert (tmp_path / "relutui-001.svg").read_text() == "mine"
    assert (tmp_path / "relutui-lesson.toml").read_text() == "# mine\n"
    svgs = [f for f in files if f.endswith(".svg") and f != "relutui-001.svg"]
    lessons = [f for f in files if f.endswith(".toml") and f != "relutui-lesson.toml"]
    assert len(svgs) == 3 and len(lessons) == 1, files
    assert not [f for f in files if f.startswith(".")], files  # no temporary file left
    for f in svgs + lessons:
        spy.assert_renamed_into(tmp_path / f)
        assert any(f in n and "saved to" in n for n in notes), (f, notes)
    for f in svgs:
        assert (tmp_path / f).read_text().lstrip().startswith("<svg")


async def test_app_save_keys_report_a_failed_write_instead_of_raising(app_pilot, tmp_path, monkeypatch):
    from relutui.app.app import ReluApp
    from relutui.training import TrainConfig

    monkeypatch.chdir(tmp_path)
    notes: list[str] = []
    async with app_pilot(size=SIZE) as (app, pilot):
        app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
        fail_fsync(monkeypatch)
        await pilot.press("ctrl+s", "ctrl+l")
        await pilot.pause()
        assert app._exception is None and app.is_running
    assert listing(tmp_path) == []
    assert any(n.startswith("screenshot not saved") for n in notes), notes
    assert any(n.startswith("lesson not saved") for n in notes), notes


# ------------------------------------------------------------------ demo screenshots
def _shortest_demo() -> str:
    from relutui.demos import demo_names, load_demo

    return min(demo_names(), key=lambda n: (len(load_demo(n).steps), n))


def test_demo_screenshots_never_overwrite(tmp_path, capsys):
    from relutui.demos import load_demo

    name = _shortest_demo()
    shots = load_demo(name).screenshots
    out = tmp_path / "shots"
    out.mkdir()
    kept = out / f"{shots[-1]}.svg"
    kept.write_text("mine")
    assert main(["demo", name, "--screenshots", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already exists" in err and "overwrit" in err
    assert listing(out) == [kept.name] and kept.read_text() == "mine"  # nothing else written either


def test_demo_screenshots_into_an_unwritable_place(capsys):
    if not os.path.isdir("/proc/self"):
        pytest.skip("needs /proc")
    code = main(["demo", _shortest_demo(), "--screenshots", "/proc/relutui-shots"])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
