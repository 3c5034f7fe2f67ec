from __future__ import annotations

from decimal import Decimal

from ai_catalog.model_config import ModelConfig, NoTokenization, TiktokenStrategy
from ai_catalog.tokens.chat import parse_chat
from ai_catalog.tokens.chatml import count_chat
from ai_catalog.tokens.estimate import estimate
from ai_catalog.tokens.lookup import given
from tests.support.chats import CHATS

CONFIG = ModelConfig(
    input_token_cost_rate=Decimal("0.0000025"),
    output_token_cost_rate=Decimal("0.00001"),
    context_window_tokens=128_000,
    hard_cap_output_tokens=4_096,
    tokenization_strategy=TiktokenStrategy(tiktoken_encoding_name="o200k_base"),
)


async def test_estimate_counts_prices_and_caps() -> None:
    result = await estimate(CHATS["multi_turn"], given(CONFIG, "openai", "gpt-4o"))
    tokens = count_chat(parse_chat(CHATS["multi_turn"]), "o200k_base")
    data = result.to_json()
    assert data["input_tokens"] == tokens
    assert data["estimated"] is False
    assert Decimal(data["input_cost_usd"]) == tokens * Decimal("0.0000025")
    assert (data["max_output_tokens"], data["limited_by"]) == (4_096, "hard_cap")
    expected_total = tokens * Decimal("0.0000025") + 4_096 * Decimal("0.00001")
    assert Decimal(data["total_cost_usd"]) == expected_total
    assert (data["provider"], data["model"], data["config_source"]) == ("openai", "gpt-4o", "given")


async def test_estimate_with_a_requested_max_and_a_budget() -> None:
    result = await estimate(
        CHATS["plain"],
        given(CONFIG),
        max_output_tokens_requested=100,
        budget_usd=Decimal("0.0005"),
    )
    # prompt: 9 tokens = $0.0000225; $0.0004775 left buys 47 output tokens
    assert (result.allowance.max_output_tokens, result.allowance.limited_by) == (47, "budget")
    assert result.total_cost_usd == Decimal("0.0000225") + 47 * Decimal("0.00001")


async def test_unknown_tokens_give_unknown_costs() -> None:
    config = CONFIG.model_copy(update={"tokenization_strategy": NoTokenization()})
    data = (await estimate(CHATS["plain"], given(config))).to_json()
    assert (data["input_tokens"], data["tokens_unknown"], data["estimated"]) == (0, True, True)
    assert data["input_cost_usd"] is None and data["total_cost_usd"] is None
    with_budget = await estimate(CHATS["plain"], given(config), budget_usd=Decimal(1))
    assert with_budget.allowance.limited_by == "unknown_input_tokens"


async def test_unpriced_models_have_unknown_costs() -> None:
    config = ModelConfig(
        tokenization_strategy=TiktokenStrategy(tiktoken_encoding_name="cl100k_base")
    )
    data = (await estimate(CHATS["plain"], given(config))).to_json()
    assert data["input_tokens"] > 0
    assert data["input_cost_usd"] is None
    assert (data["max_output_tokens"], data["total_cost_usd"]) == (None, None)
