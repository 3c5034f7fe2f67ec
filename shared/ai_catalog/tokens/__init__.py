"""Token-cost utilities: count a chat's input tokens per tokenization strategy, price it, and
find the largest output a budget and the model's limits allow. Application code imports these to
estimate a request before it is sent.
"""

from __future__ import annotations

from ai_catalog.tokens.affordability import LimitedBy, OutputAllowance, max_output_tokens
from ai_catalog.tokens.chat import ChatMessage, ChatRequest, ToolDefinition, parse_chat
from ai_catalog.tokens.chatml import MessageTokenCache, count_chat
from ai_catalog.tokens.cost import Cost, Rates, Usage, cost_of, rates_for
from ai_catalog.tokens.counting import count_tokens, count_tokens_sync
from ai_catalog.tokens.encodings import get_encoding, prefetch
from ai_catalog.tokens.errors import (
    ChatRequestError,
    ConfigNotFoundError,
    EncodingUnavailableError,
    TokenCostError,
    UnsupportedStrategyError,
)
from ai_catalog.tokens.estimate import Estimate, estimate
from ai_catalog.tokens.lookup import ConfigSource, ResolvedConfig, given, resolve_config
from ai_catalog.tokens.provider_api import ProviderApiSettings
from ai_catalog.tokens.token_count import TokenCount

__all__ = [
    "ChatMessage",
    "ChatRequest",
    "ChatRequestError",
    "ConfigNotFoundError",
    "ConfigSource",
    "Cost",
    "EncodingUnavailableError",
    "Estimate",
    "LimitedBy",
    "MessageTokenCache",
    "OutputAllowance",
    "ProviderApiSettings",
    "Rates",
    "ResolvedConfig",
    "TokenCostError",
    "TokenCount",
    "ToolDefinition",
    "UnsupportedStrategyError",
    "Usage",
    "cost_of",
    "count_chat",
    "count_tokens",
    "count_tokens_sync",
    "estimate",
    "get_encoding",
    "given",
    "max_output_tokens",
    "parse_chat",
    "prefetch",
    "rates_for",
    "resolve_config",
]
