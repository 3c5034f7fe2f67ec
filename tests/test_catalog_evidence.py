"""Catalog evidence only for the exact model (or the alias target the vendor names), never a
sibling caught by a prefix or contains rule; the majority of maintained sources for limits."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from ai_catalog.config.defaults import CONFLICT_PREFIX, majority
from ai_catalog.config.limits_catalog import catalog_available
from ai_catalog.config.pricing import GENAI_PRICES_SOURCE, genai_price
from ai_catalog.vendors import ProviderModel, parse_page
from ai_catalog.vendors.defaults import build_default_config

NO_CAP: dict[str, str] = {}
FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "provider-fixtures"
MISTRAL = FIXTURES / "mistral__ruby_llm_models_refresh_2025-08-24.json"
needs_litellm = pytest.mark.skipif(not catalog_available(), reason="LiteLLM not installed")


def _config(provider: str, model: ProviderModel) -> tuple[dict[str, object], dict[str, str]]:
    config, sources = build_default_config(provider, model, env=NO_CAP)
    return config.model_dump(exclude_none=True), sources


@pytest.mark.parametrize("model_id", ["gpt-5-chat-latest", "gpt-5.1-chat-latest"])
def test_chat_latest_does_not_take_gpt5s_context(model_id: str) -> None:
    # genai-prices lists these ids under gpt-5 / gpt-5.1 for the price, but the entry's
    # 400K context window is gpt-5's; OpenAI documents 128K for the chat-latest models.
    config, _ = _config("openai", ProviderModel(provider="openai", id=model_id))
    assert config.get("context_window_tokens") != 400_000
    assert config["input_token_cost_rate"] == Decimal("0.00000125")  # listed by name: kept


@needs_litellm
@pytest.mark.parametrize(
    "model_id", ["gpt-5-chat-latest", "gpt-5.1-chat-latest", "gpt-5.2-chat-latest"]
)
def test_chat_latest_gets_its_own_128k(model_id: str) -> None:
    config, sources = _config("openai", ProviderModel(provider="openai", id=model_id))
    assert config["context_window_tokens"] == 128_000
    assert sources["context_window_tokens"] == "catalog"


@needs_litellm
@pytest.mark.parametrize("model_id", ["deepseek-chat", "deepseek-reasoner"])
def test_deepseek_gets_128k_and_the_disagreement_is_recorded(model_id: str) -> None:
    config, sources = _config("deepseek", ProviderModel(provider="deepseek", id=model_id))
    assert config["context_window_tokens"] == 131_072  # 128K; genai-prices still says 64K
    conflict = sources[CONFLICT_PREFIX + "context_window_tokens"]
    assert "catalog=131072" in conflict and f"{GENAI_PRICES_SOURCE}=64000" in conflict


def test_a_dated_snapshot_of_a_named_model_is_the_model() -> None:
    quote = genai_price("anthropic", "claude-3-5-sonnet-20241022")  # rule: starts_with
    assert quote is not None and quote.input == Decimal("0.000003")
    assert genai_price("openai", "gpt-4o-2024-08-06") is not None
    assert genai_price("openai", "gpt-4o-2024-08-06").context_window == 128_000  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("provider", "model_id"),
    [
        ("google", "gemini-1.5-flash-8b"),  # caught by contains "gemini-1.5-flash"
        ("anthropic", "claude-2.1"),  # caught by starts_with "claude-2"
        ("deepseek", "deepseek-r1-distill-llama-70b"),  # caught by starts_with "deepseek-r1"
    ],
)
def test_a_sibling_caught_by_a_rule_gets_no_price(provider: str, model_id: str) -> None:
    assert genai_price(provider, model_id) is None
    _, sources = _config(provider, ProviderModel(provider=provider, id=model_id))
    assert "input_token_cost_rate" not in sources
    assert sources.get("context_window_tokens") != GENAI_PRICES_SOURCE


def test_majority_then_precedence() -> None:
    assert majority(((1, "a"), (2, "b"), (2, "c"))) == (2, "b", "a=1; b=2; c=2")
    assert majority(((1, "a"), (2, "b"))) == (1, "a", "a=1; b=2")
    assert majority(((None, "a"), (2, "b"))) == (2, "b", None)
    assert majority(((5, "a"), (5, "b"))) == (5, "a", None)
    assert majority(()) == (None, "", None)


def _mistral() -> dict[str, ProviderModel]:
    models, _ = parse_page("mistral", json.loads(MISTRAL.read_text()))
    return {m.id: m for m in models}


pytestmark_fixture = pytest.mark.skipif(not MISTRAL.is_file(), reason="../shared absent")


@pytestmark_fixture
def test_mistral_alias_targets_come_from_the_listing() -> None:
    models = _mistral()
    assert models["mistral-medium-latest"].alias_of == "mistral-medium-2508"
    assert models["pixtral-12b-latest"].alias_of == "pixtral-12b-2409"
    assert models["mistral-medium-2508"].alias_of is None
    assert models["mistral-large-latest"].alias_of is None  # this listing names no target


@pytestmark_fixture
@pytest.mark.parametrize(
    ("alias", "target"),
    [
        ("mistral-medium-latest", "mistral-medium-2508"),
        ("mistral-small-latest", "mistral-small-2506"),
        ("pixtral-12b-latest", "pixtral-12b-2409"),
        ("mistral-tiny-2407", "open-mistral-nemo"),
    ],
)
def test_mistral_alias_is_priced_and_limited_as_its_target(alias: str, target: str) -> None:
    models = _mistral()
    alias_config, _ = _config("mistral", models[alias])
    target_config, _ = _config("mistral", models[target])
    fields = ("input_token_cost_rate", "output_token_cost_rate", "context_window_tokens")
    assert alias_config["input_token_cost_rate"] is not None
    assert {f: alias_config.get(f) for f in fields} == {f: target_config.get(f) for f in fields}


@pytestmark_fixture
def test_mistral_medium_latest_not_priced_as_the_stale_catalog_entry() -> None:
    # genai-prices keeps a separate `mistral-medium-latest` entry at $1.5/$7.5 per 1M; the listing
    # says the alias is mistral-medium-2508 ($0.4/$2).
    config, _ = _config("mistral", _mistral()["mistral-medium-latest"])
    assert config["input_token_cost_rate"] == Decimal("4E-7")
    assert config["output_token_cost_rate"] == Decimal("0.000002")


@pytestmark_fixture
def test_a_named_target_wins_over_the_catalogs_stale_alias_entry() -> None:
    # Mistral's later listing names mistral-large-2512 as mistral-large-latest's target;
    # genai-prices keys mistral-large-latest to the previous Large ($2/$6): not evidence.
    entry = {
        "id": "mistral-large-latest",
        "object": "model",
        "name": "mistral-large-2512",
        "aliases": ["mistral-large-2512"],
        "max_context_length": 262144,
        "type": "base",
        "capabilities": {"completion_chat": True},
    }
    models, _ = parse_page("mistral", {"object": "list", "data": [entry]})
    assert models[0].alias_of == "mistral-large-2512"
    config, _ = _config("mistral", models[0])
    assert config.get("input_token_cost_rate") != Decimal("0.000002")
    assert config["context_window_tokens"] == 262_144


def test_an_embedding_model_priced_for_input_only_keeps_its_price() -> None:
    model = ProviderModel(provider="openai", id="text-embedding-3-small", kind="embedding")
    config, sources = _config("openai", model)
    assert config["input_token_cost_rate"] == Decimal("2E-8")
    assert "output_token_cost_rate" not in config
    assert sources["input_token_cost_rate"] == GENAI_PRICES_SOURCE
