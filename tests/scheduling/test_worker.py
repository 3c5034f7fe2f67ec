"""The worker: claims each queued run once, recovers a run whose worker died, shuts down cleanly."""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import AsyncIterator, Callable
from functools import partial
from typing import Any

import httpx
import psycopg
import pytest

from ai_catalog.store.postgres import PostgresStore
from sync_ai_models.notify import notify_run
from sync_ai_models.runner import RunOutcome
from sync_ai_models.worker import Worker, WorkerOptions
from tests.support.scheduling import FakeVendor, WorkerProcess, wait_for


def runs(db: psycopg.Connection) -> list[tuple[Any, ...]]:
    return db.execute(
        "select id::text, status, trigger, requested_by, claimed_by, error from ai_sync_runs"
        " order by queued_at, id"
    ).fetchall()


def status_of(db: psycopg.Connection, run_id: str) -> str:
    row = db.execute("select status from ai_sync_runs where id = %s", (run_id,)).fetchone()
    return row[0] if row else "missing"


def queue(db: psycopg.Connection, trigger: str = "manual") -> str:
    row = db.execute("select sync_queue_run(%s)::text", (trigger,)).fetchone()
    assert row is not None
    return str(row[0])


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


def make_worker(
    db_url: str,
    store: PostgresStore,
    vendor: FakeVendor,
    http: httpx.AsyncClient,
    name: str,
    notified: list[RunOutcome] | None = None,
    env: dict[str, str] | None = None,
    **options: Any,
) -> Worker:
    async def record(outcome: RunOutcome, env: Any, client: httpx.AsyncClient) -> None:
        if notified is not None:
            notified.append(outcome)

    return Worker(
        db_url,
        store,
        env={**vendor.env(), **(env or {})},
        client=http,
        options=WorkerOptions(name=name, **{"poll_seconds": 0.5, **options}),
        notify=record if env is None else partial(notify_run, wait_seconds=0.01),
    )


def test_claims_are_oldest_first_and_skip_each_others_rows(db: psycopg.Connection) -> None:
    first, second = queue(db), queue(db)
    other = psycopg.connect(db.info.dsn, password=db.info.password)
    try:
        mine = other.execute("select sync_claim_next_run('w1')").fetchone()  # open transaction
        theirs = db.execute("select sync_claim_next_run('w2')").fetchone()
        other.commit()
    finally:
        other.close()
    assert mine is not None and theirs is not None
    assert (mine[0]["id"], theirs[0]["id"]) == (first, second)
    assert [(r[1], r[4]) for r in runs(db)] == [("running", "w1"), ("running", "w2")]
    assert db.execute("select sync_claim_next_run('w3')").fetchone() == (None,)


async def test_a_worker_runs_a_queued_run_and_notifies(
    db: psycopg.Connection, db_url: str, store: PostgresStore, vendor: FakeVendor, http: Any
) -> None:
    run_id = queue(db)
    notified: list[RunOutcome] = []
    worker = make_worker(db_url, store, vendor, http, "w1", notified, drain=True)
    assert await worker.run() == 1
    assert runs(db) == [(run_id, "succeeded", "manual", None, "w1", None)]
    assert [(str(o.run_id), o.status) for o in notified] == [(run_id, "succeeded")]
    assert sorted(notified[0].results[0].new_model_ids) == ["gpt-4o", "gpt-4o-mini"]
    # the worker released the run's lock
    assert db.execute(
        "select pg_try_advisory_lock(sync_run_lock_key(%s))", (run_id,)
    ).fetchone() == (True,)


async def test_three_workers_ten_runs_each_run_exactly_once(
    db: psycopg.Connection, db_url: str, vendor: FakeVendor, http: Any
) -> None:
    queued = [queue(db) for _ in range(10)]
    stores = [await PostgresStore(db_url).open() for _ in range(3)]
    workers = [make_worker(db_url, s, vendor, http, f"w{i}") for i, s in enumerate(stores, start=1)]
    tasks = [asyncio.create_task(w.run()) for w in workers]
    try:
        await asyncio.to_thread(
            wait_for,
            lambda: all(status_of(db, r) not in ("queued", "running") for r in queued),
            60,
            "ten runs to finish",
        )
    finally:
        for w in workers:
            w.stop()
        done = await asyncio.gather(*tasks)
        for s in stores:
            await s.close()
    assert sum(done) == 10  # runs processed across the workers
    # every run applied openai once: it succeeded, or (two runs at the same moment) the database
    # told it "already running" (one advisory lock per provider)
    per_run = db.execute(
        "select array(select p ->> 'status' from jsonb_array_elements(results) p"
        "             where p ->> 'provider' = 'openai')"
        "  from ai_sync_runs where id = any(%s::uuid[])",
        (queued,),
    ).fetchall()
    assert len(per_run) == 10
    assert all(statuses in (["succeeded"], ["already_running"]) for (statuses,) in per_run)
    assert vendor.listings == 10  # one vendor listing per run: none ran twice
    assert sorted(r[0] for r in runs(db)) == sorted(queued)  # no run added
    assert {r[4] for r in runs(db)} <= {"w1", "w2", "w3"}


async def test_notify_wakes_an_idle_worker(
    db: psycopg.Connection, db_url: str, store: PostgresStore, vendor: FakeVendor, http: Any
) -> None:
    # a poll interval far longer than the deadline below: only the notification can wake it
    worker = make_worker(db_url, store, vendor, http, "w1", poll_seconds=300)
    asleep = asyncio.Event()
    sleep = worker._sleep

    async def noting_sleep(seconds: float) -> None:
        asleep.set()
        await sleep(seconds)

    worker._sleep = noting_sleep  # type: ignore[method-assign]
    task = asyncio.create_task(worker.run())
    await asyncio.wait_for(asleep.wait(), timeout=10)
    run_id = queue(db)
    try:
        await asyncio.to_thread(
            wait_for, lambda: status_of(db, run_id) == "succeeded", 20, "the notified run"
        )
    finally:
        worker.stop()
        await task


async def test_a_queued_run_with_an_unknown_provider_fails_instead_of_sticking(
    db: psycopg.Connection, db_url: str, store: PostgresStore, vendor: FakeVendor, http: Any
) -> None:
    db.execute("select sync_queue_run('manual', null, array['nope'])")
    await make_worker(db_url, store, vendor, http, "w1", drain=True).run()
    ((_, status, _, _, _, error),) = runs(db)
    assert status == "failed" and "unknown provider 'nope'" in error


async def test_a_failing_webhook_does_not_fail_the_run(
    db: psycopg.Connection, db_url: str, store: PostgresStore, vendor: FakeVendor, http: Any
) -> None:
    vendor.hook_status = 503
    run_id = queue(db)
    env = {"SYNC_WEBHOOK_URL": f"{vendor.url}/hook", "SYNC_WEBHOOK_SECRET": "s3cret"}
    await make_worker(db_url, store, vendor, http, "w1", env=env, drain=True).run()
    assert status_of(db, run_id) == "succeeded"
    assert len(vendor.hooks) == 3  # tried, retried, gave up


def test_a_run_older_than_the_timeout_without_a_worker_is_failed_and_queued_again(
    db: psycopg.Connection,
) -> None:
    """E.g. a CLI or HTTP run whose process died: it never held a worker's lock."""
    stuck = db.execute("select sync_start_run('cli', 'someone')::text").fetchone()
    fresh = db.execute("select sync_start_run('cli', 'other')::text").fetchone()
    assert stuck is not None and fresh is not None
    db.execute(
        "update ai_sync_runs set started_at = now() - interval '2 hours' where id = %s",
        (stuck[0],),
    )
    recovered = db.execute("select sync_recover_runs('15 minutes')").fetchone()
    assert recovered is not None
    ((item,),) = [recovered[0]]
    assert item["failed"] == stuck[0]
    assert status_of(db, stuck[0]) == "failed"
    assert status_of(db, fresh[0]) == "running"  # younger than the timeout: left alone
    retry = db.execute(
        "select status, trigger, requested_by from ai_sync_runs where id = %s", (item["queued"],)
    ).fetchone()
    assert retry == ("queued", "worker", f"recovery of {stuck[0]}")


def _running_claimed_by_subprocess(db: psycopg.Connection, vendor: FakeVendor) -> str:
    assert vendor.listing_started.wait(30), "the worker never listed the vendor"
    ((run_id, status, *_),) = runs(db)
    assert status == "running"
    return str(run_id)


def test_a_killed_workers_run_is_recovered(
    db: psycopg.Connection,
    db_url: str,
    vendor: FakeVendor,
    spawn_worker: Callable[..., WorkerProcess],
) -> None:
    vendor.hold = threading.Event()
    queue(db)
    victim = spawn_worker(db_url, vendor.env(), "--name", "victim", "--poll", "0.5")
    run_id = _running_claimed_by_subprocess(db, vendor)

    # alive: its lock protects the run even from a zero timeout
    assert db.execute("select sync_recover_runs('0 seconds')").fetchone() == ([],)

    victim.signal(signal.SIGKILL)
    victim.wait()
    vendor.hold.set()
    vendor.hold = None
    recovered = wait_for(
        lambda: (db.execute("select sync_recover_runs('0 seconds')").fetchone() or [[]])[0],
        10,
        "the dead worker's lock to go",
    )
    assert [r["failed"] for r in recovered] == [run_id]
    failed = db.execute("select status, error from ai_sync_runs where id = %s", (run_id,))
    status, error = failed.fetchone() or ("", "")
    assert status == "failed" and "claimed by victim" in error

    # the fresh run is served by the next worker
    survivor = spawn_worker(db_url, vendor.env(), "--name", "survivor", "--drain")
    assert survivor.wait() == 0
    assert status_of(db, recovered[0]["queued"]) == "succeeded"


def test_sigterm_lets_the_current_run_finish(
    db: psycopg.Connection,
    db_url: str,
    vendor: FakeVendor,
    spawn_worker: Callable[..., WorkerProcess],
) -> None:
    vendor.hold = threading.Event()
    queue(db)
    worker = spawn_worker(db_url, vendor.env(), "--name", "w1", "--poll", "0.5")
    run_id = _running_claimed_by_subprocess(db, vendor)
    worker.signal(signal.SIGTERM)
    queue(db)  # queued after SIGTERM: left for another worker
    vendor.hold.set()
    assert worker.wait() == 0
    assert status_of(db, run_id) == "succeeded"
    assert [r[1] for r in runs(db)] == ["succeeded", "queued"]


def test_sigterm_when_idle_exits_cleanly(
    db: psycopg.Connection,
    db_url: str,
    vendor: FakeVendor,
    spawn_worker: Callable[..., WorkerProcess],
) -> None:
    worker = spawn_worker(db_url, vendor.env(), "--name", "w1", "--poll", "60")
    wait_for(
        lambda: db.execute(
            "select 1 from pg_stat_activity where query = 'listen ai_sync_runs'"
            " and datname = current_database()"
        ).fetchone(),
        30,
        "the worker to LISTEN",
    )
    worker.signal(signal.SIGTERM)
    assert worker.wait() == 0
    output = worker.process.stdout.read() if worker.process.stdout else ""
    assert "stopped after 0 run(s)" in output


def test_a_grace_period_cuts_the_run_short_and_queues_it_again(
    db: psycopg.Connection,
    db_url: str,
    vendor: FakeVendor,
    spawn_worker: Callable[..., WorkerProcess],
) -> None:
    vendor.hold = threading.Event()
    queue(db)
    worker = spawn_worker(db_url, vendor.env(), "--name", "w1", "--shutdown-grace", "0")
    run_id = _running_claimed_by_subprocess(db, vendor)
    worker.signal(signal.SIGTERM)
    assert worker.wait() == 0
    vendor.hold.set()
    (first, second) = runs(db)
    assert first[0] == run_id and first[1] == "failed"
    assert second[1:4] == ("queued", "worker", f"retry of {run_id} (worker w1 shut down)")
