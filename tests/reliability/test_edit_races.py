"""A person's edits racing syncs: edits of config fields, names and descriptions made while
syncs of the same vendor run (with upstream changes) are all still there afterwards."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import psycopg

from ai_catalog.errors import AlreadyRunning
from ai_catalog.store.postgres import PostgresStore
from tests.support.catalog import entry

P = "openai"
MODELS = [f"race-model-{i:02d}" for i in range(40)]
SYNCS = 12
EDITS = 60


def upstream(round_: int) -> list[Any]:
    """The vendor's list in one round: every price moves, so every sync has work to do."""
    price = Decimal("0.000001") * (round_ + 2)
    return [
        entry(m, input_token_cost_rate=price).model_copy(update={"description": f"v{round_}"})
        for m in MODELS
    ]


async def one_sync(store: PostgresStore, round_: int) -> str:
    try:
        await store.apply_provider_models(P, upstream(round_))
    except AlreadyRunning:
        return "already_running"
    return "applied"


async def one_edit(url: str, number: int, model: str, field: str) -> tuple[str, str, Any]:
    """Edits one field of one model by hand; returns (model, field, value written)."""
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        if field == "output_token_cost_rate":
            value: Any = float(Decimal("0.00009") + Decimal(number) / Decimal(10**9))
            await conn.execute(
                "update ai_providers"
                " set config = config || jsonb_build_object(%s::text, %s::numeric)"
                " where provider = %s and api_identifier = %s",
                (field, value, P, model),
            )
        else:
            value = f"edited by hand #{number}"
            column = "name" if field == "name" else "description"
            await conn.execute(
                f"update ai_providers set {column} = %s"
                " where provider = %s and api_identifier = %s",
                (value, P, model),
            )
    return model, field, value


def current(db: psycopg.Connection, model: str, field: str) -> Any:
    found = db.execute(
        "select to_jsonb(p)::text from ai_providers p where provider = %s and api_identifier = %s",
        (P, model),
    ).fetchone()
    assert found is not None
    row = json.loads(found[0])
    return row["config"].get(field) if field.endswith("_rate") else row[field]


async def test_edits_racing_syncs_are_never_lost(
    db: psycopg.Connection,
    db_url: str,
    store: PostgresStore,
    record_property: Callable[[str, Any], None],
) -> None:
    await store.apply_provider_models(P, upstream(0))
    rng = random.Random(7)
    # each (model, field) edited once, so what must survive is unambiguous
    fields = ("output_token_cost_rate", "name", "description")
    targets = rng.sample([(m, f) for m in MODELS for f in fields], EDITS)
    syncs = [one_sync(store, r) for r in range(1, SYNCS + 1)]
    edits = [one_edit(db_url, n, m, f) for n, (m, f) in enumerate(targets)]
    tasks = syncs + edits
    rng.shuffle(tasks)
    outcomes = await asyncio.gather(*tasks)
    made = [o for o in outcomes if isinstance(o, tuple)]
    assert "applied" in outcomes  # syncs did run alongside the edits
    assert len(made) == EDITS
    # one more sync after the race: edits must survive it too
    await store.apply_provider_models(P, upstream(SYNCS + 1))
    lost = [(m, f, v) for m, f, v in made if current(db, m, f) != v]
    record_property("figure:edits_lost", len(lost))
    assert lost == []
