"""The vendor fault harness: one database seeded with every vendor's healthy catalog, the local
vendor server, and a run of the real runner against both, with small limits so faults end fast."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import psycopg
import pytest
import pytest_asyncio

from ai_catalog.store.migrations import migrate
from ai_catalog.store.postgres import PostgresStore
from ai_catalog.vendors import PROVIDERS, RetryPolicy
from sync_ai_models.runner import RunOutcome, SyncRequest, run_sync
from tests.support.databases import PG_HOST, PG_PORT, PG_USER, SQL_DIR, conninfo
from tests.support.vendor_server import VendorServer
from tests.support.vendor_shapes import SHAPES, model_ids, vendor_env

DEADLINE = 10.0
"""Seconds a vendor may take in the tests (SYNC_VENDOR_DEADLINE_SECONDS): generous, so a healthy
vendor never misses it on a loaded machine; the hang and slowloris cases set SHORT_DEADLINE."""
SHORT_DEADLINE = 1.0
MAX_BYTES = 256 * 1024
MAX_PAGES = 6
LIMITS_ENV = {
    "SYNC_VENDOR_DEADLINE_SECONDS": str(DEADLINE),
    "SYNC_VENDOR_MAX_BYTES": str(MAX_BYTES),
    "SYNC_VENDOR_MAX_PAGES": str(MAX_PAGES),
}
CATALOG_TABLES = ("public.ai_providers", "public.ai_model_changes", "public.ai_sync_runs")


class RecordedSleeps:
    """The retry policy's sleep: records each wait and yields without waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(0)


@contextlib.contextmanager
def fresh_database() -> Iterator[str]:
    """A migrated database of this process's own (dropped afterwards)."""
    name = f"sync_ai_models_reliability_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = conninfo(PG_HOST, PG_PORT, PG_USER, "postgres", None)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    url = conninfo(PG_HOST, PG_PORT, PG_USER, name, None)
    try:
        migrate(url, SQL_DIR)
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'drop database if exists "{name}" with (force)')


class LogLines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage() + " " + " ".join(f"{v}" for v in record.__dict__.values())
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.lines.append(text)


@dataclass
class Harness:
    server: VendorServer
    db: psycopg.Connection[Any]
    db_url: str
    store: PostgresStore
    sleeps: RecordedSleeps = field(default_factory=RecordedSleeps)
    logs: LogLines = field(default_factory=LogLines)

    def policy(self) -> RetryPolicy:
        return RetryPolicy(
            attempts=3,
            initial_wait=0.01,
            max_wait=0.02,
            timeout=httpx.Timeout(0.5, connect=2.0),
            sleep=self.sleeps,
        )

    def env(self, *providers: str, **extra: str) -> dict[str, str]:
        return {**vendor_env(self.server.url, *providers), **LIMITS_ENV, **extra}

    async def run(self, *providers: str, env: dict[str, str] | None = None) -> RunOutcome:
        logger = logging.getLogger()
        logger.addHandler(self.logs)
        previous = logger.level
        logger.setLevel(logging.DEBUG)
        try:
            async with httpx.AsyncClient() as client:
                return await run_sync(
                    self.store,
                    SyncRequest(providers=list(providers)),
                    env=env if env is not None else self.env(*providers),
                    client=client,
                    trigger="manual",
                    policy=self.policy(),
                )
        finally:
            logger.removeHandler(self.logs)
            logger.setLevel(previous)

    def rows(self, provider: str) -> list[tuple[Any, ...]]:
        """Every column of the vendor's catalog rows, as text, ordered by id."""
        return [
            row
            for row in self.db.execute(
                "select api_identifier, to_jsonb(p)::text from public.ai_providers p "
                "where provider = %s order by api_identifier",
                (provider,),
            )
        ]

    def active_ids(self, provider: str) -> list[str]:
        return [
            row[0]
            for row in self.db.execute(
                "select api_identifier from public.ai_providers "
                "where provider = %s and is_active order by 1",
                (provider,),
            )
        ]

    def runs_left_running(self) -> int:
        found = self.db.execute(
            "select count(*) from public.ai_sync_runs where status in ('running', 'queued')"
        ).fetchone()
        return int(found[0]) if found else 0

    def run_row_text(self) -> str:
        return "\n".join(
            row[0] for row in self.db.execute("select to_jsonb(r)::text from public.ai_sync_runs r")
        )


async def seed(harness: Harness) -> None:
    """Every vendor's healthy catalog, synced once, kept as the table `reliability_seed`."""
    for provider in PROVIDERS:
        shape = SHAPES[provider]
        harness.server.handlers[provider] = shape.single(
            [shape.entry(m) for m in model_ids(provider)]
        )
    outcome = await harness.run(*PROVIDERS)
    failed = [r for r in outcome.results if r.status != "succeeded" or r.inserted != 10]
    assert not failed, f"seeding failed: {failed}"
    harness.db.execute("create table public.reliability_seed as select * from public.ai_providers")


def reset(harness: Harness) -> None:
    """Back to the seeded catalog, with no runs and no change log."""
    for table in CATALOG_TABLES:  # delete: quicker than truncate for a few rows
        harness.db.execute(f"delete from {table}")
    harness.db.execute("insert into public.ai_providers select * from public.reliability_seed")
    harness.db.execute("delete from public.ai_model_changes")
    harness.server.reset()


@pytest_asyncio.fixture(scope="module", loop_scope="module", name="seeded")
async def seeded_fixture() -> AsyncIterator[Harness]:
    """Test modules using it run on one event loop per module (`loop_scope="module"`)."""
    server = VendorServer().start()
    try:
        with fresh_database() as url, psycopg.connect(url, autocommit=True) as db:
            store = await PostgresStore(url).open()
            try:
                harness = Harness(server, db, url, store)
                await seed(harness)
                yield harness
            finally:
                await store.close()
    finally:
        server.stop()


@pytest.fixture(name="harness")
def harness_fixture(seeded: Harness) -> Iterator[Harness]:
    reset(seeded)
    seeded.sleeps.waits.clear()
    seeded.logs.lines.clear()
    try:
        yield seeded
    finally:
        seeded.server.release.set()
