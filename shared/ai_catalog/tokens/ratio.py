"""Character-ratio estimates: ceil(characters / characters-per-token)."""

from __future__ import annotations

import math
from decimal import Decimal

from ai_catalog.tokens.chat import ChatRequest
from ai_catalog.tokens.tool_rendering import render_tools


def request_chars(request: ChatRequest) -> int:
    """Characters the model reads: system prompt, contents, names and the rendered tools."""
    chars = sum(len(text) for text in request.texts())
    if request.tools:
        chars += len(render_tools(request.tools))
    return chars


def estimate_by_ratio(request: ChatRequest, chars_per_token: float) -> int:
    if not chars_per_token > 0:
        raise ValueError(f"chars_per_token must be > 0, got {chars_per_token!r}")
    # Decimal, so that e.g. 7 / 0.7 is 10 and not 10.000000000000002 (which would ceil to 11).
    return math.ceil(Decimal(request_chars(request)) / Decimal(repr(chars_per_token)))
