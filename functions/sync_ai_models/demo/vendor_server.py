"""A local stand-in for the vendors' list-models endpoints, serving sample_vendors on 127.0.0.1
with each vendor's envelope, auth header and paging (Anthropic `after_id`, Google `pageToken`).
The demo uses it, and so do the tests: a list set by hand, requests counted, a listing held
mid-way, and a webhook receiver (POST /hook). Scripted (`VendorState(scripted=True)`), it answers
every request from a handler per vendor instead, misbehaviours included (hang, trickle, an
endless body), and records each request with its headers (the reliability tests).

`<base>/<provider>` is the provider's base URL (`OPENAI_BASE_URL=<base>/openai`)."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import anyio.to_thread
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from sync_ai_models.demo.sample_vendors import LISTS

AUTH_HEADER = {"anthropic": "x-api-key", "google": "x-goog-api-key"}
PAGE_SIZE = 2  # small pages, so the demo follows real pagination


@dataclass(frozen=True)
class VendorRequest:
    """A request a scripted vendor received."""

    method: str
    provider: str
    path: str
    """The path after `/<provider>` (e.g. `/models`)."""
    query: dict[str, str]
    headers: dict[str, str]
    """Lower-case names."""
    body: bytes


@dataclass(frozen=True)
class Reply:
    """A scripted vendor's answer: a status and body, or a misbehaviour."""

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


Handler = Callable[[VendorRequest], Reply]
_NO_SUCH_VENDOR = Reply(404, b'{"error":"no such vendor"}')


class VendorState:
    def __init__(self, key: str = "", *, scripted: bool = False) -> None:
        self.key = key
        self.scripted = scripted
        """Answer every request from `handlers` (404 for a vendor without one)."""
        self.handlers: dict[str, Handler] = {}
        self.requests: list[VendorRequest] = []
        """What a scripted vendor received, in order."""
        self.release = threading.Event()
        """Set to let hanging and trickling replies go."""
        self.version = 1
        """Which of the sample lists each vendor serves (the demo's second sync uses 2)."""
        self.lists: dict[str, list[dict[str, Any]]] = {}
        """A vendor's list set by hand, served instead of the sample's."""
        self.listings: Counter[str] = Counter()
        """List requests received, per vendor (refused ones included)."""
        self.listing_started = threading.Event()
        self.hold: threading.Event | None = None
        """When set to an unset Event, listing waits for it (a run caught mid-way)."""
        self.hook_status = 200
        self.hooks: list[tuple[bytes, dict[str, str]]] = []
        """What POST /hook received: (body, headers)."""
        self._lock = threading.Lock()

    def serves(self, provider: str) -> bool:
        return provider in self.lists or provider in LISTS

    def models(self, provider: str) -> list[dict[str, Any]]:
        if provider in self.lists:
            return self.lists[provider]
        return LISTS[provider][self.version]

    def count_listing(self, provider: str) -> None:
        with self._lock:
            self.listings[provider] += 1
        self.listing_started.set()

    def record_hook(self, body: bytes, headers: dict[str, str]) -> None:
        with self._lock:
            self.hooks.append((body, headers))

    def record(self, request: VendorRequest) -> Handler | None:
        with self._lock:
            self.requests.append(request)
            return self.handlers.get(request.provider)

    def requests_of(self, provider: str) -> list[VendorRequest]:
        with self._lock:
            return [r for r in self.requests if r.provider == provider]

    def reset(self) -> None:
        """Lets every held reply go, then forgets the handlers and requests."""
        self.release.set()
        self.release = threading.Event()
        with self._lock:
            self.handlers.clear()
            self.requests.clear()


def _authorized(request: Request, provider: str, key: str) -> bool:
    header = AUTH_HEADER.get(provider, "authorization")
    given = request.headers.get(header, "")
    return given == (key if header != "authorization" else f"Bearer {key}")


def _page(items: list[dict[str, Any]], start: int) -> tuple[list[dict[str, Any]], int | None]:
    end = start + PAGE_SIZE
    return items[start:end], (end if end < len(items) else None)


async def _released(release: threading.Event, seconds: float) -> bool:
    return await anyio.to_thread.run_sync(release.wait, seconds)


async def _trickle(release: threading.Event, seconds: float) -> AsyncIterator[bytes]:
    yield b"["
    while not await _released(release, seconds):
        yield b" "


async def _endless_list(release: threading.Event) -> AsyncIterator[bytes]:
    """`{"data": [{...}, {...}, ...` without an end (stopped by the client, or after 1 GiB)."""
    yield b'{"object":"list","data":['
    chunk = b'{"id":"filler-model","object":"model","created":1700000000},' * 1000
    for _ in range((1 << 30) // len(chunk)):
        if release.is_set():
            return
        yield chunk
        await anyio.sleep(0)  # writes to a closed socket do not wait: let the disconnect in


async def _scripted(state: VendorState, request: Request) -> Response:
    provider = request.path_params["provider"]
    received = VendorRequest(
        method=request.method,
        provider=provider,
        path="/" + request.path_params.get("rest", ""),
        query=dict(request.query_params),
        headers=dict(request.headers),
        body=await request.body(),
    )
    handler = state.record(received)
    reply = handler(received) if handler else _NO_SUCH_VENDOR
    release = state.release
    if reply.hang:
        await _released(release, 60)
        return Response(status_code=504)  # the client has given up by now
    if reply.trickle_seconds:
        stream = _trickle(release, reply.trickle_seconds)
        return StreamingResponse(stream, reply.status, reply.headers)
    if reply.endless:
        return StreamingResponse(_endless_list(release), reply.status, reply.headers)
    return Response(reply.body, reply.status, reply.headers)


def vendor_app(state: VendorState) -> Starlette:
    if state.scripted:

        async def scripted(request: Request) -> Response:
            return await _scripted(state, request)

        return Starlette(
            routes=[Route("/{provider}/{rest:path}", scripted, methods=["GET", "POST"])]
        )

    async def models(request: Request) -> JSONResponse:
        provider = request.path_params["provider"]
        if not state.serves(provider):
            return JSONResponse({"error": "unknown vendor"}, status_code=404)
        state.count_listing(provider)
        hold = state.hold
        if hold is not None:
            await anyio.to_thread.run_sync(hold.wait, 60)
        if not _authorized(request, provider, state.key):
            return JSONResponse({"error": {"message": "invalid api key"}}, status_code=401)
        items = state.models(provider)
        if provider == "anthropic":
            ids = [m["id"] for m in items]
            after = request.query_params.get("after_id")
            page, more = _page(items, ids.index(after) + 1 if after in ids else 0)
            return JSONResponse(
                {
                    "data": page,
                    "has_more": more is not None,
                    "first_id": page[0]["id"] if page else None,
                    "last_id": page[-1]["id"] if page else None,
                }
            )
        if provider == "google":
            page, more = _page(items, int(request.query_params.get("pageToken") or 0))
            body: dict[str, Any] = {"models": page}
            if more is not None:
                body["nextPageToken"] = str(more)
            return JSONResponse(body)
        if provider == "openrouter":
            return JSONResponse({"data": items})
        return JSONResponse({"object": "list", "data": items})

    async def hook(request: Request) -> JSONResponse:
        state.record_hook(await request.body(), dict(request.headers.items()))
        return JSONResponse({"ok": state.hook_status < 400}, status_code=state.hook_status)

    return Starlette(
        routes=[
            Route("/hook", hook, methods=["POST"]),
            Route("/{provider}/models", models),
        ]
    )
