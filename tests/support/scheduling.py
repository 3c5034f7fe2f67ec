"""Scheduling helpers: a fake vendor (and webhook receiver) on 127.0.0.1, the fixed pg_cron
database, worker subprocesses, and waiting on a condition.

pg_cron schedules only in the database named by `cron.database_name` (tests/run.sh sets it to
sync_ai_models_cron). That database is emptied and migrated again for each test that uses it,
not dropped: dropping it terminates the pg_cron launcher, which then does not come back until
the server restarts.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest

from ai_catalog.store.migrations import migrate
from sync_ai_models.demo.vendor_server import VendorState, vendor_app
from sync_ai_models.http.local_server import serve_in_thread
from tests.support.databases import PG_HOST, PG_PORT, PG_USER, SQL_DIR, conninfo

CRON_DB = "sync_ai_models_cron"
REPO_ROOT = SQL_DIR.parent


VENDOR_KEY = "sk-test"


class FakeVendor:
    """The shared fake vendor (sync_ai_models.demo.vendor_server) listing these OpenAI models,
    with its webhook receiver at `<url>/hook`."""

    def __init__(self, state: VendorState, url: str) -> None:
        self.state = state
        self.url = url
        self.models = ["gpt-4o", "gpt-4o-mini"]

    @property
    def models(self) -> list[str]:
        return [entry["id"] for entry in self.state.lists["openai"]]

    @models.setter
    def models(self, ids: list[str]) -> None:
        self.state.lists["openai"] = [
            {"id": m, "object": "model", "created": 1715367049, "owned_by": "system"} for m in ids
        ]

    @property
    def listings(self) -> int:
        return self.state.listings["openai"]

    @property
    def listing_started(self) -> threading.Event:
        return self.state.listing_started

    @property
    def hold(self) -> threading.Event | None:
        """When set to an unset Event, listing waits for it (a run caught mid-way)."""
        return self.state.hold

    @hold.setter
    def hold(self, event: threading.Event | None) -> None:
        self.state.hold = event

    @property
    def hook_status(self) -> int:
        return self.state.hook_status

    @hook_status.setter
    def hook_status(self, status: int) -> None:
        self.state.hook_status = status

    @property
    def hooks(self) -> list[tuple[bytes, dict[str, str]]]:
        return self.state.hooks

    def env(self) -> dict[str, str]:
        return {
            "OPENAI_API_KEY": VENDOR_KEY,
            "OPENAI_BASE_URL": f"{self.url}/openai",
            "SYNC_MODELS_DEV_URL": "off",  # tests never reach the network
        }


@contextmanager
def fake_vendor() -> Iterator[FakeVendor]:
    state = VendorState(VENDOR_KEY)
    with serve_in_thread(vendor_app(state)) as url:
        vendor = FakeVendor(state, url)
        try:
            yield vendor
        finally:
            if state.hold is not None:
                state.hold.set()


def _admin() -> psycopg.Connection[Any]:
    return psycopg.connect(conninfo(PG_HOST, PG_PORT, PG_USER, "postgres", None), autocommit=True)


def cron_database_url() -> str:
    return conninfo(PG_HOST, PG_PORT, PG_USER, CRON_DB, None)


def _require_pg_cron() -> None:
    with _admin() as admin:
        preload = admin.execute("show shared_preload_libraries").fetchone()
        row = admin.execute("select current_setting('cron.database_name', true)").fetchone()
    if "pg_cron" not in (preload[0] if preload else "") or (row and row[0]) != CRON_DB:
        pytest.skip(
            f"pg_cron is not preloaded with cron.database_name = '{CRON_DB}' (run tests/run.sh)"
        )


def reset_cron_database(settings: dict[str, str] | None = None) -> str:
    """Empties (or creates) the pg_cron database, sets database-level settings, migrates it."""
    _require_pg_cron()
    with _admin() as admin:
        if admin.execute("select 1 from pg_database where datname = %s", (CRON_DB,)).fetchone():
            with psycopg.connect(cron_database_url(), autocommit=True) as conn:
                _empty(conn)
        else:
            admin.execute(f"create database {CRON_DB}")
        admin.execute(f"alter database {CRON_DB} reset all")
        for name, value in (settings or {}).items():
            admin.execute(f"alter database {CRON_DB} set {name} = '{value}'")
    migrate(cron_database_url(), SQL_DIR)
    return cron_database_url()


def _empty(conn: psycopg.Connection[Any]) -> None:
    conn.execute(
        """select pg_terminate_backend(pid) from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid()
              and backend_type = 'client backend'"""
    )
    conn.execute("drop extension if exists pg_cron")  # and with it every job
    for schema in ("public", "sync_ai_models", "net", "vault"):
        conn.execute(f"drop schema if exists {schema} cascade")
    conn.execute("create schema public")
    conn.execute("grant usage on schema public to public")


def clean_env(extra: dict[str, str]) -> dict[str, str]:
    """The parent's environment without any vendor or database setting, plus `extra`."""
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.endswith(("_API_KEY", "_BASE_URL", "_ENABLED"))
        and not k.startswith(("SUPABASE_", "SYNC_", "DATABASE_URL"))
    }
    return {**keep, "SYNC_MODELS_DEV_URL": "off", **extra}  # tests never reach the network


@dataclass
class WorkerProcess:
    process: subprocess.Popen[str]

    def signal(self, signum: signal.Signals) -> None:
        self.process.send_signal(signum)

    def wait(self, timeout: float = 30) -> int:
        return self.process.wait(timeout=timeout)


def wait_for(check: Callable[[], Any], timeout: float = 30, what: str = "condition") -> Any:
    """Polls `check` until it returns something truthy (not a timing assertion: a deadline)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.1)
