"""The test Postgres: where it is, the repo's migrations, and empty databases for tests that
migrate one themselves."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

REPO_ROOT = Path(__file__).resolve().parents[2]
SQL_DIR = REPO_ROOT / "sql"
PG_HOST = os.environ.get("TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("TEST_PG_USER", "postgres")


def conninfo(host: str, port: int | str, user: str, dbname: str, password: str | None) -> str:
    auth = f"{user}:{password}" if password else user
    return f"postgresql://{auth}@{host}:{port}/{dbname}"


def server_url(dbname: str = "postgres") -> str:
    return conninfo(PG_HOST, PG_PORT, PG_USER, dbname, None)


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
