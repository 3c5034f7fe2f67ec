"""OpenRouter: no key needed (enabled by a key or OPENROUTER_ENABLED=1); prices are decimal
strings in USD per token ("-1" = unknown); output modalities give the kind; `links.next` pages."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from ai_catalog.config.provider_rules import ProviderRules
from ai_catalog.types import Capabilities, ModelKind, ProviderModel, ProviderPrices
from ai_catalog.vendors._parse import (
    envelope_list,
    iso_date,
    opt_count,
    opt_dict,
    opt_str,
    require_str,
    str_list,
    unix_time,
)
from ai_catalog.vendors.base import ProviderAdapter
from ai_catalog.vendors.openai import TOKENIZER_RULES as OPENAI_TOKENIZER_RULES
from ai_catalog.vendors.openai import fine_tune_base
from ai_catalog.vendors.units import to_decimal

RULES = ProviderRules(
    # Only `openai/...` models run on OpenAI's tokenizer here.
    tokenizers=tuple(replace(rule, id_prefix="openai/") for rule in OPENAI_TOKENIZER_RULES),
    catalog_prefixes=("openrouter/",),
    catalog_sections=frozenset({"openrouter"}),
)


def openrouter_per_token(value: Any) -> Decimal | None:
    """OpenRouter: decimal strings already in USD per token; "-1" (or any negative) is unknown."""
    if not isinstance(value, str | int | float):
        return None
    price = to_decimal(value)
    return price if price is not None and price >= 0 else None


def openrouter_prices(pricing: Any) -> ProviderPrices | None:
    if not isinstance(pricing, dict):
        return None
    prices = ProviderPrices(
        input=openrouter_per_token(pricing.get("prompt")),
        output=openrouter_per_token(pricing.get("completion")),
        cache_read=openrouter_per_token(pricing.get("input_cache_read")),
        cache_write=openrouter_per_token(pricing.get("input_cache_write")),
    )
    return prices if prices.input is not None and prices.output is not None else None


def openrouter_kind(outputs: list[str]) -> ModelKind:
    if not outputs or "text" in outputs:
        return "chat"
    if "embeddings" in outputs or "embedding" in outputs:
        return "embedding"
    if "image" in outputs:
        return "image"
    return "audio" if "audio" in outputs else "other"


class OpenRouterAdapter(ProviderAdapter):
    provider = "openrouter"
    default_base_url = "https://openrouter.ai/api/v1"
    key_required = False
    enable_flag = "OPENROUTER_ENABLED"
    rules = RULES

    @classmethod
    def base_model_of(cls, model_id: str) -> str | None:
        return fine_tune_base(model_id)

    async def fetch_entries(self) -> list[Any]:
        entries: list[Any] = []
        path = "/models"
        pager = self.pager()
        while True:
            payload = await self.http.get_json(path)
            entries += self.page_arrived(envelope_list(self.provider, payload, "data"))
            links = payload.get("links")
            nxt = links.get("next") if isinstance(links, dict) else None
            if not pager.follow(nxt):
                return entries
            path = self._next_path(str(nxt))

    def _next_path(self, link: str) -> str:
        if link.startswith(("http://", "https://")):
            return link
        # links are given from the host root (`/api/v1/models?...`): keep only what follows
        # our base path, so a <P>_BASE_URL stand-in still receives the call.
        marker = "/models"
        return link[link.index(marker) :] if marker in link else link

    def parse_entry(self, entry: dict[str, Any]) -> ProviderModel:
        model_id = require_str(entry, "id")
        arch = opt_dict(entry.get("architecture"))
        top = opt_dict(entry.get("top_provider"))
        params = entry.get("supported_parameters")
        params_list = str_list(params)
        inputs = str_list(arch.get("input_modalities"))
        expiration = iso_date(entry.get("expiration_date"))
        return ProviderModel(
            provider=self.provider,
            id=model_id,
            name=opt_str(entry.get("name")),
            description=opt_str(entry.get("description")),
            kind=openrouter_kind(str_list(arch.get("output_modalities"))),
            context_window=opt_count(entry.get("context_length"))
            or opt_count(top.get("context_length")),
            max_output=opt_count(top.get("max_completion_tokens")),
            prices=openrouter_prices(entry.get("pricing")),
            capabilities=Capabilities(
                tools=("tools" in params_list) if isinstance(params, list) else None,
                vision=("image" in inputs) if inputs else None,
                reasoning=("reasoning" in params_list) if isinstance(params, list) else None,
            ),
            deprecation_date=expiration,
            deprecated=True if expiration else None,
            created=unix_time(entry.get("created")),
            family=opt_str(arch.get("tokenizer")),
            raw=entry,
        )
