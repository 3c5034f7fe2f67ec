"""POST: a real run through the app; the status code and body follow the vendors' outcomes."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import httpx
import psycopg

from ai_catalog.store.postgres import PostgresStore
from tests.support.catalog import entry
from tests.support.http_doubles import FakeVendors

RESULT_KEYS = {
    "provider",
    "status",
    "inserted",
    "updated",
    "unchanged",
    "deactivated",
    "reactivated",
    "overrides_kept",
    "caps_clamped",
    "stale",
    "stale_model_ids",
    "would_deactivate",
    "listed",
    "seconds",
    "new_model_ids",
    "error",
    # one result shape for every layer (ProviderResult): the listing's own counts too
    "dry_run",
    "duplicates",
    "skipped_malformed",
    "skip_reasons",
    "filtered_non_chat",
}


def by_provider(response: httpx.Response) -> dict[str, dict[str, Any]]:
    return {r["provider"]: r for r in response.json()["results"]}


def models(db: psycopg.Connection) -> list[tuple[str, str, bool]]:
    return db.execute(
        "select provider, api_identifier, is_active from ai_providers order by 1, 2"
    ).fetchall()


async def test_all_vendors_succeed_is_200_with_counts_and_new_ids(
    client: httpx.AsyncClient,
    auth: dict[str, str],
    vendors: FakeVendors,
    db: psycopg.Connection,
) -> None:
    vendors.lists("openai", "gpt-4o", "gpt-4o-mini")
    vendors.lists("groq", "llama-3.3-70b-versatile")
    response = await client.post("/functions/v1/sync-ai-models", headers=auth)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"run_id", "status", "dry_run", "results", "totals", "catalogs"}
    assert (body["status"], body["dry_run"]) == ("succeeded", False)
    assert body["catalogs"] == {"models.dev": "off"}  # which copy of models.dev the run used
    UUID(body["run_id"])
    results = by_provider(response)
    assert all(set(r) == RESULT_KEYS for r in results.values())
    assert (results["openai"]["status"], results["openai"]["inserted"]) == ("succeeded", 2)
    assert sorted(results["openai"]["new_model_ids"]) == ["gpt-4o", "gpt-4o-mini"]
    assert body["totals"]["inserted"] == 3
    assert models(db) == [
        ("groq", "llama-3.3-70b-versatile", True),
        ("openai", "gpt-4o", True),
        ("openai", "gpt-4o-mini", True),
    ]


async def test_a_vendor_without_a_key_is_skipped_not_failed(
    client: httpx.AsyncClient, auth: dict[str, str], vendors: FakeVendors
) -> None:
    vendors.lists("openai", "gpt-4o")
    vendors.lists("groq", "llama")
    response = await client.post("/", headers=auth)
    assert response.status_code == 200
    results = by_provider(response)
    assert len(results) == 12  # every known vendor is reported
    assert results["anthropic"]["status"] == "skipped"
    assert results["anthropic"]["error"] == "not configured"
    hosts = {request.url.host for request in vendors.requests}
    assert hosts == {"openai.test", "groq.test"}


async def test_second_sync_reports_unchanged_and_deactivated(
    client: httpx.AsyncClient, auth: dict[str, str], vendors: FakeVendors, db: psycopg.Connection
) -> None:
    vendors.lists("openai", "a", "b", "c")
    await client.post("/", json={"providers": ["openai"]}, headers=auth)
    vendors.lists("openai", "a", "b")
    response = await client.post("/", json={"providers": ["openai"]}, headers=auth)
    assert response.status_code == 200
    openai = by_provider(response)["openai"]
    assert (openai["unchanged"], openai["deactivated"], openai["inserted"]) == (2, 1, 0)
    assert ("openai", "c", False) in models(db)


async def test_some_vendors_failing_is_207(
    client: httpx.AsyncClient, auth: dict[str, str], vendors: FakeVendors, db: psycopg.Connection
) -> None:
    vendors.lists("openai", "gpt-4o")
    vendors.fails("groq", 401)
    response = await client.post("/", headers=auth)
    assert response.status_code == 207
    assert response.json()["status"] == "partial"
    results = by_provider(response)
    assert results["openai"]["status"] == "succeeded"
    assert results["groq"]["status"] == "failed"
    assert "HTTP 401" in str(results["groq"]["error"])
    assert [m[0] for m in models(db)] == ["openai"]


async def test_every_vendor_failing_is_502(
    client: httpx.AsyncClient, auth: dict[str, str], vendors: FakeVendors, db: psycopg.Connection
) -> None:
    vendors.fails("openai", 403)
    vendors.fails("groq", 404)
    response = await client.post("/", headers=auth)
    assert response.status_code == 502
    assert response.json()["status"] == "failed"
    assert {r["status"] for r in response.json()["results"] if r["status"] != "skipped"} == {
        "failed"
    }
    assert models(db) == []


async def test_only_the_requested_providers_run(
    client: httpx.AsyncClient, auth: dict[str, str], vendors: FakeVendors
) -> None:
    vendors.lists("groq", "llama")
    response = await client.post("/", json={"providers": ["groq"]}, headers=auth)
    assert response.status_code == 200
    assert list(by_provider(response)) == ["groq"]
    assert {request.url.host for request in vendors.requests} == {"groq.test"}


async def test_dry_run_reports_but_writes_nothing(
    client: httpx.AsyncClient, auth: dict[str, str], vendors: FakeVendors, db: psycopg.Connection
) -> None:
    vendors.lists("openai", "gpt-4o")
    response = await client.post("/", json={"providers": ["openai"], "dry_run": True}, headers=auth)
    assert response.status_code == 200
    assert response.json()["dry_run"] is True
    assert by_provider(response)["openai"]["inserted"] == 1
    assert models(db) == []
    status = (await client.get("/", headers=auth)).json()
    assert (status["needs_sync"], status["last_run"]) == (True, None)


async def test_provider_lock_held_elsewhere_is_409(
    client: httpx.AsyncClient,
    auth: dict[str, str],
    vendors: FakeVendors,
    db_url: str,
    db: psycopg.Connection,
) -> None:
    vendors.lists("openai", "gpt-4o")
    payload = json.dumps([entry("other").to_json()])
    with psycopg.connect(db_url) as holder:  # another sync of openai, mid-transaction
        holder.execute("select sync_apply_provider_models('openai', %s::jsonb)", (payload,))
        response = await client.post("/", json={"providers": ["openai"]}, headers=auth)
        holder.rollback()
    assert response.status_code == 409
    body = response.json()
    assert body["status"] == "failed"
    assert by_provider(response)["openai"]["status"] == "already_running"
    assert models(db) == []
    # with the lock gone the same request goes through
    assert (await client.post("/", json={"providers": ["openai"]}, headers=auth)).status_code == 200


async def test_a_queued_run_is_claimed_once_then_409(
    client: httpx.AsyncClient,
    auth: dict[str, str],
    vendors: FakeVendors,
    store: PostgresStore,
    db: psycopg.Connection,
) -> None:
    vendors.lists("openai", "gpt-4o")
    vendors.lists("groq", "llama")
    queued = await store.queue_run("cron", requested_by="pg_cron")
    first = await client.post("/", json={"run_id": str(queued)}, headers=auth)
    assert first.status_code == 200
    assert first.json()["run_id"] == str(queued)
    second = await client.post("/", json={"run_id": str(queued)}, headers=auth)
    assert second.status_code == 409
    assert second.json()["run_id"] == str(queued)
    assert "already running" in second.json()["error"]
    assert db.execute("select count(*) from ai_sync_runs").fetchone() == (1,)


async def test_a_run_id_that_names_no_run_is_400(
    client: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    run_id = "00000000-0000-4000-8000-000000000000"
    response = await client.post("/", json={"run_id": run_id}, headers=auth)
    assert response.status_code == 400
    assert response.json() == {
        "error": f"run_id {run_id} does not name a run",
        "run_id": run_id,
    }


async def test_status_shows_the_run_a_post_just_finished(
    client: httpx.AsyncClient, auth: dict[str, str], vendors: FakeVendors
) -> None:
    before = (await client.get("/", headers=auth)).json()  # fills the short status cache
    assert before["last_run"] is None
    vendors.lists("openai", "gpt-4o")
    run_id = (await client.post("/", json={"providers": ["openai"]}, headers=auth)).json()["run_id"]
    after = (await client.get("/", headers=auth)).json()
    assert after["last_run"]["id"] == run_id
    assert after["last_run"]["new_model_ids"] == ["openai/gpt-4o"]
    assert after["needs_sync"] is False
    assert "results" not in after["last_run"]
