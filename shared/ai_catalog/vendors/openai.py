"""OpenAI: ids only. Fine-tunes (`ft:<base>:...`, legacy `<base>:ft-...`) keep their base.
Tokenizers: tiktoken `o200k_base` or `cl100k_base` by family (also used by OpenRouter)."""

from __future__ import annotations

import re
from typing import Any

from ai_catalog.config.limit_rules import limit_rule
from ai_catalog.config.provider_rules import ProviderRules
from ai_catalog.config.tokenizer_rules import tokenizer_rule
from ai_catalog.model_config import TiktokenStrategy
from ai_catalog.types import ModelKind
from ai_catalog.vendors.kind_rules import kind_by_id, kind_rules
from ai_catalog.vendors.openai_compat import OpenAICompatAdapter

KIND_RULES = kind_rules(
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

TOKENIZER_RULES = (
    tokenizer_rule(
        r"^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|chatgpt-)",
        TiktokenStrategy(tiktoken_encoding_name="o200k_base", is_chatml_model=True),
    ),
    tokenizer_rule(
        r"^(gpt-4|gpt-3\.5)",
        TiktokenStrategy(tiktoken_encoding_name="cl100k_base", is_chatml_model=True),
    ),
    tokenizer_rule(
        r"^text-embedding-(3|ada-002)",
        TiktokenStrategy(tiktoken_encoding_name="cl100k_base", is_chatml_model=False),
    ),
)

RULES = ProviderRules(
    tokenizers=TOKENIZER_RULES,
    limits=(
        limit_rule(r"^gpt-3\.5-turbo(-0125|-1106)?$", 16_385, 4_096),
        limit_rule(r"^gpt-4o(-mini)?(-20\d\d-\d\d-\d\d)?$", 128_000, 16_384),
    ),
    catalog_prefixes=("",),
    catalog_sections=frozenset({"openai"}),
)

_FINE_TUNE = re.compile(r"^ft:(?P<base>[^:]+):|^(?P<legacy>[^:]+):ft-")
_REASONING = re.compile(r"^o\d|^gpt-5")


def fine_tune_base(model_id: str) -> str | None:
    match = _FINE_TUNE.match(model_id)
    return (match.group("base") or match.group("legacy")) if match else None


class OpenAIAdapter(OpenAICompatAdapter):
    provider = "openai"
    default_base_url = "https://api.openai.com/v1"
    kind_rules = KIND_RULES
    default_kind = "other"
    rules = RULES

    @classmethod
    def base_model_of(cls, model_id: str) -> str | None:
        return fine_tune_base(model_id)

    def kind_of(self, model_id: str, entry: dict[str, Any]) -> ModelKind:
        base = fine_tune_base(model_id)
        return kind_by_id(self.kind_rules, base or model_id, self.default_kind)

    def extra_fields(self, model_id: str, entry: dict[str, Any]) -> dict[str, Any]:
        base = fine_tune_base(model_id)
        if base is None:
            return {}
        return {"base_model": base}
