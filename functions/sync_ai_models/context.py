"""Where a command gets its database: DATABASE_URL, else Supabase, else the embedded default.

Supabase's client and the embedded server are imported only when chosen: supabase-py alone
costs a third of a second of start-up that a `sync` with DATABASE_URL should not pay."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from ai_catalog.model_config import ModelConfig
from ai_catalog.store.base import CatalogStore
from ai_catalog.store.migrations import migrate
from ai_catalog.store.postgres import PostgresStore
from sync_ai_models.settings import Settings, load_settings


def database_url(settings: Settings) -> str | None:
    """The Postgres URL to use directly, starting and migrating the embedded one if needed.
    None means: go through Supabase."""
    if settings.database_url:
        return settings.database_url
    if settings.uses_supabase:
        return None
    from ai_catalog.store.embedded import embedded_database_url

    url = embedded_database_url(settings.sync_ai_models_data_dir)
    migrate(url, settings.sync_ai_models_sql_dir)
    return url


async def open_store(settings: Settings) -> CatalogStore:
    url = database_url(settings)
    if url is None:
        assert settings.supabase_url and settings.supabase_service_role_key
        from ai_catalog.store.supabase import SupabaseStore

        return await SupabaseStore(
            settings.supabase_url,
            settings.supabase_service_role_key,
            run_max_seconds=settings.sync_run_max_seconds,
        ).open()
    return await PostgresStore(
        url, timeouts=settings.db_timeouts, run_max_seconds=settings.sync_run_max_seconds
    ).open()


@asynccontextmanager
async def store_session(settings: Settings | None = None) -> AsyncIterator[CatalogStore]:
    store = await open_store(settings or load_settings())
    try:
        yield store
    finally:
        await store.close()


async def fetch_model_config(provider: str, model_id: str) -> ModelConfig | None:
    """A model's config from the catalog (for `estimate`); None when the model is not there."""
    async with store_session() as store:
        return await store.get_model_config(provider, model_id)
