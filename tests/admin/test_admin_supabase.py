"""The admin page over the Supabase back end (a PostgREST stand-in on the test database, as the
service_role): its SQL functions answer through RPC, with that role's grants and policies."""

from __future__ import annotations

from typing import Any

import httpx

from ai_catalog.store.postgres import PostgresStore
from ai_catalog.store.supabase import SupabaseStore
from sync_ai_models.http.app import create_app
from tests.support.admin import csrf_of, seed_catalog, sign_in
from tests.support.http_app import make_settings


async def test_the_page_over_supabase(
    store: PostgresStore, supabase_store: SupabaseStore, db_url: str, db: Any
) -> None:
    await seed_catalog(store)
    app = create_app(settings=make_settings(db_url), store=supabase_store, env={})
    async with (
        httpx.AsyncClient() as vendors,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as client,
    ):
        app.state.services.client = vendors
        assert (await sign_in(client)).status_code == 303
        assert "gpt-4o-mini" in (await client.get("/admin/?q=mini")).text
        model = await client.get("/admin/models/openai/gpt-4o")
        base = {"csrf": csrf_of(model.text), "provider": "openai", "api_identifier": "gpt-4o"}
        edit = {**base, "action": "edit", "field": "output_token_cost_rate", "value": "12"}
        assert (await client.post("/admin/models/action", data=edit)).status_code == 303
        page = (await client.get("/admin/models/openai/gpt-4o")).text
        assert "$12" in page and "hand-edited" in page
        bad = {**edit, "value": "-1"}
        refused = await client.post("/admin/models/action", data=bad)
        assert refused.status_code == 422
        assert "config.output_token_cost_rate must be a non-negative number" in refused.text
        release = {**base, "action": "release", "field": "output_token_cost_rate"}
        assert (await client.post("/admin/models/action", data=release)).status_code == 303
        assert "openai: succeeded" in (await client.get("/admin/runs")).text
        assert (await client.get("/admin/new")).status_code == 200
    rate = db.execute(
        "select config->>'output_token_cost_rate' from ai_providers where api_identifier = 'gpt-4o'"
    )
    assert rate.fetchone() == ("0.00001",)
