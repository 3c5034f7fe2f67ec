"""Who may do what, for EVERY function and table the migrations create: anon, authenticated,
service_role and the owner, against each function's EXECUTE and each table's select, insert,
update and delete.

The lists of functions and tables come from pg_catalog, so a new function or table that is not
in the expected tables below fails the test until someone decides (and writes down) who may use
it. Each expectation is checked twice: in the catalog (has_*_privilege) and by trying it as the
role (in a transaction rolled back afterwards)."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

API_ROLES = ("anon", "authenticated", "service_role")
SERVICE = frozenset({"service_role"})
APPS = frozenset({"authenticated", "service_role"})
NOBODY: frozenset[str] = frozenset()
TRIGGER = NOBODY
"""Trigger functions: no role calls them; they run as the editing role when the trigger fires."""
OWNER_ONLY = NOBODY

FUNCTIONS: dict[str, frozenset[str]] = {
    # the admin page's reads and edits (it signs in with the service-role key)
    "public.admin_catalog(text, text, text, boolean, boolean, boolean, boolean, boolean, "
    "integer)": SERVICE,
    "public.admin_model(text, text, integer)": SERVICE,
    "public.admin_model_flags(ai_providers)": SERVICE,
    "public.admin_new_models(timestamp with time zone, integer)": SERVICE,
    "public.admin_run(uuid)": SERVICE,
    "public.admin_runs(integer)": SERVICE,
    "public.admin_set_config_field(text, text, text, jsonb)": SERVICE,
    "public.admin_set_enabled(text, text, boolean)": SERVICE,
    "public.ai_check_baseline()": TRIGGER,
    "public.ai_check_config()": TRIGGER,
    "public.ai_config_from_earlier(jsonb, text, text)": OWNER_ONLY,  # a migration's helper
    "public.ai_config_error(jsonb)": SERVICE,
    "public.ai_config_plainly_valid(jsonb)": SERVICE,
    "public.ai_forget_fingerprint()": TRIGGER,
    # the config check's pieces, inlined into the triggers that run as the editing role
    "public.ai_json_between_ok(jsonb, numeric)": SERVICE,
    "public.ai_json_count_ok(jsonb)": SERVICE,
    "public.ai_json_rate_ok(jsonb)": SERVICE,
    "public.ai_json_ratio_ok(jsonb)": SERVICE,
    "public.ai_json_text_ok(jsonb)": SERVICE,
    "public.ai_jsonb_diff(jsonb, jsonb)": SERVICE,
    "public.ai_jsonb_diff_fields(jsonb, jsonb)": SERVICE,
    "public.ai_log_manual_edit()": TRIGGER,
    "public.ai_model_columns(ai_providers)": SERVICE,
    "public.ai_overridden_fields(jsonb, jsonb)": SERVICE,
    "public.ai_touch_updated_at()": TRIGGER,
    "public.sync_apply_provider_models(text, jsonb, uuid, boolean, boolean, numeric)": SERVICE,
    "public.sync_apply_schedule()": SERVICE,
    "public.sync_can_use(text, text, text)": SERVICE,
    "public.sync_claim_next_run(text)": SERVICE,
    "public.sync_claim_run(uuid, text)": SERVICE,
    # where the pg_cron job POSTs the Vault secret: the owner's choice alone
    "public.sync_configure_http(text, text, integer)": OWNER_ONLY,
    "public.sync_cron_run()": SERVICE,
    "public.sync_fail_stale_runs(numeric)": SERVICE,
    "public.sync_finish_run(uuid, jsonb, text)": SERVICE,
    "public.sync_get_model_config(text, text)": SERVICE,
    "public.sync_mark_stale(jsonb, jsonb, jsonb)": SERVICE,
    "public.sync_merge_config(jsonb, jsonb, jsonb)": SERVICE,
    "public.sync_merge_field(jsonb, jsonb, jsonb)": SERVICE,
    "public.sync_model_fingerprints(text)": SERVICE,
    "public.sync_queue_run(text, text, text[], boolean)": SERVICE,
    "public.sync_recover_runs(interval)": SERVICE,
    "public.sync_release_adopted(text, text)": SERVICE,
    "public.sync_reset_override(text, text, text)": SERVICE,
    "public.sync_retry_run(uuid, text)": SERVICE,
    "public.sync_run_lock_key(uuid)": SERVICE,
    "public.sync_schedule(text)": SERVICE,
    "public.sync_start_run(text, text, text[], boolean, boolean)": SERVICE,
    "public.sync_status(integer)": SERVICE,
    "public.sync_vanished_prices(jsonb, jsonb)": SERVICE,
    "sync_ai_models.app_status(integer)": APPS,
}
OPTIONAL = {
    # created only when migrate adopts an existing table
    "public.ai_adopted_name_fallback()": TRIGGER,
}
SECURITY_DEFINER = {
    # each touches only its own fixed objects and has an empty search_path
    "public.sync_apply_schedule()",  # pg_cron's schema
    "public.sync_schedule(text)",  # the settings row's schedule
    "sync_ai_models.app_status(integer)",  # fixed, non-secret fields of the last run
}

ALL = frozenset({"select", "insert", "update", "delete"})
READ = frozenset({"select"})
APPEND = frozenset({"select", "insert"})
TABLES: dict[str, dict[str, frozenset[str]]] = {
    "public.ai_providers": {"authenticated": READ, "service_role": ALL},  # RLS: see below
    "public.ai_sync_runs": {"service_role": ALL},
    "public.ai_model_changes": {"service_role": APPEND},  # the history is append-only
    "public.ai_sync_status": {"service_role": READ},
    "public.ai_sync_app_status": {"authenticated": READ, "service_role": READ},
    "sync_ai_models.settings": {"service_role": READ},  # written through the functions only
    "sync_ai_models.adopted_models": {"service_role": APPEND},
    "sync_ai_models.schema_migrations": {},
}
ROW_SECURITY = {  # tables (not views) and whether RLS is on
    "public.ai_providers": True,
    "public.ai_sync_runs": True,
    "public.ai_model_changes": True,
    "sync_ai_models.settings": True,
    "sync_ai_models.adopted_models": True,
    "sync_ai_models.schema_migrations": False,  # no API role has any privilege on it
}

OUR_FUNCTIONS = """
select format('%s.%s(%s)', n.nspname, p.proname, oidvectortypes(p.proargtypes)), p.oid,
       p.prorettype = 'trigger'::regtype, p.prosecdef, p.proconfig,
       pg_get_userbyid(p.proowner)
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
 where n.nspname in ('public', 'sync_ai_models')
   and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
 order by 1
"""
OUR_TABLES = """
select format('%s.%s', n.nspname, c.relname), c.oid, c.relkind, c.relrowsecurity,
       pg_get_userbyid(c.relowner)
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
 where n.nspname in ('public', 'sync_ai_models') and c.relkind in ('r', 'v', 'm', 'p', 'f')
   and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype = 'e')
 order by 1
"""


def functions(db: psycopg.Connection) -> dict[str, tuple[Any, ...]]:
    return {row[0]: row[1:] for row in db.execute(OUR_FUNCTIONS).fetchall()}


def tables(db: psycopg.Connection) -> dict[str, tuple[Any, ...]]:
    return {row[0]: row[1:] for row in db.execute(OUR_TABLES).fetchall()}


REFUSED = (psycopg.errors.InsufficientPrivilege,)
NOT_WRITABLE = (
    psycopg.errors.InsufficientPrivilege,
    psycopg.errors.ObjectNotInPrerequisiteState,  # "cannot insert into view ..."
    psycopg.errors.FeatureNotSupported,
)


def attempt(
    db: psycopg.Connection,
    role: str,
    statement: str,
    refused: tuple[type[Exception], ...] = REFUSED,
) -> bool:
    """Runs the statement as the role, rolled back; True when it got past the privilege checks
    (another error, such as "run does not exist" or a null argument refused, still counts)."""
    db.execute("begin")
    try:
        db.execute(f"set local role {role}")
        db.execute(statement)
        return True
    except refused:
        return False
    except psycopg.Error:
        return True
    finally:
        db.execute("rollback")


def test_every_function_is_in_the_matrix(db: psycopg.Connection) -> None:
    found = set(functions(db)) - OPTIONAL.keys()
    assert sorted(found - FUNCTIONS.keys()) == [], "new functions: add them to FUNCTIONS"
    assert sorted(FUNCTIONS.keys() - found) == [], "gone: remove them from FUNCTIONS"


def test_every_table_and_view_is_in_the_matrix(db: psycopg.Connection) -> None:
    assert sorted(tables(db)) == sorted(TABLES)


def function_matrix(db: psycopg.Connection, role: str) -> dict[str, tuple[bool, bool | None]]:
    """function -> (may execute in the catalog, a call got past the privilege check), the
    second None for trigger functions (they cannot be called, only fired)."""
    found: dict[str, tuple[bool, bool | None]] = {}
    for name, (oid, is_trigger, *_) in functions(db).items():
        granted = db.execute(
            "select has_function_privilege(%s, %s::oid, 'execute') and has_schema_privilege(%s, "
            "(select pronamespace from pg_proc where oid = %s::oid), 'usage')",
            (role, oid, role, oid),
        ).fetchone()
        assert granted is not None
        called = None
        if not is_trigger:
            nulls = db.execute(
                "select coalesce(string_agg('null::' || format_type(t, null), ', ' order by i),"
                " '') from pg_proc, unnest(proargtypes) with ordinality a (t, i) where oid = %s",
                (oid,),
            ).fetchone()
            assert nulls is not None
            called = attempt(db, role, f"select {name.split('(')[0]}({nulls[0]})")
        found[name] = (granted[0], called)
    return found


@pytest.mark.parametrize("role", API_ROLES)
def test_function_execute(db: psycopg.Connection, role: str) -> None:
    found = function_matrix(db, role)
    expected = {
        name: (
            role in {**FUNCTIONS, **OPTIONAL}.get(name, NOBODY),
            None if row[1] else role in {**FUNCTIONS, **OPTIONAL}.get(name, NOBODY),
        )
        for name, row in functions(db).items()
    }
    assert found == expected


def test_the_owner_owns_everything_and_may_execute_it(db: psycopg.Connection) -> None:
    owner = db.execute("select current_user").fetchone()
    assert owner is not None
    for name, (oid, *_, function_owner) in functions(db).items():
        assert function_owner == owner[0], name
        row = db.execute("select has_function_privilege(%s::oid, 'execute')", (oid,)).fetchone()
        assert row == (True,), name
    for name, (*_, table_owner) in tables(db).items():
        assert table_owner == owner[0], name


def test_security_definer_functions_are_the_listed_few_with_an_empty_search_path(
    db: psycopg.Connection,
) -> None:
    definers = {name: row for name, row in functions(db).items() if row[2]}
    assert set(definers) == SECURITY_DEFINER
    for name, (_, _, _, config, _) in definers.items():
        assert config == ['search_path=""'], name


STATEMENTS = {
    "select": "select count(*) from {t}",
    "insert": "insert into {t} default values",
    "update": "update {t} set {c} = {c}",
    "delete": "delete from {t}",
}


def table_matrix(db: psycopg.Connection, role: str) -> dict[str, tuple[set[str], set[str]]]:
    """table -> (operations granted in the catalog, operations that got past the checks)."""
    found: dict[str, tuple[set[str], set[str]]] = {}
    for name, (oid, *_) in tables(db).items():
        column = db.execute(
            "select quote_ident(attname) from pg_attribute where attrelid = %s::oid "
            "and attnum > 0 and not attisdropped and attidentity = '' and attgenerated = '' "
            "order by attnum limit 1",
            (oid,),
        ).fetchone()
        assert column is not None
        in_catalog = {
            op
            for op in ALL
            if db.execute(
                "select has_table_privilege(%s, %s::oid, %s) and has_schema_privilege(%s, "
                "(select relnamespace from pg_class where oid = %s::oid), 'usage')",
                (role, oid, op, role, oid),
            ).fetchone()
            == (True,)
        }
        tried = {
            op
            for op, statement in STATEMENTS.items()
            if attempt(db, role, statement.format(t=name, c=column[0]), NOT_WRITABLE)
        }
        found[name] = (in_catalog, tried)
    return found


@pytest.mark.parametrize("role", API_ROLES)
def test_table_privileges(db: psycopg.Connection, role: str) -> None:
    expected = {name: (set(TABLES.get(name, {}).get(role, NOBODY)),) * 2 for name in tables(db)}
    assert table_matrix(db, role) == expected


def test_row_security_is_on_where_api_roles_reach(db: psycopg.Connection) -> None:
    found = {name: rls for name, (_, kind, rls, _) in tables(db).items() if kind == "r"}
    assert found == ROW_SECURITY
