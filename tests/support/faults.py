"""Helpers shared by the reliability tests: small database timeouts, killing the app's backends,
waiting on a condition."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import psycopg

from ai_catalog.store.postgres import Timeouts

FAST = Timeouts(statement=2.0, lock=0.5, connect=2.0)
"""Small bounds, so that a fault costs seconds; still generous for a loaded 2-core machine."""


def kill_backends(db: psycopg.Connection) -> int:
    """pg_terminate_backend on every other connection to this database (the app's pool)."""
    row = db.execute(
        "select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity"
        " where datname = current_database() and pid <> pg_backend_pid()"
    ).fetchone()
    assert row is not None
    return int(row[0])


async def wait_until(check: Callable[[], Awaitable[Any]], within: float = 30) -> Any:
    """Calls `check` until it answers something truthy (a deadline, not a timing assertion)."""
    deadline = time.monotonic() + within
    while not (value := await check()):
        assert time.monotonic() < deadline, f"nothing after {within} s"
        await asyncio.sleep(0.05)
    return value
