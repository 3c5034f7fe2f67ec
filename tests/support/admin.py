"""Helpers for the admin page tests: a seeded catalog with a hostile name, the CSRF field of a
page, signing in."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx

from ai_catalog.store.postgres import PostgresStore
from tests.support.catalog import entry
from tests.support.http_doubles import SERVICE_KEY

HOSTILE_NAME = "<script>alert('name')</script>"
HOSTILE_DESCRIPTION = "<img src=x onerror=alert(1)><script>alert('description')</script>"

ClientFactory = Callable[..., Any]


async def seed_catalog(store: PostgresStore) -> None:
    """One finished run that added three OpenAI models, one with a hostile name."""
    run_id = await store.start_run("manual")
    hostile = entry("gpt-evil").model_copy(
        update={"name": HOSTILE_NAME, "description": HOSTILE_DESCRIPTION}
    )
    result = await store.apply_provider_models(
        "openai", [entry("gpt-4o"), entry("gpt-4o-mini"), hostile], run_id=run_id
    )
    await store.finish_run(run_id, [result.model_dump(mode="json")])


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


async def sign_in(client: httpx.AsyncClient, key: str = SERVICE_KEY) -> httpx.Response:
    form = await client.get("/admin/login")
    return await client.post("/admin/login", data={"csrf": csrf_of(form.text), "key": key})
