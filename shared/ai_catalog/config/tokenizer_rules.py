"""Which tokenization strategy a model gets, as ordered tables: the first matching row wins.

A provider's own rows come first (`ProviderRules.tokenizers`, stated in its adapter's file:
OpenAI's tiktoken rows, Anthropic's and Google's count-tokens endpoints); then the family rows
below, which hold at every provider (a Llama is a Llama wherever it is hosted). Rows match the
model id with any vendor prefix removed (`openai/gpt-4o` at OpenRouter -> `gpt-4o`) and a
fine-tune's base in place of its own id.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ai_catalog.model_config import (
    AnthropicTokenizerStrategy,
    RoughCharCountStrategy,
    TiktokenStrategy,
    TokenizationStrategy,
)


@dataclass(frozen=True)
class TokenizerRule:
    pattern: re.Pattern[str]
    """Searched in the model id without its vendor prefix."""
    strategy: TokenizationStrategy
    id_prefix: str = ""
    """The whole id (lowercased) must start with this: at OpenRouter only `openai/...` ids run
    on OpenAI's tokenizer."""


def tokenizer_rule(
    pattern: str, strategy: TokenizationStrategy, *, id_prefix: str = ""
) -> TokenizerRule:
    return TokenizerRule(re.compile(pattern, re.IGNORECASE), strategy, id_prefix)


FAMILY_RULES: tuple[TokenizerRule, ...] = (
    tokenizer_rule(r"claude", RoughCharCountStrategy(chars_per_token_ratio=3.5)),
    tokenizer_rule(
        r"mistral|mixtral|codestral|ministral|pixtral|magistral|devstral|voxtral",
        RoughCharCountStrategy(chars_per_token_ratio=3.5),
    ),
    tokenizer_rule(r"qwen|qwq", RoughCharCountStrategy(chars_per_token_ratio=3.8)),
    tokenizer_rule(r"deepseek", RoughCharCountStrategy(chars_per_token_ratio=3.8)),
    tokenizer_rule(
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


def tokenizer_for(provider_rules: Sequence[TokenizerRule], model_id: str) -> TokenizationStrategy:
    """The strategy of the first matching row: the provider's own rows, then the family rows."""
    key = model_key(model_id)
    lowered = model_id.lower()
    for rule in (*provider_rules, *FAMILY_RULES):
        if lowered.startswith(rule.id_prefix) and rule.pattern.search(key):
            return _for_model(rule.strategy, key)
    return DEFAULT_STRATEGY


def _for_model(strategy: TokenizationStrategy, key: str) -> TokenizationStrategy:
    if isinstance(strategy, TiktokenStrategy):
        return strategy.model_copy(update={"api_identifier_for_tokenization": key})
    if isinstance(strategy, AnthropicTokenizerStrategy):
        return strategy.model_copy(update={"model": key})
    return strategy
