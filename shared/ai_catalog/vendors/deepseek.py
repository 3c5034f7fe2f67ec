"""DeepSeek: two chat models, ids only, no `created`."""

from __future__ import annotations

from typing import Any

from ai_catalog.config.provider_rules import ProviderRules
from ai_catalog.types import Capabilities
from ai_catalog.vendors.openai_compat import OpenAICompatAdapter


class DeepSeekAdapter(OpenAICompatAdapter):
    provider = "deepseek"
    default_base_url = "https://api.deepseek.com"
    rules = ProviderRules(
        catalog_prefixes=("deepseek/",),
        catalog_sections=frozenset({"deepseek"}),
    )

    def extra_fields(self, model_id: str, entry: dict[str, Any]) -> dict[str, Any]:
        return {"capabilities": Capabilities(reasoning="reasoner" in model_id or None)}
