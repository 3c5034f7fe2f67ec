"""Cost of a request in Decimal USD from a config's per-token rates.

Usage follows genai-prices: `input_tokens` is all input, cached or not; `cache_read_tokens` and
`cache_write_tokens` are the parts of it read from / written to the prompt cache, charged at the
cache rates, and the rest at the input rate. A price tier applies to the whole request once its
input reaches the tier's `start_tokens`; a rate a tier leaves unset is the base rate.

An unknown rate makes that part's cost unknown (None), never 0, unless that part has no tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ai_catalog.model_config import ModelConfig

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Usage:
    input_tokens: int
    """All input tokens, including cache reads and writes."""
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0

    def __post_init__(self) -> None:
        for field in ("input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens"):
            if getattr(self, field) < 0:
                raise ValueError(f"{field} must be >= 0, got {getattr(self, field)}")
        if self.cache_read_tokens + self.cache_write_tokens > self.input_tokens:
            raise ValueError(
                "cache_read_tokens + cache_write_tokens cannot exceed input_tokens "
                f"({self.cache_read_tokens} + {self.cache_write_tokens} > {self.input_tokens})"
            )


@dataclass(frozen=True, slots=True)
class Rates:
    """USD per token that apply to one request (after price tiers)."""

    input: Decimal | None
    output: Decimal | None
    cache_read: Decimal | None
    cache_write: Decimal | None


@dataclass(frozen=True, slots=True)
class Cost:
    input_usd: Decimal | None
    """Uncached input + cache reads + cache writes; None when a needed rate is unknown."""
    output_usd: Decimal | None

    @property
    def total_usd(self) -> Decimal | None:
        if self.input_usd is None or self.output_usd is None:
            return None
        return self.input_usd + self.output_usd


def rates_for(config: ModelConfig, input_tokens: int) -> Rates:
    """The rates for a request with `input_tokens` of input: the highest tier reached, else base."""
    rates = Rates(
        config.input_token_cost_rate,
        config.output_token_cost_rate,
        config.cache_read_token_cost_rate,
        config.cache_write_token_cost_rate,
    )
    reached = [t for t in config.price_tiers or () if input_tokens >= t.start_tokens]
    if not reached:
        return rates
    tier = max(reached, key=lambda t: t.start_tokens)
    return Rates(
        tier.input_token_cost_rate if tier.input_token_cost_rate is not None else rates.input,
        tier.output_token_cost_rate if tier.output_token_cost_rate is not None else rates.output,
        _or(tier.cache_read_token_cost_rate, rates.cache_read),
        _or(tier.cache_write_token_cost_rate, rates.cache_write),
    )


def _or(tier_rate: Decimal | None, base_rate: Decimal | None) -> Decimal | None:
    return tier_rate if tier_rate is not None else base_rate


def part_cost(tokens: int, rate: Decimal | None) -> Decimal | None:
    if tokens == 0:
        return ZERO
    return None if rate is None else tokens * rate


def cost_of(config: ModelConfig, usage: Usage) -> Cost:
    rates = rates_for(config, usage.input_tokens)
    uncached = usage.input_tokens - usage.cache_read_tokens - usage.cache_write_tokens
    parts = (
        part_cost(uncached, rates.input),
        part_cost(usage.cache_read_tokens, rates.cache_read),
        part_cost(usage.cache_write_tokens, rates.cache_write),
    )
    input_usd = None if None in parts else sum((p for p in parts if p is not None), ZERO)
    return Cost(input_usd, part_cost(usage.output_tokens, rates.output))
