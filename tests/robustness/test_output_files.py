"""Output files (issue 15): a new file gets ``0o666 & ~umask``, a replaced one keeps its mode;
only a regular file is ever replaced. ``--csv PATH --force`` replaced a device node and a
symlink with a regular file: now a symbolic link, directory or socket is refused (exit 2, one
line, left as it was), a character device or FIFO is written straight through, and ``-`` (or
``/dev/stdout``) is standard output.
"""

from __future__ import annotations

import csv
import io
import os
import socket
import stat
import threading
from pathlib import Path

import pytest

from relutui.cli import main
from relutui.io import FileRefused, atomic_write_text, check_output_target
from relutui.demos.files import save_screenshot_svg

RUN = ["run", "--steps", "2"]


def run_csv(capsys, target: str, *extra: str) -> tuple[int, str, str]:
    code = main([*RUN, "--csv", target, *extra])
    out, err = capsys.readouterr()
    return code, out, err


def refused(code: int, err: str, *words: str) -> None:
    assert code == 2, err
    assert err.startswith("relutui: error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    for w in words:
        assert w in err, (w, err)


class umask:
    def __init__(self, mask: int) -> None:
        self.mask = mask

    def __enter__(self):
        self.old = os.umask(self.mask)

    def __exit__(self, *exc):
        os.umask(self.old)


def mode(p: Path) -> int:
    return stat.S_IMODE(os.lstat(p).st_mode)


# ---------------------------------------------------------------- modes
@pytest.mark.parametrize("mask,want", [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600), (0o002, 0o664)])
def test_new_file_mode_follows_the_umask(tmp_path, capsys, mask, want):
    with umask(mask):
        atomic_write_text(tmp_path / "a.txt", "x")
        code, _, err = run_csv(capsys, str(tmp_path / "h.csv"))
    assert code == 0, err
    assert mode(tmp_path / "a.txt") == want
    assert mode(tmp_path / "h.csv") == want


def test_replaced_file_keeps_its_mode(tmp_path, capsys):
    """--force made a private file world-readable (always 0644)."""
    target = tmp_path / "private.csv"
    target.write_text("old\n")
    os.chmod(target, 0o600)
    with umask(0o022):
        code, _, err = run_csv(capsys, str(target), "--force")
    assert code == 0, err
    assert mode(target) == 0o600 and target.read_text().startswith("arm,seed,step")


# ---------------------------------------------------------------- what is replaced
def test_symlink_is_refused_and_left_alone(tmp_path, capsys):
    real = tmp_path / "real.csv"
    real.write_text("keep me\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    for extra in ((), ("--force",)):
        code, _, err = run_csv(capsys, str(link), *extra)
        refused(code, err, "symbolic link")
        assert link.is_symlink() and real.read_text() == "keep me\n"


def test_socket_and_directory_are_refused(tmp_path, capsys):
    sock_path = tmp_path / "s"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(sock_path))
        code, _, err = run_csv(capsys, str(sock_path), "--force")
        refused(code, err, "socket")
        assert stat.S_ISSOCK(os.lstat(sock_path).st_mode)
    finally:
        sock.close()
    code, _, err = run_csv(capsys, str(tmp_path), "--force")
    refused(code, err, "directory")
    with pytest.raises(FileRefused, match="socket|directory"):
        atomic_write_text(tmp_path, "x", overwrite=True)


def char_device(tmp_path: Path, name: str, minor: int) -> Path:
    """A private copy of /dev/null (minor 3) or /dev/full (minor 7) where the system lets us
    make one; else the real node (a user who cannot make a node cannot replace it either)."""
    node = tmp_path / name
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, minor))
        return node
    except PermissionError:
        assert os.geteuid() != 0 or not os.access("/dev", os.W_OK)
        return Path("/dev") / name


def test_character_device_is_written_through_not_replaced(tmp_path, capsys):
    null = char_device(tmp_path, "null", 3)
    code, _, err = run_csv(capsys, str(null), "--force")
    assert code == 0, err
    assert stat.S_ISCHR(os.lstat(null).st_mode)


def test_full_device_is_an_error_and_stays_a_device(tmp_path, capsys):
    full = char_device(tmp_path, "full", 7)
    code, _, err = run_csv(capsys, str(full), "--force")
    refused(code, err, "No space left on device")
    assert stat.S_ISCHR(os.lstat(full).st_mode)


def test_fifo_is_written_through(tmp_path, capsys):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def reader():
        with open(fifo, "rb") as fh:
            got.append(fh.read())

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    code, _, err = run_csv(capsys, str(fifo), "--force")
    t.join(60)
    assert code == 0, err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert got and got[0].startswith(b"arm,seed,step")


def test_dash_is_standard_output_with_the_csv_alone(capsys):
    code, out, err = run_csv(capsys, "-")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:3] == ["arm", "seed", "step"] and len(rows) > 1


def test_empty_csv_name_is_refused(capsys):
    """--csv '' was silently ignored."""
    for cmd in (RUN, ["sweep", "--lr", "0.1,1", "--seeds", "1", "--steps", "2", "--jobs", "1"]):
        code = main([*cmd, "--csv", ""])
        _, err = capsys.readouterr()
        refused(code, err, "--csv needs a file name")


def test_markup_in_the_csv_path_is_printed_as_text(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = main(["sweep", "--lr", "0.1,1", "--seeds", "1", "--steps", "2", "--jobs", "1",
                 "--csv", "[red]x.csv"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "cells written to [red]x.csv" in out and (tmp_path / "[red]x.csv").is_file()


def test_check_output_target_kinds(tmp_path):
    assert check_output_target(tmp_path / "new", False) == "new"
    (tmp_path / "f").write_text("x")
    assert check_output_target(tmp_path / "f", True) == "replace"
    with pytest.raises(FileExistsError):
        check_output_target(tmp_path / "f", False)
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    with pytest.raises(FileRefused, match="symbolic link"):
        check_output_target(tmp_path / "dangling", True)


def test_screenshot_names_skip_a_dangling_link(tmp_path):
    """A dangling relutui-001.svg link is a taken name, not a place to write through."""
    (tmp_path / "relutui-001.svg").symlink_to(tmp_path / "elsewhere.svg")
    path = save_screenshot_svg("<svg/>", tmp_path)
    assert path.name == "relutui-002.svg" and path.read_text() == "<svg/>"
    assert not (tmp_path / "elsewhere.svg").exists()
