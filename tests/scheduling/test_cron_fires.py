"""pg_cron firing on its own: the job queues a run at the top of the minute, a worker (the real
command, in a subprocess) claims it and syncs it from a vendor on 127.0.0.1. pg_cron 1.4 has no
seconds schedules, so this waits up to a minute for the tick."""

from __future__ import annotations

import signal
from collections.abc import Callable
from typing import Any

import psycopg
import pytest

from tests.support.scheduling import FakeVendor, WorkerProcess, wait_for


@pytest.mark.slow
def test_pg_cron_fires_and_a_worker_finishes_the_run(
    cron_db: psycopg.Connection[Any],
    cron_db_url: str,
    vendor: FakeVendor,
    spawn_worker: Callable[..., WorkerProcess],
) -> None:
    worker = spawn_worker(cron_db_url, vendor.env(), "--name", "cron-worker", "--poll", "5")
    cron_db.execute("select sync_schedule('* * * * *')")

    def finished_cron_run() -> Any:
        return cron_db.execute(
            "select status, claimed_by, new_model_ids from ai_sync_runs"
            " where trigger = 'cron' and finished_at is not null"
        ).fetchone()

    status, claimed_by, new_models = wait_for(finished_cron_run, 100, "pg_cron's run")
    assert (status, claimed_by) == ("succeeded", "cron-worker")
    assert sorted(new_models) == ["openai/gpt-4o", "openai/gpt-4o-mini"]
    wait_for(
        lambda: cron_db.execute(
            "select 1 from cron.job_run_details d join cron.job j using (jobid)"
            " where j.jobname = 'sync-ai-models' and d.status = 'succeeded'"
        ).fetchone(),
        10,
        "pg_cron to record the job's run",
    )
    cron_db.execute("select sync_schedule('off')")
    worker.signal(signal.SIGTERM)
    assert worker.wait() == 0
