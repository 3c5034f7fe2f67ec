"""The catalog store over a direct Postgres connection (psycopg 3, async, pooled).

Every pooled connection runs under a statement and a lock timeout (set when it connects) and is
checked before it is handed out, so a connection that died in the pool (a restart, a cut, a
killed backend) is replaced instead of failing a request. Every call is also bounded on the
client side, so a network black hole cannot hold a caller past the statement timeout.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

import orjson
import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb, set_json_loads
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from ai_catalog.errors import DatabaseUnavailable
from ai_catalog.store.base import RUN_MAX_SECONDS, CatalogStore, JsonArg
from ai_catalog.store.faults import Failure, store_error

# exact prices: JSON numbers from the database become Decimal, not float
_loads = partial(json.loads, parse_float=Decimal)


@dataclass(frozen=True)
class Timeouts:
    """Bounds on every database call, in seconds (SYNC_DB_*_TIMEOUT)."""

    statement: float = 60.0
    """The server cancels a statement running longer (Postgres statement_timeout)."""
    lock: float = 10.0
    """A statement waiting longer for a lock fails with LockTimeout (Postgres lock_timeout)."""
    connect: float = 10.0
    """Opening a connection, or waiting for a free one in the pool."""

    @property
    def call(self) -> float:
        """The client-side bound of one call: the server's own timeouts, plus time to answer."""
        return self.connect + self.statement + 2.0

    def connect_options(self) -> dict[str, Any]:
        """libpq options: the connect timeout, and TCP keepalives plus a TCP user timeout, so a
        peer that vanished (a real network black hole) breaks the connection at the OS level
        well before the client-side bound."""
        return {
            "connect_timeout": max(1, round(self.connect)),
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 3,
            "tcp_user_timeout": round(max(self.connect, 1.0) * 3000),
        }

    def session_settings(self) -> dict[str, str]:
        return {
            "statement_timeout": f"{round(self.statement * 1000)}ms",
            "lock_timeout": f"{round(self.lock * 1000)}ms",
        }


async def apply_timeouts(conn: psycopg.AsyncConnection[Any], timeouts: Timeouts) -> None:
    """Sets the statement and lock timeouts for the rest of this session."""
    for name, value in timeouts.session_settings().items():
        await conn.execute("select set_config(%s, %s, false)", (name, value))
    if not conn.autocommit:
        await conn.commit()


class PostgresStore(CatalogStore):
    def __init__(
        self,
        conninfo: str,
        *,
        max_size: int = 4,
        timeouts: Timeouts | None = None,
        run_max_seconds: float = RUN_MAX_SECONDS,
    ) -> None:
        super().__init__(run_max_seconds=run_max_seconds)
        self._conninfo = conninfo
        self.timeouts = timeouts or Timeouts()

        async def configure(conn: psycopg.AsyncConnection[Any]) -> None:
            set_json_loads(_loads, conn)
            await apply_timeouts(conn, self.timeouts)

        self._pool = AsyncConnectionPool(
            conninfo,
            min_size=1,
            max_size=max_size,
            open=False,
            configure=configure,
            check=AsyncConnectionPool.check_connection,
            timeout=self.timeouts.connect,
            # give up reconnecting soon: the next request then connects at once, instead of
            # waiting out the pool's growing backoff after an outage
            reconnect_timeout=self.timeouts.connect,
            kwargs=self.timeouts.connect_options(),
        )

    async def open(self) -> PostgresStore:
        # one plain connect first: fails fast with the server's own reason, where the pool
        # would retry quietly until its timeout
        await self._probe()
        connect = max(1, round(self.timeouts.connect))
        try:
            await self._pool.open(wait=True, timeout=connect + 5)
        except Exception as exc:  # the pool reports a failed connect as its own timeout
            await self._pool.close()
            raise DatabaseUnavailable(f"cannot connect to the database: {exc}") from exc
        return self

    async def close(self) -> None:
        await self._pool.close()

    async def ping(self) -> None:
        await self._call(sql.SQL("select 1"), {})

    async def _rpc(self, function: str, args: dict[str, Any]) -> Any:
        query = sql.SQL("select public.{}({})").format(
            sql.Identifier(function),
            sql.SQL(", ").join(
                sql.SQL("{} => {}").format(sql.Identifier(name), sql.Placeholder(name))
                for name in args
            ),
        )
        return await self._call(query, {name: _adapt(value) for name, value in args.items()})

    async def _probe(self) -> None:
        """One plain connect: DatabaseUnavailable with the server's own reason if it fails."""
        connect = max(1, round(self.timeouts.connect))
        try:
            async with asyncio.timeout(connect + 2.0):
                probe = await psycopg.AsyncConnection.connect(
                    self._conninfo, **self.timeouts.connect_options()
                )
        except (psycopg.OperationalError, TimeoutError) as exc:
            reason = _message(exc) if isinstance(exc, psycopg.Error) else "no answer"
            raise DatabaseUnavailable(f"cannot connect to the database: {reason}") from exc
        await probe.close()

    async def _call(self, query: sql.SQL | sql.Composed, params: dict[str, Any]) -> Any:
        try:
            return await self._call_once(query, params)
        except PoolTimeout as exc:
            # the pool found no connection in time: say why if the database refuses us, else
            # try once more (the pool may have been waiting out a reconnect from an outage)
            await self._probe()
            try:
                return await self._call_once(query, params)
            except PoolTimeout:
                raise DatabaseUnavailable(
                    f"no free database connection within {self.timeouts.connect:g} s"
                ) from exc

    async def _call_once(self, query: sql.SQL | sql.Composed, params: dict[str, Any]) -> Any:
        bound = self.timeouts.call
        try:
            async with asyncio.timeout(bound):
                async with self._pool.connection() as conn:
                    cursor = await conn.execute(query, params)
                    row = await cursor.fetchone()
        except PoolTimeout:
            raise
        except TimeoutError as exc:
            raise DatabaseUnavailable(f"no answer from the database within {bound:g} s") from exc
        except psycopg.OperationalError as exc:
            if exc.sqlstate is None:  # the connection broke: no server message to classify
                raise DatabaseUnavailable(f"connection lost: {_message(exc)}") from exc
            raise store_error(Failure(exc.sqlstate, _message(exc))) from exc
        except psycopg.InterfaceError as exc:  # e.g. the connection was closed under the call
            raise DatabaseUnavailable(f"connection lost: {_message(exc)}") from exc
        except psycopg.Error as exc:
            raise store_error(Failure(exc.sqlstate, _message(exc))) from exc
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
