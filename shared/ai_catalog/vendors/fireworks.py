"""Fireworks: OpenAI-style list; its extra fields (`context_length`, `supports_*`) are read when
present (unverified in recordings, so each is optional)."""

from __future__ import annotations

from typing import Any

from ai_catalog.config.provider_rules import ProviderRules
from ai_catalog.types import Capabilities, ModelKind
from ai_catalog.vendors._parse import opt_bool, opt_count
from ai_catalog.vendors.kind_rules import kind_by_id, kind_rules
from ai_catalog.vendors.openai_compat import OpenAICompatAdapter

KIND_RULES = kind_rules(
    (r"embed|bge-|nomic", "embedding"),
    (r"whisper|tts", "audio"),
    (r"flux|stable-diffusion|playground|sdxl|japanese-stable", "image"),
    (r"guard", "moderation"),
)


class FireworksAdapter(OpenAICompatAdapter):
    provider = "fireworks"
    default_base_url = "https://api.fireworks.ai/inference/v1"
    rules = ProviderRules(
        catalog_prefixes=("fireworks_ai/", "fireworks_ai/accounts/fireworks/models/"),
        catalog_sections=frozenset({"fireworks_ai"}),
    )
    kind_rules = KIND_RULES

    def kind_of(self, model_id: str, entry: dict[str, Any]) -> ModelKind:
        kind = kind_by_id(self.kind_rules, model_id, "chat")
        if kind == "chat" and entry.get("supports_chat") is False:
            return "other"
        return kind

    def extra_fields(self, model_id: str, entry: dict[str, Any]) -> dict[str, Any]:
        return {
            "context_window": opt_count(entry.get("context_length")),
            "capabilities": Capabilities(
                tools=opt_bool(entry.get("supports_tools")),
                vision=opt_bool(entry.get("supports_image_input")),
            ),
        }
