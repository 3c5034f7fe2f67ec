"""The admin page's content over HTTP: filters and sorting, a model's fields, sync now with its
progress, "already running", the new-models badge."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import httpx
import pytest
from markupsafe import escape

from ai_catalog.store.postgres import PostgresStore
from sync_ai_models.http.admin import forms
from tests.support.admin import ClientFactory, csrf_of, seed_catalog, sign_in
from tests.support.http_doubles import FakeVendors, vendor_env


def _models(html: str) -> list[str]:
    return re.findall(r'<td><a href="/admin/models/[^"]+">([^<]+)</a></td>', html)


async def test_filters_and_sorting(signed_in: httpx.AsyncClient, db: Any) -> None:
    db.execute(
        "update ai_providers set config = config || '{\"input_token_cost_rate\": 0.00000001}' "
        "where api_identifier = 'gpt-4o-mini'"
    )
    everything = (await signed_in.get("/admin/")).text
    assert sorted(_models(everything)) == ["gpt-4o", "gpt-4o-mini", "gpt-evil"]
    assert "openai</a>: 3 models, 3 active" in everything
    edited = (await signed_in.get("/admin/?overridden=yes")).text
    assert _models(edited) == ["gpt-4o-mini"]
    assert "✎ input_token_cost_rate" in edited
    assert _models((await signed_in.get("/admin/?q=MINI")).text) == ["gpt-4o-mini"]
    assert _models((await signed_in.get("/admin/?vendor=groq")).text) == []
    by_price = (await signed_in.get("/admin/?sort=input&dir=asc")).text
    assert _models(by_price)[0] == "gpt-4o-mini"
    assert "0.01" in by_price  # 1e-8 per token is $0.01 per 1M


@pytest.mark.parametrize(
    ("field", "entered", "meant"),
    [
        ("input_token_cost_rate", "2.5", 2.5e-6),
        ("input_token_cost_rate", "", None),
        ("context_window_tokens", "8192", 8192),
        ("tokenization_strategy", '{"type": "none"}', {"type": "none"}),
        ("notes", "free text", "free text"),
    ],
)
def test_what_a_typed_value_means(field: str, entered: str, meant: Any) -> None:
    assert forms.edited_value(field, entered) == meant


async def test_a_json_field_round_trips_through_its_form(
    signed_in: httpx.AsyncClient, db: Any
) -> None:
    strategy = db.execute(
        "select config->'tokenization_strategy' from ai_providers where api_identifier = 'gpt-4o'"
    ).fetchone()[0]
    assert isinstance(strategy, dict) and strategy
    html = (await signed_in.get("/admin/models/openai/gpt-4o")).text
    shown = str(escape(json.dumps(strategy, sort_keys=True)))
    assert '"' not in shown
    assert f'value="{shown}"' in html


async def _progress(client: httpx.AsyncClient, location: str) -> dict[str, Any]:
    """The run's progress once finished (polled: the run goes on in the background)."""
    async with asyncio.timeout(30):
        while True:
            body: dict[str, Any] = (await client.get(f"{location}/progress.json")).json()
            if body["finished"]:
                return body
            await asyncio.sleep(0.05)


async def test_sync_now_runs_in_the_background_and_reports_each_vendor(
    client_for: ClientFactory, store: PostgresStore, db: Any
) -> None:
    await seed_catalog(store)
    vendors = FakeVendors()
    vendors.lists("openai", "gpt-4o", "gpt-4o-mini", "gpt-evil", "gpt-5")
    client = await client_for(env=vendor_env("openai"), vendors=vendors.client())
    await sign_in(client)
    csrf = csrf_of((await client.get("/admin/sync")).text)
    response = await client.post("/admin/sync", data={"csrf": csrf, "vendor": ["openai", "groq"]})
    assert response.status_code == 303
    location = response.headers["location"]
    body = await _progress(client, location)
    assert body["status"] == "succeeded"
    assert [(p["provider"], p["status"]) for p in body["providers"]] == [
        ("openai", "succeeded"),
        ("groq", "skipped"),
    ]
    page = (await client.get(location)).text
    assert "openai/gpt-5" in page and 'id="progress"' not in page
    assert ">1 new</a>" in page
    new = (await client.get("/admin/new")).text
    assert "openai/gpt-5" in new and "gpt-4o-mini" not in new
    assert ">0 new</a>" in (await client.get("/admin/")).text
    assert db.execute(
        "select trigger, requested_by from ai_sync_runs order by queued_at desc"
    ).fetchone() == ("manual", "service_role_key")


async def test_a_dry_run_writes_nothing(client_for: ClientFactory, db: Any) -> None:
    vendors = FakeVendors()
    vendors.lists("openai", "gpt-new")
    client = await client_for(env=vendor_env("openai"), vendors=vendors.client())
    await sign_in(client)
    csrf = csrf_of((await client.get("/admin/sync")).text)
    data = {"csrf": csrf, "vendor": "openai", "dry_run": "on"}
    response = await client.post("/admin/sync", data=data)
    body = await _progress(client, response.headers["location"])
    assert body["dry_run"] and body["providers"][0]["inserted"] == 1
    assert db.execute("select count(*) from ai_providers").fetchone() == (0,)


async def test_sync_now_while_a_run_is_going_says_already_running(
    signed_in: httpx.AsyncClient, db: Any
) -> None:
    running = db.execute(
        "insert into ai_sync_runs (trigger, status, started_at) values ('cron', 'running', now()) "
        "returning id"
    ).fetchone()[0]
    csrf = csrf_of((await signed_in.get("/admin/sync")).text)
    response = await signed_in.post("/admin/sync", data={"csrf": csrf})
    assert response.status_code == 409
    assert "already running" in response.text
    assert f"/admin/runs/{running}" in response.text
    assert db.execute("select count(*) from ai_sync_runs").fetchone() == (2,)


async def test_unknown_vendor_is_refused(signed_in: httpx.AsyncClient) -> None:
    csrf = csrf_of((await signed_in.get("/admin/sync")).text)
    response = await signed_in.post("/admin/sync", data={"csrf": csrf, "vendor": "nope"})
    assert response.status_code == 400
    assert "unknown provider" in response.text


async def test_runs_history_and_detail(signed_in: httpx.AsyncClient, db: Any) -> None:
    run_id = db.execute("select id from ai_sync_runs").fetchone()[0]
    history = (await signed_in.get("/admin/runs")).text
    assert f"/admin/runs/{run_id}" in history and "openai: succeeded" in history
    detail = (await signed_in.get(f"/admin/runs/{run_id}")).text
    assert "added 3" in detail  # the change log's count for this run
    assert (await signed_in.get("/admin/runs/not-a-uuid")).status_code == 404


async def test_release_all_hands_every_field_back(signed_in: httpx.AsyncClient, db: Any) -> None:
    csrf = csrf_of((await signed_in.get("/admin/models/openai/gpt-4o")).text)
    base = {"csrf": csrf, "provider": "openai", "api_identifier": "gpt-4o"}
    for field, value in [("context_window_tokens", "64000"), ("notes", '"keep"')]:
        data = {**base, "action": "edit", "field": field, "value": value}
        assert (await signed_in.post("/admin/models/action", data=data)).status_code == 303
    page = (await signed_in.get("/admin/models/openai/gpt-4o")).text
    assert page.count("✎ hand-edited") == 2
    response = await signed_in.post("/admin/models/action", data={**base, "action": "release_all"})
    assert response.status_code == 303
    same = db.execute(
        "select config = sync_baseline from ai_providers where api_identifier = 'gpt-4o'"
    )
    assert same.fetchone() == (True,)
    page = (await signed_in.get(response.headers["location"])).text
    assert "Done: release_all." in page and "✎ hand-edited" not in page


async def test_an_unknown_action_is_refused(signed_in: httpx.AsyncClient) -> None:
    csrf = csrf_of((await signed_in.get("/admin/")).text)
    data = {"csrf": csrf, "provider": "openai", "api_identifier": "gpt-4o", "action": "drop"}
    assert (await signed_in.post("/admin/models/action", data=data)).status_code == 400
