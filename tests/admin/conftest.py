"""Fixtures for the admin page: the real app over ASGI on a fresh database, a seeded catalog,
and a signed-in client."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from typing import Any

import httpx
import pytest

from ai_catalog.store.postgres import PostgresStore
from sync_ai_models.http.app import create_app
from tests.support.catalog import entry
from tests.support.http_app import make_settings
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


@pytest.fixture
async def client_for(store: PostgresStore, db_url: str) -> AsyncIterator[ClientFactory]:
    """Makes a client for an app with these settings overrides (and env)."""
    async with AsyncExitStack() as stack:

        async def make(
            env: dict[str, str] | None = None,
            base_url: str = "http://testserver",
            vendors: httpx.AsyncClient | None = None,
            **overrides: Any,
        ) -> httpx.AsyncClient:
            vendors = await stack.enter_async_context(vendors or httpx.AsyncClient())
            app = create_app(
                settings=make_settings(db_url, **overrides),
                store=store,
                env=env or {},
                http_client=vendors,
            )
            transport = httpx.ASGITransport(app=app)
            return await stack.enter_async_context(
                httpx.AsyncClient(transport=transport, base_url=base_url)
            )

        yield make


@pytest.fixture
async def client(client_for: ClientFactory, store: PostgresStore) -> httpx.AsyncClient:
    await seed_catalog(store)
    made: httpx.AsyncClient = await client_for()
    return made


@pytest.fixture
async def signed_in(client: httpx.AsyncClient) -> httpx.AsyncClient:
    response = await sign_in(client)
    assert response.status_code == 303, response.text
    return client
