"""Many callers at once: 50 concurrent POSTs (each 200 or 409, no 500, no duplicate), and two
workers sharing 20 queued runs (each run processed exactly once)."""

from __future__ import annotations

import asyncio

import httpx
import psycopg

from ai_catalog.store.postgres import PostgresStore
from sync_ai_models.http.app import create_app
from sync_ai_models.worker import Worker, WorkerOptions
from tests.support.http_app import make_settings
from tests.support.http_doubles import SERVICE_KEY, FakeVendors, bearer, vendor_env

AUTH = bearer(SERVICE_KEY)


async def test_fifty_concurrent_posts_answer_200_or_409_and_write_each_model_once(
    db: psycopg.Connection, db_url: str, store: PostgresStore, vendors: FakeVendors
) -> None:
    async with vendors.client() as vendor_client:
        asgi = create_app(
            settings=make_settings(db_url),
            store=store,
            env=vendor_env("openai"),
            http_client=vendor_client,
        )
        transport = httpx.ASGITransport(app=asgi)
        async with httpx.AsyncClient(transport=transport, base_url="http://t", timeout=120) as app:
            answers = await asyncio.gather(
                *(app.post("/", headers=AUTH, json={"providers": ["openai"]}) for _ in range(50))
            )
    statuses = [a.status_code for a in answers]
    assert set(statuses) <= {200, 409}, [a.text for a in answers if a.status_code not in (200, 409)]
    assert 200 in statuses
    assert db.execute(
        "select api_identifier, count(*) from ai_providers group by 1 order by 1"
    ).fetchall() == [("gpt-4o", 1), ("gpt-4o-mini", 1)]
    added = db.execute("select count(*) from ai_model_changes where kind = 'added'").fetchone()
    assert added == (2,)  # inserted once, by one run
    run_states = db.execute("select status, count(*) from ai_sync_runs group by 1").fetchall()
    assert sum(n for _, n in run_states) == 50
    assert "running" not in dict(run_states)
    assert dict(run_states).get("succeeded") == statuses.count(200)


async def test_two_workers_process_twenty_queued_runs_exactly_once(
    db: psycopg.Connection, db_url: str, vendors: FakeVendors
) -> None:
    queued = [
        str(row[0])
        for row in (db.execute("select sync_queue_run('manual')").fetchone() for _ in range(20))
        if row
    ]
    stores = [await PostgresStore(db_url).open() for _ in range(2)]
    async with vendors.client() as vendor_client:
        workers = [
            Worker(
                db_url,
                s,
                env=vendor_env("openai"),
                client=vendor_client,
                options=WorkerOptions(name=f"w{i}", poll_seconds=0.5, drain=True),
            )
            for i, s in enumerate(stores, start=1)
        ]
        try:
            processed = await asyncio.wait_for(
                asyncio.gather(*(w.run() for w in workers)), timeout=120
            )
        finally:
            for s in stores:
                await s.close()
    assert sum(processed) == 20
    rows = db.execute(
        "select id::text, status, claimed_by from ai_sync_runs order by queued_at, id"
    ).fetchall()
    assert sorted(r[0] for r in rows) == sorted(queued)  # nothing queued again, nothing added
    assert {r[1] for r in rows} <= {"succeeded", "failed"}
    assert {r[2] for r in rows} <= {"w1", "w2"}
    assert len(vendors.requests) == 20  # one listing per run: no run ran twice
    per_run = db.execute(
        "select results -> 0 ->> 'status' from ai_sync_runs where id = any(%s::uuid[])", (queued,)
    ).fetchall()
    # one advisory lock per provider: a run that met another at the same moment was told so
    assert {status for (status,) in per_run} <= {"succeeded", "already_running"}
