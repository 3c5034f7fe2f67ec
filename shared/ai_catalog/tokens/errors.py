"""Errors raised by the token-cost utilities.

    TokenCostError                  base; never raised itself
    ├── ChatRequestError            the chat to count is malformed (names the bad field)
    ├── EncodingUnavailableError    a tiktoken encoding cannot be loaded (says how to fix it)
    ├── UnsupportedStrategyError    a config's tokenization strategy is not one we count
    └── ConfigNotFoundError         no config for a provider/model, and no default builder

Vendor count-tokens failures are not errors: the count falls back to the ratio and is marked
an estimate.
"""

from __future__ import annotations


class TokenCostError(Exception):
    pass


class ChatRequestError(TokenCostError, ValueError):
    pass


class EncodingUnavailableError(TokenCostError, LookupError):
    pass


class UnsupportedStrategyError(TokenCostError, ValueError):
    pass


class ConfigNotFoundError(TokenCostError, LookupError):
    pass
