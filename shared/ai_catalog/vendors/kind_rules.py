"""Which kind a model is, by id, as ordered tables of (pattern, kind): the first match wins.

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


def _rules(*pairs: tuple[str, ModelKind]) -> tuple[KindRule, ...]:
    return tuple((re.compile(pattern, re.IGNORECASE), kind) for pattern, kind in pairs)


OPENAI_RULES = _rules(
    (r"embedding|^text-(search|similarity)-|^code-search-|-search-(document|query)$", "embedding"),
    (r"(^|-)similarity$", "embedding"),
    (r"moderation", "moderation"),
    (r"^(dall-e|gpt-image|chatgpt-image)|^sora", "image"),
    (r"whisper|transcribe|(^|-)tts|realtime|audio", "audio"),
    (r"search-(api|preview)|codex|deep-research|computer-use|-pro($|-)", "other"),
    (
        r"instruct|^canary|-edit-|^(text-)?(davinci|curie|babbage|ada)\b|^code-(davinci|cushman)",
        "other",
    ),
    (r"^(ft:)?(gpt-|o\d|chatgpt-)", "chat"),
)
"""OpenAI lists everything a key can see, legacy models included: chat is the positive rule."""

GOOGLE_NAME_RULES = _rules(
    (r"embedding", "embedding"),
    (r"^imagen|-image|^nano-banana", "image"),
    (r"^veo", "other"),
    (r"-tts|native-audio|-live-", "audio"),
    (r"^aqa$|computer-use|robotics|deep-research|-bison-", "other"),
)

GOOGLE_METHOD_KINDS: tuple[tuple[str, ModelKind], ...] = (
    ("embedContent", "embedding"),
    ("embedText", "embedding"),
    ("predict", "image"),
    ("predictLongRunning", "other"),
    ("bidiGenerateContent", "audio"),
)
"""For models without `generateContent`: the first method found decides."""

GROQ_RULES = _rules(
    (r"whisper|tts|orpheus", "audio"),
    (r"guard", "moderation"),
)

MISTRAL_RULES = _rules(
    (r"embed", "embedding"),
    (r"moderation", "moderation"),
    (r"transcribe", "audio"),
    (r"ocr", "other"),
)

FIREWORKS_RULES = _rules(
    (r"embed|bge-|nomic", "embedding"),
    (r"whisper|tts", "audio"),
    (r"flux|stable-diffusion|playground|sdxl|japanese-stable", "image"),
    (r"guard", "moderation"),
)

XAI_RULES = _rules(
    (r"imagine-video|video", "other"),
    (r"image", "image"),
    (r"embed", "embedding"),
)

COHERE_RULES = _rules(
    (r"^embed", "embedding"),
    (r"^rerank", "other"),
)

OLLAMA_RULES = _rules(
    (r"embed", "embedding"),
)


def kind_by_id(rules: Sequence[KindRule], model_id: str, default: ModelKind) -> ModelKind:
    for pattern, kind in rules:
        if pattern.search(model_id):
            return kind
    return default
