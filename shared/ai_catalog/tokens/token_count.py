"""The result of counting a request's input tokens, and how much to trust it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

CountMethod = Literal["tiktoken", "provider_api", "chars_ratio", "none"]


@dataclass(frozen=True, slots=True)
class TokenCount:
    tokens: int
    """Input tokens; 0 when `unknown`."""
    method: CountMethod
    """What produced the number: an exact tokenizer, the vendor's endpoint, a ratio, or nothing."""
    estimated: bool
    """False only for exact counts (tiktoken, or the vendor's own count-tokens answer)."""
    unknown: bool = False
    """True when the model has no tokenization strategy: `tokens` is 0 and means nothing."""
    note: str | None = None
    """Why the count is an estimate (e.g. the vendor endpoint failed), for people to read."""
