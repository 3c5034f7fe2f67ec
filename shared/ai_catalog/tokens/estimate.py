"""Estimate a request before sending it: input tokens, input cost, the largest output it may ask
for, and the worst-case total cost (input + that output)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx

from ai_catalog.tokens.affordability import OutputAllowance, max_output_tokens
from ai_catalog.tokens.chat import ChatRequest
from ai_catalog.tokens.cost import Usage, cost_of, part_cost, rates_for
from ai_catalog.tokens.counting import count_tokens
from ai_catalog.tokens.lookup import ResolvedConfig
from ai_catalog.tokens.provider_api import ProviderApiSettings
from ai_catalog.tokens.token_count import TokenCount


@dataclass(frozen=True, slots=True)
class Estimate:
    resolved: ResolvedConfig
    count: TokenCount
    input_cost_usd: Decimal | None
    allowance: OutputAllowance
    output_cost_usd: Decimal | None
    """Cost of `allowance.max_output_tokens` of output; None when unknown or unbounded."""

    @property
    def total_cost_usd(self) -> Decimal | None:
        if self.input_cost_usd is None or self.output_cost_usd is None:
            return None
        return self.input_cost_usd + self.output_cost_usd

    def to_json(self) -> dict[str, Any]:
        """A JSON object; USD amounts are exact decimal strings, unknown ones null."""
        return {
            "provider": self.resolved.provider,
            "model": self.resolved.model_id,
            "config_source": self.resolved.source,
            "input_tokens": self.count.tokens,
            "estimated": self.count.estimated,
            "tokens_unknown": self.count.unknown,
            "count_method": self.count.method,
            "note": self.count.note,
            "input_cost_usd": _usd(self.input_cost_usd),
            "max_output_tokens": self.allowance.max_output_tokens,
            "limited_by": self.allowance.limited_by,
            "output_cost_usd": _usd(self.output_cost_usd),
            "total_cost_usd": _usd(self.total_cost_usd),
        }


async def estimate(
    chat: ChatRequest | Any,
    resolved: ResolvedConfig,
    *,
    max_output_tokens_requested: int | None = None,
    budget_usd: Decimal | None = None,
    client: httpx.AsyncClient | None = None,
    settings: ProviderApiSettings | None = None,
) -> Estimate:
    config = resolved.config
    count = await count_tokens(
        chat,
        config,
        provider=resolved.provider,
        model_id=resolved.model_id,
        client=client,
        settings=settings,
    )
    if count.unknown:
        input_cost = None
        allowance = (
            OutputAllowance(None, "unknown_input_tokens")
            if budget_usd is not None
            else max_output_tokens(config, input_tokens=0, requested=max_output_tokens_requested)
        )
    else:
        input_cost = cost_of(config, Usage(count.tokens)).input_usd
        allowance = max_output_tokens(
            config,
            input_tokens=count.tokens,
            budget_usd=budget_usd,
            requested=max_output_tokens_requested,
        )
    output_cost = None
    if allowance.max_output_tokens is not None:
        output_rate = rates_for(config, count.tokens).output
        output_cost = part_cost(allowance.max_output_tokens, output_rate)
    return Estimate(resolved, count, input_cost, allowance, output_cost)


def _usd(amount: Decimal | None) -> str | None:
    return None if amount is None else format(amount.normalize(), "f")
