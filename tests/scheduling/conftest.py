"""Fixtures for scheduling: a fake vendor on 127.0.0.1, the fixed pg_cron database, and
`sync-ai-models worker` subprocesses (helpers in tests/support/scheduling.py)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest

from tests.support.scheduling import (
    REPO_ROOT,
    FakeVendor,
    WorkerProcess,
    clean_env,
    fake_vendor,
    reset_cron_database,
)


@pytest.fixture
def vendor() -> Iterator[FakeVendor]:
    with fake_vendor() as fake:
        yield fake


@pytest.fixture
def cron_db_url() -> Iterator[str]:
    url = reset_cron_database()
    try:
        yield url
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("drop extension if exists pg_cron")  # no job outlives its test


@pytest.fixture
def cron_db(cron_db_url: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(cron_db_url, autocommit=True) as conn:
        yield conn


@pytest.fixture
def spawn_worker() -> Iterator[Callable[..., WorkerProcess]]:
    """Starts `sync-ai-models worker` in a subprocess; kills what is left at the end."""
    started: list[subprocess.Popen[str]] = []

    def spawn(db_url: str, env: dict[str, str], *args: str) -> WorkerProcess:
        process = subprocess.Popen(
            [sys.executable, "-m", "sync_ai_models.cli", "-v", "worker", *args],
            cwd=REPO_ROOT,
            env=clean_env({"DATABASE_URL": db_url, **env}),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        started.append(process)
        return WorkerProcess(process)

    yield spawn
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()
