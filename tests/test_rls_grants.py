"""Who may do what: anon, authenticated and service_role against every table and function."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from tests.support.catalog import entry

ROLES = ("anon", "authenticated", "service_role")
ALL = {"select", "insert", "update", "delete"}

TABLE_STATEMENTS = {
    "ai_providers": {
        "select": "select count(*) from ai_providers",
        "insert": "insert into ai_providers (provider, api_identifier) values ('x', 'y')",
        "update": "update ai_providers set name = 'n'",
        "delete": "delete from ai_providers",
    },
    "ai_sync_runs": {
        "select": "select count(*) from ai_sync_runs",
        "insert": "insert into ai_sync_runs (trigger) values ('manual')",
        "update": "update ai_sync_runs set requested_by = 'x'",
        "delete": "delete from ai_sync_runs",
    },
    "ai_model_changes": {
        "select": "select count(*) from ai_model_changes",
        "insert": "insert into ai_model_changes (model_id, provider, api_identifier, kind) "
        "values (gen_random_uuid(), 'x', 'y', 'manual_edit')",
        "update": "update ai_model_changes set kind = 'updated'",
        "delete": "delete from ai_model_changes",
    },
    "ai_sync_status": {"select": "select * from ai_sync_status"},
    "ai_catalog_copies": {
        "select": "select count(*) from ai_catalog_copies",
        "insert": "insert into ai_catalog_copies (source, document) values ('x', '{}')",
        "update": "update ai_catalog_copies set etag = 'e'",
        "delete": "delete from ai_catalog_copies",
    },
}
ALLOWED = {
    ("authenticated", "ai_providers"): {"select"},
    ("service_role", "ai_providers"): ALL,
    ("service_role", "ai_sync_runs"): ALL,
    ("service_role", "ai_model_changes"): {"select", "insert"},  # the history is append-only
    ("service_role", "ai_sync_status"): {"select"},
    ("service_role", "ai_catalog_copies"): {"select", "insert", "update"},  # a copy is replaced
}
FUNCTIONS = {
    "sync_apply_provider_models": "select sync_apply_provider_models('zz', '[]'::jsonb)",
    "sync_start_run": "select sync_start_run('manual')",
    "sync_queue_run": "select sync_queue_run('manual')",
    "sync_finish_run": "select sync_finish_run(gen_random_uuid(), '[]'::jsonb)",
    "sync_status": "select sync_status()",
    "sync_reset_override": "select sync_reset_override('zz', 'none')",
    "sync_get_model_config": "select sync_get_model_config('zz', 'none')",
    "ai_config_error": "select ai_config_error('{}'::jsonb)",
    "ai_config_plainly_valid": "select ai_config_plainly_valid('{}'::jsonb)",
    "ai_overridden_fields": "select ai_overridden_fields('{}'::jsonb, '{}'::jsonb)",
    "sync_claim_run": "select sync_claim_run(gen_random_uuid())",
    "sync_model_fingerprints": "select sync_model_fingerprints('zz')",
    "sync_save_catalog_copy": "select sync_save_catalog_copy('zz', '{}'::jsonb)",
    "sync_load_catalog_copy": "select sync_load_catalog_copy('zz')",
}


@pytest.fixture
def seeded(db: psycopg.Connection) -> Iterator[psycopg.Connection]:
    import json

    models = [entry("enabled"), entry("unpriced", input_token_cost_rate=None), entry("gone")]
    db.execute(
        "select sync_apply_provider_models('openai', %s::jsonb)",
        (json.dumps([m.to_json() for m in models]),),
    )
    db.execute("update ai_providers set is_active = false where api_identifier = 'gone'")
    yield db


def attempt(db: psycopg.Connection, role: str, statement: str) -> bool:
    """Runs the statement as the role in a transaction rolled back afterwards; True if allowed."""
    db.execute("begin")
    try:
        db.execute(f"set local role {role}")
        db.execute(statement)
        return True
    except psycopg.errors.InsufficientPrivilege:
        return False
    except psycopg.Error:
        return True  # got past the privilege check (e.g. "run does not exist")
    finally:
        db.execute("rollback")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("table", TABLE_STATEMENTS)
def test_table_privileges(seeded: psycopg.Connection, role: str, table: str) -> None:
    allowed = {op for op, sql in TABLE_STATEMENTS[table].items() if attempt(seeded, role, sql)}
    assert allowed == ALLOWED.get((role, table), set())


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("function", FUNCTIONS)
def test_function_execute(seeded: psycopg.Connection, role: str, function: str) -> None:
    assert attempt(seeded, role, FUNCTIONS[function]) is (role == "service_role")


def test_no_sync_function_is_executable_by_public(db: psycopg.Connection) -> None:
    exposed = db.execute(
        """select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           where n.nspname = 'public' and (p.proname like 'sync\\_%' or p.proname like 'ai\\_%')
             and (has_function_privilege('anon', p.oid, 'execute')
                  or has_function_privilege('authenticated', p.oid, 'execute'))"""
    ).fetchall()
    assert exposed == []


def test_authenticated_reads_only_active_enabled_models(seeded: psycopg.Connection) -> None:
    seeded.execute("begin")
    seeded.execute("set local role authenticated")
    visible = seeded.execute("select api_identifier from ai_providers order by 1").fetchall()
    seeded.execute("rollback")
    assert visible == [("enabled",)]


def test_rls_is_enabled_on_every_table(db: psycopg.Connection) -> None:
    tables = db.execute(
        """select c.relname, c.relrowsecurity from pg_class c
           join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = 'public' and c.relkind = 'r' order by 1"""
    ).fetchall()
    assert tables == [
        ("ai_catalog_copies", True),
        ("ai_model_changes", True),
        ("ai_providers", True),
        ("ai_sync_runs", True),
    ]


def test_service_role_without_bypassrls_still_syncs(db: psycopg.Connection) -> None:
    """The policies, not only bypassrls, let service_role work (as on a stricter setup)."""
    db.execute("alter role service_role nobypassrls")
    try:
        db.execute("begin")
        db.execute("set local role service_role")
        result = db.execute(
            "select sync_apply_provider_models('openai', %s::jsonb)",
            ('[{"api_identifier": "m", "config": {}}]',),
        ).fetchone()
        seen = db.execute("select count(*) from ai_providers").fetchone()
        db.execute("rollback")
    finally:
        db.execute("alter role service_role bypassrls")
    assert result is not None and result[0]["inserted"] == 1
    assert seen == (1,)
