"""Long-context price tiers carry their cache rates: cached tokens above the threshold are billed
at the tier's cache rate (Gemini 2.5 Pro: $0.125/1M up to 200K, $0.25/1M above)."""

from __future__ import annotations

import json
from decimal import Decimal

import psycopg

from ai_catalog.config.pricing import genai_price
from ai_catalog.model_config import ModelConfig, PriceTier
from ai_catalog.tokens.cost import Usage, cost_of, rates_for
from ai_catalog.vendors import ProviderModel
from ai_catalog.vendors.defaults import build_default_config


def _pro() -> ModelConfig:
    config, _ = build_default_config(
        "google", ProviderModel(provider="google", id="gemini-2.5-pro"), env={}
    )
    return config


def test_genai_prices_tiers_keep_their_cache_rates() -> None:
    quote = genai_price("anthropic", "claude-sonnet-4-5")
    assert quote is not None and len(quote.tiers) == 1
    tier = quote.tiers[0]
    assert tier.start_tokens == 200_001
    assert (tier.cache_read_token_cost_rate, tier.cache_write_token_cost_rate) == (
        Decimal("6E-7"),
        Decimal("0.0000075"),
    )


def test_cached_tokens_above_the_threshold_use_the_tier_cache_rate() -> None:
    config = _pro()
    assert config.cache_read_token_cost_rate == Decimal("1.25E-7")
    assert rates_for(config, 200_000).cache_read == Decimal("1.25E-7")
    assert rates_for(config, 250_000).cache_read == Decimal("2.5E-7")
    cost = cost_of(config, Usage(input_tokens=250_000, cache_read_tokens=100_000))
    assert cost.input_usd == 150_000 * Decimal("0.0000025") + 100_000 * Decimal("2.5E-7")


def test_a_tier_without_cache_rates_falls_back_to_the_base_ones() -> None:
    config = ModelConfig(
        input_token_cost_rate=Decimal("0.000001"),
        output_token_cost_rate=Decimal("0.000002"),
        cache_read_token_cost_rate=Decimal("1E-7"),
        price_tiers=[PriceTier(start_tokens=1000, input_token_cost_rate=Decimal("0.000003"))],
    )
    assert rates_for(config, 5000).cache_read == Decimal("1E-7")


def test_the_database_accepts_tier_cache_rates_and_names_a_bad_one(db: psycopg.Connection) -> None:
    good = _pro().to_json()
    assert good["price_tiers"][0]["cache_read_token_cost_rate"] is not None
    check = "select ai_config_error(%s::jsonb)"
    assert db.execute(check, (json.dumps(good),)).fetchone() == (None,)
    bad = {**good, "price_tiers": [{"start_tokens": 5, "cache_write_token_cost_rate": -1}]}
    (message,) = db.execute(check, (json.dumps(bad),)).fetchone() or (None,)
    assert message is not None and "price_tiers[0].cache_write_token_cost_rate" in message
    unknown = {**good, "price_tiers": [{"start_tokens": 5, "image_rate": 1}]}
    (message,) = db.execute(check, (json.dumps(unknown),)).fetchone() or (None,)
    assert message is not None and "unknown key image_rate" in message
