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

from ai_catalog.errors import DatabaseUnavailable
from ai_catalog.store.base import RUN_MAX_SECONDS, CatalogStore, JsonArg
from ai_catalog.store.faults import Failure, store_error


class SupabaseStore(CatalogStore):
    def __init__(
        self, url: str, service_role_key: str, *, run_max_seconds: float = RUN_MAX_SECONDS
    ) -> None:
        super().__init__(run_max_seconds=run_max_seconds)
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
            raise store_error(Failure(exc.code, exc.message or str(exc))) from exc
        except httpx.TransportError as exc:  # includes timeouts
            raise DatabaseUnavailable(f"cannot reach Supabase at {self._url}: {exc}") from exc
        return _exact(response.data)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, JsonArg) else value


def _exact(data: Any) -> Any:
    # PostgREST answers JSON; re-read numbers as Decimal so prices stay exact, as over Postgres
    return json.loads(json.dumps(data), parse_float=Decimal) if data is not None else None
