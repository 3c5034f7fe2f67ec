"""A local stand-in for the vendors' list-models endpoints, serving sample_vendors on 127.0.0.1
with each vendor's envelope, auth header and paging (Anthropic `after_id`, Google `pageToken`).
The demo uses it, and so do the tests: a list set by hand, requests counted, a listing held
mid-way, and a webhook receiver (POST /hook).

`<base>/<provider>` is the provider's base URL (`OPENAI_BASE_URL=<base>/openai`)."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import anyio.to_thread
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from sync_ai_models.demo.sample_vendors import LISTS

AUTH_HEADER = {"anthropic": "x-api-key", "google": "x-goog-api-key"}
PAGE_SIZE = 2  # small pages, so the demo follows real pagination


class VendorState:
    def __init__(self, key: str) -> None:
        self.key = key
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


def _authorized(request: Request, provider: str, key: str) -> bool:
    header = AUTH_HEADER.get(provider, "authorization")
    given = request.headers.get(header, "")
    return given == (key if header != "authorization" else f"Bearer {key}")


def _page(items: list[dict[str, Any]], start: int) -> tuple[list[dict[str, Any]], int | None]:
    end = start + PAGE_SIZE
    return items[start:end], (end if end < len(items) else None)


def vendor_app(state: VendorState) -> Starlette:
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
