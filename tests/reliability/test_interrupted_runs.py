"""Runs whose process is interrupted or whose connections break: the CLI marks its run failed on
SIGTERM/SIGINT, and a worker keeps serving the queue after a connection blip."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import threading

import psycopg
import pytest

from ai_catalog.store.postgres import PostgresStore
from sync_ai_models.worker import Worker, WorkerOptions
from tests.support.faults import FAST, kill_backends
from tests.support.http_doubles import FakeVendors, vendor_env
from tests.support.scheduling import REPO_ROOT, FakeVendor, clean_env, wait_for
from tests.support.tcp_proxy import TcpProxy


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_cli_sync_marks_its_run_failed_on_a_signal(
    db: psycopg.Connection, db_url: str, vendor: FakeVendor, signum: signal.Signals
) -> None:
    vendor.hold = threading.Event()
    process = subprocess.Popen(
        [sys.executable, "-m", "sync_ai_models.cli", "sync", "--provider", "openai"],
        cwd=REPO_ROOT,
        env=clean_env({"DATABASE_URL": db_url, **vendor.env()}),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert vendor.listing_started.wait(timeout=60), "the CLI never listed the vendor"
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=60)
    finally:
        vendor.hold.set()
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=10)
    assert process.returncode == 128 + signum
    assert f"interrupted by {signum.name}" in stderr
    assert db.execute("select status, error from ai_sync_runs").fetchall() == [
        ("failed", f"run aborted: CancelledError: interrupted by {signum.name}")
    ]
    assert db.execute("select count(*) from ai_providers").fetchone() == (0,)


@pytest.mark.parametrize("fault", ["cut", "terminate"])
async def test_a_worker_goes_on_after_a_connection_blip(
    db: psycopg.Connection, db_url: str, proxy: TcpProxy, vendors: FakeVendors, fault: str
) -> None:
    url = proxy.url_for(db_url)
    store = await PostgresStore(url, timeouts=FAST).open()
    async with vendors.client() as vendor_client:
        worker = Worker(
            url,
            store,
            env=vendor_env("openai"),
            client=vendor_client,
            options=WorkerOptions(name="w1", poll_seconds=0.5),
            timeouts=FAST,
        )
        serving = asyncio.create_task(worker.run())

        def status_of(run_id: str) -> str:
            row = db.execute("select status from ai_sync_runs where id = %s", (run_id,)).fetchone()
            return row[0] if row else "missing"

        def queue() -> str:
            row = db.execute("select sync_queue_run('manual')::text").fetchone()
            assert row is not None
            return str(row[0])

        try:
            first = queue()
            await asyncio.to_thread(wait_for, lambda: status_of(first) == "succeeded", 60, "run 1")
            if fault == "cut":
                assert proxy.cut() > 0
            else:
                assert kill_backends(db) > 0
            second = queue()
            await asyncio.to_thread(
                wait_for, lambda: status_of(second) == "succeeded", 60, "run 2 after the blip"
            )
        finally:
            worker.stop()
            await asyncio.wait_for(serving, timeout=60)
            await store.close()
    assert worker.processed == 2
