"""Cohere: `page_token` pages (`next_page_token`); `endpoints` give the kind; context length is
a JSON double."""

from __future__ import annotations

from typing import Any

from ai_catalog.config.provider_rules import ProviderRules
from ai_catalog.types import Capabilities, ModelKind, ProviderModel
from ai_catalog.vendors._parse import envelope_list, opt_bool, opt_count, require_str, str_list
from ai_catalog.vendors.base import ProviderAdapter
from ai_catalog.vendors.kind_rules import kind_by_id, kind_rules

KIND_RULES = kind_rules(
    (r"^embed", "embedding"),
    (r"^rerank", "other"),
)


PAGE_SIZE = 1000


def cohere_kind(model_id: str, endpoints: list[str]) -> ModelKind:
    if "chat" in endpoints:
        return "chat"
    if "embed" in endpoints:
        return "embedding"
    if endpoints:
        return "other"
    return kind_by_id(KIND_RULES, model_id, "other")


class CohereAdapter(ProviderAdapter):
    provider = "cohere"
    default_base_url = "https://api.cohere.com/v1"
    rules = ProviderRules(
        catalog_prefixes=("cohere_chat/", ""),
        catalog_sections=frozenset({"cohere_chat", "cohere"}),
    )
    page_key = "models"

    async def fetch_entries(self) -> list[Any]:
        entries: list[Any] = []
        params: dict[str, Any] = {"page_size": PAGE_SIZE}
        pager = self.pager()
        while True:
            payload = await self.http.get_json("/models", params)
            entries += self.page_arrived(envelope_list(self.provider, payload, "models"))
            token = payload.get("next_page_token")
            if not pager.follow(token):
                return entries
            params = {"page_size": PAGE_SIZE, "page_token": token}

    def parse_entry(self, entry: dict[str, Any]) -> ProviderModel:
        model_id = require_str(entry, "name")
        endpoints = str_list(entry.get("endpoints"))
        features = entry.get("features")
        feature_list = str_list(features)
        has_features = isinstance(features, list)
        return ProviderModel(
            provider=self.provider,
            id=model_id,
            name=model_id,
            kind=cohere_kind(model_id, endpoints),
            context_window=opt_count(entry.get("context_length")),
            capabilities=Capabilities(
                tools=("tools" in feature_list) if has_features else None,
                vision=("vision" in feature_list) if has_features else None,
            ),
            deprecated=opt_bool(entry.get("is_deprecated")),
            base_model=None,
            raw=entry,
        )
