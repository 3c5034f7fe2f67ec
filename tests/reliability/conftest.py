"""Fixtures for the database-fault tests: a breakable TCP proxy in front of the test database,
a store and an app that reach the database only through it, with small timeouts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack

import httpx
import pytest

from ai_catalog.store.postgres import PostgresStore
from sync_ai_models.http.app import create_app
from tests.support.faults import FAST
from tests.support.http_app import make_settings
from tests.support.http_doubles import FakeVendors, vendor_env
from tests.support.scheduling import FakeVendor, fake_vendor
from tests.support.tcp_proxy import TcpProxy, proxy_to


@pytest.fixture
def proxy(db_url: str) -> Iterator[TcpProxy]:
    with proxy_to(db_url) as opened:
        yield opened


@pytest.fixture
async def proxied_store(proxy: TcpProxy, db_url: str) -> AsyncIterator[PostgresStore]:
    opened = await PostgresStore(proxy.url_for(db_url), timeouts=FAST).open()
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def vendor() -> Iterator[FakeVendor]:
    """A vendor server on 127.0.0.1 (for subprocesses), which can hold a listing mid-way."""
    with fake_vendor() as fake:
        yield fake


@pytest.fixture
def vendors() -> FakeVendors:
    fake = FakeVendors()
    fake.lists("openai", "gpt-4o", "gpt-4o-mini")
    return fake


@pytest.fixture
async def app(
    proxied_store: PostgresStore, db_url: str, vendors: FakeVendors
) -> AsyncIterator[httpx.AsyncClient]:
    """The app (openai keyed) over ASGI; its store reaches the database through the proxy."""
    async with AsyncExitStack() as stack:
        vendor_client = await stack.enter_async_context(vendors.client())
        asgi = create_app(
            settings=make_settings(db_url),
            store=proxied_store,
            env=vendor_env("openai"),
            http_client=vendor_client,
        )
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=asgi), base_url="http://testserver", timeout=120
        )
        yield await stack.enter_async_context(client)
