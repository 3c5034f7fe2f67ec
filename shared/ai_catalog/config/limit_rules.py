"""Family rules for limits, the last resort after the vendor API and the catalogs: only stable,
published per-family figures (Anthropic's list gave no limits before 2026-03). Ordered: the
first matching row wins. Each row: (provider, id pattern, context window, max output)."""

from __future__ import annotations

import re

LimitRow = tuple[str, re.Pattern[str], int | None, int | None]


def _row(provider: str, pattern: str, context: int | None, output: int | None) -> LimitRow:
    return provider, re.compile(pattern, re.IGNORECASE), context, output


LIMIT_RULES: tuple[LimitRow, ...] = (
    _row("anthropic", r"^claude-3-5-", 200_000, 8_192),
    _row("anthropic", r"^claude-3-7-sonnet", 200_000, 64_000),
    _row("anthropic", r"^claude-3-", 200_000, 4_096),
    _row("anthropic", r"^claude-(sonnet-4|haiku-4|opus-4-5)", 200_000, 64_000),
    _row("anthropic", r"^claude-opus-4", 200_000, 32_000),
    _row("anthropic", r"^claude-2", 100_000, 4_096),
    _row("openai", r"^gpt-3\.5-turbo(-0125|-1106)?$", 16_385, 4_096),
    _row("openai", r"^gpt-4o(-mini)?(-20\d\d-\d\d-\d\d)?$", 128_000, 16_384),
)


def rule_limits(provider: str, model_id: str) -> tuple[int | None, int | None]:
    for row_provider, pattern, context, output in LIMIT_RULES:
        if row_provider == provider and pattern.search(model_id):
            return context, output
    return None, None
