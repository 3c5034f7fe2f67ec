from __future__ import annotations

from decimal import Decimal

import pytest

from ai_catalog.model_config import ModelConfig, PriceTier
from ai_catalog.tokens.affordability import OutputAllowance, max_output_tokens

# $1 per 1000 input tokens, $2 per 1000 output tokens: easy to check by hand.
PRICED = ModelConfig(
    input_token_cost_rate=Decimal("0.001"),
    output_token_cost_rate=Decimal("0.002"),
    context_window_tokens=10_000,
    hard_cap_output_tokens=4_000,
    provider_max_output_tokens=8_000,
    provider_max_input_tokens=9_000,
)


@pytest.mark.parametrize(
    ("input_tokens", "budget", "requested", "expected"),
    [
        # budget below the prompt's cost: nothing may be sent
        (1_000, Decimal("0.999"), None, OutputAllowance(0, "prompt_over_budget")),
        # zero budget
        (1_000, Decimal("0"), None, OutputAllowance(0, "prompt_over_budget")),
        (0, Decimal("0"), None, OutputAllowance(0, "budget")),
        # budget exactly the prompt: no output left
        (1_000, Decimal("1"), None, OutputAllowance(0, "budget")),
        # budget buys 500.5 output tokens -> 500 (floored, never rounded up)
        (1_000, Decimal("2.001"), None, OutputAllowance(500, "budget")),
        # the hard cap (4000) is below the context room (9000) and the provider max (8000)
        (1_000, None, None, OutputAllowance(4_000, "hard_cap")),
        (1_000, Decimal("100"), None, OutputAllowance(4_000, "hard_cap")),
        # the context room is the tightest once the prompt is long
        (7_000, None, None, OutputAllowance(3_000, "context_window")),
        # the caller's own max_tokens
        (1_000, None, 100, OutputAllowance(100, "requested")),
        (1_000, None, 0, OutputAllowance(0, "requested")),
        # a prompt the model cannot take
        (9_001, None, None, OutputAllowance(0, "prompt_over_input_limit")),
    ],
)
def test_allowance(
    input_tokens: int, budget: Decimal | None, requested: int | None, expected: OutputAllowance
) -> None:
    allowance = max_output_tokens(
        PRICED, input_tokens=input_tokens, budget_usd=budget, requested=requested
    )
    assert allowance == expected


def test_cap_below_context_and_provider_max() -> None:
    config = ModelConfig(
        context_window_tokens=200_000, provider_max_output_tokens=64_000, hard_cap_output_tokens=8
    )
    assert max_output_tokens(config, input_tokens=10) == OutputAllowance(8, "hard_cap")


def test_provider_max_below_the_context_room() -> None:
    config = ModelConfig(context_window_tokens=128_000, provider_max_output_tokens=16_384)
    assert max_output_tokens(config, input_tokens=1_000) == OutputAllowance(
        16_384, "provider_max_output"
    )


def test_prompt_filling_the_context_window() -> None:
    config = ModelConfig(context_window_tokens=100)
    assert max_output_tokens(config, input_tokens=100) == OutputAllowance(0, "prompt_over_context")
    assert not max_output_tokens(config, input_tokens=100).fits
    assert max_output_tokens(config, input_tokens=99) == OutputAllowance(1, "context_window")


def test_no_known_limit() -> None:
    allowance = max_output_tokens(ModelConfig(), input_tokens=10)
    assert allowance == OutputAllowance(None, "no_limit") and allowance.fits


def test_a_budget_with_unknown_rates_cannot_be_checked() -> None:
    no_output_rate = ModelConfig(input_token_cost_rate=Decimal("0.001"))
    unpriced = ModelConfig(context_window_tokens=1000)
    for config in (no_output_rate, unpriced):
        allowance = max_output_tokens(config, input_tokens=10, budget_usd=Decimal("5"))
        assert allowance == OutputAllowance(None, "unknown_rates")


def test_a_free_model_is_not_limited_by_budget() -> None:
    free = ModelConfig(
        input_token_cost_rate=Decimal(0),
        output_token_cost_rate=Decimal(0),
        context_window_tokens=50,
    )
    allowance = max_output_tokens(free, input_tokens=10, budget_usd=Decimal(0))
    assert allowance == OutputAllowance(40, "context_window")


def test_the_budget_uses_the_tier_the_prompt_reaches() -> None:
    tiered = PRICED.model_copy(
        update={
            "price_tiers": [
                PriceTier(start_tokens=2_000, output_token_cost_rate=Decimal("0.004")),
            ]
        }
    )
    # prompt $2, $2 left: 1000 tokens at the base output rate, 500 at the tier's
    assert (
        max_output_tokens(tiered, input_tokens=1_999, budget_usd=Decimal("3.999")).max_output_tokens
        == 1000
    )
    assert (
        max_output_tokens(tiered, input_tokens=2_000, budget_usd=Decimal("4")).max_output_tokens
        == 500
    )


def test_cached_prompt_tokens_cost_the_cache_rate() -> None:
    cached = PRICED.model_copy(update={"cache_read_token_cost_rate": Decimal("0.0001")})
    # 1000 prompt tokens, 900 cached: $0.1 + $0.09; $1 budget leaves $0.81 -> 405 tokens
    allowance = max_output_tokens(
        cached, input_tokens=1_000, cache_read_tokens=900, budget_usd=Decimal("1")
    )
    assert allowance == OutputAllowance(405, "budget")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"input_tokens": -1},
        {"input_tokens": 1, "requested": -1},
        {"input_tokens": 1, "budget_usd": Decimal(-1)},
    ],
)
def test_negative_inputs_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="must be >= 0"):
        max_output_tokens(PRICED, **kwargs)  # type: ignore[arg-type]
