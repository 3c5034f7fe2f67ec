"""A local stand-in for the vendors' list-models endpoints, serving sample_vendors on 127.0.0.1
with each vendor's envelope, auth header and paging (Anthropic `after_id`, Google `pageToken`)."""

from __future__ import annotations

from typing import Any

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

    def models(self, provider: str) -> list[dict[str, Any]]:
        return LISTS[provider][self.version]


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
        if provider not in LISTS:
            return JSONResponse({"error": "unknown vendor"}, status_code=404)
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

    return Starlette(routes=[Route("/{provider}/models", models)])
