"""Small builders for catalog tests."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import psycopg

from ai_catalog.model_config import ModelConfig
from ai_catalog.types import CatalogEntry

BASE: dict[str, Any] = {
    "input_token_cost_rate": Decimal("0.0000025"),
    "output_token_cost_rate": Decimal("0.00001"),
    "context_window_tokens": 128000,
    "provider_max_output_tokens": 16384,
    "hard_cap_output_tokens": 16384,
    "tokenization_strategy": {
        "type": "tiktoken",
        "tiktoken_encoding_name": "o200k_base",
        "is_chatml_model": True,
    },
}


def entry(model_id: str, **overrides: Any) -> CatalogEntry:
    config = {"api_identifier": model_id, **BASE, **overrides}
    return CatalogEntry(
        api_identifier=model_id,
        name=model_id.upper(),
        config=ModelConfig.model_validate(config),
        config_sources={field: "vendor_api" for field in config},
        raw={"id": model_id},
    )


def row(
    db: psycopg.Connection, provider: str, model_id: str, exact: bool = False
) -> dict[str, Any]:
    """The row as JSON; numbers as floats (easy to compare) or, with exact, as Decimal."""
    found = db.execute(
        "select to_jsonb(p)::text from ai_providers p where provider = %s and api_identifier = %s",
        (provider, model_id),
    ).fetchone()
    assert found is not None, f"no row {provider}/{model_id}"
    value: dict[str, Any] = json.loads(found[0], parse_float=Decimal if exact else float)
    return value


def edit_config(db: psycopg.Connection, provider: str, model_id: str, **fields: Any) -> None:
    """A person's edit, as an admin would make it in SQL."""
    db.execute(
        "update ai_providers set config = config || %s::jsonb "
        "where provider = %s and api_identifier = %s",
        (json.dumps(fields), provider, model_id),
    )


def changes(db: psycopg.Connection, model_id: str, kind: str | None = None) -> list[dict[str, Any]]:
    rows = db.execute(
        "select to_jsonb(c) from ai_model_changes c where api_identifier = %s "
        "and (%s::text is null or kind = %s) order by id",
        (model_id, kind, kind),
    ).fetchall()
    return [r[0] for r in rows]
