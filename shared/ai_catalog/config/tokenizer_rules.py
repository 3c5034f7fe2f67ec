"""Which tokenization strategy a model gets, as an ordered table: the first matching row wins.

Rows match on (provider, model id). The id is the vendor id with a vendor prefix removed
(`openai/gpt-4o` at OpenRouter -> `gpt-4o`) and a fine-tune's base in place of its own id.
"""

from __future__ import annotations

import re

from ai_catalog.model_config import (
    AnthropicTokenizerStrategy,
    GoogleGeminiTokenizerStrategy,
    RoughCharCountStrategy,
    TiktokenStrategy,
    TokenizationStrategy,
)

Row = tuple[frozenset[str] | None, re.Pattern[str], TokenizationStrategy]
"""(providers it applies to, or None for all; id pattern; strategy)."""

_OPENAI_HOSTS = frozenset({"openai", "openrouter"})
_ANY = None


def _row(providers: frozenset[str] | None, pattern: str, strategy: TokenizationStrategy) -> Row:
    return providers, re.compile(pattern, re.IGNORECASE), strategy


TOKENIZER_RULES: tuple[Row, ...] = (
    _row(
        _OPENAI_HOSTS,
        r"^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|chatgpt-)",
        TiktokenStrategy(tiktoken_encoding_name="o200k_base", is_chatml_model=True),
    ),
    _row(
        _OPENAI_HOSTS,
        r"^(gpt-4|gpt-3\.5)",
        TiktokenStrategy(tiktoken_encoding_name="cl100k_base", is_chatml_model=True),
    ),
    _row(
        _OPENAI_HOSTS,
        r"^text-embedding-(3|ada-002)",
        TiktokenStrategy(tiktoken_encoding_name="cl100k_base", is_chatml_model=False),
    ),
    _row(frozenset({"anthropic"}), r"", AnthropicTokenizerStrategy(model="(the model)")),
    _row(frozenset({"google"}), r"", GoogleGeminiTokenizerStrategy(chars_per_token_ratio=4.0)),
    _row(_ANY, r"claude", RoughCharCountStrategy(chars_per_token_ratio=3.5)),
    _row(
        _ANY,
        r"mistral|mixtral|codestral|ministral|pixtral|magistral|devstral|voxtral",
        RoughCharCountStrategy(chars_per_token_ratio=3.5),
    ),
    _row(_ANY, r"qwen|qwq", RoughCharCountStrategy(chars_per_token_ratio=3.8)),
    _row(_ANY, r"deepseek", RoughCharCountStrategy(chars_per_token_ratio=3.8)),
    _row(
        _ANY,
        r"llama|gemma|gemini|grok|command|aya|gpt-oss|phi|kimi|glm",
        RoughCharCountStrategy(chars_per_token_ratio=4.0),
    ),
)
"""Ratios are average English characters per token of each family's tokenizer (larger
vocabularies pack more characters per token). Strategies that name a model (tiktoken's
`api_identifier_for_tokenization`, Anthropic's `model`) get the model's id filled in."""

DEFAULT_STRATEGY: TokenizationStrategy = RoughCharCountStrategy(chars_per_token_ratio=4.0)

_VENDOR_PREFIX = re.compile(r"^(?:[\w.-]+/)+")


def model_key(model_id: str) -> str:
    """The id without any `owner/` or `accounts/x/models/` prefix."""
    return _VENDOR_PREFIX.sub("", model_id).lower()


def tokenizer_for(provider: str, model_id: str) -> TokenizationStrategy:
    key = model_key(model_id)
    # At OpenRouter only `openai/...` ids run on OpenAI's tokenizer.
    is_openai_model = provider != "openrouter" or model_id.lower().startswith("openai/")
    for providers, pattern, strategy in TOKENIZER_RULES:
        if providers is not None and provider not in providers:
            continue
        if providers is _OPENAI_HOSTS and not is_openai_model:
            continue
        if pattern.search(key):
            return _for_model(strategy, key)
    return DEFAULT_STRATEGY


def _for_model(strategy: TokenizationStrategy, key: str) -> TokenizationStrategy:
    if isinstance(strategy, TiktokenStrategy):
        return strategy.model_copy(update={"api_identifier_for_tokenization": key})
    if isinstance(strategy, AnthropicTokenizerStrategy):
        return strategy.model_copy(update={"model": key})
    return strategy
