"""The Supabase store: the same SQL functions through PostgREST RPC (a stand-in, see
tests/support/postgrest_standin.py), running on the real test database under the JWT's role."""

from __future__ import annotations

from decimal import Decimal

import psycopg
import pytest

from ai_catalog.errors import AlreadyRunning, StoreError
from ai_catalog.store.supabase import SupabaseStore
from tests.support.catalog import changes, entry, row
from tests.support.postgrest_standin import JWT_SECRET, role_key


async def test_apply_and_run_through_rpc(
    supabase_store: SupabaseStore, db: psycopg.Connection
) -> None:
    run_id = await supabase_store.start_run("http", requested_by="ops")
    result = await supabase_store.apply_provider_models(
        "openai", [entry("gpt-4o"), entry("gpt-4.1")], run_id=run_id
    )
    assert (result.status, result.inserted) == ("succeeded", 2)
    run = await supabase_store.finish_run(run_id, [result.model_dump(mode="json")])
    assert run["status"] == "succeeded"
    assert row(db, "openai", "gpt-4o")["last_run_id"] == str(run_id)
    [added] = changes(db, "gpt-4o")
    assert added["changed_by_role"] == "service_role"  # ran under the JWT's role
    config = await supabase_store.get_model_config("openai", "gpt-4o")
    assert config is not None and config.input_token_cost_rate == Decimal("0.0000025")
    assert (await supabase_store.status())["needs_sync"] is False


async def test_dry_run_and_reset_through_rpc(
    supabase_store: SupabaseStore, db: psycopg.Connection
) -> None:
    await supabase_store.apply_provider_models("groq", [entry("llama")])
    db.execute("update ai_providers set config = config || '{\"context_window_tokens\": 5}'")
    dry = await supabase_store.apply_provider_models(
        "groq", [entry("llama"), entry("new")], dry_run=True
    )
    assert (dry.dry_run, dry.inserted) == (True, 1)
    assert db.execute("select count(*) from ai_providers").fetchone() == (1,)
    config = await supabase_store.reset_override("groq", "llama", "context_window_tokens")
    assert config["context_window_tokens"] == 128000


async def test_lock_conflict_is_already_running(supabase_store: SupabaseStore, db_url: str) -> None:
    import json

    with psycopg.connect(db_url) as holder:
        holder.execute(
            "select sync_apply_provider_models('openai', %s::jsonb)",
            (json.dumps([entry("a").to_json()]),),
        )
        with pytest.raises(AlreadyRunning, match="already running"):
            await supabase_store.apply_provider_models("openai", [entry("a")])


@pytest.mark.parametrize("role", ["anon", "authenticated"])
async def test_other_roles_cannot_sync(postgrest_url: str, role: str) -> None:
    store = await SupabaseStore(postgrest_url, role_key(JWT_SECRET, role, sub="user-1")).open()
    with pytest.raises(StoreError, match="permission denied"):
        await store.apply_provider_models("openai", [entry("gpt-4o")])


async def test_an_edit_through_the_api_is_attributed_to_the_caller(
    postgrest_url: str, supabase_store: SupabaseStore, db: psycopg.Connection
) -> None:
    await supabase_store.apply_provider_models("openai", [entry("gpt-4o")])
    db.execute("update ai_providers set config = config || '{\"context_window_tokens\": 9}'")
    admin = await SupabaseStore(
        postgrest_url, role_key(JWT_SECRET, "service_role", sub="admin-7")
    ).open()
    await admin.reset_override("openai", "gpt-4o")
    log = [(c["kind"], c["changed_by_role"], c["changed_by_user"]) for c in changes(db, "gpt-4o")]
    assert log == [
        ("added", "service_role", None),
        ("manual_edit", "postgres", None),
        ("override_reset", "service_role", "admin-7"),
    ]
