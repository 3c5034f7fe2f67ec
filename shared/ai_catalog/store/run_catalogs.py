"""The maintained catalogs a run reads at run time (models.dev), each fetched at most once per
run: the live document when it can be fetched and read (then kept in the database as the last
good copy); else that last good copy; else none. Which copy was used is reported per catalog.

`SYNC_MODELS_DEV_URL` (default https://models.dev/api.json; `off` disables it),
`SYNC_MODELS_DEV_TIMEOUT_SECONDS` (default 10) bounds the whole fetch. A conditional request
(`If-None-Match` with the copy's ETag) answered 304 uses the copy, as current.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from ai_catalog.config.sources import CatalogSource
from ai_catalog.config.sources.models_dev import MODELS_DEV_SOURCE, ModelsDevCatalog
from ai_catalog.errors import StoreError
from ai_catalog.store.base import CatalogStore
from ai_catalog.vendors._http import parse_json

log = logging.getLogger("sync_ai_models")

URL_ENV = "SYNC_MODELS_DEV_URL"
TIMEOUT_ENV = "SYNC_MODELS_DEV_TIMEOUT_SECONDS"
DEFAULT_URL = "https://models.dev/api.json"
DEFAULT_TIMEOUT = 10.0
MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class RunCatalogs:
    sources: tuple[CatalogSource, ...] = ()
    copies: dict[str, str] = field(default_factory=dict)
    """Catalog -> which copy the run used: `live`, `last good copy of <time> (<why>)`,
    `none (<why>)` or `off`."""


class _FetchFailed(Exception):
    pass


def _timeout(env: Mapping[str, str]) -> float:
    try:
        value = float(env.get(TIMEOUT_ENV, "").strip() or DEFAULT_TIMEOUT)
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


async def _fetch(
    client: httpx.AsyncClient, url: str, etag: str | None
) -> tuple[Any, str | None] | None:
    """(document, etag) fetched; None when the server says the copy is current (304)."""
    headers = {"Accept": "application/json"} | ({"If-None-Match": etag} if etag else {})
    try:
        async with client.stream("GET", url, headers=headers) as response:
            if response.status_code == 304:
                return None
            if response.status_code != 200:
                raise _FetchFailed(f"HTTP {response.status_code}")
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > MAX_BYTES:
                    raise _FetchFailed(f"larger than {MAX_BYTES} bytes")
            new_etag = response.headers.get("etag")
    except httpx.HTTPError as exc:
        raise _FetchFailed(f"{type(exc).__name__}: {exc}"[:200]) from exc
    try:
        return parse_json(bytes(body)), new_etag
    except ValueError as exc:
        raise _FetchFailed(f"not JSON ({exc})"[:200]) from exc


async def _load_copy(store: CatalogStore) -> dict[str, Any] | None:
    try:
        return await store.load_catalog_copy(MODELS_DEV_SOURCE)
    except StoreError as exc:
        log.warning("models.dev: last good copy unreadable: %s", exc)
        return None


async def load_models_dev(
    store: CatalogStore, client: httpx.AsyncClient, env: Mapping[str, str], *, keep: bool = True
) -> RunCatalogs:
    """models.dev for one run. `keep`: save a freshly fetched copy (not on a dry run)."""
    url = env.get(URL_ENV, "").strip() or DEFAULT_URL
    if url.lower() == "off":
        return RunCatalogs(copies={MODELS_DEV_SOURCE: "off"})
    copy = await _load_copy(store)
    etag = copy.get("etag") if copy else None
    try:
        async with asyncio.timeout(_timeout(env)):
            fetched = await _fetch(client, url, etag)
        if fetched is not None:
            document, new_etag = fetched
            catalog = ModelsDevCatalog(document)  # a malformed document raises ValueError
            if keep:
                try:
                    await store.save_catalog_copy(MODELS_DEV_SOURCE, document, new_etag)
                except StoreError as exc:
                    log.warning("models.dev: could not keep the copy: %s", exc)
            return RunCatalogs((catalog,), {MODELS_DEV_SOURCE: "live"})
        why = "not modified"
    except TimeoutError:
        why = f"no answer within {_timeout(env):g}s"
    except (_FetchFailed, ValueError) as exc:
        why = str(exc)
    if copy is None:
        return RunCatalogs(copies={MODELS_DEV_SOURCE: f"none ({why})"})
    try:
        catalog = ModelsDevCatalog(copy.get("document"))
    except ValueError as exc:
        return RunCatalogs(copies={MODELS_DEV_SOURCE: f"none ({why}; copy unreadable: {exc})"})
    label = f"last good copy of {copy.get('fetched_at')} ({why})"
    return RunCatalogs((catalog,), {MODELS_DEV_SOURCE: label})
