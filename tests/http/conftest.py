"""Fixtures: the real app over ASGI, on a fresh migrated database, with fake vendors."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import AsyncExitStack
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from ai_catalog.store.postgres import PostgresStore
from sync_ai_models.http.app import create_app
from tests.support.http_app import AppClientFactory, LogLines, make_settings
from tests.support.http_doubles import SERVICE_KEY, FakeVendors, bearer, vendor_env


@pytest.fixture
def vendors() -> FakeVendors:
    return FakeVendors()


@pytest.fixture
async def app_client_for(
    store: PostgresStore, db_url: str, vendors: FakeVendors
) -> AsyncIterator[AppClientFactory]:
    """Makes an httpx client for an app with these settings overrides and vendor env."""
    async with AsyncExitStack() as stack:

        async def make(env: Mapping[str, str] | None = None, **overrides: Any) -> httpx.AsyncClient:
            vendor_client = await stack.enter_async_context(vendors.client())
            app = create_app(
                settings=make_settings(db_url, **overrides),
                store=store,
                env=vendor_env("openai", "groq") if env is None else env,
                http_client=vendor_client,
            )
            return await stack.enter_async_context(_asgi_client(app))

        yield make


@pytest.fixture
async def client(app_client_for: AppClientFactory) -> httpx.AsyncClient:
    """An app with both credentials configured and openai + groq keyed (the default)."""
    made: httpx.AsyncClient = await app_client_for()
    return made


def _asgi_client(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


@pytest.fixture
def auth() -> dict[str, str]:
    return bearer(SERVICE_KEY)


@pytest.fixture
def json_logs() -> Iterator[LogLines]:
    """Every line the app's loggers write, formatted as the server writes them."""
    logger = logging.getLogger("sync_ai_models")
    handler = LogLines()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
