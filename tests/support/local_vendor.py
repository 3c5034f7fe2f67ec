"""An OpenAI-style vendor on 127.0.0.1 (a thread), for tests and benchmarks that run a real
server process: GET /v1/models answers the current list, with a bearer key required."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.support.http_doubles import VENDOR_KEY, model_list


class LocalVendor:
    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.server = server
        self.model_ids: list[str] = []
        self.requests = 0

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def env(self) -> dict[str, str]:
        return {"OPENAI_API_KEY": VENDOR_KEY, "OPENAI_BASE_URL": self.base_url}


@contextmanager
def local_vendor(*model_ids: str) -> Iterator[LocalVendor]:
    vendor: LocalVendor

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            vendor.requests += 1
            if self.headers.get("Authorization") != f"Bearer {VENDOR_KEY}":
                self._answer(401, {"error": {"message": "bad key"}})
            elif self.path.split("?")[0] == "/v1/models":
                self._answer(200, model_list(*vendor.model_ids))
            else:
                self._answer(404, {"error": {"message": "not found"}})

        def _answer(self, status: int, body: object) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    vendor = LocalVendor(server)
    vendor.model_ids = list(model_ids)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield vendor
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
