"""``relutui serve``: the app in a web browser, one session per visitor (textual-serve).

Binds to 127.0.0.1 unless told otherwise (``--host``), and says so loudly when it
binds wider: every visitor gets a process running on this machine. What a visitor may do
(origin, session cap, terminal size, no files on the server) is enforced by
:mod:`relutui.serve_guard`; the app itself sends ctrl+s / ctrl+l files to the browser.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["add_serve_parser", "run_serve", "serve_command", "is_loopback", "public_url_for",
           "app_argv", "default_max_sessions"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
PREFIX = "serve_app_"  # dest prefix of the app flags serve passes on to every session
SESSIONS_PER_CORE = 4  # each session is a Python process (~60 MB; a playing one uses a core's share)


def default_max_sessions(cpus: int | None = None) -> int:
    """Sessions allowed at once by default: 4 per CPU core (8 on 2 cores), from 2 to 64."""
    import os

    cpus = cpus if cpus is not None else (os.cpu_count() or 1)
    return max(2, min(64, SESSIONS_PER_CORE * cpus))


def add_serve_parser(subparsers) -> argparse.ArgumentParser:
    """Add ``serve`` to an argparse subparsers object; returns the new parser."""
    p = subparsers.add_parser(
        "serve", help="serve the app to web browsers (textual-serve), e.g. for a classroom",
        description="Serve relutui to web browsers: each visitor gets their own session. "
                    "Binds to localhost unless --host says otherwise.")
    p.add_argument("--host", default=DEFAULT_HOST,
                   help="address to bind (default 127.0.0.1; 0.0.0.0 for every interface)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help="TCP port (default 8000)")
    p.add_argument("--public-url", default=None, metavar="URL",
                   help="URL visitors use to reach this server (default: derived from --host)")
    p.add_argument("--lesson", default=None, metavar="FILE",
                   help="open every session on this lesson file")
    p.add_argument("--title", default="relutui", help="page title (default relutui)")
    p.add_argument("--max-sessions", type=int, default=None, metavar="N",
                   help=f"sessions open at once; more visitors are told the server is full "
                        f"(default 4 per CPU core: {default_max_sessions()} here)")
    from relutui.cli import add_config_flags

    before = {a.dest for a in p._actions}
    add_config_flags(p, prefix=PREFIX, title="app settings for every session (as for relutui)")
    passed = [(a.option_strings[0], a.dest, isinstance(a, argparse._AppendAction))
              for a in p._actions if a.dest not in before]
    p.set_defaults(func=run_serve, serve_app_flags=passed)
    return p


def is_loopback(host: str) -> bool:
    """True when ``host`` only accepts connections from this machine."""
    import ipaddress  # (this module is imported by every `relutui`: its parser is built)
    import socket

    if host in ("localhost", "localhost.localdomain", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None)
        except OSError:
            return False
        return bool(infos) and all(ipaddress.ip_address(i[4][0].split("%")[0]).is_loopback for i in infos)


def _lan_address() -> str:
    """This machine's address on its main network (no packet is sent)."""
    import socket

    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.connect(("10.255.255.255", 1))
        return s.getsockname()[0]
    except OSError:
        return socket.gethostname()
    finally:
        s.close()


def public_url_for(host: str, port: int) -> str:
    """The URL a browser uses: wildcard binds are replaced by this machine's LAN address."""
    shown = host
    if host in ("0.0.0.0", "::", ""):
        shown = _lan_address()
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}" if port == 80 else f"http://{shown}:{port}"


def app_argv(args: argparse.Namespace) -> list[str]:
    """The app flags given to ``serve``, as arguments for each session's ``relutui``
    (``--flag=value``: a value starting with "-" stays a value; paths made absolute)."""
    out: list[str] = []
    for option, dest, repeated in getattr(args, "serve_app_flags", []):
        value = getattr(args, dest, None)
        if value is None:
            continue
        for v in (value if repeated else [value]):
            v = str(v)
            if option == "--data":
                v = str(Path(v).resolve())
            out.append(f"{option}={v}")
    return out


def serve_command(lesson: str | None = None, app_args: list[str] | None = None) -> str:
    """The shell command textual-serve runs for each visitor (every part shell-quoted)."""
    import shlex

    parts = [sys.executable, "-m", "relutui", *(app_args or [])]
    if lesson:
        from relutui.lessons import resolve_lesson  # (a bundled lesson by name too)

        parts += ["--lesson", str(resolve_lesson(lesson).resolve())]
    return " ".join(shlex.quote(p) for p in parts)


def run_serve(args: argparse.Namespace) -> int:
    """Serve until Ctrl+C. Returns an exit code (2 for bad arguments)."""
    host = args.host
    port = args.port
    if not 1 <= port <= 65535:
        print(f"relutui: error: serve: --port must be 1..65535, got {port}", file=sys.stderr)
        return 2
    max_sessions = getattr(args, "max_sessions", None)
    if max_sessions is None:
        max_sessions = default_max_sessions()
    if not 1 <= max_sessions <= 1000:
        print(f"relutui: error: serve: --max-sessions must be 1..1000, got {max_sessions}", file=sys.stderr)
        return 2
    lesson = getattr(args, "lesson", None)
    base: dict = {}
    if lesson:
        from dataclasses import asdict

        from relutui.lessons import LessonError, load_lesson

        try:
            base = asdict(load_lesson(lesson).config)
        except LessonError as exc:
            print(f"relutui: error: serve: {exc}", file=sys.stderr)
            return 2
    from relutui.cli import UsageError, config_changes, config_from_args

    try:  # refused here, once, rather than in every visitor's session
        config_from_args(args, prefix=PREFIX, **{**base, **config_changes(args, PREFIX)})
    except UsageError as exc:
        print(f"relutui: error: serve: {exc}", file=sys.stderr)
        return 2
    if not is_loopback(host):
        print(f"relutui serve: WARNING: binding to {host}, not localhost: anyone who can reach this "
              f"machine on port {port} can open a session (each one runs a process here). "
              f"Use only on a network you trust.", file=sys.stderr, flush=True)
    public_url = getattr(args, "public_url", None) or public_url_for(host, port)
    from relutui.serve_guard import GuardedServer

    server = GuardedServer(serve_command(lesson, app_argv(args)), host=host, port=port,
                           title=getattr(args, "title", "relutui"), public_url=public_url,
                           max_sessions=max_sessions)
    print(f"relutui serve: open {public_url} in a web browser (Ctrl+C stops); at most "
          f"{max_sessions} sessions at once (--max-sessions)", file=sys.stderr, flush=True)
    try:
        server.serve()
    except OSError as exc:
        print(f"relutui: error: serve: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="relutui")
    sub = parser.add_subparsers(dest="command", required=True)
    add_serve_parser(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
