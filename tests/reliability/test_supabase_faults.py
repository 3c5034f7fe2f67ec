"""The Supabase store meets the same faults as the Postgres one and reports them the same way:
PostgREST or its gateway unavailable -> DatabaseUnavailable; a row lock held past the lock
timeout -> LockTimeout (not AlreadyRunning); Supabase unreachable -> DatabaseUnavailable."""

from __future__ import annotations

import socket
from typing import Any

import psycopg
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ai_catalog.errors import AlreadyRunning, DatabaseUnavailable, LockTimeout
from ai_catalog.store.supabase import SupabaseStore
from sync_ai_models.http.local_server import serve_in_thread
from tests.support.catalog import entry
from tests.support.postgrest_standin import JWT_SECRET, role_key, serve

KEY = role_key(JWT_SECRET, "service_role")

CANNED: dict[str, tuple[int, Any, str]] = {
    # PostgREST itself, when it cannot reach the database
    "PostgREST lost the database": (
        503,
        {"code": "PGRST001", "message": "Database client error", "details": None, "hint": None},
        "application/json",
    ),
    # a gateway in front of PostgREST, with an HTML page
    "gateway 502": (502, "<html><body>Bad Gateway</body></html>", "text/html"),
    "gateway 504": (504, "<html><body>Gateway Timeout</body></html>", "text/html"),
    # the database cancelled the statement
    "statement timeout": (
        500,
        {"code": "57014", "message": "canceling statement due to statement timeout"},
        "application/json",
    ),
}


def canned(status: int, body: Any, media_type: str) -> Starlette:
    async def rpc(request: Request) -> Response:
        if media_type == "application/json":
            return JSONResponse(body, status_code=status)
        return Response(body, status_code=status, media_type=media_type)

    return Starlette(routes=[Route("/rest/v1/rpc/{function}", rpc, methods=["POST"])])


@pytest.mark.parametrize("answer", CANNED.values(), ids=CANNED.keys())
async def test_an_unavailable_postgrest_is_database_unavailable(
    answer: tuple[int, Any, str],
) -> None:
    with serve_in_thread(canned(*answer)) as url:
        store = await SupabaseStore(url, KEY).open()
        with pytest.raises(DatabaseUnavailable):
            await store.start_run("http")
        with pytest.raises(DatabaseUnavailable):
            await store.status()


async def test_an_unreachable_supabase_is_database_unavailable() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    store = await SupabaseStore(f"http://127.0.0.1:{port}", KEY).open()
    with pytest.raises(DatabaseUnavailable, match="cannot reach Supabase"):
        await store.status()


async def test_a_row_lock_past_the_lock_timeout_is_a_lock_timeout(
    db: psycopg.Connection, db_url: str
) -> None:
    with serve(db_url, JWT_SECRET) as url:
        store = await SupabaseStore(url, KEY).open()
        await store.apply_provider_models("openai", [entry(m) for m in ("a", "b", "c")])
    # PostgREST's connections run under the database's lock timeout (here: set on the URL)
    with serve(f"{db_url}?options=-c%20lock_timeout%3D300", JWT_SECRET) as url:
        store = await SupabaseStore(url, KEY).open()
        with psycopg.connect(db_url) as admin:
            admin.execute(
                "update ai_providers set description = 'edited' where api_identifier = 'c'"
            )
            with pytest.raises(LockTimeout, match="lock timeout") as raised:  # c to deactivate
                await store.apply_provider_models("openai", [entry("a"), entry("b")])
            admin.rollback()
    assert not isinstance(raised.value, AlreadyRunning)
