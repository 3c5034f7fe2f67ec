"""`migrate` adopts the original Edge Function's ai_providers in place; syncs then update its rows.

The fixture database is the original's table (tests/adoption/original_schema.sql) with rows of
every tokenization strategy variant, a referencing table, application columns, a model of a
vendor this project does not sync, a deactivated model, per-million cost rates and a null config.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import psycopg
import pytest
import respx
from click.testing import CliRunner

from ai_catalog.store.migrations import migrate
from ai_catalog.store.postgres import PostgresStore
from sync_ai_models.cli import main
from sync_ai_models.runner import SyncRequest, run_sync
from tests.support.databases import SQL_DIR

HERE = Path(__file__).parent
ORIGINAL_SCHEMA = json.loads((HERE.parent / "original_config.schema.json").read_text())

TIKTOKEN = {
    "type": "tiktoken",
    "tiktoken_encoding_name": "o200k_base",
    "is_chatml_model": True,
    "api_identifier_for_tokenization": "gpt-4o",
}
ROWS: list[dict[str, Any]] = [
    {
        "api_identifier": "openai-gpt-4o",
        "provider": "openai",
        "name": "GPT-4o (ours)",
        "is_default_generation": True,
        "min_plan_tier_level": 1,
        "config": {
            "api_identifier": "gpt-4o",
            "input_token_cost_rate": 0.000002,
            "output_token_cost_rate": 0.000008,
            "context_window_tokens": 128000,
            "hard_cap_output_tokens": 4096,
            "provider_max_output_tokens": 16384,
            "tokenization_strategy": TIKTOKEN,
            "notes": "our default",
        },
    },
    {
        "api_identifier": "openai-text-embedding-3-small",
        "provider": "openai",
        "name": "Embeddings",
        "is_default_embedding": True,
        "config": {
            "api_identifier": "text-embedding-3-small",
            "input_token_cost_rate": 0.00000002,
            "output_token_cost_rate": 0,
            "tokenization_strategy": {
                "type": "tiktoken",
                "tiktoken_encoding_name": "cl100k_base",
                "is_chatml_model": False,
            },
        },
    },
    {"api_identifier": "openai-gpt-4o-mini", "provider": "openai", "name": "Mini", "config": None},
    {
        "api_identifier": "openai-gpt-3.5-turbo-0301",
        "provider": "openai",
        "name": "Old",
        "is_active": False,
        "config": {
            "api_identifier": "gpt-3.5-turbo-0301",
            "input_token_cost_rate": 0.0000015,
            "output_token_cost_rate": 0.000002,
            "tokenization_strategy": {"type": "rough_char_count", "chars_per_token_ratio": 4},
        },
    },
    {
        "api_identifier": "anthropic-claude-3-5-sonnet-20241022",
        "provider": "anthropic",
        "name": "Claude",
        "config": {
            "api_identifier": "claude-3-5-sonnet-20241022",
            # per million tokens, as the original's code once stored them
            "input_token_cost_rate": 3.0,
            "output_token_cost_rate": 15.0,
            "tokenization_strategy": {
                "type": "anthropic_tokenizer",
                "model": "claude-3-5-sonnet-20241022",
            },
            "status": "active",
            "features": ["tool_use"],
        },
    },
    {
        "api_identifier": "google-gemini-1.5-pro",
        "provider": None,
        "name": "Gemini",
        "config": {
            "api_identifier": "gemini-1.5-pro",
            "input_token_cost_rate": 0.00000125,
            "default_top_p": 1.5,  # beyond what the contract takes: reported by migrate
            "output_token_cost_rate": 0.000005,
            "tokenization_strategy": {
                "type": "google_gemini_tokenizer",
                "chars_per_token_ratio": 4,
            },
        },
    },
    {
        "api_identifier": "dummy-echo",
        "provider": "dummy",
        "name": "Echo (test model)",
        "config": {"api_identifier": "dummy-echo", "tokenization_strategy": {"type": "none"}},
    },
]
OPENAI_LIST = ["gpt-4o", "gpt-4o-mini", "text-embedding-3-small", "o3-mini"]
ANTHROPIC_LIST = ["claude-3-5-sonnet-20241022", "claude-3-5-haiku-20241022"]
ENV = {
    "OPENAI_API_KEY": "ok",
    "OPENAI_BASE_URL": "http://openai.test/v1",
    "ANTHROPIC_API_KEY": "ak",
    "ANTHROPIC_BASE_URL": "http://anthropic.test/v1",
    "SYNC_MODELS_DEV_URL": "off",
}


@pytest.fixture
def original_db(empty_db: str) -> str:
    """A fresh database holding the original's table and rows (no migrations applied)."""
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute((HERE / "original_schema.sql").read_text().encode())
        for row in ROWS:
            conn.execute(
                "insert into ai_providers (api_identifier, provider, name, is_active, config,"
                " is_default_generation, is_default_embedding, min_plan_tier_level)"
                " values (%s, %s, %s, %s, %s::jsonb, %s, %s, %s)",
                (
                    row["api_identifier"],
                    row["provider"],
                    row["name"],
                    row.get("is_active", True),
                    None if row["config"] is None else json.dumps(row["config"]),
                    row.get("is_default_generation", False),
                    row.get("is_default_embedding", False),
                    row.get("min_plan_tier_level"),
                ),
            )
        conn.execute(
            "insert into chat_messages (ai_provider_id, content)"
            " select id, 'hello' from ai_providers"
        )
    return empty_db


def snapshot(conn: psycopg.Connection) -> dict[str, dict[str, Any]]:
    rows = conn.execute(
        "select original.api_identifier, to_jsonb(p) from ai_providers p"
        " join lateral (select coalesce((select a.detail ->> 'from'"
        "   from sync_ai_models.adopted_models a"
        "   where a.model_id = p.id and a.action = 'unprefixed'), p.api_identifier)"
        "   as api_identifier) original on true"
    ).fetchall()
    return {name: data for name, data in rows}


def vendors_mock() -> respx.MockRouter:
    router = respx.mock(assert_all_called=False)
    router.get("http://openai.test/v1/models").respond(
        json={
            "object": "list",
            "data": [
                {"id": m, "object": "model", "created": 1715367049, "owned_by": "system"}
                for m in OPENAI_LIST
            ],
        }
    )
    router.get("http://anthropic.test/v1/models").respond(
        json={
            "data": [
                {"type": "model", "id": m, "display_name": m, "created_at": "2024-10-22T00:00:00Z"}
                for m in ANTHROPIC_LIST
            ],
            "has_more": False,
        }
    )
    return router


async def sync(url: str) -> dict[str, tuple[int, int]]:
    """Syncs OpenAI and Anthropic from the mocked lists; (inserted, updated) per vendor."""
    store = await PostgresStore(url).open()
    try:
        with vendors_mock():
            async with httpx.AsyncClient() as client:
                outcome = await run_sync(
                    store, SyncRequest(providers=["openai", "anthropic"]), env=ENV, client=client
                )
    finally:
        await store.close()
    assert {r.provider: r.status for r in outcome.results} == {
        "openai": "succeeded",
        "anthropic": "succeeded",
    }, [r.error for r in outcome.results]
    return {r.provider: (r.inserted, r.updated) for r in outcome.results}


async def test_migrate_adopts_the_original_and_syncs_update_its_rows(original_db: str) -> None:
    with psycopg.connect(original_db, autocommit=True) as conn:
        before = {r["api_identifier"]: r for r in snapshot_original(conn)}

    said: list[str] = []
    applied = migrate(original_db, SQL_DIR, log=said.append)
    assert "0001a_adopt_original.sql" in applied
    assert migrate(original_db, SQL_DIR) == []  # twice: nothing left to do
    report = "\n".join(said)
    assert "adopting the existing public.ai_providers" in report
    assert "6 prefixed identifier(s) matched" in report
    assert "2 cost rate(s) per million tokens converted" in report  # Claude's two
    assert "1 model(s) of vendors this project does not sync" in report  # the dummy vendor's
    assert "to fix before syncing their vendor: google/gemini-1.5-pro: config.default_top_p" in (
        report
    )

    first = await sync(original_db)
    assert first == {"openai": (1, 3), "anthropic": (1, 1)}  # the adopted rows, updated
    second = await sync(original_db)
    assert second == {"openai": (0, 0), "anthropic": (0, 0)}  # nothing new, nothing to write

    with psycopg.connect(original_db, autocommit=True) as conn:
        after = snapshot(conn)
        # every row keeps its id, its application columns, and its references
        for name, old in before.items():
            new = after[name]
            assert new["id"] == old["id"], name
            for column in ("is_default_generation", "is_default_embedding", "min_plan_tier_level"):
                assert new[column] == old[column], (name, column)
        assert conn.execute(
            "select count(*) from chat_messages m join ai_providers p on p.id = m.ai_provider_id"
        ).fetchone() == (len(ROWS),)

        # no duplicates: the first sync updated the adopted rows; only new models were added
        ids = dict(conn.execute("select provider || '/' || api_identifier, id from ai_providers"))
        assert sorted(ids) == sorted(
            [
                "openai/gpt-4o",
                "openai/gpt-4o-mini",
                "openai/text-embedding-3-small",
                "openai/gpt-3.5-turbo-0301",
                "openai/o3-mini",
                "anthropic/claude-3-5-sonnet-20241022",
                "anthropic/claude-3-5-haiku-20241022",
                "google/gemini-1.5-pro",
                "dummy/dummy-echo",
            ]
        )

        gpt = after["openai-gpt-4o"]
        assert gpt["name"] == "GPT-4o (ours)"  # OpenAI lists no names: the row's stays
        # adopted values are an admin's: kept against what the sync computed
        assert gpt["config"]["input_token_cost_rate"] == 0.000002
        assert gpt["config"]["hard_cap_output_tokens"] == 4096
        assert gpt["config"]["notes"] == "our default"
        assert gpt["sync_baseline"]["input_token_cost_rate"] != 0.000002
        # the sync only added what the row lacked
        mini = after["openai-gpt-4o-mini"]
        assert mini["config"]["api_identifier"] == "gpt-4o-mini"
        assert mini["config"]["tokenization_strategy"]["tiktoken_encoding_name"] == "o200k_base"

        # per-million rates: converted to per token, reported
        claude = after["anthropic-claude-3-5-sonnet-20241022"]
        assert claude["config"]["input_token_cost_rate"] == 0.000003
        assert claude["config"]["output_token_cost_rate"] == 0.000015

        # rows of a vendor not synced, and the deactivated model, are left alone
        for name in ("dummy-echo", "openai-gpt-3.5-turbo-0301"):
            assert after[name]["config"] == before[name]["config"], name
            assert after[name]["is_active"] == before[name]["is_active"], name
        assert after["dummy-echo"]["api_identifier"] == "dummy-echo"
        assert after["dummy-echo"]["updated_at"] == before["dummy-echo"]["updated_at"]

        # the application's own policy and trigger are still there
        assert conn.execute(
            "select count(*) from pg_policies where tablename = 'ai_providers'"
            " and policyname = 'Allow authenticated read access to active providers'"
        ).fetchone() == (1,)
        assert conn.execute(
            "select count(*) from pg_trigger where tgname = 'handle_ai_providers_updated_at'"
        ).fetchone() == (1,)

        # every config of a synced vendor passes the original application's schema
        for data in after.values():
            if data["provider"] in ("openai", "anthropic") and data["is_active"]:
                jsonschema.validate(data["config"], ORIGINAL_SCHEMA)

        # release one field of one vendor: the next sync writes the sync's value
        released = conn.execute(
            "select sync_release_adopted('openai', 'input_token_cost_rate')"
        ).fetchone()
        assert released is not None and released[0] >= 1
    await sync(original_db)
    with psycopg.connect(original_db, autocommit=True) as conn:
        gpt = snapshot(conn)["openai-gpt-4o"]
        assert (
            gpt["config"]["input_token_cost_rate"] == gpt["sync_baseline"]["input_token_cost_rate"]
        )
        assert gpt["config"]["input_token_cost_rate"] != 0.000002
        assert gpt["config"]["hard_cap_output_tokens"] == 4096  # not released: still kept


def snapshot_original(conn: psycopg.Connection) -> list[dict[str, Any]]:
    return [r[0] for r in conn.execute("select to_jsonb(p) from ai_providers p").fetchall()]


def test_release_adopted_command_hands_fields_back(original_db: str) -> None:
    env = {"DATABASE_URL": original_db}
    run = CliRunner().invoke(main, ["migrate"], env=env)
    assert run.exit_code == 0, run.output
    assert "adopting the existing public.ai_providers in place" in run.output
    assert "6 prefixed identifier(s) matched to the vendor's own id" in run.output
    run = CliRunner().invoke(main, ["release-adopted", "--provider", "anthropic"], env=env)
    assert run.exit_code == 0, run.output
    assert "released every field of 1 adopted model(s)" in run.output
    with psycopg.connect(original_db, autocommit=True) as conn:
        owned = dict(
            conn.execute(
                "select provider, bool_and(sync_baseline = config) from ai_providers"
                " where provider in ('openai', 'anthropic') group by provider"
            ).fetchall()
        )
        assert owned["anthropic"] is True and owned["openai"] is False
        overridden = conn.execute(
            "select sync_get_model_config('openai', 'gpt-4o') -> 'overridden_fields'"
        ).fetchone()
        assert overridden is not None and "notes" in overridden[0]
    run = CliRunner().invoke(main, ["release-adopted", "--field", "notes"], env=env)
    assert "released field notes of 1 adopted model(s)" in run.output  # only gpt-4o has notes
    with psycopg.connect(original_db, autocommit=True) as conn:
        overridden = conn.execute(
            "select sync_get_model_config('openai', 'gpt-4o') -> 'overridden_fields'"
        ).fetchone()
        assert overridden is not None and "notes" not in overridden[0]
        assert "input_token_cost_rate" in overridden[0]


def test_ambiguous_identifiers_are_left_as_they_are(empty_db: str) -> None:
    rows = [
        ("openai-gpt-4o", "openai"),
        ("gpt-4o", "openai"),  # already there unprefixed: the prefixed one keeps its prefix
        ("mistral-large-latest", "mistral"),  # Mistral's own id, not a prefix
        ("mistral-mistral-small-latest", None),  # the original's prefix on Mistral's id
        ("deepseek-chat", None),
    ]
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute((HERE / "original_schema.sql").read_text().encode())
        for api_identifier, provider in rows:
            conn.execute(
                "insert into ai_providers (api_identifier, provider, name) values (%s, %s, 'x')",
                (api_identifier, provider),
            )
    said: list[str] = []
    migrate(empty_db, SQL_DIR, log=said.append)
    with psycopg.connect(empty_db, autocommit=True) as conn:
        found = sorted(
            conn.execute("select coalesce(provider, '-'), api_identifier from ai_providers")
        )
    assert found == [
        ("-", "deepseek-chat"),
        ("mistral", "mistral-large-latest"),
        ("mistral", "mistral-small-latest"),
        ("openai", "gpt-4o"),
        ("openai", "openai-gpt-4o"),
    ]
    assert any("1 prefixed identifier(s) kept" in line for line in said), said
