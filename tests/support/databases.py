"""Empty databases on the test Postgres, for tests that migrate one themselves."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

PG_HOST = os.environ.get("TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("TEST_PG_USER", "postgres")


def server_url(dbname: str = "postgres") -> str:
    return f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{dbname}"


@contextmanager
def empty_database() -> Iterator[str]:
    """A new database with nothing in it (its URL), dropped afterwards."""
    name = f"sync_ai_models_empty_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url(), autocommit=True) as admin:
        admin.execute(f'create database "{name}"')
    try:
        yield server_url(name)
    finally:
        with psycopg.connect(server_url(), autocommit=True) as admin:
            admin.execute(f'drop database if exists "{name}" with (force)')
