"""Scheduling helpers: a fake vendor (and webhook receiver) on 127.0.0.1, the fixed pg_cron
database, worker subprocesses, and waiting on a condition.

pg_cron schedules only in the database named by `cron.database_name` (tests/run.sh sets it to
sync_ai_models_cron). That database is emptied and migrated again for each test that uses it,
not dropped: dropping it terminates the pg_cron launcher, which then does not come back until
the server restarts.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

import psycopg
import pytest

from ai_catalog.store.migrations import migrate
from tests.support.databases import PG_HOST, PG_PORT, PG_USER, SQL_DIR, conninfo

CRON_DB = "sync_ai_models_cron"
REPO_ROOT = SQL_DIR.parent


@dataclass
class FakeVendor:
    """An OpenAI-style vendor (GET /v1/models) and a webhook receiver (POST /hook)."""

    models: list[str] = field(default_factory=lambda: ["gpt-4o", "gpt-4o-mini"])
    listings: int = 0
    hold: threading.Event | None = None
    """When set to an unset Event, GET /v1/models waits for it (a run caught mid-way)."""
    listing_started: threading.Event = field(default_factory=threading.Event)
    hook_status: int = 200
    hooks: list[tuple[bytes, dict[str, str]]] = field(default_factory=list)
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def env(self) -> dict[str, str]:
        return {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": f"{self.url}/v1"}


def vendor_handler(vendor: FakeVendor) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(self, status: int, payload: Any) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            # the client may have gone away (a worker killed mid-run, on purpose)
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path.split("?")[0] != "/v1/models":
                self._send(404, {"error": "not found"})
                return
            with vendor.lock:
                vendor.listings += 1
            vendor.listing_started.set()
            if vendor.hold is not None:
                vendor.hold.wait(timeout=60)
            data = [
                {"id": m, "object": "model", "created": 1715367049, "owned_by": "system"}
                for m in vendor.models
            ]
            self._send(200, {"object": "list", "data": data})

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with vendor.lock:
                vendor.hooks.append((body, dict(self.headers.items())))
            self._send(vendor.hook_status, {"ok": vendor.hook_status < 400})

    return Handler


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
    return {**keep, **extra}


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
