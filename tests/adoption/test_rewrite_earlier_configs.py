"""0031 rewrites configs that earlier versions of this project wrote into the current contract,
baselines too, so that a field the sync owned stays the sync's and an edited one stays edited."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg

from ai_catalog.store.migrations import discover, migrate
from tests.support.databases import SQL_DIR

EARLIER = [
    (
        "openai",
        "gpt-4o",
        {
            "input_token_cost_rate": 0.0000025,
            "output_token_cost_rate": 0.00001,
            "context_window_tokens": 128000,
            "provider_max_input_tokens": None,
            "tokenization_strategy": {"type": "tiktoken", "encoding": "o200k_base", "chatml": True},
        },
    ),
    (
        "anthropic",
        "claude-3-5-haiku-20241022",
        {
            "input_token_cost_rate": None,
            "output_token_cost_rate": None,
            "context_window_tokens": None,
            "tokenization_strategy": {"type": "provider_api", "fallback_chars_per_token": 3.5},
        },
    ),
    (
        "google",
        "gemini-2.0-flash",
        {"tokenization_strategy": {"type": "provider_api", "fallback_chars_per_token": 4.0}},
    ),
    (
        "mistral",
        "mistral-large-latest",
        {"tokenization_strategy": {"type": "rough_char_count", "chars_per_token": 3.5}},
    ),
]


def test_configs_of_earlier_versions_are_rewritten_and_counted(
    empty_db: str, tmp_path: Path
) -> None:
    original_db = empty_db
    for migration in discover(SQL_DIR):
        if migration.name <= "0015":
            (tmp_path / migration.name).write_text(migration.sql)
    migrate(original_db, tmp_path)  # the schema as an earlier version left it
    with psycopg.connect(original_db, autocommit=True) as conn:
        for provider, model_id, config in EARLIER:
            conn.execute(
                "select sync_apply_provider_models(%s, %s::jsonb)",
                (provider, json.dumps([{"api_identifier": model_id, "config": config}])),
            )
        # a person's edit, made under the earlier shape
        conn.execute(
            "update ai_providers set config = jsonb_set(config, '{tokenization_strategy}',"
            ' \'{"type": "rough_char_count", "chars_per_token": 2.5}\')'
            " where api_identifier = 'mistral-large-latest'"
        )

    said: list[str] = []
    migrate(original_db, SQL_DIR, log=said.append)
    assert any("rewrote 4 config(s)" in line for line in said), said

    with psycopg.connect(original_db, autocommit=True) as conn:
        rows: dict[str, tuple[dict[str, Any], dict[str, Any], list[str]]] = {
            r[0]: (r[1], r[2], r[3])
            for r in conn.execute(
                "select api_identifier, config, sync_baseline,"
                " ai_overridden_fields(config, sync_baseline) from ai_providers"
            )
        }
        assert conn.execute(
            "select count(*) from ai_model_changes"
            " where kind = 'manual_edit' and created_at > now() - interval '1 min'"
            " and changes ? 'api_identifier'"
        ).fetchone() == (0,)
    gpt, gpt_baseline, gpt_edited = rows["gpt-4o"]
    assert gpt["api_identifier"] == "gpt-4o"
    assert gpt["tokenization_strategy"] == {
        "type": "tiktoken",
        "tiktoken_encoding_name": "o200k_base",
        "is_chatml_model": True,
    }
    assert "provider_max_input_tokens" not in gpt
    assert gpt == gpt_baseline and gpt_edited == []
    claude, _, claude_edited = rows["claude-3-5-haiku-20241022"]
    assert claude["tokenization_strategy"] == {
        "type": "anthropic_tokenizer",
        "model": "claude-3-5-haiku-20241022",
    }
    assert "context_window_tokens" not in claude and claude["input_token_cost_rate"] is None
    assert claude_edited == []
    gemini, _, _ = rows["gemini-2.0-flash"]
    assert gemini["tokenization_strategy"] == {
        "type": "google_gemini_tokenizer",
        "chars_per_token_ratio": 4.0,
    }
    mistral, mistral_baseline, mistral_edited = rows["mistral-large-latest"]
    assert mistral["tokenization_strategy"]["chars_per_token_ratio"] == 2.5  # the edit, kept
    assert mistral_baseline["tokenization_strategy"]["chars_per_token_ratio"] == 3.5
    assert mistral_edited == ["tokenization_strategy"]  # still the person's, nothing else
