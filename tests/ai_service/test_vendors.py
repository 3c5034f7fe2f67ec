"""Each vendor adapter on a representative body: auth header, kinds, limits, prices, odd fields."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import httpx
import pytest
import respx

from ai_catalog.vendors import PROVIDERS, ProviderCatalog, enabled_providers, fetch_catalog
from tests.support.vendor_doubles import BASES, KEY, env_for, fast_policy, oa_list

BODIES: dict[str, Any] = {
    "openai": oa_list(
        {"id": "gpt-4o", "object": "model", "created": 1715367049, "owned_by": "system"},
        {"id": "text-embedding-3-small", "object": "model", "created": 1, "owned_by": "system"},
        {"id": "ft:gpt-4o-mini-2024-07-18:acme::AbC123", "object": "model", "owned_by": "user-1"},
        {"id": "gpt-4o-realtime-preview", "object": "model", "owned_by": "system"},
        {"id": "o3-pro", "object": "model", "owned_by": "system"},
    ),
    "groq": oa_list(
        {
            "id": "llama-3.3-70b-versatile",
            "context_window": 131072,
            "max_completion_tokens": 32768,
            "active": True,
            "public_apps": None,
            "brand_new_field": {"x": 1},
        },
        {"id": "whisper-large-v3", "context_window": 448, "active": True},
        {"id": "meta-llama/llama-guard-4-12b", "context_window": 131072},
    ),
    "mistral": oa_list(
        {
            "id": "mistral-large-latest",
            "max_context_length": 131072,
            "aliases": ["mistral-large-2411"],
            "deprecation": None,
            "capabilities": {"completion_chat": True, "function_calling": True, "vision": False},
        },
        {
            "id": "mistral-embed",
            "max_context_length": 8192,
            "capabilities": {"completion_chat": False},
        },
        {"id": "mistral-ocr-latest", "capabilities": {"completion_chat": True, "ocr": True}},
        {
            "id": "open-mistral-7b",
            "deprecation": "2025-03-30T12:00:00Z",
            "capabilities": {"completion_chat": True},
        },
    ),
    "deepseek": oa_list(
        {"id": "deepseek-chat", "object": "model", "owned_by": "deepseek"},
        {"id": "deepseek-reasoner", "object": "model", "owned_by": "deepseek"},
    ),
    "together": [
        {
            "id": "meta-llama/Llama-3.3-70B-Instruct-Turbo",
            "type": "chat",
            "display_name": "Llama 3.3",
            "context_length": 131072,
            "pricing": {"input": 0.88, "output": 0.88, "hourly": 0},
        },
        {
            "id": "BAAI/bge-large-en-v1.5",
            "type": "embedding",
            "pricing": {"input": 0.02, "output": 0},
        },
        {"id": "black-forest-labs/FLUX.1-schnell", "type": "image"},
    ],
    "fireworks": oa_list(
        {
            "id": "accounts/fireworks/models/llama-v3p1-8b-instruct",
            "context_length": 131072,
            "supports_chat": True,
            "supports_tools": True,
        },
        {"id": "accounts/fireworks/models/nomic-embed-text-v1.5"},
    ),
    "openrouter": {
        "data": [
            {
                "id": "openai/gpt-4o",
                "name": "OpenAI: GPT-4o",
                "context_length": 128000,
                "architecture": {
                    "input_modalities": ["text", "image"],
                    "output_modalities": ["text"],
                    "tokenizer": "GPT",
                },
                "pricing": {
                    "prompt": "0.0000025",
                    "completion": "0.00001",
                    "input_cache_read": "0.00000125",
                },
                "top_provider": {"context_length": 128000, "max_completion_tokens": 16384},
                "supported_parameters": ["tools", "temperature"],
                "expiration_date": None,
            },
            {
                "id": "openrouter/auto",
                "pricing": {"prompt": "-1", "completion": "-1"},
                "top_provider": {"max_completion_tokens": None},
            },
            {
                "id": "google/gemini-2.5-flash-image",
                "architecture": {"output_modalities": ["image"]},
                "pricing": {"prompt": "0", "completion": "0"},
            },
        ]
    },
    "cohere": {
        "models": [
            {
                "name": "command-r-plus",
                "endpoints": ["chat", "generate"],
                "context_length": 128000.0,
                "features": ["tools"],
                "is_deprecated": False,
            },
            {"name": "rerank-v3.5", "endpoints": ["rerank"], "context_length": 4096.0},
        ]
    },
}


def _mock_simple(provider: str) -> respx.Route:
    path = "/models"
    return respx.get(BASES[provider] + path).mock(
        return_value=httpx.Response(200, json=BODIES[provider])
    )


async def _catalog(provider: str, env: dict[str, str] | None = None) -> ProviderCatalog:
    async with httpx.AsyncClient() as client:
        return await fetch_catalog(provider, client, env or env_for(provider), policy=fast_policy())


def _kinds(catalog: ProviderCatalog) -> dict[str, str]:
    return {e.api_identifier: e.kind for e in catalog.entries}


@pytest.mark.parametrize("provider", sorted(BODIES))
@respx.mock
async def test_simple_vendors_send_bearer_and_list_every_entry(provider: str) -> None:
    route = _mock_simple(provider)
    catalog = await _catalog(provider)
    assert route.calls[0].request.headers["authorization"] == f"Bearer {KEY}"
    body = BODIES[provider]
    entries = body if isinstance(body, list) else body.get("data", body.get("models"))
    assert len(catalog.entries) == len(entries)
    assert catalog.skipped_malformed == 0
    assert catalog.filtered_non_chat == sum(1 for e in catalog.entries if e.kind != "chat")
    for entry in catalog.entries:
        json.dumps(entry.to_json())  # what the database gets must be JSON


@respx.mock
async def test_openai_kinds_and_fine_tune_policy() -> None:
    _mock_simple("openai")
    catalog = await _catalog("openai")
    assert _kinds(catalog) == {
        "gpt-4o": "chat",
        "text-embedding-3-small": "embedding",
        "ft:gpt-4o-mini-2024-07-18:acme::AbC123": "chat",
        "gpt-4o-realtime-preview": "audio",
        "o3-pro": "other",
    }
    ft = next(e for e in catalog.entries if e.api_identifier.startswith("ft:"))
    assert ft.config.input_token_cost_rate is None  # never the base model's price
    assert ft.config.tokenization_strategy.type == "tiktoken"
    assert catalog.filtered_non_chat == 3


@respx.mock
async def test_groq_limits_from_vendor_and_unknown_fields_ignored() -> None:
    _mock_simple("groq")
    catalog = await _catalog("groq")
    assert _kinds(catalog) == {
        "llama-3.3-70b-versatile": "chat",
        "whisper-large-v3": "audio",
        "meta-llama/llama-guard-4-12b": "moderation",
    }
    llama = catalog.entries[0]
    assert llama.config.context_window_tokens == 131072
    assert llama.config.provider_max_output_tokens == 32768
    assert llama.config_sources["provider_max_output_tokens"] == "vendor_api"
    assert llama.raw is not None and llama.raw["brand_new_field"] == {"x": 1}


@respx.mock
async def test_mistral_capabilities_and_id_rules() -> None:
    _mock_simple("mistral")
    catalog = await _catalog("mistral")
    assert _kinds(catalog) == {
        "mistral-large-latest": "chat",
        "mistral-embed": "embedding",
        "mistral-ocr-latest": "other",
        "open-mistral-7b": "chat",
    }
    assert catalog.entries[0].config.context_window_tokens == 131072


@respx.mock
async def test_together_prices_are_exact_per_token() -> None:
    _mock_simple("together")
    catalog = await _catalog("together")
    llama = catalog.entries[0]
    assert llama.name == "Llama 3.3"
    assert llama.config.input_token_cost_rate == Decimal("0.00000088")
    assert llama.config_sources["input_token_cost_rate"] == "vendor_api"
    assert _kinds(catalog)["black-forest-labs/FLUX.1-schnell"] == "image"


@respx.mock
async def test_openrouter_prices_minus_one_unknown_and_image_kind() -> None:
    _mock_simple("openrouter")
    catalog = await _catalog("openrouter")
    gpt, auto, image = catalog.entries
    assert gpt.config.input_token_cost_rate == Decimal("0.0000025")
    assert gpt.config.output_token_cost_rate == Decimal("0.00001")
    assert gpt.config.cache_read_token_cost_rate == Decimal("0.00000125")
    assert gpt.config.provider_max_output_tokens == 16384
    assert gpt.config.tokenization_strategy.type == "tiktoken"
    assert auto.config.input_token_cost_rate is None
    assert auto.config.output_token_cost_rate is None
    assert image.kind == "image"


@respx.mock
async def test_openrouter_needs_no_key_when_enabled() -> None:
    route = _mock_simple("openrouter")
    env = {"OPENROUTER_BASE_URL": BASES["openrouter"], "OPENROUTER_ENABLED": "1"}
    catalog = await _catalog("openrouter", env)
    assert len(catalog.entries) == 3
    assert "authorization" not in route.calls[0].request.headers


@respx.mock
async def test_cohere_double_context_and_kinds() -> None:
    _mock_simple("cohere")
    catalog = await _catalog("cohere")
    assert _kinds(catalog) == {"command-r-plus": "chat", "rerank-v3.5": "other"}
    assert catalog.entries[0].config.context_window_tokens == 128000


@respx.mock
async def test_xai_merges_language_models_prices_with_models_list() -> None:
    language = {
        "models": [
            {
                "id": "grok-3",
                "created": 1743724800,
                "object": "model",
                "owned_by": "xai",
                "input_modalities": ["text"],
                "output_modalities": ["text"],
                "prompt_text_token_price": 30000,
                "cached_prompt_text_token_price": 7500,
                "completion_text_token_price": 150000,
                "aliases": ["grok-3-latest"],
            }
        ]
    }
    plain = oa_list(
        {"id": "grok-3", "object": "model"},
        {"id": "grok-2-image-1212"},
        {"id": "grok-imagine-video"},
    )
    respx.get(BASES["xai"] + "/language-models").mock(
        return_value=httpx.Response(200, json=language)
    )
    respx.get(BASES["xai"] + "/models").mock(return_value=httpx.Response(200, json=plain))
    catalog = await _catalog("xai")
    assert _kinds(catalog) == {
        "grok-3": "chat",
        "grok-2-image-1212": "image",
        "grok-imagine-video": "other",
    }
    grok = catalog.entries[0]
    assert grok.config.input_token_cost_rate == Decimal("0.000003")
    assert grok.config.output_token_cost_rate == Decimal("0.000015")
    assert grok.config.cache_read_token_cost_rate == Decimal("0.00000075")
    assert grok.raw is not None and "_language_model" not in grok.raw


@respx.mock
async def test_ollama_tags_then_show_for_context_and_capabilities() -> None:
    tags = {
        "models": [
            {
                "name": "qwen3:8b",
                "model": "qwen3:8b",
                "modified_at": "2025-06-02T10:00:00.123456789+02:00",
                "details": {"family": "qwen3"},
            },
            {"name": "snowflake-arctic-embed:22m", "details": {"family": "bert"}},
        ]
    }

    def show(request: httpx.Request) -> httpx.Response:
        name = json.loads(request.content)["model"]
        if name.startswith("qwen3"):
            return httpx.Response(
                200,
                json={
                    "capabilities": ["completion", "tools", "thinking"],
                    "license": "long text",
                    "model_info": {"general.architecture": "qwen3", "qwen3.context_length": 40960},
                },
            )
        return httpx.Response(500)

    respx.get(BASES["ollama"] + "/api/tags").mock(return_value=httpx.Response(200, json=tags))
    respx.post(BASES["ollama"] + "/api/show").mock(side_effect=show)
    catalog = await _catalog("ollama")
    assert _kinds(catalog) == {"qwen3:8b": "chat", "snowflake-arctic-embed:22m": "embedding"}
    qwen = catalog.entries[0]
    assert qwen.config.context_window_tokens == 40960
    assert qwen.config_sources["context_window_tokens"] == "vendor_api"
    assert qwen.raw is not None and "license" not in qwen.raw["show"]


@respx.mock
async def test_anthropic_new_fields_zero_placeholders_are_unknown() -> None:
    body = {
        "data": [
            {
                "type": "model",
                "id": "claude-opus-4-5",
                "display_name": "Claude Opus 4.5",
                "created_at": "2025-11-24T00:00:00Z",
                "max_input_tokens": 200000,
                "max_tokens": 64000,
                "capabilities": {
                    "image_input": {"supported": True},
                    "thinking": {"supported": True},
                },
            },
            {
                "type": "model",
                "id": "claude-3-haiku-20240307",
                "display_name": "Claude 3 Haiku",
                "created_at": "2024-03-07T00:00:00Z",
                "max_input_tokens": 0,
                "max_tokens": 0,
            },
        ],
        "has_more": False,
        "first_id": "claude-opus-4-5",
        "last_id": "claude-3-haiku-20240307",
    }
    respx.get(BASES["anthropic"] + "/models").mock(return_value=httpx.Response(200, json=body))
    catalog = await _catalog("anthropic")
    opus, haiku = catalog.entries
    assert opus.config.context_window_tokens == 200000
    assert opus.config.provider_max_output_tokens == 64000
    assert opus.config_sources["provider_max_output_tokens"] == "vendor_api"
    assert haiku.config.provider_max_output_tokens == 4096  # 0 = unknown -> family rule
    assert haiku.config_sources["provider_max_output_tokens"] == "rule"


@respx.mock
async def test_malformed_entries_are_skipped_and_counted() -> None:
    body = oa_list(
        {"id": "gpt-4o"},
        {"object": "model"},
        "junk",
        {"id": ""},
        {"id": 42},
        {"id": "gpt-4.1", "created": "not a number"},
    )
    respx.get(BASES["openai"] + "/models").mock(return_value=httpx.Response(200, json=body))
    catalog = await _catalog("openai")
    assert [e.api_identifier for e in catalog.entries] == ["gpt-4o", "gpt-4.1"]
    assert catalog.skipped_malformed == 4


@respx.mock
async def test_missing_fields_are_unknown_not_zero() -> None:
    body = oa_list({"id": "some-new-model"})
    respx.get(BASES["groq"] + "/models").mock(return_value=httpx.Response(200, json=body))
    entry = (await _catalog("groq")).entries[0]
    assert entry.config.context_window_tokens is None
    assert entry.config.input_token_cost_rate is None
    assert "input_token_cost_rate" not in entry.config_sources


def test_registry_ids_are_exactly_the_twelve() -> None:
    assert list(PROVIDERS) == [
        "openai",
        "anthropic",
        "google",
        "groq",
        "mistral",
        "deepseek",
        "xai",
        "together",
        "openrouter",
        "fireworks",
        "cohere",
        "ollama",
    ]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, []),
        ({"OPENAI_API_KEY": "k", "GEMINI_API_KEY": "g"}, ["openai", "google"]),
        ({"GOOGLE_API_KEY": " "}, []),
        ({"OPENROUTER_ENABLED": "true"}, ["openrouter"]),
        ({"OPENROUTER_API_KEY": "k"}, ["openrouter"]),
        ({"OPENROUTER_ENABLED": "0"}, []),
        ({"OLLAMA_BASE_URL": "http://127.0.0.1:11434"}, ["ollama"]),
        ({"OLLAMA_ENABLED": "1", "COHERE_API_KEY": "c"}, ["cohere", "ollama"]),
        ({"XAI_API_KEY": "x", "TOGETHER_API_KEY": "t"}, ["xai", "together"]),
    ],
)
def test_enabled_providers(env: dict[str, str], expected: list[str]) -> None:
    assert enabled_providers(env) == expected
