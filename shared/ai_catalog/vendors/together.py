"""Together: a bare JSON array; `type` gives the kind; prices in USD per 1M tokens."""

from __future__ import annotations

from typing import Any

from ai_catalog.config.provider_rules import ProviderRules
from ai_catalog.types import ModelKind, ProviderPrices
from ai_catalog.vendors._parse import opt_count, opt_str
from ai_catalog.vendors.openai_compat import OpenAICompatAdapter
from ai_catalog.vendors.units import per_million_to_per_token

TYPE_KINDS: dict[str, ModelKind] = {
    "chat": "chat",
    "embedding": "embedding",
    "image": "image",
    "moderation": "moderation",
    "audio": "audio",
    "transcribe": "audio",
    "language": "other",
    "code": "other",
    "rerank": "other",
}
"""`language` and `code` are base completion models: not chat."""


def together_prices(pricing: Any) -> ProviderPrices | None:
    if not isinstance(pricing, dict):
        return None
    prices = ProviderPrices(
        input=per_million_to_per_token(pricing.get("input")),
        output=per_million_to_per_token(pricing.get("output")),
    )
    return prices if prices.input is not None and prices.output is not None else None


class TogetherAdapter(OpenAICompatAdapter):
    provider = "together"
    default_base_url = "https://api.together.xyz/v1"
    rules = ProviderRules(
        catalog_prefixes=("together_ai/",),
        catalog_sections=frozenset({"together_ai"}),
    )
    page_key = None

    def kind_of(self, model_id: str, entry: dict[str, Any]) -> ModelKind:
        kind = entry.get("type")
        return TYPE_KINDS.get(kind, "other") if isinstance(kind, str) else "other"

    def extra_fields(self, model_id: str, entry: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": opt_str(entry.get("display_name")),
            "context_window": opt_count(entry.get("context_length")),
            "prices": together_prices(entry.get("pricing")),
        }
