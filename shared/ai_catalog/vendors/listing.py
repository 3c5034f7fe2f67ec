"""One vendor's list, turned into catalog entries with their default configs."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import httpx

from ai_catalog.config.sources import CatalogSource
from ai_catalog.config.version import config_version, entry_fingerprint
from ai_catalog.types import CatalogEntry, EntryClaim, ProviderModel
from ai_catalog.vendors._http import RetryPolicy
from ai_catalog.vendors.base import ListResult, ProviderAdapter, skip_reason
from ai_catalog.vendors.defaults import build_default_config
from ai_catalog.vendors.entry_checks import check_entry
from ai_catalog.vendors.errors import ProviderError, ProviderTransportError
from ai_catalog.vendors.limits import limits_from_env
from ai_catalog.vendors.registry import PROVIDERS


@dataclass(frozen=True)
class ProviderCatalog:
    """What one vendor listed. Non-chat models are included with their kind (the database
    treats only kind='chat' as chat models); `filtered_non_chat` counts them."""

    provider: str
    entries: list[CatalogEntry | EntryClaim]
    """Whole entries, and claims for models listed exactly as at the last sync."""
    skipped_malformed: int = 0
    skip_reasons: dict[str, int] = field(default_factory=dict)
    """Why entries were skipped: reason -> how many (each skipped entry counted once)."""
    duplicates: int = 0
    """Entries dropped because a later entry had the same id (the last one wins)."""
    filtered_non_chat: int = 0
    fetch_seconds: float = 0.0
    requests: int = 0


def to_entry(
    model: ProviderModel,
    env: Mapping[str, str],
    fingerprint: str | None = None,
    catalogs: Sequence[CatalogSource] = (),
) -> CatalogEntry:
    config, sources = build_default_config(model.provider, model, env=env, sources=catalogs)
    return CatalogEntry(
        api_identifier=model.id,
        name=model.name,
        description=model.description,
        kind=model.kind,
        config=config,
        config_sources=sources,
        raw=model.raw,
        fingerprint=fingerprint,
    )


def parse_page(provider: str, body: Any) -> tuple[list[ProviderModel], int]:
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
) -> tuple[list[ProviderModel], int, int]:
    """(models, skipped malformed, requests sent); raises ProviderError."""
    adapter = _adapter(provider, client, env, policy)
    result = await adapter.list_models()
    return result.models, result.skipped_malformed, adapter.http.requests_sent


def _checked_entry(
    model: ProviderModel,
    env: Mapping[str, str],
    fingerprint: str,
    catalogs: Sequence[CatalogSource],
) -> CatalogEntry:
    entry = to_entry(model, env, fingerprint, catalogs)
    check_entry(entry)
    return entry


def _build_page(
    adapter: ProviderAdapter,
    items: list[Any],
    env: Mapping[str, str],
    known: Mapping[str, str],
    catalogs: Sequence[CatalogSource],
) -> tuple[ListResult, list[CatalogEntry | EntryClaim]]:
    """Parses a page and builds each entry; an entry that fails any step is skipped, counted.
    A model whose fingerprint is in `known` (unchanged since the last sync) becomes a claim."""
    parsed = adapter.parse_entries(items)
    version = config_version(env, catalogs)
    entries: list[CatalogEntry | EntryClaim] = []
    for model in parsed.models:
        try:
            fingerprint = entry_fingerprint(model, version)
            if known.get(model.id) == fingerprint:
                expand = partial(_checked_entry, model, env, fingerprint, catalogs)
                entries.append(EntryClaim(model.id, fingerprint, model.kind, expand))
                continue
            entries.append(_checked_entry(model, env, fingerprint, catalogs))
        except Exception as exc:  # one bad entry never fails its vendor
            parsed.skip_reasons[skip_reason(exc)] += 1
    parsed.models.clear()  # built: the parsed models are not held until the whole list is in
    return parsed, entries


def last_of_each_id(
    entries: list[CatalogEntry | EntryClaim],
) -> tuple[list[CatalogEntry | EntryClaim], int]:
    """A vendor listing one id twice: the last entry wins (as in the database's apply), in the
    place of the first. Returns (entries, how many were dropped)."""
    by_id = {entry.api_identifier: entry for entry in entries}
    return list(by_id.values()), len(entries) - len(by_id)


async def fetch_catalog(
    provider: str,
    client: httpx.AsyncClient,
    env: Mapping[str, str],
    *,
    policy: RetryPolicy | None = None,
    known: Mapping[str, str] | None = None,
    catalogs: Sequence[CatalogSource] = (),
) -> ProviderCatalog:
    """List one vendor's models over `client` and build each default config; a model whose
    fingerprint `known` holds (id -> fingerprint of the last sync) comes back as a claim.

    Raises ProviderNotConfigured without a key, ProviderError for any other failure (then
    nothing should be written for this vendor), ProviderTransportError past the vendor's
    deadline (SYNC_VENDOR_DEADLINE_SECONDS). `catalogs`: maintained catalogs read at run time
    (the run's copy of models.dev), consulted beside the bundled ones."""
    limits = limits_from_env(env, provider)
    try:
        async with asyncio.timeout(limits.deadline_seconds):
            return await _fetch_catalog(provider, client, env, policy, known or {}, catalogs)
    except TimeoutError:
        raise ProviderTransportError(
            provider, f"no complete listing within the {limits.deadline_seconds:g}s deadline"
        ) from None


async def _fetch_catalog(
    provider: str,
    client: httpx.AsyncClient,
    env: Mapping[str, str],
    policy: RetryPolicy | None,
    known: Mapping[str, str],
    catalogs: Sequence[CatalogSource],
) -> ProviderCatalog:
    started = time.perf_counter()
    adapter = _adapter(provider, client, env, policy)
    # Parsing and pricing are CPU work (genai-prices matches ids rule by rule): each page is
    # parsed in a thread as soon as it arrives, while the next page is on its way.
    pages: list[asyncio.Future[tuple[ListResult, list[CatalogEntry | EntryClaim]]]] = []
    paged = 0

    def on_page(items: list[Any]) -> None:
        nonlocal paged
        paged += len(items)
        pages.append(
            asyncio.ensure_future(
                asyncio.to_thread(_build_page, adapter, items, env, known, catalogs)
            )
        )

    adapter.on_page = on_page
    try:
        raw = await adapter.fetch_entries()
        done = await asyncio.gather(*pages)
    except BaseException:
        await asyncio.gather(*pages, return_exceptions=True)
        raise
    if paged != len(raw):  # an adapter that does not report pages: all at once
        done = [await asyncio.to_thread(_build_page, adapter, raw, env, known, catalogs)]
    reasons: Counter[str] = sum((parsed.skip_reasons for parsed, _ in done), Counter())
    entries, duplicates = last_of_each_id([entry for _, page in done for entry in page])
    requests = adapter.http.requests_sent
    return ProviderCatalog(
        provider=provider,
        entries=entries,
        skipped_malformed=reasons.total(),
        skip_reasons=dict(reasons),
        duplicates=duplicates,
        filtered_non_chat=sum(1 for e in entries if e.kind != "chat"),
        fetch_seconds=time.perf_counter() - started,
        requests=requests,
    )
