"""xAI: `/language-models` has prices (US cents per 100M tokens) and modalities for chat and
image-understanding models; `/models` adds the rest (image and video generation)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ai_catalog.config.provider_rules import ProviderRules
from ai_catalog.types import Capabilities, ModelKind, ProviderPrices
from ai_catalog.vendors._parse import envelope_list, str_list
from ai_catalog.vendors.kind_rules import kind_by_id, kind_rules
from ai_catalog.vendors.openai_compat import OpenAICompatAdapter
from ai_catalog.vendors.units import to_decimal

KIND_RULES = kind_rules(
    (r"imagine-video|video", "other"),
    (r"image", "image"),
    (r"embed", "embedding"),
)


_RICH = "_language_model"


_XAI_CENTS_PER_100M = Decimal(100) * Decimal(100_000_000)


def xai_per_token(cents_per_100m: Any) -> Decimal | None:
    """xAI: integer US cents per 100 million tokens."""
    price = to_decimal(cents_per_100m)
    return price / _XAI_CENTS_PER_100M if price is not None and price >= 0 else None


def xai_prices(entry: dict[str, Any]) -> ProviderPrices | None:
    prices = ProviderPrices(
        input=xai_per_token(entry.get("prompt_text_token_price")),
        output=xai_per_token(entry.get("completion_text_token_price")),
        cache_read=xai_per_token(entry.get("cached_prompt_text_token_price")),
    )
    return prices if prices.input is not None and prices.output is not None else None


class XAIAdapter(OpenAICompatAdapter):
    provider = "xai"
    default_base_url = "https://api.x.ai/v1"
    rules = ProviderRules(
        catalog_prefixes=("xai/",),
        catalog_sections=frozenset({"xai"}),
        genai_prices_id="x-ai",
    )
    kind_rules = KIND_RULES
    page_key = "models"

    def page_entries(self, body: Any) -> list[Any]:
        """A `/language-models` page (`models`) is tagged rich; a `/models` page is plain."""
        if isinstance(body, dict) and "data" in body and "models" not in body:
            return envelope_list(self.provider, body, "data")
        rich = envelope_list(self.provider, body, "models")
        return [{**e, _RICH: True} if isinstance(e, dict) else e for e in rich]

    async def fetch_entries(self) -> list[Any]:
        tagged = self.page_entries(await self.http.get_json("/language-models"))
        plain = envelope_list(self.provider, await self.http.get_json("/models"), "data")
        seen = {e.get("id") for e in tagged if isinstance(e, dict)}
        return tagged + [e for e in plain if not (isinstance(e, dict) and e.get("id") in seen)]

    def kind_of(self, model_id: str, entry: dict[str, Any]) -> ModelKind:
        if entry.get(_RICH):
            outputs = str_list(entry.get("output_modalities"))
            return "image" if "image" in outputs and "text" not in outputs else "chat"
        return kind_by_id(self.kind_rules, model_id, "chat")

    def extra_fields(self, model_id: str, entry: dict[str, Any]) -> dict[str, Any]:
        if not entry.pop(_RICH, False):
            return {}
        inputs = str_list(entry.get("input_modalities"))
        return {
            "prices": xai_prices(entry),
            "aliases": tuple(str_list(entry.get("aliases"))),
            "capabilities": Capabilities(vision=("image" in inputs) if inputs else None),
            "raw": entry,
        }
