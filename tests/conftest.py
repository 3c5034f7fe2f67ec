"""Shared fixtures: a fresh, migrated database per test on the machine's running Postgres."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Iterator

import psycopg
import pytest
from pytest_postgresql import factories

from ai_catalog.store.migrations import migrate
from ai_catalog.store.postgres import PostgresStore
from ai_catalog.store.supabase import SupabaseStore
from tests.support.databases import PG_HOST, PG_PORT, PG_USER, SQL_DIR, conninfo
from tests.support.postgrest_standin import JWT_SECRET, role_key, serve

# Whatever a test's environment leaves out, a sync in it never fetches models.dev from the
# network (processes and code that read os.environ).
os.environ.setdefault("SYNC_MODELS_DEV_URL", "off")


def load_migrations(
    host: str, port: int, user: str, dbname: str, password: str | None, **_: object
) -> None:
    migrate(conninfo(host, port, user, dbname, password), SQL_DIR)


postgresql_noproc = factories.postgresql_noproc(
    host=PG_HOST,
    port=PG_PORT,
    user=PG_USER,
    # one name per pytest process: two sessions at once must not share a template database
    dbname=f"sync_ai_models_test_{os.getpid()}",
    load=[load_migrations],
)
postgresql = factories.postgresql("postgresql_noproc")


@pytest.fixture(autouse=True)
def app_logger_restored() -> Iterator[None]:
    """A CLI test's `configure_logging` takes the app's logger off the root (own handler, no
    propagation): put it back after each test, so a later test's caplog still sees its logs."""
    logger = logging.getLogger("sync_ai_models")
    handlers, level, propagate = logger.handlers[:], logger.level, logger.propagate
    yield
    logger.handlers[:] = handlers
    logger.setLevel(level)
    logger.propagate = propagate


@pytest.fixture
def db_url(postgresql: psycopg.Connection) -> str:
    info = postgresql.info
    return conninfo(info.host, info.port, info.user, info.dbname, info.password)


@pytest.fixture
def db(postgresql: psycopg.Connection) -> psycopg.Connection:
    """A superuser connection in autocommit, for arranging and inspecting rows."""
    postgresql.autocommit = True
    return postgresql


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[PostgresStore]:
    opened = await PostgresStore(db_url).open()
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def postgrest_url(db_url: str) -> Iterator[str]:
    """The PostgREST stand-in over the test database (tests/support/postgrest_standin.py)."""
    with serve(db_url, JWT_SECRET) as url:
        yield url


@pytest.fixture
async def supabase_store(postgrest_url: str) -> AsyncIterator[SupabaseStore]:
    opened = await SupabaseStore(postgrest_url, role_key(JWT_SECRET, "service_role")).open()
    yield opened
    await opened.close()
