"""How each of the 12 vendors lays out its listing, for the local vendor server: one raw entry,
the page envelope, and how a page names the next one. A table, one row per vendor."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.support.vendor_server import Handler, Reply, Request, json_reply

PAYLOAD_MARK = "RAW-PAYLOAD-MARK-5c2e"
"""Sits in every entry and fault body; it must never reach a result, an error or a log."""


def key_of(provider: str) -> str:
    return f"sk-SECRET-{provider}-0123456789abcdef"


Page = tuple[list[Any], str | None]
"""A page's entries and the cursor of the next page (None: the last page)."""


@dataclass(frozen=True)
class Shape:
    provider: str
    make_entry: Callable[[str], dict[str, Any]]
    """A healthy raw entry (a chat model) for this vendor id."""
    name_field: str | None
    desc_field: str | None
    envelope: Callable[[list[Any], str | None, str], Any]
    """(entries, next cursor, server origin) -> a page body."""
    cursor_of: Callable[[Request], str | None]
    """Which page a request asks for (None: the first)."""
    paged: bool = False

    def entry(self, model_id: str, **fields: Any) -> dict[str, Any]:
        entry = {**self.make_entry(model_id), "x_mark": PAYLOAD_MARK}
        return {**entry, **fields}

    def with_name(self, model_id: str, name: str) -> dict[str, Any]:
        return self.entry(model_id, **{self.name_field or "x_name": name})

    def with_description(self, model_id: str, text: str) -> dict[str, Any]:
        fields = {self.desc_field: text} if self.desc_field else {"x_description": text}
        return self.entry(model_id, **fields)

    def listing(self, pages: dict[str | None, Page]) -> Handler:
        """Serves pages by cursor; the extra endpoints (xAI `/models`, Ollama `/api/show`)
        answer as a healthy vendor does."""

        def handle(request: Request) -> Reply:
            if self.provider == "xai" and request.path == "/models":
                return json_reply({"object": "list", "data": []})
            if self.provider == "ollama" and request.path == "/api/show":
                return json_reply({"capabilities": ["completion"], "details": {}})
            cursor = self.cursor_of(request)
            if cursor not in pages:
                return json_reply({"error": {"message": "no such page"}}, status=400)
            entries, next_cursor = pages[cursor]
            origin = f"http://{request.headers.get('host', '')}"
            return json_reply(self.envelope(entries, next_cursor, origin))

        return handle

    def single(self, entries: list[Any], page_size: int = 4) -> Handler:
        """A finite listing: in pages of `page_size` for paged vendors, else one page."""
        if not self.paged:
            return self.listing({None: (entries, None)})
        pages: dict[str | None, Page] = {}
        chunks = [entries[i : i + page_size] for i in range(0, len(entries), page_size)] or [[]]
        for number, chunk in enumerate(chunks):
            cursor = None if number == 0 else f"c{number}"
            following = f"c{number + 1}" if number + 1 < len(chunks) else None
            pages[cursor] = (chunk, following)
        return self.listing(pages)


def _data(entries: list[Any], _next: str | None, _origin: str) -> Any:
    return {"object": "list", "data": entries}


def _first(_request: Request) -> str | None:
    return None


def _query(name: str) -> Callable[[Request], str | None]:
    return lambda request: request.query.get(name)


def _anthropic_page(entries: list[Any], nxt: str | None, _origin: str) -> Any:
    return {"data": entries, "has_more": nxt is not None, "last_id": nxt, "first_id": None}


def _google_page(entries: list[Any], nxt: str | None, _origin: str) -> Any:
    return {"models": entries, **({"nextPageToken": nxt} if nxt else {})}


def _cohere_page(entries: list[Any], nxt: str | None, _origin: str) -> Any:
    return {"models": entries, **({"next_page_token": nxt} if nxt else {})}


def _openrouter_page(entries: list[Any], nxt: str | None, _origin: str) -> Any:
    # relative to the host root, as OpenRouter gives it; a test may put an absolute URL
    link = nxt if nxt is None or "://" in nxt else f"/api/v1/models?page={nxt}"
    return {"data": entries, "links": {"next": link}}


def _openai_like(model_id: str) -> dict[str, Any]:
    return {"id": model_id, "object": "model", "created": 1715367049, "owned_by": "vendor"}


SHAPES: dict[str, Shape] = {
    shape.provider: shape
    for shape in (
        Shape("openai", _openai_like, None, None, _data, _first),
        Shape(
            "anthropic",
            lambda m: {"id": m, "type": "model", "display_name": m.upper(), "created_at": None},
            "display_name",
            None,
            _anthropic_page,
            _query("after_id"),
            paged=True,
        ),
        Shape(
            "google",
            lambda m: {
                "name": f"models/{m}",
                "displayName": m.upper(),
                "supportedGenerationMethods": ["generateContent"],
                "inputTokenLimit": 1048576,
            },
            "displayName",
            "description",
            _google_page,
            _query("pageToken"),
            paged=True,
        ),
        Shape(
            "groq",
            lambda m: {**_openai_like(m), "active": True, "context_window": 131072},
            None,
            None,
            _data,
            _first,
        ),
        Shape(
            "mistral",
            lambda m: {**_openai_like(m), "name": m, "capabilities": {"completion_chat": True}},
            "name",
            "description",
            _data,
            _first,
        ),
        Shape("deepseek", _openai_like, None, None, _data, _first),
        Shape(
            "xai",
            lambda m: {"id": m, "created": 1715367049, "input_modalities": ["text"]},
            None,
            None,
            lambda entries, _n, _o: {"models": entries},
            _first,
        ),
        Shape(
            "together",
            lambda m: {"id": m, "type": "chat", "display_name": m, "context_length": 32768},
            "display_name",
            None,
            lambda entries, _n, _o: entries,
            _first,
        ),
        Shape(
            "openrouter",
            lambda m: {
                "id": m,
                "name": m.upper(),
                "created": 1715367049,
                "architecture": {"output_modalities": ["text"]},
                "pricing": {"prompt": "0.000001", "completion": "0.000002"},
            },
            "name",
            "description",
            _openrouter_page,
            _query("page"),
            paged=True,
        ),
        Shape(
            "fireworks",
            lambda m: {**_openai_like(m), "context_length": 131072},
            None,
            None,
            _data,
            _first,
        ),
        Shape(
            "cohere",
            lambda m: {"name": m, "endpoints": ["chat"], "context_length": 128000.0},
            None,
            None,
            _cohere_page,
            _query("page_token"),
            paged=True,
        ),
        Shape(
            "ollama",
            lambda m: {"name": m, "modified_at": "2025-01-01T00:00:00Z", "details": {}},
            None,
            None,
            lambda entries, _n, _o: {"models": entries},
            _first,
        ),
    )
}


def model_ids(provider: str, count: int = 10) -> list[str]:
    return [f"{provider}-model-{n:02d}" for n in range(count)]


def vendor_env(server_url: Callable[[str], str], *providers: str) -> dict[str, str]:
    env: dict[str, str] = {"SYNC_MODELS_DEV_URL": "off"}  # tests never reach the network
    for provider in providers:
        prefix = "GOOGLE" if provider == "google" else provider.upper()
        env[f"{prefix}_API_KEY"] = key_of(provider)
        env[f"{prefix}_BASE_URL"] = server_url(provider)
    return env
