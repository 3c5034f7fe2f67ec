"""Hostile manual edits: the database refuses what would break the catalog, naming the field,
and nothing an admin can store in the bookkeeping columns breaks a later sync."""

from __future__ import annotations

import psycopg
import pytest

from ai_catalog.store.postgres import PostgresStore
from tests.support.catalog import entry, row

P = "openai"

REFUSED_CONFIG_EDITS = {
    "price as text": ("""{"input_token_cost_rate": "cheap"}""", "config.input_token_cost_rate"),
    "negative price": ("""{"output_token_cost_rate": -0.001}""", "config.output_token_cost_rate"),
    "negative window": ("""{"context_window_tokens": -5}""", "config.context_window_tokens"),
    "fractional window": ("""{"context_window_tokens": 1.5}""", "config.context_window_tokens"),
    "window as text": ("""{"context_window_tokens": "128k"}""", "config.context_window_tokens"),
    "cap above the provider max": (
        """{"hard_cap_output_tokens": 999999}""",
        "config.hard_cap_output_tokens",
    ),
    "unknown tokenizer": (
        """{"tokenization_strategy": {"type": "magic"}}""",
        "config.tokenization_strategy.type",
    ),
    "tiers not a list": ("""{"price_tiers": {"a": 1}}""", "config.price_tiers"),
}


@pytest.fixture
async def synced(store: PostgresStore, db: psycopg.Connection) -> PostgresStore:
    await store.apply_provider_models(P, [entry("gpt-4o")])
    return store


@pytest.mark.parametrize("edit,field", REFUSED_CONFIG_EDITS.values(), ids=REFUSED_CONFIG_EDITS)
async def test_a_config_edit_that_breaks_the_schema_is_refused_naming_the_field(
    synced: PostgresStore, db: psycopg.Connection, edit: str, field: str
) -> None:
    before = row(db, P, "gpt-4o")
    with pytest.raises(psycopg.errors.CheckViolation) as refused:
        db.execute("update ai_providers set config = config || %s::jsonb", (edit,))
    assert field in str(refused.value) and "openai/gpt-4o" in str(refused.value)
    assert row(db, P, "gpt-4o") == before
    assert (await synced.apply_provider_models(P, [entry("gpt-4o")])).status == "succeeded"


@pytest.mark.parametrize("config", ["[]", '"text"', "null", "3"])
async def test_a_config_that_is_not_an_object_is_refused(
    synced: PostgresStore, db: psycopg.Connection, config: str
) -> None:
    with pytest.raises(psycopg.Error, match="config"):
        db.execute("update ai_providers set config = %s::jsonb", (config,))


NUL_EDITS = {
    "name, as a literal": "update ai_providers set name = E'GPT\\x00-4o'",
    "description, as a literal": "update ai_providers set description = 'a' || chr(0) || 'b'",
    "config, as JSON": """update ai_providers set config = config || '{"notes": "a\\u0000b"}'""",
}


@pytest.mark.parametrize("statement", NUL_EDITS.values(), ids=NUL_EDITS)
async def test_a_nul_byte_is_refused_and_nothing_changes(
    synced: PostgresStore, db: psycopg.Connection, statement: str
) -> None:
    before = row(db, P, "gpt-4o")
    with pytest.raises(psycopg.Error):
        db.execute(statement)
    assert row(db, P, "gpt-4o") == before


async def test_a_nul_byte_sent_as_a_parameter_is_refused(
    synced: PostgresStore, db: psycopg.Connection
) -> None:
    with pytest.raises(psycopg.DataError):
        db.execute("update ai_providers set name = %s", ("GPT\x00-4o",))
    assert row(db, P, "gpt-4o")["name"] == "GPT-4O"


# (a JSON null is refused too; SQL null, "no baseline", is allowed: see the last test)
@pytest.mark.parametrize("value", ["[]", '"x"', "1", "null"])
@pytest.mark.parametrize(
    "column,named",
    [
        ("sync_baseline", "invalid sync_baseline for openai/gpt-4o"),
        ("config_sources", "ai_providers_config_sources_is_object"),
    ],
)
async def test_bookkeeping_that_is_not_an_object_is_refused(
    synced: PostgresStore, db: psycopg.Connection, column: str, named: str, value: str
) -> None:
    with pytest.raises(psycopg.errors.CheckViolation, match=named):
        db.execute(f"update ai_providers set {column} = %s::jsonb", (value,))


REFUSED_BASELINES = {
    "price as text": ("""{"input_token_cost_rate": "x"}""", "sync_baseline.input_token_cost_rate"),
    "negative window": ("""{"context_window_tokens": -1}""", "sync_baseline.context_window_tokens"),
    "tokenizer a number": (
        """{"tokenization_strategy": 7}""",
        "sync_baseline.tokenization_strategy",
    ),
}


@pytest.mark.parametrize("baseline,field", REFUSED_BASELINES.values(), ids=REFUSED_BASELINES)
async def test_a_baseline_that_breaks_the_schema_is_refused_naming_the_field(
    synced: PostgresStore, db: psycopg.Connection, baseline: str, field: str
) -> None:
    with pytest.raises(psycopg.errors.CheckViolation, match=field):
        db.execute(
            "update ai_providers set sync_baseline = sync_baseline || %s::jsonb", (baseline,)
        )
    assert (await synced.apply_provider_models(P, [entry("gpt-4o")])).status == "succeeded"


HOSTILE_BASELINES = {
    "empty": "{}",
    "only a key of its own, deeply nested": '{"team": ' + '{"a": ' * 50 + "1" + "}" * 51,
    "every value different from the row's": """{"input_token_cost_rate": 0.5,
        "context_window_tokens": 7, "hard_cap_output_tokens": 1}""",
}


@pytest.mark.parametrize("baseline", HOSTILE_BASELINES.values(), ids=HOSTILE_BASELINES)
async def test_an_odd_baseline_object_breaks_no_later_sync(
    synced: PostgresStore, db: psycopg.Connection, baseline: str
) -> None:
    db.execute("update ai_providers set sync_baseline = %s::jsonb", (baseline,))
    for listing in ([entry("gpt-4o")], [entry("gpt-4o", context_window_tokens=64000)]):
        assert (await synced.apply_provider_models(P, listing)).status == "succeeded"
    assert await synced.get_model_config(P, "gpt-4o") is not None
    await synced.reset_override(P, "gpt-4o")
    assert row(db, P, "gpt-4o")["config"]["context_window_tokens"] == 64000


async def test_sql_null_baseline_means_no_baseline(
    synced: PostgresStore, db: psycopg.Connection
) -> None:
    db.execute("update ai_providers set sync_baseline = null")
    result = await synced.apply_provider_models(P, [entry("gpt-4o", context_window_tokens=1000)])
    # with nothing to compare against, every value in the row counts as a person's
    assert (result.status, row(db, P, "gpt-4o")["config"]["context_window_tokens"]) == (
        "succeeded",
        128000,
    )
