"""Files from and to the outside: bounded reads and atomic writes (standard library only).

Reading (:func:`read_bounded`, :func:`load_untrusted_toml`): regular files only, opened
with ``O_NONBLOCK`` so a FIFO (named pipe) is refused instead of blocking for ever, then
``fstat``: a directory, FIFO, device or socket is refused by name; at most the size cap
of its kind plus one byte is read (``/dev/zero`` cannot feed an endless read). TOML is
checked for nesting depth before ``tomllib`` sees it (a 10 KB ``x=[[[[...`` raised
RecursionError), and every string in it for terminal control characters
(:mod:`relutui.safe_text`), with the key and the line.

Writing (:func:`atomic_write_bytes`): a temporary file in the target's folder, then a
rename (or a hard link when the target must not be replaced). A new file gets
``0o666 & ~umask`` (the kernel applies the umask: the temporary file is created with
0o666); a replaced file keeps its mode. Only a regular file is ever replaced: a
directory, symbolic link, device, FIFO or socket at the target is refused
(:class:`FileRefused`) and left alone. :func:`write_output` is the command line's
``--csv``: ``-`` (or ``/dev/stdout``) is standard output, and an existing character
device or FIFO given by its own path (``/dev/null``, a named pipe) is written straight
through; a symbolic link is refused (give the path it points to).
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from relutui.safe_text import control_name, find_control, printable

__all__ = [
    "CSV_MAX_BYTES", "DEMO_MAX_BYTES", "LESSON_MAX_BYTES", "TOML_MAX_DEPTH", "FileRefused",
    "atomic_write_bytes", "atomic_write_text", "check_input_file", "check_output_target",
    "file_kind", "load_untrusted_toml", "next_free_path", "read_bounded", "read_text_bounded",
    "write_output", "NO_SUCH_FILE", "STDOUT_NAMES",
]

LESSON_MAX_BYTES = 1_000_000     # a lesson is a page of settings and notes
DEMO_MAX_BYTES = 1_000_000
CSV_MAX_BYTES = 32_000_000       # 100,000 rows (datasets.MAX_ROWS) of up to 320 bytes
TOML_MAX_DEPTH = 16              # relutui's own files nest 3 deep ([[steps]], {negative_slope=...})
STDOUT_NAMES = ("-", "/dev/stdout")
NO_SUCH_FILE = "no such file"    # FileRefused.reason of a missing file (callers test for it)


class FileRefused(OSError):
    """A file that relutui will not read or write: ``"PATH: reason"`` (path made printable).

    An OSError, so that every writer's ``except OSError`` reports it as a failed write."""

    def __init__(self, path: str | os.PathLike, reason: str) -> None:
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(f"{printable(self.path)}: {reason}")

    def __str__(self) -> str:
        return self.args[0]


def file_kind(mode: int) -> str:
    """``"a directory"``, ``"a FIFO (named pipe)"``, ... for an ``st_mode``."""
    for test, name in ((stat.S_ISREG, "a regular file"), (stat.S_ISDIR, "a directory"),
                       (stat.S_ISLNK, "a symbolic link"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def _size_text(n: int) -> str:
    return f"{n / 1e6:g} MB" if n >= 1_000_000 else f"{n / 1e3:g} KB" if n >= 1000 else f"{n} bytes"


# ---------------------------------------------------------------- reading
def check_input_file(path: str | os.PathLike, what: str = "file") -> None:
    """FileRefused unless ``path`` names (through links) an existing regular file."""
    p = os.fspath(path)
    if p == "":
        raise FileRefused(p, f"empty file name; give the path of a {what}")
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise FileRefused(p, NO_SUCH_FILE) from None
    except NotADirectoryError:
        raise FileRefused(p, "no such file (a folder on the path is a file)") from None
    except OSError as exc:
        raise FileRefused(p, f"cannot read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(st.st_mode):
        raise FileRefused(p, f"is {file_kind(st.st_mode)}, not a {what}")


def read_bounded(path: str | os.PathLike, max_bytes: int, what: str = "file") -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; FileRefused otherwise.

    Never blocks on a FIFO (``O_NONBLOCK``, then refused by ``fstat``) and never reads
    more than ``max_bytes + 1`` bytes, even from a file that grows meanwhile."""
    p = os.fspath(path)
    if p == "":
        raise FileRefused(p, f"empty file name; give the path of a {what}")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(p, flags)
    except FileNotFoundError:
        raise FileRefused(p, NO_SUCH_FILE) from None
    except IsADirectoryError:
        raise FileRefused(p, f"is a directory, not a {what}") from None
    except PermissionError:
        raise FileRefused(p, "permission denied") from None
    except OSError as exc:
        raise FileRefused(p, f"cannot open ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise FileRefused(p, f"is {file_kind(st.st_mode)}, not a {what}")
        if st.st_size > max_bytes:
            raise FileRefused(p, f"is {_size_text(st.st_size)}; a {what} may be at most {_size_text(max_bytes)}")
        chunks, total = [], 0
        while total <= max_bytes:
            try:
                chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            except OSError as exc:
                raise FileRefused(p, f"cannot read ({exc.strerror or exc})") from None
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:
            raise FileRefused(p, f"is larger than {_size_text(max_bytes)}, the limit for a {what}")
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text_bounded(path: str | os.PathLike, max_bytes: int, what: str = "file") -> str:
    """:func:`read_bounded` decoded as UTF-8 text; FileRefused for binary or non-UTF-8 data."""
    raw = read_bounded(path, max_bytes, what)
    if b"\x00" in raw:
        raise FileRefused(path, "not a text file (binary content)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileRefused(path, f"not UTF-8 text (byte {exc.start})") from None


# ---------------------------------------------------------------- TOML
def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _bracket_depth(text: str, limit: int) -> int:
    """Index where ``[``/``{`` nesting passes ``limit`` outside strings and comments, or -1.

    A small scanner, not a TOML parser: it only has to know where strings and comments
    are, so that a ``[`` inside a note does not count."""
    depth, i, n = 0, 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if c in "\"'":
            triple = text.startswith(c * 3, i)
            quote = c * 3 if triple else c
            j = i + len(quote)
            while j < n:
                if c == '"' and text[j] == "\\":
                    j += 2
                    continue
                if text.startswith(quote, j):
                    j += len(quote)
                    extra = 0  # up to two more quotes still belong to a multi-line string
                    while triple and extra < 2 and j < n and text[j] == c:
                        j, extra = j + 1, extra + 1
                    break
                if not triple and text[j] == "\n":
                    break
                j += 1
            i = j
            continue
        if c in "[{":
            depth += 1
            if depth > limit:
                return i
        elif c in "]}":
            depth = max(0, depth - 1)
        i += 1
    return -1


_ESCAPE_CHARS = {"b": "\b", "f": "\f", "r": "\r"}


def _control_line(text: str) -> int | None:
    """The first line holding a refused control character, raw or as a TOML escape
    (``\\u001b``, ``\\U0000009b``, ``\\b``, ``\\f``, ``\\r``)."""
    import re

    for lineno, line in enumerate(text.split("\n"), 1):
        if find_control(line.rstrip("\r")) >= 0:
            return lineno
        for m in re.finditer(r"(\\+)(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[bfr])", line):
            if len(m.group(1)) % 2 == 0:
                continue  # an escaped backslash, not an escape
            code = m.group(2)
            ch = _ESCAPE_CHARS.get(code) or chr(min(int(code[1:], 16), 0x10FFFF))
            if find_control(ch) >= 0:
                return lineno
    return None


def _key_text(path: list) -> str:
    out = ""
    for k in path:
        out += f"[{k + 1}]" if isinstance(k, int) else (("." if out else "") + str(k))
    return out


def _check_tree(data: dict, text: str, fail) -> None:
    """Depth and control characters of every key and string, walked without recursion."""
    stack: list[tuple[object, list]] = [(data, [])]
    while stack:
        node, path = stack.pop()
        if len(path) > TOML_MAX_DEPTH:
            raise fail(_key_text(path[:3]) + "...", f"nested more than {TOML_MAX_DEPTH} levels deep")
        if isinstance(node, dict):
            for k, v in node.items():
                if find_control(k) >= 0:
                    raise fail(printable(_key_text(path + [k])), _control_reason(k, text))
                stack.append((v, path + [k]))
        elif isinstance(node, list):
            stack.extend((v, path + [i]) for i, v in enumerate(node))
        elif isinstance(node, str) and find_control(node) >= 0:
            raise fail(_key_text(path), _control_reason(node, text))


def _control_reason(value: str, text: str) -> str:
    line = _control_line(text)
    where = f" (line {line})" if line else ""
    return (f"holds the terminal control character {control_name(value[find_control(value)])}{where}; "
            "text in a file may hold tab and newline but no other control characters")


def load_untrusted_toml(text: str, source: str, error: type[Exception]) -> dict:
    """The TOML text's table, or ``error("SOURCE: ...")``: bad TOML (with its line, "at end
    of document" gets the last one), nesting deeper than TOML_MAX_DEPTH, or a string or key
    holding a terminal control character (``SOURCE: key 'notes': holds ... (line 3)``)."""
    source = printable(source)
    deep = _bracket_depth(text, TOML_MAX_DEPTH)
    if deep >= 0:
        raise error(f"{source}: line {_line_of(text, deep)}: arrays or tables nested more than "
                    f"{TOML_MAX_DEPTH} levels deep")
    import tomllib  # (here: the datasets import this module, and the app's first frame reads no TOML)

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        if "(at end of document)" in msg:
            last = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
            msg = msg.replace("(at end of document)", f"(at end of document, line {last})")
        raise error(f"{source}: bad TOML: {printable(msg)}") from None
    except RecursionError:  # pragma: no cover - the depth scan is meant to catch every case
        raise error(f"{source}: nested too deeply") from None
    _check_tree(data, text, lambda key, reason: error(f"{source}: key {key!r}: {reason}"))
    return data


# ---------------------------------------------------------------- writing
def check_output_target(path: str | os.PathLike, overwrite: bool) -> str:
    """What writing ``path`` would do: ``"new"``, ``"replace"`` (an existing regular file,
    only when ``overwrite``) or ``"stream"`` (a character device or FIFO, written straight
    through). FileRefused for anything else, FileExistsError for a file kept."""
    p = os.fspath(path)
    if p == "":
        raise FileRefused(p, "empty file name")
    try:
        st = os.lstat(p)
    except FileNotFoundError:
        return "new"
    except OSError as exc:
        raise FileRefused(p, f"cannot write ({exc.strerror or exc})") from None
    mode = st.st_mode
    if stat.S_ISREG(mode):
        if not overwrite:
            raise FileExistsError(f"{printable(p)}: already exists (not overwritten)")
        return "replace"
    if stat.S_ISLNK(mode):
        raise FileRefused(p, "is a symbolic link; relutui does not replace links nor write "
                             "through them: give the path of the file itself")
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return "stream"
    raise FileRefused(p, f"is {file_kind(mode)}; only a regular file is written or replaced")


def _mkstemp_umask(directory: Path, name: str) -> tuple[int, str]:
    """A new temporary file ``.NAME.XXXX.tmp`` in ``directory`` with mode 0o666 & ~umask."""
    import secrets  # (here: ~5 ms of hashlib at every start, for a write that may never come)

    for _ in range(100):
        tmp = os.path.join(directory, f".{name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"{printable(directory)}: no free temporary file name")


def atomic_write_text(path: str | os.PathLike, text: str, overwrite: bool = False) -> Path:
    """Write ``text`` (UTF-8, ``\\n`` newlines) to ``path`` atomically; see :func:`atomic_write_bytes`."""
    return atomic_write_bytes(path, text.encode("utf-8"), overwrite=overwrite)


def atomic_write_bytes(path: str | os.PathLike, data: bytes, overwrite: bool = False) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same directory and a rename.

    FileExistsError for an existing file unless ``overwrite`` (the check and the rename
    are one step, a hard link, so a file that appears meanwhile is not clobbered either);
    FileRefused when the target is not a regular file. A new file's mode is
    ``0o666 & ~umask``, a replaced file keeps its own.
    """
    p = Path(path)
    kind = check_output_target(p, overwrite)
    if kind == "stream":
        raise FileRefused(p, f"is {file_kind(os.lstat(p).st_mode)}; only a regular file is written "
                             "or replaced")
    keep_mode = stat.S_IMODE(os.lstat(p).st_mode) if kind == "replace" else None
    directory = p.parent if str(p.parent) else Path(".")
    fd, tmp = _mkstemp_umask(directory, p.name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if keep_mode is not None:
                os.fchmod(fh.fileno(), keep_mode)
            os.fsync(fh.fileno())
        if overwrite:
            os.replace(tmp, p)
        else:
            try:
                os.link(tmp, p)
            except FileExistsError:
                raise FileExistsError(f"{printable(p)}: already exists (not overwritten)") from None
            except OSError:  # file systems without hard links
                if os.path.lexists(p):
                    raise FileExistsError(f"{printable(p)}: already exists (not overwritten)") from None
                os.replace(tmp, p)
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)
    return p


def write_output(path: str, text: str, overwrite: bool = False) -> str:
    """The command line's output file: ``-`` or ``/dev/stdout`` is standard output, a
    character device or FIFO is written straight through, anything else atomically
    (:func:`atomic_write_text`). Returns how it was written: "stdout", "stream" or "file"."""
    if path in STDOUT_NAMES:
        sys.stdout.write(text)
        sys.stdout.flush()
        return "stdout"
    if check_output_target(path, overwrite) == "stream":
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        return "stream"
    atomic_write_text(path, text, overwrite=overwrite)
    return "file"


def next_free_path(directory: str | os.PathLike, stem: str, suffix: str, limit: int = 100_000) -> Path:
    """``DIR/STEM-001.SUFFIX``, ``-002`` ...: the first name not taken (a dangling link takes
    its name too; no clocks in names)."""
    d = Path(directory)
    for i in range(1, limit):
        p = d / f"{stem}-{i:03d}{suffix}"
        if not os.path.lexists(p):
            return p
    raise FileExistsError(f"{printable(d)}: no free {stem}-NNN{suffix} name")
