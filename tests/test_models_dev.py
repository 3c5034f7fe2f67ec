"""models.dev as a maintained catalog: its recorded sample read exactly, fetched at most once per
run (respx stands in for models.dev; never the network), its last good copy kept in the
database and used when models.dev is down or answers nonsense, and its evidence voted with the
bundled catalogs."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import respx

from ai_catalog.config.defaults import CONFLICT_PREFIX
from ai_catalog.config.limits_catalog import catalog_available
from ai_catalog.config.pricing import GENAI_PRICES_SOURCE
from ai_catalog.config.sources.models_dev import MalformedCatalog, ModelsDevCatalog
from ai_catalog.config.version import config_version
from ai_catalog.store.postgres import PostgresStore
from ai_catalog.store.run_catalogs import load_models_dev
from ai_catalog.vendors import ProviderModel, parse_page
from ai_catalog.vendors.defaults import build_default_config
from sync_ai_models.runner import SyncRequest, run_sync
from tests.support.catalog import row
from tests.support.vendor_doubles import BASES, env_for, fast_policy, oa_list

FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "provider-fixtures"
SAMPLE = FIXTURES / "models-dev__api-json_sample_2026-07-02.json"
pytestmark = pytest.mark.skipif(not SAMPLE.is_file(), reason="../shared absent")
URL = "http://models-dev.test/api.json"
ENV = {"SYNC_MODELS_DEV_URL": URL}
needs_litellm = pytest.mark.skipif(not catalog_available(), reason="LiteLLM not installed")


def _sample() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(SAMPLE.read_text())
    return document


def _catalog() -> ModelsDevCatalog:
    return ModelsDevCatalog(_sample())


def _config(provider: str, model: ProviderModel) -> tuple[dict[str, Any], dict[str, str]]:
    config, sources = build_default_config(provider, model, env={}, sources=(_catalog(),))
    return config.model_dump(exclude_none=True), sources


def test_the_sample_is_read_in_usd_per_token() -> None:
    facts = _catalog().facts("anthropic", "claude-opus-4-5")
    assert facts is not None
    assert (facts.input, facts.output) == (Decimal("0.000005"), Decimal("0.000025"))
    assert (facts.cache_read, facts.cache_write) == (Decimal("5E-7"), Decimal("0.00000625"))
    assert (facts.context_window, facts.max_output) == (200_000, 64_000)


def test_only_exact_ids_and_no_copied_output_limit() -> None:
    catalog = _catalog()
    assert catalog.facts("openai", "gpt-4o-2024-08-06") is None  # no prefix matching
    large = catalog.facts("mistral", "mistral-large-latest")
    assert large is not None and large.context_window == 262_144
    assert large.max_output is None  # 262144/262144: a copied context window
    whisper = catalog.facts("groq", "whisper-large-v3")
    assert whisper is not None and whisper.context_window is None  # 0 means unknown


@pytest.mark.parametrize("document", [[], {}, {"openai": {"models": []}}, "x"])
def test_a_malformed_document_is_refused(document: Any) -> None:
    with pytest.raises(MalformedCatalog):
        ModelsDevCatalog(document)


@needs_litellm
def test_majority_of_three_for_gpt5s_context() -> None:
    config, sources = _config("openai", ProviderModel(provider="openai", id="gpt-5"))
    # models.dev 400K and genai-prices 400K outvote the limits catalog's 272K (its input limit)
    assert config["context_window_tokens"] == 400_000
    assert sources["context_window_tokens"] == "models.dev"
    assert "catalog=272000" in sources[CONFLICT_PREFIX + "context_window_tokens"]


@needs_litellm
def test_a_tie_keeps_the_limits_catalogs_128k_for_chat_latest() -> None:
    config, sources = _config("openai", ProviderModel(provider="openai", id="gpt-5-chat-latest"))
    assert config["context_window_tokens"] == 128_000
    assert sources[CONFLICT_PREFIX + "context_window_tokens"] == (
        "catalog=128000; models.dev=400000"
    )


def test_an_alias_target_both_catalogs_price_alike_has_no_conflict() -> None:
    # Mistral's later listing names mistral-large-2512 as mistral-large-latest's target
    entry = {
        "id": "mistral-large-latest",
        "name": "mistral-large-2512",
        "aliases": ["mistral-large-2512"],
        "max_context_length": 262144,
        "capabilities": {"completion_chat": True},
    }
    models, _ = parse_page("mistral", {"object": "list", "data": [entry]})
    config, sources = _config("mistral", models[0])
    assert config["input_token_cost_rate"] == Decimal("5E-7")
    assert config["output_token_cost_rate"] == Decimal("0.0000015")
    assert CONFLICT_PREFIX + "input_token_cost_rate" not in sources


def test_a_price_genai_prices_lacks_comes_from_models_dev() -> None:
    new = {"cost": {"input": 0.4, "output": 2, "cache_read": 0.04}, "limit": {"context": 131072}}
    catalog = ModelsDevCatalog({"mistral": {"models": {"mistral-next-2701": new}}})
    model = ProviderModel(provider="mistral", id="mistral-next-2701")
    config, sources = build_default_config("mistral", model, env={}, sources=(catalog,))
    assert (config.input_token_cost_rate, config.output_token_cost_rate) == (
        Decimal("4E-7"),
        Decimal("0.000002"),
    )
    assert config.cache_read_token_cost_rate == Decimal("4E-8")
    assert config.context_window_tokens == 131_072
    assert {sources["input_token_cost_rate"], sources["context_window_tokens"]} == {"models.dev"}


def test_a_price_disagreement_is_recorded_and_genai_prices_kept_on_a_tie() -> None:
    _, sources = _config("deepseek", ProviderModel(provider="deepseek", id="deepseek-chat"))
    assert sources["input_token_cost_rate"] == GENAI_PRICES_SOURCE
    conflict = sources[CONFLICT_PREFIX + "input_token_cost_rate"]
    assert "models.dev=1.4E-7/2.8E-7" in conflict


def test_models_dev_gives_a_max_output_nobody_else_knows() -> None:
    config, sources = _config("mistral", ProviderModel(provider="mistral", id="codestral-latest"))
    assert config["provider_max_output_tokens"] == 4096
    assert sources["provider_max_output_tokens"] == "models.dev"


async def _load(store: PostgresStore, env: dict[str, str] = ENV, keep: bool = True) -> Any:
    async with httpx.AsyncClient() as client:
        return await load_models_dev(store, client, env, keep=keep)


@respx.mock(assert_all_called=False)
async def test_reachable_then_down_uses_the_last_good_copy(
    respx_mock: respx.MockRouter, store: PostgresStore, db: psycopg.Connection
) -> None:
    route = respx_mock.get(URL).respond(json=_sample(), headers={"ETag": '"v1"'})
    live = await _load(store)
    assert live.copies == {"models.dev": "live"} and len(live.sources[0]) == 26
    assert db.execute("select etag from ai_catalog_copies").fetchone() == ('"v1"',)
    route.side_effect = httpx.ConnectError("down")
    down = await _load(store)
    assert down.copies["models.dev"].startswith("last good copy of ")
    assert "ConnectError" in down.copies["models.dev"]
    assert route.calls.last.request.headers["If-None-Match"] == '"v1"'
    facts = down.sources[0].facts("deepseek", "deepseek-chat")
    assert facts is not None and facts.input == Decimal("1.4E-7")


@respx.mock
async def test_not_modified_uses_the_copy(
    respx_mock: respx.MockRouter, store: PostgresStore
) -> None:
    await store.save_catalog_copy("models.dev", _sample(), '"v1"')
    respx_mock.get(URL, headers={"If-None-Match": '"v1"'}).respond(304)
    loaded = await _load(store)
    assert "(not modified)" in loaded.copies["models.dev"] and loaded.sources


@pytest.mark.parametrize(
    ("response", "reason"),
    [
        (httpx.Response(200, json=[1, 2]), "not a JSON object"),
        (httpx.Response(200, content=b"<html>"), "not JSON"),
        (httpx.Response(503), "HTTP 503"),
    ],
)
async def test_a_bad_answer_is_ignored_and_reported(
    store: PostgresStore, response: httpx.Response, reason: str
) -> None:
    with respx.mock:
        respx.get(URL).mock(return_value=response)
        loaded = await _load(store)
    assert loaded.sources == ()
    assert (
        loaded.copies["models.dev"].startswith("none (") and reason in loaded.copies["models.dev"]
    )


async def test_off_sends_nothing(store: PostgresStore) -> None:
    with respx.mock:  # any request would fail: none is mocked
        loaded = await _load(store, {"SYNC_MODELS_DEV_URL": "off"})
    assert (loaded.sources, loaded.copies) == ((), {"models.dev": "off"})


@respx.mock
async def test_a_dry_run_keeps_no_copy(
    respx_mock: respx.MockRouter, store: PostgresStore, db: psycopg.Connection
) -> None:
    respx_mock.get(URL).respond(json=_sample())
    assert (await _load(store, keep=False)).copies == {"models.dev": "live"}
    assert db.execute("select count(*) from ai_catalog_copies").fetchone() == (0,)


async def test_a_run_fetches_once_and_reports_the_copy(
    store: PostgresStore, db: psycopg.Connection
) -> None:
    env = {**env_for("groq", SYNC_MODELS_DEV_URL=URL), **env_for("mistral")}
    env["SYNC_MODELS_DEV_URL"] = URL
    groq = {"id": "llama-3.3-70b-versatile", "object": "model", "owned_by": "Meta"}
    mistral = {
        "id": "codestral-latest",
        "object": "model",
        "capabilities": {"completion_chat": True},
    }
    with respx.mock:
        catalog = respx.get(URL).respond(json=_sample())
        respx.get(f"{BASES['groq']}/models").respond(json=oa_list(groq))
        respx.get(f"{BASES['mistral']}/models").respond(json=oa_list(mistral))
        async with httpx.AsyncClient() as client:
            outcome = await run_sync(
                store,
                SyncRequest(providers=["groq", "mistral"]),
                env=env,
                client=client,
                policy=fast_policy(),
            )
    assert catalog.call_count == 1
    assert outcome.catalogs == {"models.dev": "live"}
    assert [r.status for r in outcome.results] == ["succeeded", "succeeded"]
    found = row(db, "mistral", "codestral-latest")
    assert found["config"]["provider_max_output_tokens"] == 4096
    assert found["config_sources"]["provider_max_output_tokens"] == "models.dev"


def test_another_copy_is_another_config_version() -> None:
    other = _sample()
    other["deepseek"]["models"]["deepseek-chat"]["cost"]["input"] = 0.28
    versions = {config_version({}, (c,)) for c in (_catalog(), ModelsDevCatalog(other))}
    assert len(versions | {config_version({})}) == 3


def test_an_embedding_models_vector_size_is_not_a_max_output() -> None:
    model = ProviderModel(provider="mistral", id="mistral-embed", kind="embedding")
    config, sources = _config("mistral", model)
    assert "provider_max_output_tokens" not in config  # models.dev says 3072: its dimensions
    assert "provider_max_output_tokens" not in sources
