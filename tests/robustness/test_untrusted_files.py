"""Files from outside (issue 15): lessons, demos and CSV files are read bounded (regular files
only, a size cap, a nesting cap) and every string in them is refused at load when it holds a
terminal control character; whatever reaches stderr is escaped.

Each refusal: exit 2, one line on stderr, no traceback, no control character on the terminal.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from relutui.cli import main
from relutui.datasets import DataError, load_csv
from relutui.demos.script import DemoError, load_demo
from relutui.lessons import LessonError, load_lesson

CLI = [sys.executable, "-m", "relutui.cli"]
HANG_BOUND = 60  # seconds: a bound on a hang, not a measure of speed

# The payloads, as TOML escapes (the file holds only printable ASCII).
PAYLOADS = {
    "osc52-clipboard": r"\u001b]52;c;ZWNobyBwd25lZA==\u001b\\",
    "osc0-title": r"\u001b]0;pwned\u0007",
    "csi-clear": r"\u001b[2J",
    "c1-csi": r"\u009b2J",
    "dcs": r"\u001bP1$r\u001b\\",
    "c1-dcs": r"\u0090q\u009c",
    "cr": r"a\rb",
    "del": r"a\u007f",
}


def write(tmp_path: Path, text: str, name: str = "lesson.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def run_cli(*args: str, cwd: Path, timeout: float = HANG_BOUND, limit_memory: bool = False):
    def cap():  # never let a bug read /dev/zero into all of the machine's memory
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

    return subprocess.run([*CLI, *args], cwd=cwd, capture_output=True, timeout=timeout,
                          preexec_fn=cap if limit_memory else None,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})


def assert_refused(proc, *words: str) -> str:
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2, (proc.returncode, err)
    assert "Traceback" not in err and err.count("\n") == 1, err
    assert err.startswith("relutui: error: "), err
    for w in words:
        assert w in err, (w, err)
    return err


def assert_no_control(text: str) -> None:
    bad = [c for c in text if (ord(c) < 0x20 and c not in "\n\t") or 0x7f <= ord(c) <= 0x9f]
    assert not bad, (bad, text)


# ---------------------------------------------------------------- control characters
@pytest.mark.parametrize("payload", list(PAYLOADS.values()), ids=list(PAYLOADS))
@pytest.mark.parametrize("key", ["title", "notes"])
def test_lesson_string_with_a_control_character_is_refused_with_key_and_line(tmp_path, capsys, key,
                                                                             payload):
    path = write(tmp_path, f'# a lesson\nfocus = "network"\n{key} = "look: {payload} here"\n')
    with pytest.raises(LessonError) as info:
        load_lesson(path)
    msg = str(info.value)
    assert f"key '{key}'" in msg and "control character" in msg and "(line 3)" in msg, msg
    assert_no_control(msg)
    assert main(["--lesson", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "control character" in err
    assert_no_control(err)


def test_raw_c1_bytes_in_a_lesson_are_refused(tmp_path):
    """TOML allows U+009B raw (UTF-8 c2 9b) where it forbids ESC: refused all the same."""
    path = tmp_path / "lesson.toml"
    path.write_bytes(b'title = "ok"\nnotes = """\nline one\nbad \xc2\x9b2J here\n"""\n')
    with pytest.raises(LessonError, match=r"key 'notes'.*U\+009B.*\(line 4\)"):
        load_lesson(path)


def test_lesson_multiline_notes_with_tabs_and_newlines_still_load(tmp_path):
    path = write(tmp_path, 'title = "Tabs\\tare fine"\nnotes = """\n1.\tone\n2.\ttwo\n"""\n')
    lesson = load_lesson(path)
    assert lesson.title == "Tabs\tare fine" and lesson.notes == "1.\tone\n2.\ttwo"


def test_data_path_with_escapes_never_reaches_stderr_raw(tmp_path):
    """The issue: a data_path holding escapes was printed raw in the refusal on stderr."""
    path = write(tmp_path, '[config]\ndata_path = "x\\u001b]0;pwned\\u0007\\u001b[2J.csv"\n')
    proc = run_cli("--lesson", str(path), cwd=tmp_path)
    err = assert_refused(proc, "config.data_path", "control character")
    assert_no_control(err)


def test_a_lesson_path_with_escapes_is_printed_escaped(tmp_path):
    name = "a\x1b]0;pwned\x07\x1b[2Jb.toml"
    proc = run_cli("--lesson", str(tmp_path / name), cwd=tmp_path)
    err = assert_refused(proc, "\\x1b]0;pwned\\x07", "No such file or directory")
    assert_no_control(err)


@pytest.mark.parametrize("payload", list(PAYLOADS.values()), ids=list(PAYLOADS))
def test_demo_note_title_and_description_with_control_characters_are_refused(tmp_path, payload):
    for key, text in (
        ("steps[2].note", f'title = "t"\n[[steps]]\nkey = "space"\n[[steps]]\nnote = "n {payload}"\n'),
        ("title", f'title = "t {payload}"\n[[steps]]\nkey = "space"\n'),
        ("description", f'title = "t"\ndescription = "d {payload}"\n[[steps]]\nkey = "space"\n'),
    ):
        path = write(tmp_path, text, "demo.toml")
        with pytest.raises(DemoError) as info:
            load_demo(path)
        msg = str(info.value)
        assert f"key '{key}'" in msg and "control character" in msg, msg
        assert_no_control(msg)


@pytest.mark.parametrize("payload", ["\x1b]0;pwned\x07", "\x1b[2J", "\u009b2J", "\x1bP1$r\x1b\\"])
def test_csv_header_with_a_control_character_is_refused_at_its_line(tmp_path, payload):
    path = tmp_path / "d.csv"
    path.write_text(f"x1,x2,label{payload}\n0,0,0\n1,1,1\n0,1,1\n1,0,0\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_csv(path)
    assert info.value.line == 1 and "control character" in info.value.reason
    assert_no_control(str(info.value))


def test_csv_with_crlf_lines_still_loads(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes(b"x1,x2,label\r\n0,0,0\r\n1,1,1\r\n0,1,1\r\n1,0,0\r\n")
    assert load_csv(path).X.shape == (4, 2)


# ---------------------------------------------------------------- nesting
DEEP = "x = " + "[" * 5000 + "]" * 5000 + "\n"  # 10 KB
DEEP_TABLES = "x = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n"


@pytest.mark.parametrize("text", [DEEP, DEEP_TABLES], ids=["arrays", "inline-tables"])
def test_deeply_nested_lesson_is_refused_not_a_recursion_error(tmp_path, text):
    path = write(tmp_path, "title = 'x'\n" + text)
    with pytest.raises(LessonError, match=r"line 2: .*nested more than"):
        load_lesson(path)
    assert_refused(run_cli("--lesson", str(path), cwd=tmp_path), "nested more than")


def test_deeply_nested_lesson_is_refused_by_serve_before_it_serves(tmp_path):
    path = write(tmp_path, "title = 'x'\n" + DEEP)
    proc = run_cli("serve", "--lesson", str(path), "--port", "65534", cwd=tmp_path, timeout=30)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "nested more than" in err and "Traceback" not in err, err


def test_deeply_nested_demo_is_refused(tmp_path):
    path = write(tmp_path, "title = 't'\n" + DEEP, "deep.toml")
    with pytest.raises(DemoError, match="nested more than"):
        load_demo(path)
    assert_refused(run_cli("demo", str(path), "--screenshots", str(tmp_path / "shots"), cwd=tmp_path),
                   "nested more than")


def test_deep_dotted_keys_are_refused(tmp_path):
    """tomllib builds a 5,000-deep table from dotted keys without recursing; repr or json of
    it would (five times Python's recursion limit): refused after parsing, walked without
    recursion. (20,000 deep took 4 CPU s of tomllib's quadratic dotted-key walk.)"""
    assert 5000 > 4 * sys.getrecursionlimit()
    path = write(tmp_path, "a" + ".a" * 5000 + " = 1\n")
    with pytest.raises(LessonError, match="nested more than"):
        load_lesson(path)


def test_brackets_inside_strings_and_comments_do_not_count(tmp_path):
    notes = "[" * 40 + "]" * 40
    path = write(tmp_path, f"# {'[' * 40}\ntitle = '{'{' * 40}'\nnotes = \"\"\"{notes}\"\"\"\n")
    assert load_lesson(path).notes == notes


# ---------------------------------------------------------------- what a file is
def test_fifo_lesson_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "lesson.toml"
    os.mkfifo(fifo)
    assert_refused(run_cli("--lesson", str(fifo), cwd=tmp_path), "FIFO")


def test_fifo_demo_and_csv_are_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert_refused(run_cli("run", "--data", str(fifo), "--steps", "1", cwd=tmp_path), "FIFO")
    demo = tmp_path / "demo.toml"
    os.mkfifo(demo)
    with pytest.raises(DemoError, match="FIFO"):
        load_demo(demo)
    with pytest.raises(DataError, match="FIFO"):
        load_csv(fifo)


def test_dev_zero_lesson_is_refused_without_reading(tmp_path):
    assert_refused(run_cli("--lesson", "/dev/zero", cwd=tmp_path, limit_memory=True),
                   "character device")


def test_oversized_lesson_is_refused(tmp_path):
    path = write(tmp_path, "title = 'big'\n" + ("# padding padding padding\n" * 50_000))
    assert path.stat().st_size > 1_000_000
    with pytest.raises(LessonError, match="at most 1 MB"):
        load_lesson(path)


def test_oversized_csv_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.csv"
    with open(path, "wb") as fh:
        fh.truncate(40_000_000)  # sparse: nothing written, nothing read
    with pytest.raises(DataError, match="at most 32 MB"):
        load_csv(path)


@pytest.mark.parametrize("kind", ["directory", "fifo", "device"])
def test_data_flag_says_what_the_path_is(tmp_path, capsys, kind):
    """`--data` on a directory, FIFO or device said "no such file"."""
    if kind == "directory":
        path, word = str(tmp_path), "is a directory"
    elif kind == "fifo":
        path, word = str(tmp_path / "p"), "is a FIFO"
        os.mkfifo(path)
    else:
        path, word = "/dev/null", "is a character device"
    assert main(["run", "--data", path, "--steps", "1"]) == 2
    err = capsys.readouterr().err
    assert word in err and "no such file" not in err and err.count("\n") == 1, err


def test_lesson_data_path_on_a_directory_says_so(tmp_path):
    (tmp_path / "d.csv").mkdir()
    with pytest.raises(LessonError, match="is a directory"):
        load_lesson(write(tmp_path, "[config]\ndata_path = 'd.csv'\n"))
