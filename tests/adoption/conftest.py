"""An empty database per test (no migrations applied), for what exists before `migrate`."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from tests.support.databases import PG_HOST, PG_PORT, PG_USER, conninfo


@pytest.fixture
def empty_db() -> Iterator[str]:
    name = f"adopt_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = conninfo(PG_HOST, PG_PORT, PG_USER, "postgres", None)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    try:
        yield conninfo(PG_HOST, PG_PORT, PG_USER, name, None)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'drop database if exists "{name}" with (force)')
