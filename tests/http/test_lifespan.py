"""Without an injected store or client the app opens its own on startup and closes them."""

from __future__ import annotations

import httpx
import pytest

from ai_catalog.errors import DatabaseUnavailable
from sync_ai_models.http.app import create_app
from tests.support.http_app import make_settings
from tests.support.http_doubles import SERVICE_KEY, bearer


async def test_the_app_opens_its_store_on_startup_and_closes_it(db_url: str) -> None:
    app = create_app(settings=make_settings(db_url), env={})
    services = app.state.services
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        assert (await client.get("/health")).status_code == 503  # not started yet
        async with app.router.lifespan_context(app):
            store, vendor_client = services.store, services.client
            assert (await client.get("/health")).status_code == 200
            response = await client.post("/", headers=bearer(SERVICE_KEY))
            assert response.status_code == 200
        assert (services.store, services.client) == (None, None)
        assert vendor_client.is_closed
        assert (await client.get("/health")).status_code == 503
        assert (await client.post("/", headers=bearer(SERVICE_KEY))).status_code == 503
    with pytest.raises(DatabaseUnavailable, match="closed"):  # its pool closed on shutdown
        await store.status()
