"""Family rules for limits, the last resort after the vendor API and the catalogs: only stable,
published per-family figures. Each provider states its own rows (`ProviderRules.limits`, in its
adapter's file); ordered, the first matching row wins."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class LimitRule:
    pattern: re.Pattern[str]
    """Searched in the model id (a fine-tune's base in place of its own id)."""
    context_window: int | None
    max_output: int | None


def limit_rule(pattern: str, context: int | None, output: int | None) -> LimitRule:
    return LimitRule(re.compile(pattern, re.IGNORECASE), context, output)


def rule_limits(rules: Sequence[LimitRule], model_id: str) -> tuple[int | None, int | None]:
    """(context window, max output) of the first matching row; (None, None) when none does."""
    for rule in rules:
        if rule.pattern.search(model_id):
            return rule.context_window, rule.max_output
    return None, None
