"""Groq: context window and (newer) max output per entry; `active: false` means deprecated."""

from __future__ import annotations

from typing import Any

from ai_catalog.config.provider_rules import ProviderRules
from ai_catalog.types import Capabilities
from ai_catalog.vendors._parse import opt_bool, opt_count, str_list
from ai_catalog.vendors.kind_rules import kind_rules
from ai_catalog.vendors.openai_compat import OpenAICompatAdapter

KIND_RULES = kind_rules(
    (r"whisper|tts|orpheus", "audio"),
    (r"guard", "moderation"),
)


class GroqAdapter(OpenAICompatAdapter):
    provider = "groq"
    default_base_url = "https://api.groq.com/openai/v1"
    rules = ProviderRules(
        catalog_prefixes=("groq/",),
        catalog_sections=frozenset({"groq"}),
    )
    kind_rules = KIND_RULES

    def extra_fields(self, model_id: str, entry: dict[str, Any]) -> dict[str, Any]:
        active = opt_bool(entry.get("active"))
        inputs = str_list(entry.get("input_modalities"))
        features = str_list(entry.get("supported_features"))
        return {
            "context_window": opt_count(entry.get("context_window")),
            "max_output": opt_count(entry.get("max_completion_tokens")),
            "deprecated": None if active is None else not active,
            "capabilities": Capabilities(
                vision=("image" in inputs) if inputs else None,
                tools=("tools" in features) if features else None,
            ),
        }
