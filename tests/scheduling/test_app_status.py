"""Status for apps: the view `ai_sync_app_status` (authenticated may read it, not the runs) and the
same new models in sync_status (HTTP GET, `status`)."""

from __future__ import annotations

import json
from typing import Any

import psycopg
import pytest

from ai_catalog.store.postgres import PostgresStore
from tests.support.catalog import entry

APP_FIELDS = [
    "last_run_at",
    "last_run_status",
    "last_success_at",
    "running",
    "needs_sync",
    "max_age_days",
    "new_models_at",
    "new_model_count",
    "new_models",
]


def sync(db: psycopg.Connection, *models: Any, fail: bool = False) -> None:
    row = db.execute("select sync_start_run('manual')").fetchone()
    assert row is not None
    result = db.execute(
        "select sync_apply_provider_models('openai', %s::jsonb, %s)",
        (json.dumps([m.to_json() for m in models]), row[0]),
    ).fetchone()
    assert result is not None
    db.execute(
        "select sync_finish_run(%s, %s::jsonb, %s)",
        (row[0], json.dumps([result[0]]), "boom" if fail else None),
    )


def as_role(db: psycopg.Connection, role: str, statement: str) -> list[tuple[Any, ...]]:
    db.execute("begin")
    try:
        db.execute(f"set local role {role}")
        return db.execute(statement).fetchall()
    finally:
        db.execute("rollback")


def app_status(db: psycopg.Connection, role: str = "authenticated") -> dict[str, Any]:
    ((row,),) = as_role(db, role, "select to_jsonb(s) from ai_sync_app_status s")
    return dict(row)


def test_before_any_run_the_catalog_needs_a_sync(db: psycopg.Connection) -> None:
    status = app_status(db)
    assert set(status) == set(APP_FIELDS)
    assert (status["needs_sync"], status["new_models"], status["last_run_at"]) == (True, [], None)


def test_new_models_are_the_pickable_ones_the_last_successful_run_added(
    db: psycopg.Connection,
) -> None:
    sync(db, entry("old"))
    sync(db, entry("old"), entry("fresh"), entry("unpriced", input_token_cost_rate=None))
    status = app_status(db)
    assert status["new_models"] == [
        {"provider": "openai", "api_identifier": "fresh", "name": "FRESH"}
    ]
    assert (status["new_model_count"], status["needs_sync"], status["last_run_status"]) == (
        1,
        False,
        "succeeded",
    )
    # a later run that fails does not take the badge away; it shows as the last run
    sync(db, entry("old"), entry("fresh"), entry("unpriced"), fail=True)
    status = app_status(db)
    assert (status["last_run_status"], status["new_model_count"]) == ("failed", 1)
    # the next successful run with nothing new clears it
    sync(db, entry("old"), entry("fresh"), entry("unpriced"))
    assert app_status(db)["new_models"] == []


def test_no_secret_field_is_exposed(db: psycopg.Connection) -> None:
    sync(db, entry("m"), fail=True)
    text = json.dumps(app_status(db))
    assert "boom" not in text and "results" not in text and "requested_by" not in text


@pytest.mark.parametrize(
    ("role", "view", "runs"), [("anon", False, False), ("authenticated", True, False)]
)
def test_who_may_read_what(db: psycopg.Connection, role: str, view: bool, runs: bool) -> None:
    def allowed(statement: str) -> bool:
        try:
            as_role(db, role, statement)
            return True
        except psycopg.errors.InsufficientPrivilege:
            db.execute("rollback")
            return False

    assert allowed("select * from ai_sync_app_status") is view
    assert allowed("select count(*) from ai_sync_runs") is runs
    assert allowed("select * from sync_ai_models.settings") is False


def test_the_app_status_function_is_definer_with_an_empty_search_path(
    db: psycopg.Connection,
) -> None:
    row = db.execute(
        "select prosecdef, proconfig from pg_proc where oid = 'sync_ai_models.app_status'::regproc"
    ).fetchone()
    assert row == (True, ['search_path=""'])


@pytest.mark.parametrize(
    "function",
    [
        "sync_cron_run()",
        "sync_schedule(text)",
        "sync_apply_schedule()",
        "sync_claim_next_run(text)",
        "sync_retry_run(uuid, text)",
        "sync_recover_runs(interval)",
        "sync_run_lock_key(uuid)",
        "sync_can_use(text, text, text)",
    ],
)
def test_scheduling_functions_are_for_service_role_only(
    db: psycopg.Connection, function: str
) -> None:
    row = db.execute(
        "select has_function_privilege('anon', %s, 'execute'),"
        "       has_function_privilege('authenticated', %s, 'execute'),"
        "       has_function_privilege('service_role', %s, 'execute')",
        (f"public.{function}",) * 3,
    ).fetchone()
    assert row == (False, False, True)


def test_only_the_owner_may_configure_where_the_job_posts(db: psycopg.Connection) -> None:
    """Where the job POSTs a stored secret is not service_role's choice (it was before 0020)."""
    row = db.execute(
        "select has_function_privilege(r, 'public.sync_configure_http(text, text, integer)',"
        " 'execute') from unnest(array['anon', 'authenticated', 'service_role']) r"
    ).fetchall()
    assert row == [(False,), (False,), (False,)]


async def test_sync_status_carries_the_same_new_models(
    db: psycopg.Connection, store: PostgresStore
) -> None:
    sync(db, entry("a"))
    status = await store.status(30)
    assert status["new_models"] == app_status(db)["new_models"]
    assert status["new_model_count"] == 1
    assert {"last_run", "needs_sync", "max_age_days", "queued", "running"} <= set(status)
