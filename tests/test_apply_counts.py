"""Counts, deactivation and its guard, duplicates, dry runs and atomicity of one vendor's apply."""

from __future__ import annotations

import json

import psycopg
import pytest

from ai_catalog.errors import StoreError
from ai_catalog.store.postgres import PostgresStore
from tests.support.catalog import changes, entry, row

P = "mistral"


def ids(n: int) -> list[str]:
    return [f"model-{i:02d}" for i in range(n)]


async def test_counts_of_a_second_sync(store: PostgresStore, db: psycopg.Connection) -> None:
    first = await store.apply_provider_models(P, [entry(i) for i in ids(4)])
    assert (first.status, first.inserted, first.new_model_ids) == ("succeeded", 4, ids(4))
    db.execute("update ai_providers set is_active = false where api_identifier = 'model-03'")

    second = await store.apply_provider_models(
        P,
        [
            entry("model-00"),
            entry("model-01", context_window_tokens=64000),
            entry("model-03"),
            entry("model-09"),
        ],
    )
    assert second.model_dump(
        include={"inserted", "updated", "unchanged", "reactivated", "deactivated", "new_model_ids"}
    ) == {
        "inserted": 1,
        "updated": 1,
        "unchanged": 1,
        "reactivated": 1,
        "deactivated": 1,
        "new_model_ids": ["model-09"],
    }
    dropped = row(db, P, "model-02")  # dropped models stay as rows
    assert dropped["is_active"] is False and dropped["deactivated_at"] is not None
    assert row(db, P, "model-03")["is_active"] is True
    assert [c["kind"] for c in changes(db, "model-02")] == ["added", "deactivated"]
    # the admin's deactivation is logged without a run, the sync's reactivation with one
    log = changes(db, "model-03")
    assert [(c["kind"], c["run_id"] is None) for c in log] == [
        ("added", True),
        ("deactivated", True),
        ("reactivated", True),
    ]


async def test_is_enabled_set_on_insert_when_priced_and_never_touched_after(
    store: PostgresStore, db: psycopg.Connection
) -> None:
    await store.apply_provider_models(
        P, [entry("priced"), entry("unpriced", input_token_cost_rate=None)]
    )
    assert row(db, P, "priced")["is_enabled"] is True
    assert row(db, P, "unpriced")["is_enabled"] is False
    db.execute("update ai_providers set is_enabled = false where api_identifier = 'priced'")
    await store.apply_provider_models(
        P, [entry("priced", output_token_cost_rate=0.00002), entry("unpriced")]
    )
    assert row(db, P, "priced")["is_enabled"] is False  # the admin's switch stays off
    assert row(db, P, "unpriced")["is_enabled"] is False  # now priced, but sync does not flip it


@pytest.mark.parametrize("listed", [0, 2])
async def test_guard_deactivates_nothing(
    store: PostgresStore, db: psycopg.Connection, listed: int
) -> None:
    await store.apply_provider_models(P, [entry(i) for i in ids(6)])
    # an empty list, or one that would deactivate 4 of 6 (over 50%)
    result = await store.apply_provider_models(P, [entry(i) for i in ids(listed)])
    assert (result.status, result.deactivated, result.would_deactivate) == (
        "guarded",
        0,
        6 - listed,
    )
    assert db.execute(
        "select count(*) from ai_providers where provider = %s and is_active", (P,)
    ).fetchone() == (6,)


async def test_drop_at_the_threshold_is_allowed(store: PostgresStore) -> None:
    await store.apply_provider_models(P, [entry(i) for i in ids(6)])
    result = await store.apply_provider_models(P, [entry(i) for i in ids(3)])  # exactly 50%
    assert (result.status, result.deactivated) == ("succeeded", 3)


async def test_force_overrides_the_guard(store: PostgresStore, db: psycopg.Connection) -> None:
    await store.apply_provider_models(P, [entry(i) for i in ids(6)])
    result = await store.apply_provider_models(P, [], force=True)
    assert (result.status, result.deactivated) == ("succeeded", 6)
    assert db.execute("select count(*) from ai_providers where is_active").fetchone() == (0,)


async def test_threshold_is_a_parameter(store: PostgresStore) -> None:
    await store.apply_provider_models(P, [entry(i) for i in ids(10)])
    result = await store.apply_provider_models(
        P, [entry(i) for i in ids(8)], max_deactivate_share=0.1
    )
    assert (result.status, result.would_deactivate) == ("guarded", 2)


async def test_other_providers_are_untouched(store: PostgresStore, db: psycopg.Connection) -> None:
    await store.apply_provider_models("groq", [entry("llama")])
    await store.apply_provider_models(P, [entry("a")])
    await store.apply_provider_models(P, [entry("b")], force=True)
    assert row(db, "groq", "llama")["is_active"] is True


async def test_duplicate_ids_in_one_list(store: PostgresStore, db: psycopg.Connection) -> None:
    listed = [
        entry("mistral-large", context_window_tokens=1000),
        entry("mistral-small"),
        entry("mistral-large", context_window_tokens=2000),
    ]
    result = await store.apply_provider_models(P, listed)
    assert (result.inserted, result.duplicates) == (2, 1)
    assert row(db, P, "mistral-large")["config"]["context_window_tokens"] == 2000  # last wins


async def test_dry_run_reports_and_writes_nothing(
    store: PostgresStore, db: psycopg.Connection
) -> None:
    await store.apply_provider_models(P, [entry(i) for i in ids(4)])
    before = db.execute("select jsonb_agg(to_jsonb(p) order by id) from ai_providers p").fetchone()
    log_before = db.execute("select count(*) from ai_model_changes").fetchone()
    result = await store.apply_provider_models(
        P,
        [
            entry("model-00", context_window_tokens=7),
            entry("model-01"),
            entry("model-02"),
            entry("new"),
        ],
        dry_run=True,
    )
    assert result.model_dump(
        include={"dry_run", "inserted", "updated", "unchanged", "deactivated"}
    ) == {"dry_run": True, "inserted": 1, "updated": 1, "unchanged": 2, "deactivated": 1}
    assert (
        db.execute("select jsonb_agg(to_jsonb(p) order by id) from ai_providers p").fetchone()
        == before
    )
    assert db.execute("select count(*) from ai_model_changes").fetchone() == log_before


async def test_an_error_half_way_leaves_the_table_as_before(
    store: PostgresStore, db: psycopg.Connection
) -> None:
    await store.apply_provider_models(P, [entry(i) for i in ids(4)])
    before = db.execute("select jsonb_agg(to_jsonb(p) order by id) from ai_providers p").fetchone()
    log_before = db.execute("select count(*) from ai_model_changes").fetchone()
    good = [entry(i, context_window_tokens=999) for i in ids(4)] + [entry("new-1")]
    payload = [e.to_json() for e in good]
    payload.insert(
        3,
        {
            **payload[3],
            "api_identifier": "broken",
            "config": {**payload[3]["config"], "input_token_cost_rate": -1},
        },
    )
    with pytest.raises(psycopg.errors.CheckViolation, match="input_token_cost_rate"):
        db.execute("select sync_apply_provider_models(%s, %s::jsonb)", (P, json.dumps(payload)))
    assert (
        db.execute("select jsonb_agg(to_jsonb(p) order by id) from ai_providers p").fetchone()
        == before
    )
    assert db.execute("select count(*) from ai_model_changes").fetchone() == log_before


async def test_bad_arguments_are_clear_errors(store: PostgresStore, db: psycopg.Connection) -> None:
    with pytest.raises(StoreError, match="lower-case id"):
        await store.apply_provider_models("Open AI", [entry("x")])
    with pytest.raises(psycopg.errors.InvalidParameterValue, match="JSON array"):
        db.execute("select sync_apply_provider_models('openai', '{}'::jsonb)")
    with pytest.raises(psycopg.errors.InvalidParameterValue, match="no api_identifier"):
        db.execute("select sync_apply_provider_models('openai', '[{\"name\": \"x\"}]'::jsonb)")
