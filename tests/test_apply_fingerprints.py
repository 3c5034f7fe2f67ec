"""Unchanged entries travel as fingerprints; the result is the same as sending them whole."""

from __future__ import annotations

import json
from typing import Any

import psycopg
import pytest

from ai_catalog.store.postgres import PostgresStore
from tests.support.catalog import entry, row

P = "openai"


class RecordingStore(PostgresStore):
    """Records what each SQL call was sent; can run a hook between two calls."""

    def __init__(self, conninfo: str) -> None:
        super().__init__(conninfo)
        self.sent: list[tuple[str, Any]] = []
        self.after_fingerprints: Any = None

    async def _rpc(self, function: str, args: dict[str, Any]) -> Any:
        self.sent.append((function, args.get("p_models")))
        result = await super()._rpc(function, args)
        if function == "sync_model_fingerprints" and self.after_fingerprints:
            self.after_fingerprints()
            self.after_fingerprints = None
        return result


def whole_entries(models: Any) -> list[str]:
    return [m["api_identifier"] for m in models.value if "config" in m]


async def test_unchanged_models_are_sent_as_fingerprints(db_url: str) -> None:
    store = await RecordingStore(db_url).open()
    try:
        await store.apply_provider_models(P, [entry("a"), entry("b")])
        result = await store.apply_provider_models(
            P, [entry("a"), entry("b", context_window_tokens=5), entry("c")]
        )
        assert (result.unchanged, result.updated, result.inserted) == (1, 1, 1)
        _, models = store.sent[-1]
        assert whole_entries(models) == ["b", "c"]
    finally:
        await store.close()


async def test_catalog_moving_between_calls_falls_back_to_whole_entries(
    db_url: str, db: psycopg.Connection
) -> None:
    store = await RecordingStore(db_url).open()
    try:
        await store.apply_provider_models(P, [entry("a"), entry("b")])
        # a person renames "a" after the sync read the fingerprints, before it applies
        store.after_fingerprints = lambda: db.execute(
            "update ai_providers set name = 'Renamed' where api_identifier = 'a'"
        )
        result = await store.apply_provider_models(P, [entry("a"), entry("b")])
        applies = [models for function, models in store.sent if function.endswith("_models")]
        assert whole_entries(applies[-2]) == []  # the compact try was refused...
        assert whole_entries(applies[-1]) == ["a", "b"]  # ...and the whole list sent again
        # the person's name is merged, not overwritten (name follows the three-way merge)
        assert (result.updated, result.unchanged) == (0, 2)
        assert row(db, P, "a")["name"] == "Renamed"
    finally:
        await store.close()


async def test_a_renamed_model_is_sent_whole_next_time(
    store: PostgresStore, db: psycopg.Connection
) -> None:
    await store.apply_provider_models(P, [entry("a")])
    db.execute("update ai_providers set name = 'Renamed'")
    assert row(db, P, "a")["sync_fingerprint"] is None
    result = await store.apply_provider_models(P, [entry("a")])
    # sent whole (no fingerprint to vouch for it) and merged: the person's name stays
    assert (result.unchanged, row(db, P, "a")["name"]) == (1, "Renamed")
    assert row(db, P, "a")["sync_fingerprint"] is not None


async def test_last_seen_moves_at_most_daily(store: PostgresStore, db: psycopg.Connection) -> None:
    await store.apply_provider_models(P, [entry("fresh"), entry("old")])
    db.execute(
        "update ai_providers set last_seen_at = now() - interval '2 days' "
        "where api_identifier = 'old'"
    )
    seen_before = {r: row(db, P, r)["last_seen_at"] for r in ("fresh", "old")}
    result = await store.apply_provider_models(P, [entry("fresh"), entry("old")])
    assert result.unchanged == 2
    assert row(db, P, "fresh")["last_seen_at"] == seen_before["fresh"]  # seen today: not rewritten
    assert row(db, P, "old")["last_seen_at"] > seen_before["old"]


async def test_a_forged_fingerprint_is_refused(db: psycopg.Connection) -> None:
    db.execute(
        "select sync_apply_provider_models('openai', %s::jsonb)",
        (json.dumps([{**entry("a").to_json(), "fingerprint": "f1"}]),),
    )
    with pytest.raises(psycopg.Error, match="stale fingerprints"):
        db.execute(
            "select sync_apply_provider_models('openai', %s::jsonb)",
            (json.dumps([{"api_identifier": "a", "fingerprint": "other"}]),),
        )
