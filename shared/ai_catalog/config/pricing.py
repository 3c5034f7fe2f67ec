"""Prices from genai-prices (the bundled snapshot; no network): the current price of a model,
converted exactly to USD per token. Tiered prices: the base tier is the rate, the tiers are kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from functools import lru_cache
from importlib.metadata import version
from typing import Any

from genai_prices.types import TieredPrices

from ai_catalog.config.price_index import is_model_itself, names_model, price_index
from ai_catalog.model_config import PriceTier

GENAI_PRICES_SOURCE = f"genai-prices@{version('genai-prices')}"
_MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class PriceQuote:
    input: Decimal | None
    output: Decimal | None
    cache_read: Decimal | None
    cache_write: Decimal | None
    tiers: tuple[PriceTier, ...]
    context_window: int | None
    source: str = GENAI_PRICES_SOURCE


def _base(value: Any) -> Decimal | None:
    if isinstance(value, TieredPrices):
        return value.base / _MILLION
    return value / _MILLION if isinstance(value, Decimal) else None


def _tiers(price: Any) -> tuple[PriceTier, ...]:
    """Each tier's rates, cache rates included (cached tokens above 200K are not billed at the
    base cache rate)."""
    starts: dict[int, dict[str, Decimal]] = {}
    for field, value in (
        ("input_token_cost_rate", getattr(price, "input_mtok", None)),
        ("output_token_cost_rate", getattr(price, "output_mtok", None)),
        ("cache_read_token_cost_rate", getattr(price, "cache_read_mtok", None)),
        ("cache_write_token_cost_rate", getattr(price, "cache_write_mtok", None)),
    ):
        if isinstance(value, TieredPrices):
            for tier in value.tiers:
                # genai-prices charges a tier above `start` tokens; ours applies from start_tokens
                starts.setdefault(tier.start + 1, {})[field] = tier.price / _MILLION
    return tuple(PriceTier(start_tokens=start, **rates) for start, rates in sorted(starts.items()))


def genai_price(provider: str, model_id: str) -> PriceQuote | None:
    """The model's current price, or None when genai-prices does not list this id by name (a
    prefix or contains rule that catches a sibling is not evidence). The context window only
    when the entry is the model itself. `provider` is genai-prices' provider id
    (`ProviderRules.genai_prices_id`, else ours)."""
    return _genai_price(provider, model_id, datetime.now(tz=UTC).date())


@lru_cache(maxsize=16384)
def _genai_price(provider: str, model_id: str, day: date) -> PriceQuote | None:
    # `day` is in the key so a long-running worker picks up a dated price change.
    model = price_index().find(provider, model_id)
    if model is None or not names_model(model, model_id):
        return None
    price = model.get_prices(datetime.combine(day, time(12), tzinfo=UTC))
    input_mtok = getattr(price, "input_mtok", None)
    output_mtok = getattr(price, "output_mtok", None)
    return PriceQuote(
        input=_base(input_mtok),
        output=_base(output_mtok),
        cache_read=_base(getattr(price, "cache_read_mtok", None)),
        cache_write=_base(getattr(price, "cache_write_mtok", None)),
        tiers=_tiers(price),
        context_window=(
            model.context_window
            if isinstance(model.context_window, int) and is_model_itself(model, model_id)
            else None
        ),
    )
