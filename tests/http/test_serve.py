"""End to end: `sync-ai-models serve` as a process, a vendor on loopback, the test database."""

from __future__ import annotations

import json

import httpx
import psycopg

from tests.support.http_doubles import RAW_MARKER, SERVICE_KEY, VENDOR_KEY, bearer, make_jwt
from tests.support.local_vendor import local_vendor
from tests.support.serve_process import serve


def test_serve_post_then_get_and_dry_run_writes_nothing(
    db_url: str, db: psycopg.Connection
) -> None:
    with local_vendor("gpt-4o", "gpt-4o-mini") as vendor:
        env = {"DATABASE_URL": db_url, "SUPABASE_SERVICE_ROLE_KEY": SERVICE_KEY, **vendor.env()}
        with serve(env) as server, httpx.Client(base_url=server.url, timeout=30) as client:
            auth = bearer(SERVICE_KEY)
            dry = client.post("/functions/v1/sync-ai-models", json={"dry_run": True}, headers=auth)
            assert dry.status_code == 200, dry.text
            assert dry.json()["totals"]["inserted"] == 2
            assert db.execute("select count(*) from ai_providers").fetchone() == (0,)

            real = client.post("/", headers=auth)
            assert real.status_code == 200, real.text
            openai = next(r for r in real.json()["results"] if r["provider"] == "openai")
            assert sorted(openai["new_model_ids"]) == ["gpt-4o", "gpt-4o-mini"]
            assert db.execute("select count(*) from ai_providers").fetchone() == (2,)

            status = client.get("/", headers=auth).json()
            assert status["last_run"]["id"] == real.json()["run_id"]
            assert status["needs_sync"] is False

            assert client.post("/", headers=bearer(make_jwt("anon"))).status_code == 401
            assert client.get("/health").json()["database"] == "ok"
            assert vendor.requests == 2
    log = server.log()
    assert "Application shutdown complete" in log  # SIGTERM: lifespan closed the store
    for secret in (SERVICE_KEY, VENDOR_KEY, RAW_MARKER):
        assert secret not in log
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert sum(line["message"] == "run finished" for line in lines) == 2
    assert any(line.get("provider") == "openai" and line.get("inserted") == 2 for line in lines)
