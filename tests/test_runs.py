"""Runs: start, claim, finish (status from the per-provider results), history and status."""

from __future__ import annotations

import psycopg
import pytest

from ai_catalog.errors import AlreadyRunning, StoreError
from ai_catalog.store.postgres import PostgresStore
from tests.support.catalog import changes, entry


async def test_a_run_records_results_totals_and_change_log(
    store: PostgresStore, db: psycopg.Connection
) -> None:
    run_id = await store.start_run("cli", requested_by="tester", providers=["openai", "groq"])
    openai = await store.apply_provider_models("openai", [entry("gpt-4o")], run_id=run_id)
    groq = await store.apply_provider_models("groq", [entry("llama"), entry("qwen")], run_id=run_id)
    run = await store.finish_run(
        run_id, [openai.model_dump(mode="json"), groq.model_dump(mode="json")]
    )
    assert run["status"] == "succeeded"
    assert run["totals"]["inserted"] == 3
    assert sorted(run["new_model_ids"]) == ["groq/llama", "groq/qwen", "openai/gpt-4o"]
    assert [c["run_id"] for c in changes(db, "gpt-4o")] == [str(run_id)]


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["succeeded", "guarded", "skipped"], "succeeded"),
        (["succeeded", "failed"], "partial"),
        (["failed", "already_running", "skipped"], "failed"),
        (["skipped"], "succeeded"),
    ],
)
async def test_run_status_from_results(
    store: PostgresStore, statuses: list[str], expected: str
) -> None:
    run_id = await store.start_run("http")
    results = [{"provider": f"p{i}", "status": s} for i, s in enumerate(statuses)]
    assert (await store.finish_run(run_id, results))["status"] == expected


async def test_a_run_error_fails_the_run(store: PostgresStore) -> None:
    run_id = await store.start_run("http")
    run = await store.finish_run(run_id, [], error="worker crashed")
    assert (run["status"], run["error"]) == ("failed", "worker crashed")


async def test_finishing_twice_is_an_error(store: PostgresStore) -> None:
    run_id = await store.start_run("http")
    await store.finish_run(run_id, [])
    with pytest.raises(StoreError, match="is not running"):
        await store.finish_run(run_id, [])


async def test_a_queued_run_is_claimed_once(store: PostgresStore, db: psycopg.Connection) -> None:
    queued = await store.queue_run("cron", requested_by="pg_cron")
    assert db.execute("select status from ai_sync_runs where id = %s", (queued,)).fetchone() == (
        "queued",
    )
    claimed = await store.claim_run(queued, claimed_by="worker-1")
    assert (claimed["id"], claimed["status"], claimed["claimed_by"]) == (
        str(queued),
        "running",
        "worker-1",
    )
    with pytest.raises(AlreadyRunning, match="not queued"):
        await store.claim_run(queued)


async def test_status_and_needs_sync(store: PostgresStore, db: psycopg.Connection) -> None:
    status = await store.status(30)
    assert (status["needs_sync"], status["last_run"]) == (True, None)
    run_id = await store.start_run("cli")
    await store.finish_run(run_id, [{"provider": "openai", "status": "succeeded", "inserted": 2}])
    status = await store.status(30)
    assert status["needs_sync"] is False
    assert status["last_run"]["id"] == str(run_id)
    db.execute("update ai_sync_runs set finished_at = now() - interval '31 days'")
    assert (await store.status(30))["needs_sync"] is True
    assert (await store.status(60))["needs_sync"] is False


async def test_dry_runs_do_not_count_as_syncs(store: PostgresStore) -> None:
    run_id = await store.start_run("cli", dry_run=True)
    await store.finish_run(run_id, [{"provider": "openai", "status": "succeeded"}])
    assert (await store.status())["needs_sync"] is True


async def test_run_totals_count_stale_prices(store: PostgresStore) -> None:
    await store.apply_provider_models("openai", [entry("gpt-4o")])
    run_id = await store.start_run("cli")
    unpriced = entry("gpt-4o", input_token_cost_rate=None, output_token_cost_rate=None)
    result = await store.apply_provider_models("openai", [unpriced], run_id=run_id)
    run = await store.finish_run(run_id, [result.model_dump(mode="json")])
    assert run["totals"]["stale"] == 1
    assert run["results"][0]["stale_model_ids"] == ["gpt-4o"]
