"""The three-way merge of sync_apply_provider_models, field by field."""

from __future__ import annotations

from decimal import Decimal

import psycopg

from ai_catalog.store.postgres import PostgresStore
from tests.support.catalog import changes, edit_config, entry, row

P = "openai"


async def test_sync_owned_field_follows_upstream(
    store: PostgresStore, db: psycopg.Connection
) -> None:
    await store.apply_provider_models(P, [entry("gpt-4o")])
    result = await store.apply_provider_models(P, [entry("gpt-4o", context_window_tokens=200000)])
    assert (result.updated, result.unchanged, result.overrides_kept) == (1, 0, 0)
    r = row(db, P, "gpt-4o")
    assert r["config"]["context_window_tokens"] == 200000
    assert r["sync_baseline"]["context_window_tokens"] == 200000
    [update] = changes(db, "gpt-4o", "updated")
    assert update["changes"] == {"context_window_tokens": {"old": 128000, "new": 200000}}


async def test_manual_edit_is_kept_and_upstream_change_logged(
    store: PostgresStore, db: psycopg.Connection
) -> None:
    await store.apply_provider_models(P, [entry("gpt-4o")])
    edit_config(db, P, "gpt-4o", input_token_cost_rate=0.000003)
    result = await store.apply_provider_models(
        P, [entry("gpt-4o", input_token_cost_rate=0.000002, context_window_tokens=1000)]
    )
    assert result.overrides_kept == 1
    r = row(db, P, "gpt-4o")
    assert r["config"]["input_token_cost_rate"] == 0.000003  # the person's value
    assert r["config"]["context_window_tokens"] == 1000  # the untouched field follows upstream
    assert r["sync_baseline"]["input_token_cost_rate"] == 0.000002  # B := N
    [kept] = changes(db, "gpt-4o", "override_kept")
    assert kept["changes"]["input_token_cost_rate"] == {
        "kept": 0.000003,
        "baseline": 0.0000025,
        "upstream": 0.000002,
    }
    [manual] = changes(db, "gpt-4o", "manual_edit")
    assert manual["run_id"] is None and manual["changed_by_role"] == "postgres"


async def test_override_with_unchanged_upstream_is_kept_silently(
    store: PostgresStore, db: psycopg.Connection
) -> None:
    await store.apply_provider_models(P, [entry("gpt-4o")])
    edit_config(db, P, "gpt-4o", hard_cap_output_tokens=4096)
    result = await store.apply_provider_models(P, [entry("gpt-4o")])
    assert (result.unchanged, result.overrides_kept) == (1, 0)
    assert row(db, P, "gpt-4o")["config"]["hard_cap_output_tokens"] == 4096
    assert changes(db, "gpt-4o", "override_kept") == []


async def test_reset_returns_field_to_sync_ownership(
    store: PostgresStore, db: psycopg.Connection
) -> None:
    await store.apply_provider_models(P, [entry("gpt-4o")])
    edit_config(db, P, "gpt-4o", input_token_cost_rate=0.000003, context_window_tokens=5000)
    config = await store.reset_override(P, "gpt-4o", "input_token_cost_rate")
    assert config["input_token_cost_rate"] == Decimal("0.0000025")
    assert config["context_window_tokens"] == 5000  # the other override stays
    [reset] = changes(db, "gpt-4o", "override_reset")
    assert reset["changes"] == {"input_token_cost_rate": {"old": 0.000003, "new": 0.0000025}}
    await store.apply_provider_models(P, [entry("gpt-4o", input_token_cost_rate=0.000001)])
    assert row(db, P, "gpt-4o")["config"]["input_token_cost_rate"] == 0.000001


async def test_reset_of_whole_config(store: PostgresStore, db: psycopg.Connection) -> None:
    await store.apply_provider_models(P, [entry("gpt-4o")])
    edit_config(db, P, "gpt-4o", context_window_tokens=5000, note="ours")
    config = await store.reset_override(P, "gpt-4o")
    assert config == row(db, P, "gpt-4o", exact=True)["sync_baseline"]
    assert "note" not in config


async def test_hard_cap_is_clamped_when_provider_max_drops_below_override(
    store: PostgresStore, db: psycopg.Connection
) -> None:
    await store.apply_provider_models(P, [entry("gpt-4o")])
    edit_config(db, P, "gpt-4o", hard_cap_output_tokens=12000)
    result = await store.apply_provider_models(
        P, [entry("gpt-4o", provider_max_output_tokens=8192, hard_cap_output_tokens=8192)]
    )
    assert result.caps_clamped == 1
    config = row(db, P, "gpt-4o")["config"]
    assert (config["hard_cap_output_tokens"], config["provider_max_output_tokens"]) == (8192, 8192)
    [clamp] = changes(db, "gpt-4o", "cap_clamped")
    assert clamp["changes"] == {"hard_cap_output_tokens": {"old": 12000, "new": 8192}}


async def test_override_below_new_provider_max_is_not_clamped(
    store: PostgresStore, db: psycopg.Connection
) -> None:
    await store.apply_provider_models(P, [entry("gpt-4o")])
    edit_config(db, P, "gpt-4o", hard_cap_output_tokens=2000)
    result = await store.apply_provider_models(
        P, [entry("gpt-4o", provider_max_output_tokens=8192, hard_cap_output_tokens=8192)]
    )
    assert result.caps_clamped == 0
    assert row(db, P, "gpt-4o")["config"]["hard_cap_output_tokens"] == 2000


async def test_tokenization_strategy_is_one_value(
    store: PostgresStore, db: psycopg.Connection
) -> None:
    await store.apply_provider_models(P, [entry("gpt-4o")])
    edit_config(
        db,
        P,
        "gpt-4o",
        tokenization_strategy={
            "type": "tiktoken",
            "tiktoken_encoding_name": "cl100k_base",
            "is_chatml_model": True,
        },
    )
    upstream = {
        "type": "tiktoken",
        "tiktoken_encoding_name": "o200k_base",
        "is_chatml_model": False,
    }
    await store.apply_provider_models(P, [entry("gpt-4o", tokenization_strategy=upstream)])
    # the person's whole strategy stays; no mix of their encoding with upstream's chatml flag
    assert row(db, P, "gpt-4o")["config"]["tokenization_strategy"] == {
        "type": "tiktoken",
        "tiktoken_encoding_name": "cl100k_base",
        "is_chatml_model": True,
    }


async def test_new_fields_arrive_and_unknown_manual_keys_are_kept(
    store: PostgresStore, db: psycopg.Connection
) -> None:
    first = entry("gpt-4o", cache_read_token_cost_rate=None)
    await store.apply_provider_models(P, [first])
    edit_config(db, P, "gpt-4o", team_note="approved for support bot")
    await store.apply_provider_models(P, [entry("gpt-4o", cache_read_token_cost_rate=0.00000125)])
    config = row(db, P, "gpt-4o")["config"]
    assert config["cache_read_token_cost_rate"] == 0.00000125
    assert config["team_note"] == "approved for support bot"
    assert await store.get_model_config(P, "gpt-4o") is not None


async def test_prices_round_trip_exactly(store: PostgresStore) -> None:
    await store.apply_provider_models(P, [entry("gpt-4o", input_token_cost_rate=Decimal("1.1e-7"))])
    config = await store.get_model_config(P, "gpt-4o")
    assert config is not None
    assert config.input_token_cost_rate == Decimal("0.00000011")
    assert config.output_token_cost_rate == Decimal("0.00001")
