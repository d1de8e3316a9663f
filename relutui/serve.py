"""``relutui serve``: the app in a web browser, one session per visitor (textual-serve).

Binds to 127.0.0.1 unless told otherwise (``--host``), and says so loudly when it
binds wider: every visitor gets a process running on this machine.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["add_serve_parser", "run_serve", "serve_command", "is_loopback", "public_url_for"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


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
    p.set_defaults(func=run_serve)
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


def serve_command(lesson: str | None = None) -> str:
    """The shell command textual-serve runs for each visitor."""
    import shlex

    parts = [sys.executable, "-m", "relutui"]
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
    lesson = getattr(args, "lesson", None)
    if lesson:
        from relutui.lessons import LessonError, load_lesson

        try:
            load_lesson(lesson)
        except LessonError as exc:
            print(f"relutui: error: serve: {exc}", file=sys.stderr)
            return 2
    if not is_loopback(host):
        print(f"relutui serve: WARNING: binding to {host}, not localhost: anyone who can reach this "
              f"machine on port {port} can open a session (each one runs a process here). "
              f"Use only on a network you trust.", file=sys.stderr, flush=True)
    public_url = getattr(args, "public_url", None) or public_url_for(host, port)
    from textual_serve.server import Server

    server = Server(serve_command(lesson), host=host, port=port,
                    title=getattr(args, "title", "relutui"), public_url=public_url)
    print(f"relutui serve: open {public_url} in a web browser (Ctrl+C stops)", file=sys.stderr, flush=True)
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
