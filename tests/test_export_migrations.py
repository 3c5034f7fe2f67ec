"""`export-migrations`: timestamped copies for supabase/migrations that neither re-run what
`migrate` applied nor get re-run by it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import psycopg
from click.testing import CliRunner

from ai_catalog.store.migrations import bundled_sql_dir, discover, export, ledger_name, migrate
from sync_ai_models.cli import main
from tests.support.databases import empty_database

NOW = datetime(2026, 12, 7, 14, 30, 0)


def ledger(url: str) -> dict[str, tuple[str, datetime]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "select name, checksum, applied_at from sync_ai_models.schema_migrations"
        ).fetchall()
    return {name: (checksum, applied_at) for name, checksum, applied_at in rows}


def apply_like_supabase(url: str, files: list[Path]) -> None:
    """`supabase db push`: each file, in version order, in its own transaction."""
    with psycopg.connect(url, autocommit=True) as conn:
        for path in sorted(files):
            with conn.transaction():
                conn.execute(path.read_text().encode())


def test_exported_names_sort_after_the_projects_own_and_are_stable(tmp_path: Path) -> None:
    (tmp_path / "20270101000000_create_profiles.sql").write_text("select 1;\n")
    first = export(tmp_path, now=NOW)
    names = [path.name for path in first]
    assert names[0] == "20270101000001_sync_ai_models_0001_roles.sql"
    assert names == sorted(names)
    assert all(name > "20270101000000_create_profiles.sql" for name in names)
    assert [ledger_name(name) for name in names] == [m.name for m in discover(bundled_sql_dir())]

    again = export(tmp_path, now=datetime(2027, 6, 1))
    assert again == first  # re-export rewrites the same files, adds none
    assert len(list(tmp_path.glob("*.sql"))) == len(first) + 1


def test_a_new_migration_is_exported_after_the_old_ones(tmp_path: Path) -> None:
    sql_dir = tmp_path / "sql"
    sql_dir.mkdir()
    (sql_dir / "0001_a.sql").write_text("select 1;\n")
    target = tmp_path / "migrations"
    export(target, sql_dir, now=NOW)
    (sql_dir / "0002_b.sql").write_text("select 2;\n")
    names = [path.name for path in export(target, sql_dir, now=NOW)]
    assert names == [
        "20261207143000_sync_ai_models_0001_a.sql",
        "20261207143001_sync_ai_models_0002_b.sql",
    ]


def test_exported_files_on_a_database_migrated_by_migrate_run_nothing(tmp_path: Path) -> None:
    with empty_database() as url:
        migrate(url)
        before = ledger(url)
        apply_like_supabase(url, export(tmp_path, now=NOW))
        assert ledger(url) == before  # no row rewritten, none added: nothing ran again


def test_migrate_after_the_exported_files_runs_nothing(tmp_path: Path) -> None:
    with empty_database() as url:
        apply_like_supabase(url, export(tmp_path, now=NOW))
        recorded = ledger(url)
        assert {name: checksum for name, (checksum, _) in recorded.items()} == {
            m.name: m.checksum for m in discover(bundled_sql_dir())
        }
        assert migrate(url) == []
        assert ledger(url) == recorded


def test_a_ledger_holding_exported_names_is_recognised(tmp_path: Path) -> None:
    with empty_database() as url:
        migrate(url)
        with psycopg.connect(url) as conn:
            conn.execute(
                "update sync_ai_models.schema_migrations set name = '20261207143000"
                "_sync_ai_models_' || name"
            )
        assert migrate(url) == []


def test_export_migrations_command(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export-migrations", str(tmp_path)])
    assert result.exit_code == 0, result.output
    written = sorted(tmp_path.glob("*_sync_ai_models_*.sql"))
    assert len(written) == len(discover(bundled_sql_dir()))
    assert f"{len(written)} migration(s) in {tmp_path}" in result.output
