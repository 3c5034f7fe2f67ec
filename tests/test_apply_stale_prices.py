"""A price that no source carries any more is kept, marked stale, and reported; never nulled."""

from __future__ import annotations

from decimal import Decimal

import psycopg

from ai_catalog.store.postgres import PostgresStore
from ai_catalog.types import CatalogEntry
from tests.support.catalog import changes, edit_config, entry, row

P = "openai"
UNPRICED = {"input_token_cost_rate": None, "output_token_cost_rate": None}


def unpriced(model_id: str) -> CatalogEntry:
    listed = entry(model_id, **UNPRICED)
    sources = {k: v for k, v in listed.config_sources.items() if k not in UNPRICED}
    return listed.model_copy(update={"config_sources": sources})


async def test_a_vanished_price_is_kept_marked_stale_and_reported(
    store: PostgresStore, db: psycopg.Connection
) -> None:
    await store.apply_provider_models(P, [entry("gpt-4o"), entry("other")])
    result = await store.apply_provider_models(P, [unpriced("gpt-4o"), entry("other")])
    assert (result.stale, result.stale_model_ids) == (1, ["gpt-4o"])
    r = row(db, P, "gpt-4o")
    assert (r["config"]["input_token_cost_rate"], r["config"]["output_token_cost_rate"]) == (
        0.0000025,
        0.00001,
    )
    assert r["is_enabled"] and r["is_active"]
    assert r["config_sources"]["input_token_cost_rate"] == "stale:vendor_api"
    assert r["config_sources"]["context_window_tokens"] == "vendor_api"
    # still the sync's value: the baseline keeps it, so it is not mistaken for a person's edit
    assert r["sync_baseline"]["input_token_cost_rate"] == 0.0000025
    assert (await store.get_model_config(P, "gpt-4o")) is not None
    [vanished] = changes(db, "gpt-4o", "source_vanished")
    assert vanished["changes"] == {
        "input_token_cost_rate": {"kept": 0.0000025, "source": "stale:vendor_api"},
        "output_token_cost_rate": {"kept": 0.00001, "source": "stale:vendor_api"},
    }
    assert changes(db, "gpt-4o", "updated") == []


async def test_stale_is_reported_once_and_a_returning_price_takes_over(
    store: PostgresStore, db: psycopg.Connection
) -> None:
    await store.apply_provider_models(P, [entry("gpt-4o")])
    await store.apply_provider_models(P, [unpriced("gpt-4o")])
    again = await store.apply_provider_models(P, [unpriced("gpt-4o")])
    assert (again.stale, again.unchanged) == (0, 1)
    assert len(changes(db, "gpt-4o", "source_vanished")) == 1
    back = await store.apply_provider_models(
        P, [entry("gpt-4o", input_token_cost_rate=Decimal("0.000002"))]
    )
    assert (back.updated, back.stale, back.overrides_kept) == (1, 0, 0)
    r = row(db, P, "gpt-4o")
    assert r["config"]["input_token_cost_rate"] == 0.000002
    assert r["config_sources"]["input_token_cost_rate"] == "vendor_api"


async def test_a_price_never_known_stays_null(store: PostgresStore, db: psycopg.Connection) -> None:
    await store.apply_provider_models(P, [unpriced("new")])
    result = await store.apply_provider_models(P, [unpriced("new")])
    assert result.stale == 0
    r = row(db, P, "new")
    assert r["config"]["input_token_cost_rate"] is None and not r["is_enabled"]


async def test_a_persons_price_stays_theirs_when_the_source_vanishes(
    store: PostgresStore, db: psycopg.Connection
) -> None:
    await store.apply_provider_models(P, [entry("gpt-4o")])
    edit_config(db, P, "gpt-4o", input_token_cost_rate=0.000004)
    result = await store.apply_provider_models(P, [unpriced("gpt-4o")])
    assert result.overrides_kept == 0  # upstream offered nothing new against the person's value
    r = row(db, P, "gpt-4o")
    assert r["config"]["input_token_cost_rate"] == 0.000004
    assert r["config"]["output_token_cost_rate"] == 0.00001


async def test_a_nonsense_baseline_price_is_not_carried_into_the_config(
    store: PostgresStore, db: psycopg.Connection
) -> None:
    await store.apply_provider_models(P, [entry("gpt-4o")])
    # a baseline from before baselines were validated (the check is a trigger: bypass it here)
    db.execute("set session_replication_role = replica")
    db.execute(
        "update ai_providers set sync_baseline = sync_baseline || "
        """'{"input_token_cost_rate": -1, "output_token_cost_rate": "free"}'"""
    )
    db.execute("reset session_replication_role")
    result = await store.apply_provider_models(P, [unpriced("gpt-4o")])
    assert result.status == "succeeded"
    config = row(db, P, "gpt-4o")["config"]
    # the rows' own values differ from that baseline: a person's, kept; nothing invalid written
    assert (config["input_token_cost_rate"], config["output_token_cost_rate"]) == (
        0.0000025,
        0.00001,
    )
