"""The web server behind ``relutui serve``: textual-serve's ``Server`` with a door policy.

textual-serve starts a process for every WebSocket on ``/ws`` and types whatever arrives
into it. On its own it accepts a socket from any web page (any site open in a browser on a
machine that can reach the server could open sessions and type keys), any number of
sessions, and any terminal size (``/ws?width=6000&height=3000`` made one child use 511 MB).
:class:`GuardedServer` adds:

* a **Host check** on every request: the name in ``Host`` must be an IP address, ``localhost``,
  this machine's name, or the host of the public URL (a DNS-rebinding page gets 403);
* an **Origin check** on ``/ws``: a browser always sends ``Origin``; it must be the page's own
  origin (the ``Host`` asked for, or the public URL). Anything else gets 403 before a
  process starts;
* a **session cap**: past ``max_sessions`` live sessions the page says the server is full
  (HTTP 503), and a socket opened anyway is closed with code 1013 and that reason;
* **size clamps**: the terminal size from the query string and from every ``resize`` message
  is kept within ``WIDTH_RANGE`` x ``HEIGHT_RANGE`` (garbage becomes 80x24);
* a page that needs **no network**: the web font comes from the server's own static files
  (a system monospace otherwise), not from a public font host.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import re
import socket
from importlib import resources
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

__all__ = ["GuardedServer", "clamp_size", "WIDTH_RANGE", "HEIGHT_RANGE", "FULL_REASON"]

log = logging.getLogger("textual-serve")

WIDTH_RANGE = (20, 320)   # columns: a 4K screen at the page's 16 px font is ~400; 320 is plenty
HEIGHT_RANGE = (8, 120)   # rows
DEFAULT_SIZE = (80, 24)
FULL_REASON = "relutui serve is full: all {n} sessions are in use. Try again in a minute."


def _int_or(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return default


def clamp_size(width: Any, height: Any) -> tuple[int, int]:
    """A terminal size a visitor asked for, kept within the bounds (non-numbers: 80x24)."""
    w = _int_or(width, DEFAULT_SIZE[0])
    h = _int_or(height, DEFAULT_SIZE[1])
    return (min(max(w, WIDTH_RANGE[0]), WIDTH_RANGE[1]), min(max(h, HEIGHT_RANGE[0]), HEIGHT_RANGE[1]))


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%")[0])
        return True
    except ValueError:
        return False


def _host_port(netloc: str, scheme: str = "http") -> tuple[str, int] | None:
    """("name", port) of ``host[:port]`` (default port from the scheme); None if malformed."""
    netloc = netloc.strip().lower()
    if not netloc:
        return None
    default = 443 if scheme in ("https", "wss") else 80
    m = re.fullmatch(r"(\[[0-9a-f:.%a-z]+\]|[^:\[\]/@]+)(?::(\d{1,5}))?", netloc)
    if m is None:
        return None
    return m.group(1), int(m.group(2)) if m.group(2) else default


def _origin_tuple(url: str) -> tuple[str, str, int] | None:
    scheme, sep, rest = url.strip().lower().partition("://")
    if not sep or scheme not in ("http", "https") or "/" in rest.rstrip("/"):
        return None
    hp = _host_port(rest.rstrip("/"), scheme)
    return None if hp is None else (scheme, *hp)


# The upstream page with one change: the "Roboto Mono" @font-face comes from the server's own
# static files (textual-serve ships the font), not from fonts.googleapis.com. And a visitor
# turned away (server full) reads the reason where the page would say "Session ended."
_LOCAL_FONT = """<style>
      @font-face { font-family: "Roboto Mono"; font-style: normal;
        src: local("Roboto Mono"), url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype"); }
      @font-face { font-family: "Roboto Mono"; font-style: italic;
        src: local("Roboto Mono Italic"), url("{{ config.static.url }}fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype"); }
    </style>
    <script>
      (() => {
        const Orig = window.WebSocket;
        window.WebSocket = class extends Orig {
          constructor(...args) {
            super(...args);
            this.addEventListener("close", (e) => {
              const m = document.querySelector(".closed-dialog .message");
              if (m && e.reason) m.textContent = e.reason;
            });
          }
        };
      })();
    </script>"""
_REMOTE_FONT = re.compile(r"<link\b[^>]*https?://fonts\.[^>]*>", re.IGNORECASE | re.DOTALL)

_FULL_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title>
<style>body {{ background: #0c181f; color: #eee; font-family: monospace; font-size: 18px;
margin: 4em; }}</style></head>
<body><p>{reason}</p><p><button onclick="location.reload()">Try again</button></p></body></html>
"""


def page_template() -> str:
    """textual-serve's page template, with the font served locally (see ``_LOCAL_FONT``)."""
    text = resources.files("textual_serve").joinpath("templates", "app_index.html").read_text("utf-8")
    text = _REMOTE_FONT.sub("", text)
    return text.replace("</head>", _LOCAL_FONT + "\n  </head>", 1)


class GuardedServer(Server):
    """textual-serve's Server with the checks described in this module's docstring."""

    def __init__(self, command: str, *, max_sessions: int, **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.max_sessions = int(max_sessions)
        self.sessions = 0
        self.allowed_names = self._allowed_names()

    # ------------------------------------------------------------ policy
    def _allowed_names(self) -> set[str]:
        names = {"localhost", "localhost.localdomain", "ip6-localhost"}
        pub = _origin_tuple(self.public_url)
        if pub is not None:
            names.add(pub[1])
        if self.host not in ("", "0.0.0.0", "::"):
            names.add(self.host.lower())
        try:
            name = socket.gethostname().lower()
            names.update({name, name + ".local"})
        except OSError:
            pass
        return names

    def host_allowed(self, host_header: str | None) -> bool:
        """The Host a browser asked for is this server: an IP, localhost, our name, the public URL."""
        hp = _host_port(host_header or "")
        if hp is None:
            return False
        return _is_ip(hp[0]) or hp[0].rstrip(".") in self.allowed_names

    def origin_allowed(self, origin: str | None, host_header: str | None) -> bool:
        """A WebSocket's Origin is the page's own: the Host it asked for, or the public URL."""
        org = _origin_tuple(origin or "")
        if org is None:
            return False
        scheme, name, port = org
        here = _host_port(host_header or "", scheme)
        if here is not None and (name, port) == here:
            return True
        return org == _origin_tuple(self.public_url)

    @property
    def full(self) -> bool:
        return self.sessions >= self.max_sessions

    def full_reason(self) -> str:
        return FULL_REASON.format(n=self.max_sessions)

    # ------------------------------------------------------------ aiohttp wiring
    async def _make_app(self) -> web.Application:
        import aiohttp_jinja2
        import jinja2

        app = await super()._make_app()
        aiohttp_jinja2.setup(app, loader=jinja2.DictLoader({"app_index.html": page_template()}))
        app.middlewares.append(self._host_middleware)
        return app

    @web.middleware
    async def _host_middleware(self, request: web.Request, handler):
        if not self.host_allowed(request.headers.get("Host")):
            raise web.HTTPForbidden(text="relutui serve: unknown host name (use the address the "
                                         "server printed, or start it with --public-url)\n")
        return await handler(request)

    async def handle_index(self, request: web.Request):
        if self.full:
            import html

            return web.Response(status=503, content_type="text/html", headers={"Retry-After": "60"},
                                text=_FULL_PAGE.format(title=html.escape(self.title),
                                                       reason=html.escape(self.full_reason())))
        return await super().handle_index(request)

    async def on_startup(self, app: web.Application) -> None:
        """(textual-serve prints a logo and the command here; relutui prints its own line.)"""

    async def _process_messages(self, websocket: web.WebSocketResponse, app_service: AppService) -> None:
        """textual-serve's loop, but malformed messages are ignored and sizes clamped."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            type_, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if type_ == "stdin" and isinstance(data, str):
                await app_service.send_bytes(data.encode("utf-8", "replace"))
            elif type_ == "resize" and isinstance(data, dict):
                await app_service.set_terminal_size(*clamp_size(data.get("width"), data.get("height")))
            elif type_ == "ping":
                await websocket.send_json(["pong", data])
            elif type_ == "blur":
                await app_service.blur()
            elif type_ == "focus":
                await app_service.focus()

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if not self.origin_allowed(request.headers.get("Origin"), request.headers.get("Host")):
            log.warning("refused a WebSocket from origin %r", request.headers.get("Origin"))
            raise web.HTTPForbidden(text="relutui serve: this page's origin may not open sessions\n")
        websocket = web.WebSocketResponse(heartbeat=15)
        if self.full:
            await websocket.prepare(request)
            await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER,
                                  message=self.full_reason().encode("utf-8")[:120])
            return websocket
        width, height = clamp_size(request.query.get("width", "80"), request.query.get("height", "24"))
        self.sessions += 1
        app_service: AppService | None = None
        try:
            await websocket.prepare(request)
            app_service = AppService(self.command, write_bytes=websocket.send_bytes,
                                     write_str=websocket.send_str, close=websocket.close,
                                     download_manager=self.download_manager, debug=self.debug)
            await app_service.start(width, height)
            await self._process_messages(websocket, app_service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # (textual-serve logs and ends the session the same way)
            log.exception(error)
        finally:
            try:
                if app_service is not None:
                    await app_service.stop()
            finally:
                self.sessions -= 1  # (once its process has ended)
        return websocket
