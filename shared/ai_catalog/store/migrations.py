"""Applies sql/*.sql in file-name order, each once, with a ledger and a checksum; exports them
for a Supabase project's `supabase/migrations/`.

The ledger (`sync_ai_models.schema_migrations`) names each migration by its file name in `sql/`
(`0001_roles.sql`). An exported copy (`<YYYYMMDDHHMMSS>_sync_ai_models_0001_roles.sql`) records
itself in the same ledger under the same name and does nothing when that name is already there,
so `sync-ai-models migrate` and `supabase db push` can each follow the other: nothing runs twice.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
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
EXPORT_MARK = "_sync_ai_models_"
# `20261207143000_sync_ai_models_0001_roles.sql`: a Supabase version, our mark, the ledger name
EXPORTED_NAME = re.compile(r"^(?P<version>\d{14})" + EXPORT_MARK + r"(?P<name>.+\.sql)$")
EXPORT_QUOTE = "$sync_ai_models_migration$"
EXPORT_TEMPLATE = """\
-- {name} from sync-ai-models, exported by `sync-ai-models export-migrations`; do not edit.
-- It runs once per database: skipped when sync-ai-models' ledger already holds {name}
-- (applied by `sync-ai-models migrate`), and recorded there after it runs.
{ledger_ddl}
do {quote_outer}
begin
  if exists (select 1 from sync_ai_models.schema_migrations where name = '{name}') then
    return;
  end if;
  execute {quote}
{sql}
{quote};
  insert into sync_ai_models.schema_migrations (name, checksum) values ('{name}', '{checksum}');
end
{quote_outer};
"""


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


def ledger_name(file_name: str) -> str:
    """The ledger's name for a migration file, exported (timestamped) or not."""
    exported = EXPORTED_NAME.match(file_name)
    return exported["name"] if exported else file_name


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
        done = {ledger_name(name): checksum for name, checksum in rows.fetchall()}
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


def export(target: Path, sql_dir: Path | None = None, now: datetime | None = None) -> list[Path]:
    """Writes each migration into `target` (a Supabase project's `supabase/migrations/`) as
    `<YYYYMMDDHHMMSS>_sync_ai_models_<name>`; returns the files written.

    A migration already exported there keeps its file name (re-export changes nothing); a new one
    gets a version after every file in `target`, so it sorts after the project's own migrations.
    """
    migrations = discover(sql_dir or bundled_sql_dir())
    target.mkdir(parents=True, exist_ok=True)
    existing = sorted(path.name for path in target.glob("*.sql"))
    exported = {match["name"]: name for name in existing if (match := EXPORTED_NAME.match(name))}
    versions = [name[:14] for name in existing if name[:14].isdigit()]
    moment = (now or datetime.now(UTC)).replace(microsecond=0, tzinfo=None)
    if versions:
        moment = max(
            moment, datetime.strptime(max(versions), "%Y%m%d%H%M%S") + timedelta(seconds=1)
        )
    written: list[Path] = []
    for migration in migrations:
        file_name = exported.get(migration.name)
        if file_name is None:
            file_name = f"{moment:%Y%m%d%H%M%S}{EXPORT_MARK}{migration.name}"
            moment += timedelta(seconds=1)
        path = target / file_name
        path.write_text(_exported_sql(migration))
        written.append(path)
    return written


def _exported_sql(migration: Migration) -> str:
    if EXPORT_QUOTE in migration.sql:
        raise MigrationError(f"{migration.name} contains {EXPORT_QUOTE}; it cannot be exported")
    return EXPORT_TEMPLATE.format(
        name=migration.name,
        checksum=migration.checksum,
        ledger_ddl=LEDGER_DDL.strip(),
        quote=EXPORT_QUOTE,
        quote_outer=EXPORT_QUOTE.replace("migration", "export"),
        sql=migration.sql.rstrip("\n"),
    )


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
