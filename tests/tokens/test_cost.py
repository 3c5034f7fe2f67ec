from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import genai_prices
import pytest
from genai_prices import data_snapshot
from genai_prices.types import TieredPrices

from ai_catalog.model_config import ModelConfig, PriceTier
from ai_catalog.tokens.cost import Cost, Usage, cost_of, rates_for

WHEN = datetime(2025, 6, 1, 12, tzinfo=UTC)
MILLION = Decimal(1_000_000)


def config_from_genai_prices(provider: str, model_ref: str) -> ModelConfig:
    """Per-token rates from genai-prices' own data. Its tiers apply above `start`, ours from
    `start_tokens`, hence start + 1."""
    _, model = data_snapshot.get_snapshot().find_provider_model(model_ref, None, provider, None)
    price = model.get_prices(WHEN)

    def base(value: Any) -> Decimal | None:
        if isinstance(value, TieredPrices):
            value = value.base
        return None if value is None else value / MILLION

    tiers: dict[int, dict[str, Decimal]] = {}
    for field, value in (
        ("input_token_cost_rate", price.input_mtok),
        ("output_token_cost_rate", price.output_mtok),
    ):
        if isinstance(value, TieredPrices):
            for tier in value.tiers:
                tiers.setdefault(tier.start + 1, {})[field] = tier.price / MILLION
    return ModelConfig(
        input_token_cost_rate=base(price.input_mtok),
        output_token_cost_rate=base(price.output_mtok),
        cache_read_token_cost_rate=base(price.cache_read_mtok),
        cache_write_token_cost_rate=base(price.cache_write_mtok),
        price_tiers=[PriceTier(start_tokens=s, **r) for s, r in sorted(tiers.items())] or None,
    )


CASES = [
    ("openai", "gpt-4o", Usage(1_000, 100)),
    ("openai", "gpt-4o", Usage(12_345, 678, cache_read_tokens=4_000)),
    ("openai", "gpt-4o-mini", Usage(1, 1)),
    ("anthropic", "claude-3-5-sonnet-latest", Usage(1_000, 100, 200, 100)),
    ("anthropic", "claude-3-5-haiku-latest", Usage(50_000, 2_000, cache_write_tokens=50_000)),
    ("google", "gemini-1.5-pro", Usage(100_000, 1_000)),  # below the 128k tier
    ("google", "gemini-1.5-pro", Usage(300_000, 1_000)),  # above it
    ("google", "gemini-1.5-pro", Usage(128_000, 10)),  # at the boundary: still base
    ("google", "gemini-1.5-pro", Usage(128_001, 10)),  # one above: tier
    ("google", "gemini-2.5-pro", Usage(250_000, 8_000)),
]


@pytest.mark.parametrize(("provider", "model", "usage"), CASES)
def test_cost_equals_genai_prices(provider: str, model: str, usage: Usage) -> None:
    theirs = genai_prices.calc_price(
        genai_prices.Usage(
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            cache_read_tokens=usage.cache_read_tokens,
            cache_write_tokens=usage.cache_write_tokens,
        ),
        model,
        provider_id=provider,
        genai_request_timestamp=WHEN,
    )
    ours = cost_of(config_from_genai_prices(provider, model), usage)
    assert ours == Cost(theirs.input_price, theirs.output_price)
    assert ours.total_usd == theirs.total_price


def test_the_tier_is_really_exercised() -> None:
    config = config_from_genai_prices("google", "gemini-1.5-pro")
    assert rates_for(config, 128_001) != rates_for(config, 128_000)


RATED = ModelConfig(
    input_token_cost_rate=Decimal("0.000003"),
    output_token_cost_rate=Decimal("0.000015"),
)


def test_unknown_rates_give_unknown_cost_not_zero() -> None:
    unpriced = ModelConfig()
    cost = cost_of(unpriced, Usage(10, 5))
    assert (cost.input_usd, cost.output_usd, cost.total_usd) == (None, None, None)
    only_input = ModelConfig(input_token_cost_rate=Decimal("0.000001"))
    cost = cost_of(only_input, Usage(10, 5))
    assert (cost.input_usd, cost.output_usd, cost.total_usd) == (Decimal("0.00001"), None, None)


def test_no_tokens_cost_nothing_even_at_an_unknown_rate() -> None:
    only_input = ModelConfig(input_token_cost_rate=Decimal("0.000001"))
    assert cost_of(only_input, Usage(10)).total_usd == Decimal("0.00001")


def test_cached_tokens_need_a_cache_rate() -> None:
    assert cost_of(RATED, Usage(10, 0, cache_read_tokens=4)).input_usd is None
    cached = RATED.model_copy(update={"cache_read_token_cost_rate": Decimal("0.0000003")})
    assert cost_of(cached, Usage(10, 0, cache_read_tokens=4)).input_usd == Decimal("0.0000192")


def test_a_tier_keeps_the_base_rate_it_does_not_set() -> None:
    config = RATED.model_copy(
        update={"price_tiers": [PriceTier(start_tokens=100, input_token_cost_rate=Decimal("1"))]}
    )
    assert rates_for(config, 99).input == Decimal("0.000003")
    tiered = rates_for(config, 100)
    assert (tiered.input, tiered.output) == (Decimal("1"), Decimal("0.000015"))


def test_the_highest_reached_tier_applies() -> None:
    tiers = [
        PriceTier(start_tokens=1000, output_token_cost_rate=Decimal("2")),
        PriceTier(start_tokens=10, output_token_cost_rate=Decimal("1")),
    ]
    config = RATED.model_copy(update={"price_tiers": tiers})
    assert [rates_for(config, n).output for n in (9, 10, 999, 1000)] == [
        Decimal("0.000015"),
        Decimal("1"),
        Decimal("1"),
        Decimal("2"),
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"input_tokens": -1}, "input_tokens must be >= 0"),
        ({"input_tokens": 5, "cache_read_tokens": 4, "cache_write_tokens": 2}, "cannot exceed"),
    ],
)
def test_impossible_usage_is_refused(kwargs: dict[str, int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Usage(**kwargs)


def test_the_sync_price_source_agrees_with_genai_prices_at_a_tier_boundary() -> None:
    pricing = pytest.importorskip("ai_catalog.config.pricing")
    quote = pricing.genai_price("google", "gemini-1.5-pro")
    if quote is None or not quote.tiers:
        pytest.skip("no tiered price for gemini-1.5-pro in this genai-prices")
    config = ModelConfig(
        input_token_cost_rate=quote.input,
        output_token_cost_rate=quote.output,
        price_tiers=list(quote.tiers),
    )
    boundary = 128_000  # genai-prices' own `start` for this tier
    theirs = genai_prices.calc_price(
        genai_prices.Usage(input_tokens=boundary, output_tokens=0),
        "gemini-1.5-pro",
        provider_id="google",
    )
    assert cost_of(config, Usage(boundary)).input_usd == theirs.input_price
