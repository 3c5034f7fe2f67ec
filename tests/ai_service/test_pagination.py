"""Every paged vendor is followed to the end over >= 3 pages, with the documented parameters."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx

from ai_catalog.vendors import ProviderResponseError, fetch_catalog
from tests.support.vendor_doubles import BASES, env_for, fast_policy


async def _ids(provider: str) -> list[str]:
    async with httpx.AsyncClient() as client:
        catalog = await fetch_catalog(provider, client, env_for(provider), policy=fast_policy())
    return [e.api_identifier for e in catalog.entries]


def _anthropic_page(request: httpx.Request) -> httpx.Response:
    assert request.url.params["limit"] == "1000"
    after = request.url.params.get("after_id")
    page = {None: ["claude-c", "claude-b"], "claude-b": ["claude-a"], "claude-a": ["claude-0"]}
    ids = page[after]
    data = [{"type": "model", "id": i, "display_name": i.upper()} for i in ids]
    more = after != "claude-a"
    return httpx.Response(
        200, json={"data": data, "has_more": more, "first_id": ids[0], "last_id": ids[-1]}
    )


@respx.mock
async def test_anthropic_follows_after_id_until_has_more_is_false() -> None:
    route = respx.get(BASES["anthropic"] + "/models").mock(side_effect=_anthropic_page)
    assert await _ids("anthropic") == ["claude-c", "claude-b", "claude-a", "claude-0"]
    assert route.call_count == 3
    sent = route.calls[0].request.headers
    assert sent["x-api-key"].startswith("sk-test") and sent["anthropic-version"] == "2023-06-01"


@respx.mock
async def test_anthropic_has_more_without_progress_is_an_error() -> None:
    body = {"data": [{"id": "claude-x"}], "has_more": True, "first_id": "x", "last_id": None}
    respx.get(BASES["anthropic"] + "/models").mock(return_value=httpx.Response(200, json=body))
    with pytest.raises(ProviderResponseError, match="has_more"):
        await _ids("anthropic")


def _google_page(request: httpx.Request) -> httpx.Response:
    assert request.url.params["pageSize"] == "1000"
    assert request.headers["x-goog-api-key"].startswith("sk-test")
    token = request.url.params.get("pageToken")
    pages: dict[str | None, tuple[list[str], str | None]] = {
        None: (["gemini-2.5-pro", "gemini-2.5-flash"], "t1"),
        "t1": (["text-embedding-004"], "t2"),
        "t2": (["gemma-3-27b-it"], None),
    }
    names, nxt = pages[token]
    models = [
        {
            "name": f"models/{n}",
            "supportedGenerationMethods": ["embedContent"]
            if "embedding" in n
            else ["generateContent"],
        }
        for n in names
    ]
    body: dict[str, Any] = {"models": models}
    if nxt:
        body["nextPageToken"] = nxt
    return httpx.Response(200, json=body)


@respx.mock
async def test_google_follows_next_page_token() -> None:
    route = respx.get(BASES["google"] + "/models").mock(side_effect=_google_page)
    assert await _ids("google") == [
        "gemini-2.5-pro",
        "gemini-2.5-flash",
        "text-embedding-004",
        "gemma-3-27b-it",
    ]
    assert route.call_count == 3


def _cohere_page(request: httpx.Request) -> httpx.Response:
    assert request.url.params["page_size"] == "1000"
    token = request.url.params.get("page_token")
    pages: dict[str | None, tuple[list[str], str | None]] = {
        None: (["command-r"], "p2"),
        "p2": (["command-a-03-2025"], "p3"),
        "p3": (["embed-v4.0"], ""),
    }
    names, nxt = pages[token]
    models = [
        {"name": n, "endpoints": ["embed"] if n.startswith("embed") else ["chat"]} for n in names
    ]
    return httpx.Response(200, json={"models": models, "next_page_token": nxt})


@respx.mock
async def test_cohere_follows_page_token() -> None:
    route = respx.get(BASES["cohere"] + "/models").mock(side_effect=_cohere_page)
    assert await _ids("cohere") == ["command-r", "command-a-03-2025", "embed-v4.0"]
    assert route.call_count == 3


def _openrouter_page(request: httpx.Request) -> httpx.Response:
    offset = request.url.params.get("offset")
    pages: dict[str | None, tuple[str, str | None]] = {
        None: ("openai/gpt-4o", "/api/v1/models?offset=1&limit=1"),
        "1": ("anthropic/claude-3-haiku", "/api/v1/models?offset=2&limit=1"),
        "2": ("meta-llama/llama-3.3-70b-instruct", None),
    }
    model_id, nxt = pages[offset]
    body: dict[str, Any] = {
        "data": [{"id": model_id, "pricing": {"prompt": "0.000001", "completion": "0.000002"}}]
    }
    if nxt is not None:
        body["links"] = {"next": nxt}
    return httpx.Response(200, json=body)


@respx.mock
async def test_openrouter_follows_links_next() -> None:
    route = respx.get(url__startswith=BASES["openrouter"] + "/models").mock(
        side_effect=_openrouter_page
    )
    assert await _ids("openrouter") == [
        "openai/gpt-4o",
        "anthropic/claude-3-haiku",
        "meta-llama/llama-3.3-70b-instruct",
    ]
    assert route.call_count == 3


@respx.mock
async def test_retry_in_the_middle_of_paging_keeps_every_page() -> None:
    calls = {"n": 0}

    def flaky(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        if calls["n"] == 2:
            return httpx.Response(503)
        return _google_page(request)

    respx.get(BASES["google"] + "/models").mock(side_effect=flaky)
    assert len(await _ids("google")) == 4
    assert calls["n"] == 4
