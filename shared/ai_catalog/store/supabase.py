"""The catalog store over Supabase: the same SQL functions, called through PostgREST RPC.

Uses supabase-py with the service-role key, so the functions run as `service_role`.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import httpx
from postgrest.exceptions import APIError
from supabase import AsyncClient, acreate_client

from ai_catalog.errors import AlreadyRunning, DatabaseUnavailable, StaleFingerprints, StoreError
from ai_catalog.store.base import CatalogStore, JsonArg

LOCK_NOT_AVAILABLE = "55P03"
STALE_FINGERPRINTS = "AISTL"


class SupabaseStore(CatalogStore):
    def __init__(self, url: str, service_role_key: str) -> None:
        self._url = url
        self._key = service_role_key
        self._client: AsyncClient | None = None

    async def open(self) -> SupabaseStore:
        self._client = await acreate_client(self._url, self._key)
        return self

    async def _rpc(self, function: str, args: dict[str, Any]) -> Any:
        assert self._client is not None, "call open() first"
        params = {name: _plain(value) for name, value in args.items()}
        try:
            response = await self._client.rpc(function, params).execute()
        except APIError as exc:
            message = exc.message or str(exc)
            if exc.code == LOCK_NOT_AVAILABLE:
                raise AlreadyRunning(message) from exc
            if exc.code == STALE_FINGERPRINTS:
                raise StaleFingerprints(message) from exc
            raise StoreError(message) from exc
        except httpx.TransportError as exc:
            raise DatabaseUnavailable(f"cannot reach Supabase at {self._url}: {exc}") from exc
        return _exact(response.data)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, JsonArg) else value


def _exact(data: Any) -> Any:
    # PostgREST answers JSON; re-read numbers as Decimal so prices stay exact, as over Postgres
    return json.loads(json.dumps(data), parse_float=Decimal) if data is not None else None
