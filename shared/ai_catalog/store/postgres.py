"""The catalog store over a direct Postgres connection (psycopg 3, async, pooled)."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import partial
from typing import Any

import orjson
import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb, set_json_loads
from psycopg_pool import AsyncConnectionPool

from ai_catalog.errors import AlreadyRunning, DatabaseUnavailable, StaleFingerprints, StoreError
from ai_catalog.store.base import CatalogStore, JsonArg

STALE_FINGERPRINTS = "AISTL"  # raised by sync_apply_provider_models
# exact prices: JSON numbers from the database become Decimal, not float
_loads = partial(json.loads, parse_float=Decimal)


async def _configure(conn: psycopg.AsyncConnection[Any]) -> None:
    set_json_loads(_loads, conn)


class PostgresStore(CatalogStore):
    def __init__(self, conninfo: str, *, max_size: int = 4) -> None:
        self._conninfo = conninfo
        self._pool = AsyncConnectionPool(
            conninfo,
            min_size=1,
            max_size=max_size,
            open=False,
            configure=_configure,
            kwargs={"connect_timeout": 10},
        )

    async def open(self) -> PostgresStore:
        # one plain connect first: fails fast with the server's own reason, where the pool
        # would retry quietly until its timeout
        try:
            probe = await psycopg.AsyncConnection.connect(self._conninfo, connect_timeout=10)
        except psycopg.OperationalError as exc:
            raise DatabaseUnavailable(f"cannot connect to the database: {_message(exc)}") from exc
        await probe.close()
        try:
            await self._pool.open(wait=True, timeout=15)
        except Exception as exc:  # the pool reports a failed connect as its own timeout
            await self._pool.close()
            raise DatabaseUnavailable(f"cannot connect to the database: {exc}") from exc
        return self

    async def close(self) -> None:
        await self._pool.close()

    async def ping(self) -> None:
        try:
            async with self._pool.connection() as conn:
                await conn.execute("select 1")
        except psycopg.Error as exc:
            raise DatabaseUnavailable(_message(exc)) from exc

    async def _rpc(self, function: str, args: dict[str, Any]) -> Any:
        query = sql.SQL("select public.{}({})").format(
            sql.Identifier(function),
            sql.SQL(", ").join(
                sql.SQL("{} => {}").format(sql.Identifier(name), sql.Placeholder(name))
                for name in args
            ),
        )
        params = {name: _adapt(value) for name, value in args.items()}
        try:
            async with self._pool.connection() as conn:
                cursor = await conn.execute(query, params)
                row = await cursor.fetchone()
        except psycopg.errors.LockNotAvailable as exc:
            raise AlreadyRunning(_message(exc)) from exc
        except psycopg.OperationalError as exc:
            raise DatabaseUnavailable(_message(exc)) from exc
        except psycopg.Error as exc:
            if exc.sqlstate == STALE_FINGERPRINTS:
                raise StaleFingerprints(_message(exc)) from exc
            raise StoreError(_message(exc)) from exc
        return row[0] if row else None


def _adapt(value: Any) -> Any:
    if isinstance(value, JsonArg):
        return Jsonb(value.value, dumps=_dumps)
    if isinstance(value, float):  # numeric parameters: no implicit cast from double precision
        return Decimal(repr(value))
    return value


def _dumps(value: Any) -> bytes:
    return orjson.dumps(value, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"cannot send {type(value).__name__} as JSON")


def _message(exc: psycopg.Error) -> str:
    primary = exc.diag.message_primary if exc.diag else None
    return primary or (str(exc).strip().splitlines() or [type(exc).__name__])[0]
