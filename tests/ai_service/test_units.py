"""Price unit conversions are exact (Decimal), including the vendors' odd units."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ai_catalog.vendors.openrouter import openrouter_per_token
from ai_catalog.vendors.units import per_million_to_per_token
from ai_catalog.vendors.xai import xai_per_token


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0.0000012", Decimal("0.0000012")),
        ("0", Decimal("0")),
        ("-1", None),
        ("", None),
        ("abc", None),
        (None, None),
        ("NaN", None),
    ],
)
def test_openrouter(raw: object, expected: Decimal | None) -> None:
    assert openrouter_per_token(raw) == expected


@pytest.mark.parametrize(
    ("cents_per_100m", "expected"),
    [
        (30000, Decimal("0.000003")),  # grok-3 input: $3.00 / 1M
        (150000, Decimal("0.000015")),  # grok-3 output: $15 / 1M
        (7500, Decimal("0.00000075")),  # cached: $0.75 / 1M
        (2000, Decimal("0.0000002")),
        (None, None),
        (True, None),
    ],
)
def test_xai(cents_per_100m: object, expected: Decimal | None) -> None:
    assert xai_per_token(cents_per_100m) == expected


@pytest.mark.parametrize(
    ("per_million", "expected"),
    [
        (0.88, Decimal("0.00000088")),  # a JSON float, without binary drift
        (0.1, Decimal("0.0000001")),
        ("3.5", Decimal("0.0000035")),
        (18, Decimal("0.000018")),
        (-1, None),
    ],
)
def test_per_million(per_million: object, expected: Decimal | None) -> None:
    assert per_million_to_per_token(per_million) == expected


@given(st.integers(min_value=0, max_value=10**12))
def test_xai_round_trips_to_cents_per_100m(cents: int) -> None:
    per_token = xai_per_token(cents)
    assert per_token is not None
    assert per_token * Decimal(10**10) == cents


@given(st.decimals(min_value=0, max_value=1000, places=6, allow_nan=False))
def test_per_million_round_trips(value: Decimal) -> None:
    per_token = per_million_to_per_token(str(value))
    assert per_token is not None
    assert per_token * 1_000_000 == value
