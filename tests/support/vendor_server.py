"""The one fake vendor server (`sync_ai_models.demo.vendor_server`), scripted, on 127.0.0.1 (a
port the OS picks, a thread), standing in for every vendor at once.

Each vendor lives under `/<provider>`; a test sets what each one does (`server.handlers`). A
handler gets the request and returns a `Reply`: a status and body, or a misbehaviour (hang,
trickle, an endless body). Every request is recorded, with its headers, to prove where keys went.
"""

from __future__ import annotations

import threading
from contextlib import ExitStack

from sync_ai_models.demo.vendor_server import Handler, Reply, VendorState, json_reply, vendor_app
from sync_ai_models.demo.vendor_server import VendorRequest as Request
from sync_ai_models.http.local_server import serve_in_thread

__all__ = ["Handler", "Reply", "Request", "VendorServer", "json_reply"]


class VendorServer:
    def __init__(self) -> None:
        self.state = VendorState(scripted=True)
        self._stack = ExitStack()
        self.origin = ""

    @property
    def handlers(self) -> dict[str, Handler]:
        return self.state.handlers

    @property
    def release(self) -> threading.Event:
        """Set to let hanging and trickling replies go (at the end of each test)."""
        return self.state.release

    def url(self, provider: str) -> str:
        return f"{self.origin}/{provider}"

    def start(self) -> VendorServer:
        self.origin = self._stack.enter_context(serve_in_thread(vendor_app(self.state)))
        return self

    def stop(self) -> None:
        self.state.release.set()
        self._stack.close()

    def reset(self) -> None:
        self.state.reset()

    def requests_of(self, provider: str) -> list[Request]:
        return self.state.requests_of(provider)
