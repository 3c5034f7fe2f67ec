"""Count a chat's input tokens under a model's `tokenization_strategy`.

| strategy                  | count                                       | estimated        |
|---------------------------|---------------------------------------------|------------------|
| `tiktoken`                | exact, ChatML framing when `is_chatml_model`| no               |
| `anthropic_tokenizer`     | Anthropic's count-tokens endpoint (`model`) | only on fallback |
| `google_gemini_tokenizer` | Gemini's countTokens endpoint               | only on fallback |
| `rough_char_count`        | ceil(characters / chars_per_token_ratio)    | yes              |
| `none`                    | 0                                           | yes, and unknown |

`count_tokens` (async) is what async code calls: tiktoken work runs in a worker thread, so the
event loop never blocks. `count_tokens_sync` never touches the network: for the vendor
tokenizers it returns the ratio estimate (Anthropic's strategy names no ratio: 3.5 is used).
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from ai_catalog.model_config import (
    AnthropicTokenizerStrategy,
    GoogleGeminiTokenizerStrategy,
    ModelConfig,
    NoTokenization,
    RoughCharCountStrategy,
    TiktokenStrategy,
)
from ai_catalog.tokens.chat import ChatRequest, parse_chat
from ai_catalog.tokens.chatml import DEFAULT_CACHE, MessageTokenCache, count_chat
from ai_catalog.tokens.errors import UnsupportedStrategyError
from ai_catalog.tokens.provider_api import ProviderApiSettings, count_with_provider
from ai_catalog.tokens.ratio import estimate_by_ratio
from ai_catalog.tokens.token_count import TokenCount

Strategy = (
    TiktokenStrategy
    | RoughCharCountStrategy
    | AnthropicTokenizerStrategy
    | GoogleGeminiTokenizerStrategy
    | NoTokenization
)
ANTHROPIC_CHARS_PER_TOKEN = 3.5
"""Claude's fallback ratio: its strategy names only the model."""
VENDOR_COUNTERS: dict[type[Strategy], str] = {
    AnthropicTokenizerStrategy: "anthropic",
    GoogleGeminiTokenizerStrategy: "google",
}
"""Strategies counted by a vendor's endpoint -> the provider whose endpoint counts them."""


def _fallback_ratio(strategy: AnthropicTokenizerStrategy | GoogleGeminiTokenizerStrategy) -> float:
    if isinstance(strategy, GoogleGeminiTokenizerStrategy):
        return strategy.chars_per_token_ratio
    return ANTHROPIC_CHARS_PER_TOKEN


def _strategy_of(config_or_strategy: ModelConfig | Strategy) -> Strategy:
    if isinstance(config_or_strategy, ModelConfig):
        return config_or_strategy.tokenization_strategy
    return config_or_strategy


def count_tokens_sync(
    chat: ChatRequest | Any,
    config: ModelConfig | Strategy,
    *,
    model_id: str = "",
    cache: MessageTokenCache = DEFAULT_CACHE,
) -> TokenCount:
    """Count without network: exact for tiktoken, a ratio estimate for the others.

    `chat` is a `ChatRequest` or anything `parse_chat` accepts (a list of message dicts, or
    `{system?, messages, tools?}`).
    """
    request = parse_chat(chat)
    strategy = _strategy_of(config)
    match strategy:
        case TiktokenStrategy(tiktoken_encoding_name=encoding, is_chatml_model=chatml):
            tokens = count_chat(request, encoding, chatml=chatml, model_id=model_id, cache=cache)
            return TokenCount(tokens, "tiktoken", estimated=False)
        case RoughCharCountStrategy(chars_per_token_ratio=ratio):
            note = f"estimated at {ratio:g} chars/token"
            tokens = estimate_by_ratio(request, ratio)
            return TokenCount(tokens, "chars_ratio", estimated=True, note=note)
        case AnthropicTokenizerStrategy() | GoogleGeminiTokenizerStrategy():
            ratio = _fallback_ratio(strategy)
            note = f"counted offline; estimated at {ratio:g} chars/token"
            tokens = estimate_by_ratio(request, ratio)
            return TokenCount(tokens, "chars_ratio", estimated=True, note=note)
        case NoTokenization():
            return TokenCount(0, "none", estimated=True, unknown=True, note="no tokenizer known")
    raise UnsupportedStrategyError(f"Unsupported tokenization strategy {strategy!r}")


async def count_tokens(
    chat: ChatRequest | Any,
    config: ModelConfig | Strategy,
    *,
    provider: str = "",
    model_id: str = "",
    client: httpx.AsyncClient | None = None,
    settings: ProviderApiSettings | None = None,
    cache: MessageTokenCache = DEFAULT_CACHE,
) -> TokenCount:
    """Count `chat`'s input tokens for `provider`/`model_id` under `config`'s strategy.

    The vendor tokenizers ask the vendor (see `provider_api`): Anthropic for the strategy's
    `model`, Gemini for `model_id`, whatever `provider` hosts the model; everything else runs
    in a worker thread.
    """
    request = parse_chat(chat)
    strategy = _strategy_of(config)
    if isinstance(strategy, AnthropicTokenizerStrategy | GoogleGeminiTokenizerStrategy):
        counted_model = (
            strategy.model if isinstance(strategy, AnthropicTokenizerStrategy) else model_id
        )
        return await count_with_provider(
            request,
            provider=VENDOR_COUNTERS[type(strategy)],
            model_id=counted_model,
            fallback_chars_per_token=_fallback_ratio(strategy),
            client=client,
            settings=settings,
        )
    if isinstance(strategy, TiktokenStrategy):
        return await asyncio.to_thread(
            count_tokens_sync, request, strategy, model_id=model_id, cache=cache
        )
    return count_tokens_sync(request, strategy, model_id=model_id, cache=cache)
