"""The default config builder on real model ids: tokenizer, prices, limits and their sources."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ai_catalog.config.defaults import CONFLICT_PREFIX
from ai_catalog.config.limits_catalog import catalog_available
from ai_catalog.config.pricing import GENAI_PRICES_SOURCE
from ai_catalog.vendors import ProviderModel, ProviderPrices
from ai_catalog.vendors.defaults import build_default_config, default_config_for

NO_CAP: dict[str, str] = {}

TOKENIZERS = [
    ("openai", "gpt-4o", "tiktoken", "o200k_base"),
    ("openai", "gpt-4o-mini-2024-07-18", "tiktoken", "o200k_base"),
    ("openai", "gpt-4.1", "tiktoken", "o200k_base"),
    ("openai", "gpt-4.5-preview", "tiktoken", "o200k_base"),
    ("openai", "gpt-5-mini", "tiktoken", "o200k_base"),
    ("openai", "o1", "tiktoken", "o200k_base"),
    ("openai", "o3-mini", "tiktoken", "o200k_base"),
    ("openai", "o4-mini", "tiktoken", "o200k_base"),
    ("openai", "chatgpt-4o-latest", "tiktoken", "o200k_base"),
    ("openai", "gpt-4", "tiktoken", "cl100k_base"),
    ("openai", "gpt-4-turbo", "tiktoken", "cl100k_base"),
    ("openai", "gpt-3.5-turbo", "tiktoken", "cl100k_base"),
    ("openrouter", "openai/gpt-4o", "tiktoken", "o200k_base"),
    ("openrouter", "anthropic/claude-3-haiku", "rough_char_count", None),
    ("anthropic", "claude-3-haiku-20240307", "anthropic_tokenizer", None),
    ("google", "gemini-2.5-pro", "google_gemini_tokenizer", None),
    ("groq", "llama-3.3-70b-versatile", "rough_char_count", None),
    ("groq", "openai/gpt-oss-120b", "rough_char_count", None),
    ("mistral", "mistral-large-latest", "rough_char_count", None),
]


@pytest.mark.parametrize(("provider", "model_id", "kind", "encoding"), TOKENIZERS)
def test_tokenizer_table(provider: str, model_id: str, kind: str, encoding: str | None) -> None:
    config, sources = default_config_for(provider, model_id, env=NO_CAP)
    strategy = config.tokenization_strategy
    assert strategy.type == kind
    assert getattr(strategy, "tiktoken_encoding_name", None) == encoding
    assert sources["tokenization_strategy"] == "rule"


def test_chatml_and_ratios() -> None:
    gpt = default_config_for("openai", "gpt-4o", env=NO_CAP)[0].tokenization_strategy
    claude = default_config_for("anthropic", "claude-3-haiku-20240307", env=NO_CAP)[0]
    mistral = default_config_for("mistral", "mistral-large-latest", env=NO_CAP)[0]
    gemini = default_config_for("google", "gemini-2.5-pro", env=NO_CAP)[0]
    assert getattr(gpt, "is_chatml_model", None) is True
    assert getattr(gpt, "api_identifier_for_tokenization", None) == "gpt-4o"
    assert getattr(claude.tokenization_strategy, "model", None) == "claude-3-haiku-20240307"
    assert getattr(gemini.tokenization_strategy, "chars_per_token_ratio", None) == 4.0
    assert getattr(mistral.tokenization_strategy, "chars_per_token_ratio", None) == 3.5


@pytest.mark.parametrize(
    ("provider", "model_id", "input_rate", "output_rate"),
    [
        ("openai", "gpt-4o", "0.0000025", "0.00001"),
        ("openai", "gpt-4", "0.00003", "0.00006"),
        ("anthropic", "claude-3-haiku-20240307", "0.00000025", "0.00000125"),
        ("groq", "llama-3.3-70b-versatile", "0.00000059", "0.00000079"),
    ],
)
def test_genai_prices_exact(
    provider: str, model_id: str, input_rate: str, output_rate: str
) -> None:
    config, sources = default_config_for(provider, model_id, env=NO_CAP)
    assert config.input_token_cost_rate == Decimal(input_rate)
    assert config.output_token_cost_rate == Decimal(output_rate)
    assert sources["input_token_cost_rate"] == GENAI_PRICES_SOURCE
    assert GENAI_PRICES_SOURCE.startswith("genai-prices@")


def test_tiered_price_keeps_base_rate_and_tiers() -> None:
    config, sources = default_config_for("google", "gemini-2.5-pro", env=NO_CAP)
    assert config.input_token_cost_rate == Decimal("0.00000125")
    assert config.output_token_cost_rate == Decimal("0.00001")
    assert config.price_tiers is not None
    (tier,) = config.price_tiers
    assert tier.start_tokens == 200_001  # genai-prices: the tier applies above 200k input tokens
    assert tier.input_token_cost_rate == Decimal("0.0000025")
    assert tier.output_token_cost_rate == Decimal("0.000015")
    assert sources["price_tiers"] == GENAI_PRICES_SOURCE


def test_unknown_model_has_no_invented_price() -> None:
    config, sources = default_config_for("ollama", "my-local-thing:7b", env=NO_CAP)
    assert config.input_token_cost_rate is None and config.output_token_cost_rate is None
    assert "input_token_cost_rate" not in sources


def test_vendor_price_wins_over_genai_prices() -> None:
    model = ProviderModel(
        provider="openrouter",
        id="openai/gpt-4o",
        prices=ProviderPrices(input=Decimal("0.000003"), output=Decimal("0.000012")),
    )
    config, sources = build_default_config("openrouter", model, env=NO_CAP)
    assert config.input_token_cost_rate == Decimal("0.000003")
    assert sources["input_token_cost_rate"] == "vendor_api"
    assert config.cache_read_token_cost_rate is None  # not mixed in from another source


def test_fine_tune_is_unpriced_but_keeps_base_limits_and_tokenizer() -> None:
    config, sources = default_config_for("openai", "ft:gpt-4o-mini-2024-07-18:acme::X1", env=NO_CAP)
    assert config.input_token_cost_rate is None
    assert "input_token_cost_rate" not in sources
    assert config.context_window_tokens == 128_000
    assert getattr(config.tokenization_strategy, "tiktoken_encoding_name", None) == "o200k_base"


def test_vendor_limits_win_and_hard_cap_follows_provider_max() -> None:
    model = ProviderModel(
        provider="groq", id="llama-3.3-70b-versatile", context_window=131072, max_output=32768
    )
    config, sources = build_default_config("groq", model, env=NO_CAP)
    assert config.context_window_tokens == 131072
    assert config.provider_max_output_tokens == 32768
    assert config.hard_cap_output_tokens == 32768
    assert sources["context_window_tokens"] == "vendor_api"
    assert sources["hard_cap_output_tokens"] == "vendor_api"


@pytest.mark.parametrize(
    ("cap", "expected", "source"),
    [
        ("4000", 4000, "app_setting"),
        ("99999", 32768, "vendor_api"),
        ("nonsense", 32768, "vendor_api"),
    ],
)
def test_app_cap_only_lowers(cap: str, expected: int, source: str) -> None:
    model = ProviderModel(provider="groq", id="x", max_output=32768)
    config, sources = build_default_config("groq", model, env={"APP_MAX_OUTPUT_TOKENS": cap})
    assert config.hard_cap_output_tokens == expected
    assert sources["hard_cap_output_tokens"] == source


def test_family_rule_for_old_anthropic_max_output() -> None:
    config, sources = default_config_for("anthropic", "claude-3-haiku-20240307", env=NO_CAP)
    assert config.context_window_tokens == 200_000
    assert sources["context_window_tokens"] == GENAI_PRICES_SOURCE
    assert config.provider_max_output_tokens == 4096
    assert sources["provider_max_output_tokens"] == "rule"


@pytest.mark.skipif(not catalog_available(), reason="limits catalog (litellm data) not installed")
def test_catalog_max_output_used_only_when_below_context() -> None:
    gpt, gpt_src = default_config_for("openai", "gpt-4o", env=NO_CAP)
    assert gpt.provider_max_output_tokens == 16384
    assert gpt_src["provider_max_output_tokens"] == "catalog"
    # LiteLLM lists mistral-large-latest with max output == context: not trusted.
    mistral, mistral_src = default_config_for("mistral", "mistral-large-latest", env=NO_CAP)
    assert mistral.provider_max_output_tokens is None
    assert "provider_max_output_tokens" not in mistral_src


def test_non_text_kinds_get_no_tokenizer() -> None:
    model = ProviderModel(provider="openai", id="dall-e-3", kind="image")
    config, _ = build_default_config("openai", model, env=NO_CAP)
    assert config.tokenization_strategy.type == "none"


def test_every_source_is_one_of_the_known_names() -> None:
    allowed = {"vendor_api", GENAI_PRICES_SOURCE, "catalog", "rule", "app_setting"}
    for provider, model_id, _, _ in TOKENIZERS:
        _, sources = default_config_for(provider, model_id, env={"APP_MAX_OUTPUT_TOKENS": "1000"})
        fields = {k: v for k, v in sources.items() if not k.startswith(CONFLICT_PREFIX)}
        assert set(fields.values()) <= allowed
