"""The database misbehaves (killed backends, cut connections, a database that is down, a network
black hole, a statement timeout, a row lock held by someone else): the catalog is unchanged, the
caller gets 503 with a reason (never a 500), no run is left 'running', and the next request
works. The app reaches the database through a TCP proxy the test can break."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import psycopg

from ai_catalog.store.postgres import PostgresStore, Timeouts
from sync_ai_models.http.app import create_app
from tests.support.faults import kill_backends, wait_until
from tests.support.http_app import make_settings
from tests.support.http_doubles import SERVICE_KEY, FakeVendors, bearer, model_list, vendor_env
from tests.support.tcp_proxy import HOLE, PASS, REFUSE, TcpProxy

AUTH = bearer(SERVICE_KEY)
OPENAI = "https://openai.test/v1"


def catalog(db: psycopg.Connection) -> list[tuple[Any, ...]]:
    return db.execute(
        "select provider, api_identifier, is_active, name, config from ai_providers"
        " order by provider, api_identifier"
    ).fetchall()


def runs(db: psycopg.Connection) -> list[tuple[str, str | None]]:
    return db.execute("select status, error from ai_sync_runs order by queued_at, id").fetchall()


def on_listing(vendors: FakeVendors, action: Any, *model_ids: str) -> None:
    """openai lists model_ids; `action` runs while it does (the run is under way)."""
    body = model_list(*model_ids)

    def answer(request: httpx.Request) -> httpx.Response:
        action()
        return httpx.Response(200, json=body)

    vendors.answers["openai"] = answer


async def post(app: httpx.AsyncClient) -> httpx.Response:
    return await app.post("/", headers=AUTH, json={"providers": ["openai"]})


async def test_killed_backends_are_replaced_before_use(
    app: httpx.AsyncClient, db: psycopg.Connection, vendors: FakeVendors
) -> None:
    assert (await post(app)).status_code == 200
    assert kill_backends(db) >= 1  # the pool's idle connections die
    # each request after the blip gets a live connection: none answers 503
    for _ in range(6):
        assert (await app.get("/", headers=AUTH)).status_code == 200
    on_listing(vendors, lambda: kill_backends(db), "gpt-4o", "gpt-4o-mini", "o3")
    response = await post(app)  # the backends die during the run: its apply reconnects
    assert response.status_code == 200, response.text
    assert [r[1] for r in catalog(db)] == ["gpt-4o", "gpt-4o-mini", "o3"]
    assert [status for status, _ in runs(db)] == ["succeeded", "succeeded"]


async def test_connections_cut_during_a_run_answer_503_and_the_run_is_failed_later(
    app: httpx.AsyncClient, db: psycopg.Connection, vendors: FakeVendors, proxy: TcpProxy
) -> None:
    assert (await post(app)).status_code == 200
    before = catalog(db)

    def go_down() -> None:
        proxy.mode = REFUSE
        proxy.cut()

    on_listing(vendors, go_down, "gpt-4o")  # would deactivate gpt-4o-mini
    response = await post(app)
    assert response.status_code == 503, response.text
    assert response.json()["error"].startswith("database unavailable")
    assert response.headers["retry-after"]
    assert catalog(db) == before
    assert (await app.get("/health")).status_code == 503
    assert (await app.get("/", headers=AUTH)).status_code == 503

    proxy.mode = PASS
    status = await app.get("/", headers=AUTH)  # a status read records the run's end
    assert status.status_code == 200, status.text
    (_, last_error) = runs(db)[-1]
    assert runs(db)[-1][0] == "failed"
    assert last_error is not None and "database was unavailable" in last_error
    assert status.json()["running"] == 0
    vendors.lists("openai", "gpt-4o", "gpt-4o-mini", "o3")
    assert (await post(app)).status_code == 200
    assert len(catalog(db)) == 3


async def test_a_database_that_is_down_answers_503_and_starts_no_run(
    app: httpx.AsyncClient, db: psycopg.Connection, proxy: TcpProxy
) -> None:
    proxy.mode = REFUSE
    proxy.cut()
    response = await post(app)
    assert response.status_code == 503, response.text
    assert "database unavailable" in response.json()["error"]
    assert runs(db) == []
    proxy.mode = PASS
    assert (await post(app)).status_code == 200
    assert [status for status, _ in runs(db)] == ["succeeded"]


async def test_a_network_black_hole_answers_503_instead_of_hanging(
    app: httpx.AsyncClient, db: psycopg.Connection, proxy: TcpProxy, proxied_store: PostgresStore
) -> None:
    assert (await post(app)).status_code == 200
    before = catalog(db)
    proxy.mode = HOLE
    started = time.monotonic()
    response = await post(app)
    waited = time.monotonic() - started
    assert response.status_code == 503, response.text
    assert "database unavailable" in response.json()["error"]
    # bounded by the client-side bound of one call (plus psycopg's cancel attempt), not forever
    assert waited < proxied_store.timeouts.call + 30
    proxy.mode = PASS
    assert catalog(db) == before
    assert (await post(app)).status_code == 200
    assert "running" not in [status for status, _ in runs(db)]


async def test_a_statement_timeout_answers_503_naming_it(
    db: psycopg.Connection, db_url: str, vendors: FakeVendors
) -> None:
    # the lock timeout longer than the statement timeout, so the wait ends as a statement timeout
    store = await PostgresStore(db_url, timeouts=Timeouts(statement=0.5, lock=30, connect=2)).open()
    try:
        async with vendors.client() as vendor_client:
            asgi = create_app(
                settings=make_settings(db_url),
                store=store,
                env=vendor_env("openai"),
                http_client=vendor_client,
            )
            transport = httpx.ASGITransport(app=asgi)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as app:
                with psycopg.connect(db_url) as admin:  # holds the runs table in a transaction
                    admin.execute("lock table ai_sync_runs in access exclusive mode")
                    response = await post(app)
                    admin.rollback()
                assert response.status_code == 503, response.text
                assert "statement timeout" in response.json()["error"]
                assert (await post(app)).status_code == 200
    finally:
        await store.close()
    assert [status for status, _ in runs(db)] == ["succeeded"]


async def test_a_row_lock_held_elsewhere_fails_fast_as_a_lock_timeout(
    app: httpx.AsyncClient,
    db: psycopg.Connection,
    db_url: str,
    vendors: FakeVendors,
    proxied_store: PostgresStore,
) -> None:
    assert (await post(app)).status_code == 200
    vendors.lists("openai", "gpt-4o", "o3")  # an insert, an update, a deactivation
    before = catalog(db)
    with psycopg.connect(db_url) as admin:  # an admin's open transaction holding a row
        admin.execute(
            "update ai_providers set description = 'edited' where api_identifier = 'gpt-4o-mini'"
        )
        started = time.monotonic()
        response = await post(app)
        waited = time.monotonic() - started
        admin.rollback()
    assert response.status_code == 503, response.text
    body = response.json()
    assert body["error"].startswith("lock timeout")
    assert response.headers["retry-after"]
    assert waited < proxied_store.timeouts.lock + 30  # not the 90 s an unbounded wait took
    assert catalog(db) == before
    last = db.execute(
        "select status, results -> 0 ->> 'status' from ai_sync_runs where id = %s",
        (body["run_id"],),
    ).fetchone()
    assert last == ("failed", "lock_timeout")  # its own status, not "already running"
    assert (await post(app)).status_code == 200
    assert [r[1] for r in catalog(db) if r[2]] == ["gpt-4o", "o3"]


async def test_a_run_left_running_by_a_dead_process_is_failed_by_the_next_run_and_status(
    db: psycopg.Connection, db_url: str
) -> None:
    stuck = [
        db.execute(
            "insert into ai_sync_runs (trigger, status, started_at)"
            " values ('http', 'running', now() - interval '2 hours') returning id::text"
        ).fetchone()
        for _ in range(2)
    ]
    recent = db.execute(
        "insert into ai_sync_runs (trigger, status, started_at)"
        " values ('cli', 'running', now()) returning id::text"
    ).fetchone()
    store = await PostgresStore(db_url, run_max_seconds=3600).open()
    try:
        status = await store.status()
    finally:
        await store.close()
    assert status["running"] == 1  # only the recent one: it may still be going
    failed = db.execute(
        "select id::text, error from ai_sync_runs where status = 'failed' order by id"
    ).fetchall()
    assert sorted(i for i, _ in failed) == sorted(row[0] for row in stuck if row)
    assert all("abandoned" in (error or "") for _, error in failed)
    assert recent is not None
    assert db.execute("select status from ai_sync_runs where id = %s", (recent[0],)).fetchone() == (
        "running",
    )


async def test_a_worker_holding_its_run_lock_is_not_recovered_by_age(
    db: psycopg.Connection, db_url: str
) -> None:
    row = db.execute(
        "insert into ai_sync_runs (trigger, status, started_at, claimed_by)"
        " values ('worker', 'running', now() - interval '2 hours', 'w1') returning id::text"
    ).fetchone()
    assert row is not None
    with psycopg.connect(db_url, autocommit=True) as worker:  # a live worker holds the run's lock
        worker.execute("select pg_advisory_lock(sync_run_lock_key(%s))", (row[0],))
        store = await PostgresStore(db_url, run_max_seconds=60).open()
        try:
            assert await store.recover_runs() == []
            worker.close()  # the worker dies: its lock goes with its connection (soon after)
            recovered = await wait_until(store.recover_runs)
            assert [str(r) for r in recovered] == [row[0]]
        finally:
            await store.close()


async def test_concurrent_status_reads_during_an_outage_are_503_not_500(
    app: httpx.AsyncClient, proxy: TcpProxy
) -> None:
    proxy.mode = REFUSE
    proxy.cut()
    answers = await asyncio.gather(*(app.get("/", headers=AUTH) for _ in range(8)))
    assert {a.status_code for a in answers} == {503}
    proxy.mode = PASS
    assert (await app.get("/", headers=AUTH)).status_code == 200


async def test_a_backend_killed_in_the_middle_of_an_apply_fails_that_vendor_only_for_now(
    db: psycopg.Connection, db_url: str, vendors: FakeVendors
) -> None:
    store = await PostgresStore(db_url, timeouts=Timeouts(statement=60, lock=60, connect=2)).open()
    try:
        async with vendors.client() as vendor_client:
            asgi = create_app(
                settings=make_settings(db_url),
                store=store,
                env=vendor_env("openai"),
                http_client=vendor_client,
            )
            transport = httpx.ASGITransport(app=asgi)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as app:
                assert (await post(app)).status_code == 200
                vendors.lists("openai", "gpt-4o", "o3")  # deactivates gpt-4o-mini: locks it
                before = catalog(db)
                with psycopg.connect(db_url) as admin:
                    admin.execute(
                        "update ai_providers set name = 'x' where api_identifier = 'gpt-4o-mini'"
                    )
                    pending = asyncio.create_task(post(app))

                    def apply_waiting() -> list[tuple[Any, ...]]:
                        return db.execute(
                            "select pg_terminate_backend(pid) from pg_stat_activity"
                            " where datname = current_database() and wait_event_type = 'Lock'"
                            " and query like '%sync_apply_provider_models%'"
                        ).fetchall()

                    await wait_until(lambda: asyncio.to_thread(apply_waiting))
                    response = await pending
                    admin.rollback()
                assert response.status_code == 502, response.text  # its one vendor failed
                (result,) = response.json()["results"]
                assert result["status"] == "failed"
                assert "connection terminated by the server" in result["error"]
                assert catalog(db) == before
                assert (await post(app)).status_code == 200  # the next request works
    finally:
        await store.close()
    assert [status for status, _ in runs(db)] == ["succeeded", "failed", "succeeded"]
