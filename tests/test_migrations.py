from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from ai_catalog.errors import DatabaseUnavailable, MigrationError
from ai_catalog.store.migrations import discover, migrate
from tests.support.databases import SQL_DIR


def test_migrations_are_applied_once_and_recorded(db: psycopg.Connection, db_url: str) -> None:
    names = [m.name for m in discover(SQL_DIR)]
    recorded = [
        r[0]
        for r in db.execute(
            "select name from sync_ai_models.schema_migrations order by name"
        ).fetchall()
    ]
    assert recorded == names
    assert migrate(db_url, SQL_DIR) == []  # idempotent: nothing pending


def test_a_changed_applied_migration_is_refused(db_url: str, tmp_path: Path) -> None:
    for migration in discover(SQL_DIR):
        (tmp_path / migration.name).write_text(migration.sql)
    first = sorted(tmp_path.glob("*.sql"))[0]
    first.write_text(first.read_text() + "\n-- edited\n")
    with pytest.raises(MigrationError, match="changed after it was applied"):
        migrate(db_url, tmp_path)


def test_a_failing_migration_names_the_file_and_leaves_no_ledger_row(
    db: psycopg.Connection, db_url: str, tmp_path: Path
) -> None:
    for migration in discover(SQL_DIR):
        (tmp_path / migration.name).write_text(migration.sql)
    (tmp_path / "9999_broken.sql").write_text("create table t (id int);\nselect nonsense from;\n")
    with pytest.raises(MigrationError, match=r"9999_broken\.sql failed"):
        migrate(db_url, tmp_path)
    assert db.execute("select to_regclass('public.t')").fetchone() == (None,)
    assert db.execute(
        "select count(*) from sync_ai_models.schema_migrations where name = '9999_broken.sql'"
    ).fetchone() == (0,)


def test_unreachable_database_is_a_clear_error() -> None:
    with pytest.raises(DatabaseUnavailable, match="cannot connect to the database"):
        migrate("postgresql://postgres@127.0.0.1:1/nowhere", SQL_DIR)


def test_missing_sql_folder_is_a_clear_error(tmp_path: Path, db_url: str) -> None:
    with pytest.raises(MigrationError, match="does not exist"):
        migrate(db_url, tmp_path / "nope")
