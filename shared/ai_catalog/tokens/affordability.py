"""The largest output a request may ask for, given its prompt, the model's limits and a budget.

Limits, each applied when known: the context window left after the prompt, the app's hard cap,
the vendor's max output, the caller's own request, and what the budget (USD, for the whole
request: prompt + output) still buys at the output rate. A prompt the model or the budget cannot
take allows 0. With a budget but an unknown rate the answer is unknown (None), never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Literal

from ai_catalog.model_config import ModelConfig
from ai_catalog.tokens.cost import Usage, cost_of, rates_for

LimitedBy = Literal[
    "requested",
    "hard_cap",
    "provider_max_output",
    "context_window",
    "budget",
    "prompt_over_input_limit",
    "prompt_over_context",
    "prompt_over_budget",
    "unknown_rates",
    "unknown_input_tokens",
    "no_limit",
]


@dataclass(frozen=True, slots=True)
class OutputAllowance:
    max_output_tokens: int | None
    """Largest output the request may ask for; None when no limit is known or it cannot be told
    (`limited_by` says which)."""
    limited_by: LimitedBy
    """The limit that decided (the first of the tightest, in the order of `LimitedBy`)."""

    @property
    def fits(self) -> bool:
        """Whether the prompt may be sent at all (some output, or no known limit)."""
        return self.max_output_tokens is None or self.max_output_tokens > 0


def max_output_tokens(
    config: ModelConfig,
    *,
    input_tokens: int,
    budget_usd: Decimal | None = None,
    requested: int | None = None,
    cache_read_tokens: int = 0,
) -> OutputAllowance:
    if input_tokens < 0:
        raise ValueError(f"input_tokens must be >= 0, got {input_tokens}")
    if requested is not None and requested < 0:
        raise ValueError(f"requested must be >= 0, got {requested}")
    if budget_usd is not None and budget_usd < 0:
        raise ValueError(f"budget_usd must be >= 0, got {budget_usd}")
    max_input = config.provider_max_input_tokens
    if max_input is not None and input_tokens > max_input:
        return OutputAllowance(0, "prompt_over_input_limit")
    window = config.context_window_tokens
    if window is not None and input_tokens >= window:
        return OutputAllowance(0, "prompt_over_context")

    candidates: tuple[tuple[int | None, LimitedBy], ...] = (
        (requested, "requested"),
        (config.hard_cap_output_tokens, "hard_cap"),
        (config.provider_max_output_tokens, "provider_max_output"),
        (None if window is None else window - input_tokens, "context_window"),
    )
    limits = [(limit, reason) for limit, reason in candidates if limit is not None]
    if budget_usd is not None:
        prompt = cost_of(config, Usage(input_tokens, cache_read_tokens=cache_read_tokens))
        output_rate = rates_for(config, input_tokens).output
        if prompt.input_usd is None:
            return OutputAllowance(None, "unknown_rates")
        if prompt.input_usd > budget_usd:
            return OutputAllowance(0, "prompt_over_budget")
        if output_rate is None:
            return OutputAllowance(None, "unknown_rates")
        if output_rate > 0:
            left = (budget_usd - prompt.input_usd) / output_rate
            limits.append((int(left.to_integral_value(rounding=ROUND_FLOOR)), "budget"))
    if not limits:
        return OutputAllowance(None, "no_limit")
    tokens, reason = min(limits, key=lambda item: item[0])
    return OutputAllowance(tokens, reason)
