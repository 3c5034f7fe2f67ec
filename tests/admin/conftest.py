"""Fixtures for the admin page: the real app over ASGI on a fresh database, a seeded catalog,
and a signed-in client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from typing import Any

import httpx
import pytest

from ai_catalog.store.postgres import PostgresStore
from sync_ai_models.http.app import create_app
from tests.support.admin import ClientFactory, seed_catalog, sign_in
from tests.support.http_app import make_settings


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
