"""After a POST that changed the catalog, the webhook hears about it (after the answer)."""

from __future__ import annotations

import json

from sync_ai_models.notify import SIGNATURE_HEADER, verify_signature
from tests.support.http_app import AppClientFactory
from tests.support.http_doubles import FakeVendors, vendor_env

HOOK = "https://hooks.test/sync"


async def test_post_notifies_the_webhook(
    app_client_for: AppClientFactory, vendors: FakeVendors, auth: dict[str, str]
) -> None:
    vendors.lists("openai", "gpt-4o", "gpt-4o-mini")
    env = {**vendor_env("openai"), "SYNC_WEBHOOK_URL": HOOK, "SYNC_WEBHOOK_SECRET": "s3cret"}
    client = await app_client_for(env=env)
    response = await client.post("/", headers=auth)
    assert response.status_code == 200
    [hook] = [r for r in vendors.requests if str(r.url) == HOOK]
    body = hook.content
    assert verify_signature("s3cret", body, hook.headers[SIGNATURE_HEADER])
    message = json.loads(body)
    assert message["run_id"] == response.json()["run_id"]
    assert sorted(message["new_models"]) == ["openai/gpt-4o", "openai/gpt-4o-mini"]


async def test_dry_run_notifies_nobody(
    app_client_for: AppClientFactory, vendors: FakeVendors, auth: dict[str, str]
) -> None:
    vendors.lists("openai", "gpt-4o")
    client = await app_client_for(env={**vendor_env("openai"), "SYNC_WEBHOOK_URL": HOOK})
    assert (await client.post("/", headers=auth, json={"dry_run": True})).status_code == 200
    assert [r for r in vendors.requests if str(r.url) == HOOK] == []
