"""Two syncs of one vendor at once, and a person's edit racing a sync."""

from __future__ import annotations

import asyncio
import json
import threading

import psycopg
import pytest

from ai_catalog.errors import AlreadyRunning
from ai_catalog.store.postgres import PostgresStore
from tests.support.catalog import entry, row

P = "anthropic"


def payload(*model_ids: str, **config: object) -> str:
    return json.dumps([entry(m, **config).to_json() for m in model_ids])


async def test_second_apply_of_same_provider_is_told_already_running(
    store: PostgresStore, db: psycopg.Connection, db_url: str
) -> None:
    with psycopg.connect(db_url) as holder:  # a sync in progress: its transaction is open
        holder.execute("select sync_apply_provider_models(%s, %s::jsonb)", (P, payload("a", "b")))
        with pytest.raises(AlreadyRunning, match=r"already running.*anthropic"):
            await store.apply_provider_models(P, [entry("a"), entry("b"), entry("c")])
        # another vendor is not blocked
        assert (await store.apply_provider_models("groq", [entry("x")])).inserted == 1
        holder.commit()
    result = await store.apply_provider_models(P, [entry("a"), entry("b"), entry("c")])
    assert (result.inserted, result.unchanged) == (1, 2)
    assert db.execute(
        "select api_identifier, count(*) from ai_providers where provider = %s "
        "group by 1 order by 1",
        (P,),
    ).fetchall() == [("a", 1), ("b", 1), ("c", 1)]


async def test_concurrent_applies_never_duplicate(
    store: PostgresStore, db: psycopg.Connection
) -> None:
    models = [entry(f"m{i}") for i in range(200)]
    outcomes = await asyncio.gather(
        *(store.apply_provider_models(P, models) for _ in range(4)), return_exceptions=True
    )
    assert all(isinstance(o, AlreadyRunning) or o.status == "succeeded" for o in outcomes)  # type: ignore[union-attr]
    assert any(not isinstance(o, BaseException) for o in outcomes)
    assert db.execute(
        "select count(*), count(distinct api_identifier) from ai_providers"
    ).fetchone() == (200, 200)


def test_manual_edit_committed_during_a_sync_is_not_lost(
    db: psycopg.Connection, db_url: str
) -> None:
    db.execute("select sync_apply_provider_models(%s, %s::jsonb)", (P, payload("claude")))
    edit_done = threading.Event()

    def admin_edit() -> None:
        with psycopg.connect(db_url, autocommit=True) as admin:
            admin.execute(
                "update ai_providers set config = config || '{\"hard_cap_output_tokens\": 1000}' "
                "where api_identifier = 'claude'"
            )
        edit_done.set()

    with psycopg.connect(db_url) as sync:
        sync.execute(
            "select sync_apply_provider_models(%s, %s::jsonb)",
            (P, payload("claude", context_window_tokens=50000)),
        )
        editor = threading.Thread(target=admin_edit)
        editor.start()
        assert not edit_done.wait(0.5)  # the edit waits for the sync's row lock
        sync.commit()
    editor.join(10)
    assert edit_done.is_set()
    config = row(db, P, "claude")["config"]
    assert (config["hard_cap_output_tokens"], config["context_window_tokens"]) == (1000, 50000)
    # and the next sync keeps it as an override
    db.execute(
        "select sync_apply_provider_models(%s, %s::jsonb)",
        (P, payload("claude", context_window_tokens=60000)),
    )
    config = row(db, P, "claude")["config"]
    assert (config["hard_cap_output_tokens"], config["context_window_tokens"]) == (1000, 60000)
