"""The three-way merge of sync_apply_provider_models: config fields, name and description."""

from __future__ import annotations

from decimal import Decimal

import psycopg

from ai_catalog.store.postgres import PostgresStore
from ai_catalog.types import CatalogEntry
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


def rename(db: psycopg.Connection, model_id: str, **columns: str | None) -> None:
    """A person's edit of name or description, as an admin would make it in SQL."""
    for column, value in columns.items():
        db.execute(
            f"update ai_providers set {column} = %s where api_identifier = %s", (value, model_id)
        )


def listed(model_id: str, name: str | None, description: str | None = None) -> CatalogEntry:
    return entry(model_id).model_copy(update={"name": name, "description": description})


async def test_edited_name_and_description_survive_the_next_sync(
    store: PostgresStore, db: psycopg.Connection
) -> None:
    await store.apply_provider_models(P, [listed("gpt-4o", "GPT-4o", "Omni")])
    rename(db, "gpt-4o", name="Our GPT", description="For the support bot")
    result = await store.apply_provider_models(P, [listed("gpt-4o", "GPT-4o", "Omni")])
    assert (result.unchanged, result.overrides_kept) == (1, 0)  # upstream did not move: silent
    r = row(db, P, "gpt-4o")
    assert (r["name"], r["description"]) == ("Our GPT", "For the support bot")
    assert changes(db, "gpt-4o", "override_kept") == []


async def test_edited_name_is_kept_against_an_upstream_rename_and_logged(
    store: PostgresStore, db: psycopg.Connection
) -> None:
    await store.apply_provider_models(P, [listed("gpt-4o", "GPT-4o", "Omni")])
    rename(db, "gpt-4o", name="Our GPT")
    result = await store.apply_provider_models(P, [listed("gpt-4o", "GPT-4o (2024)", "Omni 2")])
    assert result.overrides_kept == 1
    r = row(db, P, "gpt-4o")
    assert (r["name"], r["description"]) == ("Our GPT", "Omni 2")  # untouched one follows
    assert (r["sync_baseline_name"], r["sync_baseline_description"]) == ("GPT-4o (2024)", "Omni 2")
    [kept] = changes(db, "gpt-4o", "override_kept")
    assert kept["changes"] == {
        "name": {"kept": "Our GPT", "baseline": "GPT-4o", "upstream": "GPT-4o (2024)"}
    }
    [update] = changes(db, "gpt-4o", "updated")
    assert update["changes"] == {"description": {"old": "Omni", "new": "Omni 2"}}


async def test_a_name_given_where_the_vendor_lists_none_is_not_wiped(
    store: PostgresStore, db: psycopg.Connection
) -> None:
    await store.apply_provider_models(P, [listed("m", None)])
    rename(db, "m", name="Our name", description="Ours")
    for _ in range(2):
        result = await store.apply_provider_models(P, [listed("m", None)])
        assert (result.unchanged, result.overrides_kept) == (1, 0)
    r = row(db, P, "m")
    assert (r["name"], r["description"]) == ("Our name", "Ours")


async def test_a_name_nobody_edited_follows_upstream(
    store: PostgresStore, db: psycopg.Connection
) -> None:
    await store.apply_provider_models(P, [listed("m", "Old", "Old text")])
    result = await store.apply_provider_models(P, [listed("m", "New", None)])
    assert (result.updated, result.overrides_kept) == (1, 0)
    r = row(db, P, "m")
    assert (r["name"], r["description"]) == ("New", None)
    [update] = changes(db, "m", "updated")
    assert update["changes"] == {
        "name": {"old": "Old", "new": "New"},
        "description": {"old": "Old text", "new": None},
    }


async def test_a_name_set_back_to_the_synced_one_is_the_syncs_again(
    store: PostgresStore, db: psycopg.Connection
) -> None:
    await store.apply_provider_models(P, [listed("m", "Vendor name")])
    rename(db, "m", name="Ours")
    rename(db, "m", name="Vendor name")
    await store.apply_provider_models(P, [listed("m", "Renamed upstream")])
    assert row(db, P, "m")["name"] == "Renamed upstream"


async def test_reset_hands_name_and_description_back_to_the_sync(
    store: PostgresStore, db: psycopg.Connection
) -> None:
    await store.apply_provider_models(P, [listed("m", "Vendor", "Vendor text")])
    rename(db, "m", name="Ours", description="Our text")
    await store.reset_override(P, "m", "name")
    r = row(db, P, "m")
    assert (r["name"], r["description"]) == ("Vendor", "Our text")
    [reset] = changes(db, "m", "override_reset")
    assert reset["changes"] == {"name": {"old": "Ours", "new": "Vendor"}}
    await store.reset_override(P, "m")
    assert row(db, P, "m")["description"] == "Vendor text"
    await store.apply_provider_models(P, [listed("m", "Vendor 2", "Vendor text 2")])
    r = row(db, P, "m")
    assert (r["name"], r["description"]) == ("Vendor 2", "Vendor text 2")
