"""A model the vendor lists exactly as at the last sync is claimed, not rebuilt; the catalog ends
the same as if every config had been built again."""

from __future__ import annotations

from typing import Any

import httpx
import psycopg
import pytest
import respx

import ai_catalog.vendors.listing as listing
from ai_catalog.store.postgres import PostgresStore
from sync_ai_models.runner import RunOutcome, SyncRequest, run_sync
from tests.support.catalog import row
from tests.support.vendor_doubles import BASES, env_for, fast_policy, oa_list

P = "groq"
ENV = env_for(P)


def _model(model_id: str, context: int = 131072) -> dict[str, Any]:
    return {"id": model_id, "object": "model", "owned_by": "Meta", "context_window": context}


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids whose default config was built (the work a claim saves)."""
    built: list[str] = []
    real = listing.build_default_config

    def counting(provider: str, model: Any, **kwargs: Any) -> Any:
        built.append(model.id)
        return real(provider, model, **kwargs)

    monkeypatch.setattr(listing, "build_default_config", counting)
    return built


async def _sync(store: PostgresStore, *models: dict[str, Any]) -> RunOutcome:
    with respx.mock:
        respx.get(f"{BASES[P]}/models").respond(json=oa_list(*models))
        async with httpx.AsyncClient() as client:
            return await run_sync(
                store, SyncRequest(providers=[P]), env=ENV, client=client, policy=fast_policy()
            )


async def test_an_unchanged_listing_builds_no_config(
    store: PostgresStore, builds: list[str]
) -> None:
    models = [_model("llama-3.3-70b-versatile"), _model("llama-3.1-8b-instant")]
    first = await _sync(store, *models)
    assert first.results[0].inserted == 2 and len(builds) == 2
    builds.clear()
    again = await _sync(store, *models)
    assert (again.results[0].unchanged, builds) == (2, [])


async def test_a_changed_entry_alone_is_rebuilt(
    store: PostgresStore, db: psycopg.Connection, builds: list[str]
) -> None:
    await _sync(store, _model("llama-3.3-70b-versatile"), _model("llama-3.1-8b-instant"))
    builds.clear()
    result = await _sync(
        store, _model("llama-3.3-70b-versatile"), _model("llama-3.1-8b-instant", context=8192)
    )
    assert builds == ["llama-3.1-8b-instant"]
    assert (result.results[0].updated, result.results[0].unchanged) == (1, 1)
    assert row(db, P, "llama-3.1-8b-instant")["config"]["context_window_tokens"] == 8192


async def test_a_claim_on_a_row_edited_since_is_sent_whole(
    store: PostgresStore, db: psycopg.Connection, builds: list[str]
) -> None:
    models = [_model("llama-3.3-70b-versatile")]
    await _sync(store, *models)
    known = await store.model_fingerprints(P)
    builds.clear()
    # the claim is made from fingerprints read before this edit lands
    real_fingerprints = store.model_fingerprints

    async def then_edit(provider: str) -> dict[str, str]:
        found = await real_fingerprints(provider)
        db.execute("update ai_providers set name = 'Renamed by hand' where provider = %s", (P,))
        return found

    store.model_fingerprints = then_edit  # type: ignore[method-assign]
    result = await _sync(store, *models)
    assert known and result.results[0].status == "succeeded"
    assert builds == ["llama-3.3-70b-versatile"]  # the refused claim was expanded
    assert row(db, P, "llama-3.3-70b-versatile")["config"]["context_window_tokens"] == 131072


async def test_a_config_version_change_rebuilds_everything(
    store: PostgresStore, builds: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    models = [_model("llama-3.3-70b-versatile"), _model("llama-3.1-8b-instant")]
    await _sync(store, *models)
    builds.clear()
    monkeypatch.setattr(listing, "config_version", lambda env, catalogs=(): "pricing data updated")
    result = await _sync(store, *models)
    assert sorted(builds) == ["llama-3.1-8b-instant", "llama-3.3-70b-versatile"]
    assert result.results[0].unchanged == 2  # rebuilt, and the same configs came out
