"""Exact conversions of price units to USD per single token (Decimal all the way). A vendor's
own unit is converted in its adapter's file (xai.py, openrouter.py) with `to_decimal`."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

_MILLION = Decimal(1_000_000)


def to_decimal(value: Any) -> Decimal | None:
    """A finite Decimal from a JSON number or string; None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        # str() first so a JSON float like 0.88 becomes Decimal("0.88"), not its binary expansion.
        result = Decimal(str(value)) if isinstance(value, int | float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return result if result.is_finite() else None


def per_million_to_per_token(usd_per_million: Any) -> Decimal | None:
    """Together (and genai-prices): USD per 1M tokens."""
    price = to_decimal(usd_per_million)
    return price / _MILLION if price is not None and price >= 0 else None
