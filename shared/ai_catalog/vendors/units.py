"""Exact conversions of vendor price units to USD per single token (Decimal all the way)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

_MILLION = Decimal(1_000_000)
_XAI_CENTS_PER_100M = Decimal(100) * Decimal(100_000_000)


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        # str() first so a JSON float like 0.88 becomes Decimal("0.88"), not its binary expansion.
        result = Decimal(str(value)) if isinstance(value, int | float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return result if result.is_finite() else None


def openrouter_per_token(value: Any) -> Decimal | None:
    """OpenRouter: decimal strings already in USD per token; "-1" (or any negative) is unknown."""
    if not isinstance(value, str | int | float):
        return None
    price = _decimal(value)
    return price if price is not None and price >= 0 else None


def xai_per_token(cents_per_100m: Any) -> Decimal | None:
    """xAI: integer US cents per 100 million tokens."""
    price = _decimal(cents_per_100m)
    return price / _XAI_CENTS_PER_100M if price is not None and price >= 0 else None


def per_million_to_per_token(usd_per_million: Any) -> Decimal | None:
    """Together (and genai-prices): USD per 1M tokens."""
    price = _decimal(usd_per_million)
    return price / _MILLION if price is not None and price >= 0 else None
