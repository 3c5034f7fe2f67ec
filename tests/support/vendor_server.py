"""A real HTTP server on 127.0.0.1 (port 0, a thread) standing in for every vendor at once.

Each vendor lives under `/<provider>`; a test sets what each one does (`server.handlers`). A
handler gets the request and returns a `Reply`: a status and body, or a misbehaviour (hang,
trickle, an endless body). Every request is recorded, with its headers, to prove where keys went.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass(frozen=True)
class Request:
    method: str
    provider: str
    path: str
    """The path after `/<provider>` (e.g. `/models`)."""
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False
    """Accept the request and never answer."""
    trickle_seconds: float | None = None
    """Send the headers, then one byte every so often, forever (slowloris)."""
    endless: bool = False
    """Send the headers, then body chunks until the client goes away (a huge body)."""


def json_reply(body: Any, status: int = 200, **headers: str) -> Reply:
    return Reply(status, json.dumps(body).encode(), {"Content-Type": "application/json", **headers})


Handler = Callable[[Request], Reply]


class VendorServer:
    def __init__(self) -> None:
        self.handlers: dict[str, Handler] = {}
        self.requests: list[Request] = []
        self.release = threading.Event()
        """Set to let hanging and trickling replies go (at the end of each test)."""
        self._lock = threading.Lock()
        ThreadingHTTPServer.request_queue_size = 128  # every vendor connects at once
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, provider: str) -> str:
        return f"{self.origin}/{provider}"

    def start(self) -> VendorServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def reset(self) -> None:
        self.release.set()
        self.release = threading.Event()
        with self._lock:
            self.handlers.clear()
            self.requests.clear()

    def requests_of(self, provider: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.provider == provider]

    def _record(self, request: Request) -> Handler | None:
        with self._lock:
            self.requests.append(request)
            return self.handlers.get(request.provider)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # one request per connection; a body ends at close

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._serve()

            def do_POST(self) -> None:
                self._serve()

            def _serve(self) -> None:
                split = urlsplit(self.path)
                provider, _, rest = split.path.lstrip("/").partition("/")
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    method=self.command,
                    provider=provider,
                    path="/" + rest,
                    query=dict(parse_qsl(split.query)),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                handler = server._record(request)
                reply = handler(request) if handler else Reply(404, b'{"error":"no such vendor"}')
                release = server.release
                # the client may give up (deadline, size cap): as intended
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self._send(reply, release)

            def _send(self, reply: Reply, release: threading.Event) -> None:
                if reply.hang:
                    release.wait(60)
                    return
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if not (reply.trickle_seconds or reply.endless):
                    self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                if reply.trickle_seconds:
                    self.wfile.write(b"[")
                    self.wfile.flush()
                    while not release.wait(reply.trickle_seconds):
                        self.wfile.write(b" ")
                        self.wfile.flush()
                elif reply.endless:
                    for chunk in _endless_list():
                        if release.is_set():
                            return
                        self.wfile.write(chunk)
                else:
                    self.wfile.write(reply.body)

        return _Handler


def _endless_list() -> Iterator[bytes]:
    """`{"data": [{...}, {...}, ...` without an end (stopped by the client, or after 1 GiB)."""
    yield b'{"object":"list","data":['
    chunk = b'{"id":"filler-model","object":"model","created":1700000000},' * 1000
    for _ in range((1 << 30) // len(chunk)):
        yield chunk
