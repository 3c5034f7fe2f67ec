"""Which kind a model is, by id, as ordered tables of (pattern, kind): the first match wins. Each
vendor's table lives in its adapter's file (`KIND_RULES` in openai.py, ...).

Policy (see README section in `__init__`): non-chat models are returned with their kind, never
dropped. Responses-API-only or tool-bound variants (`*-pro`, `*-codex*`, deep-research,
computer-use, `*-search-*`) are `other`: they do not take a plain chat-completions request.
Realtime, audio, speech and transcription models are `audio`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ai_catalog.types import ModelKind

KindRule = tuple[re.Pattern[str], ModelKind]


def kind_rules(*pairs: tuple[str, ModelKind]) -> tuple[KindRule, ...]:
    return tuple((re.compile(pattern, re.IGNORECASE), kind) for pattern, kind in pairs)


def kind_by_id(rules: Sequence[KindRule], model_id: str, default: ModelKind) -> ModelKind:
    for pattern, kind in rules:
        if pattern.search(model_id):
            return kind
    return default
