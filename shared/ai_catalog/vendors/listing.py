"""One vendor's list, turned into catalog entries with their default configs."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict

from ai_catalog.config.defaults import build_default_config
from ai_catalog.types import CatalogEntry, VendorModel
from ai_catalog.vendors._http import RetryPolicy
from ai_catalog.vendors.base import ListResult, ProviderAdapter
from ai_catalog.vendors.errors import ProviderError
from ai_catalog.vendors.registry import PROVIDERS


class ProviderCatalog(BaseModel):
    """What one vendor listed. Non-chat models are included with their kind (the database
    treats only kind='chat' as chat models); `filtered_non_chat` counts them."""

    model_config = ConfigDict(frozen=True)

    provider: str
    entries: list[CatalogEntry]
    skipped_malformed: int = 0
    filtered_non_chat: int = 0
    fetch_seconds: float = 0.0
    requests: int = 0


def to_entry(model: VendorModel, env: Mapping[str, str]) -> CatalogEntry:
    config, sources = build_default_config(model.provider, model, env=env)
    return CatalogEntry(
        api_identifier=model.id,
        name=model.name,
        description=model.description,
        kind=model.kind,
        config=config,
        config_sources=sources,
        raw=model.raw,
    )


def parse_page(provider: str, body: Any) -> tuple[list[VendorModel], int]:
    """Parse one recorded page body without HTTP: (models, skipped malformed)."""
    adapter = PROVIDERS[provider]()
    result = adapter.parse_entries(adapter.page_entries(body))
    return result.models, result.skipped_malformed


def _adapter(
    provider: str, client: httpx.AsyncClient, env: Mapping[str, str], policy: RetryPolicy | None
) -> ProviderAdapter:
    adapter_cls = PROVIDERS.get(provider)
    if adapter_cls is None:
        raise ProviderError(provider, f"unknown provider {provider!r}")
    return adapter_cls.from_env(client, env, policy=policy)


async def list_vendor_models(
    provider: str,
    client: httpx.AsyncClient,
    env: Mapping[str, str],
    *,
    policy: RetryPolicy | None = None,
) -> tuple[list[VendorModel], int, int]:
    """(models, skipped malformed, requests sent); raises ProviderError."""
    adapter = _adapter(provider, client, env, policy)
    result = await adapter.list_models()
    return result.models, result.skipped_malformed, adapter.http.requests_sent


def _build_page(
    adapter: ProviderAdapter, items: list[Any], env: Mapping[str, str]
) -> tuple[ListResult, list[CatalogEntry]]:
    parsed = adapter.parse_entries(items)
    return parsed, [to_entry(model, env) for model in parsed.models]


def _first_of_each_id(entries: list[CatalogEntry]) -> list[CatalogEntry]:
    """A vendor listing one id twice: keep the first."""
    seen: set[str] = set()
    kept: list[CatalogEntry] = []
    for entry in entries:
        if entry.api_identifier not in seen:
            seen.add(entry.api_identifier)
            kept.append(entry)
    return kept


async def fetch_catalog(
    provider: str,
    client: httpx.AsyncClient,
    env: Mapping[str, str],
    *,
    policy: RetryPolicy | None = None,
) -> ProviderCatalog:
    """List one vendor's models over `client` and build each default config.

    Raises ProviderNotConfigured without a key, ProviderError for any other failure (then
    nothing should be written for this vendor)."""
    started = time.perf_counter()
    adapter = _adapter(provider, client, env, policy)
    # Parsing and pricing are CPU work (genai-prices matches ids rule by rule): each page is
    # parsed in a thread as soon as it arrives, while the next page is on its way.
    pages: list[asyncio.Future[tuple[ListResult, list[CatalogEntry]]]] = []
    paged = 0

    def on_page(items: list[Any]) -> None:
        nonlocal paged
        paged += len(items)
        pages.append(asyncio.ensure_future(asyncio.to_thread(_build_page, adapter, items, env)))

    adapter.on_page = on_page
    try:
        raw = await adapter.fetch_entries()
        done = await asyncio.gather(*pages)
    except BaseException:
        await asyncio.gather(*pages, return_exceptions=True)
        raise
    if paged != len(raw):  # an adapter that does not report pages: all at once
        done = [await asyncio.to_thread(_build_page, adapter, raw, env)]
    skipped = sum(parsed.skipped_malformed for parsed, _ in done)
    entries = _first_of_each_id([entry for _, page in done for entry in page])
    requests = adapter.http.requests_sent
    return ProviderCatalog(
        provider=provider,
        entries=entries,
        skipped_malformed=skipped,
        filtered_non_chat=sum(1 for e in entries if e.kind != "chat"),
        fetch_seconds=time.perf_counter() - started,
        requests=requests,
    )
