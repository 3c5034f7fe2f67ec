"""POST {"run_id"} (what pg_cron's pg_net call sends) runs the queued run as it was queued."""

from __future__ import annotations

import httpx
import psycopg

from ai_catalog.store.postgres import PostgresStore
from tests.support.http_doubles import FakeVendors


async def test_a_queued_run_keeps_its_providers_and_is_claimed_once(
    client: httpx.AsyncClient, vendors: FakeVendors, auth: dict[str, str], store: PostgresStore
) -> None:
    vendors.lists("openai", "gpt-4o")
    vendors.lists("groq", "llama-3.3-70b-versatile")
    run_id = await store.queue_run("cron", requested_by="pg_cron", providers=["groq"])
    response = await client.post("/", headers=auth, json={"run_id": str(run_id)})
    assert response.status_code == 200
    body = response.json()
    assert body["run_id"] == str(run_id)
    assert [r["provider"] for r in body["results"]] == ["groq"]  # as queued, not every vendor
    again = await client.post("/", headers=auth, json={"run_id": str(run_id)})
    assert again.status_code == 409


async def test_a_queued_run_naming_an_unknown_provider_fails_cleanly(
    client: httpx.AsyncClient, auth: dict[str, str], store: PostgresStore, db: psycopg.Connection
) -> None:
    run_id = await store.queue_run("manual", providers=["no-such-vendor"])
    response = await client.post("/", headers=auth, json={"run_id": str(run_id)})
    assert response.status_code == 400
    assert "no-such-vendor" in response.json()["error"]
    row = db.execute("select status, error from ai_sync_runs where id = %s", (run_id,)).fetchone()
    assert row is not None and row[0] == "failed" and "no-such-vendor" in row[1]
