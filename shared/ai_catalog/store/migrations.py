"""Applies sql/*.sql in file-name order, each once, with a ledger and a checksum."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import psycopg

from ai_catalog.errors import DatabaseUnavailable, MigrationError

LEDGER_DDL = """
create schema if not exists sync_ai_models;
create table if not exists sync_ai_models.schema_migrations (
  name text primary key,
  checksum text not null,
  applied_at timestamptz not null default now()
);
revoke all on schema sync_ai_models from public;
"""
# one migrator at a time per database (two replicas starting together)
LOCK_KEY = 0x5A1_0001


@dataclass(frozen=True)
class Migration:
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def bundled_sql_dir() -> Path:
    """The migrations shipped inside the package (the repo's `sql/`, linked into ai_catalog)."""
    return Path(str(files("ai_catalog") / "sql"))


def discover(sql_dir: Path) -> list[Migration]:
    if not sql_dir.is_dir():
        raise MigrationError(f"migrations folder {sql_dir} does not exist")
    paths = sorted(sql_dir.glob("*.sql"))
    if not paths:
        raise MigrationError(f"no .sql files in {sql_dir}")
    return [Migration(path.name, path.read_text()) for path in paths]


def migrate(
    conninfo: str, sql_dir: Path | None = None, log: Callable[[str], None] = lambda _: None
) -> list[str]:
    """Applies the pending migrations; returns their names. Idempotent."""
    migrations = discover(sql_dir or bundled_sql_dir())
    try:
        conn = psycopg.connect(conninfo, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as exc:
        raise DatabaseUnavailable(f"cannot connect to the database: {_first_line(exc)}") from exc
    applied: list[str] = []
    # what a migration reports (RAISE NOTICE: rows rewritten, a table adopted) reaches the caller;
    # Postgres' own "... does not exist, skipping" of idempotent DDL does not
    conn.add_notice_handler(
        lambda notice: (
            None
            if (notice.message_primary or "").endswith(", skipping")
            else log(f"  {notice.message_primary}")
        )
    )
    with conn:
        conn.execute("select pg_advisory_lock(%s)", (LOCK_KEY,))
        conn.execute(LEDGER_DDL)
        rows = conn.execute("select name, checksum from sync_ai_models.schema_migrations")
        done: dict[str, str] = {name: checksum for name, checksum in rows.fetchall()}
        for migration in migrations:
            if migration.name in done:
                if done[migration.name] != migration.checksum:
                    raise MigrationError(
                        f"migration {migration.name} changed after it was applied; "
                        "add a new migration file instead of editing an applied one"
                    )
                continue
            log(f"applying {migration.name}")
            try:
                with conn.transaction():
                    conn.execute(migration.sql.encode())
                    conn.execute(
                        "insert into sync_ai_models.schema_migrations (name, checksum) "
                        "values (%s, %s)",
                        (migration.name, migration.checksum),
                    )
            except psycopg.Error as exc:
                raise MigrationError(f"{migration.name} failed: {_first_line(exc)}") from exc
            applied.append(migration.name)
        conn.execute("select pg_advisory_unlock(%s)", (LOCK_KEY,))
    return applied


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
