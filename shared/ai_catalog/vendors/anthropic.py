"""Anthropic: `x-api-key` + `anthropic-version`; cursor pages (`after_id`/`has_more`); every
listed model is a Messages-API chat model. Newer entries carry limits and capabilities."""

from __future__ import annotations

from typing import Any

from ai_catalog.config.limit_rules import limit_rule
from ai_catalog.config.provider_rules import ProviderRules
from ai_catalog.config.tokenizer_rules import tokenizer_rule
from ai_catalog.model_config import AnthropicTokenizerStrategy
from ai_catalog.types import Capabilities, ProviderModel
from ai_catalog.vendors._parse import (
    envelope_list,
    iso_date,
    iso_time,
    opt_bool,
    opt_count,
    opt_dict,
    opt_str,
    require_str,
)
from ai_catalog.vendors.base import ProviderAdapter
from ai_catalog.vendors.errors import ProviderResponseError

PAGE_LIMIT = 1000
API_VERSION = "2023-06-01"

RULES = ProviderRules(
    tokenizers=(tokenizer_rule(r"", AnthropicTokenizerStrategy(model="(the model)")),),
    limits=(
        # The list gave no limits before 2026-03: published per-family figures.
        limit_rule(r"^claude-3-5-", 200_000, 8_192),
        limit_rule(r"^claude-3-7-sonnet", 200_000, 64_000),
        limit_rule(r"^claude-3-", 200_000, 4_096),
        limit_rule(r"^claude-(sonnet-4|haiku-4|opus-4-5)", 200_000, 64_000),
        limit_rule(r"^claude-opus-4", 200_000, 32_000),
        limit_rule(r"^claude-2", 100_000, 4_096),
    ),
    catalog_prefixes=("",),
    catalog_sections=frozenset({"anthropic"}),
)


def _supported(caps: dict[str, Any], key: str) -> bool | None:
    value = caps.get(key)
    if isinstance(value, dict):
        return opt_bool(value.get("supported"))
    return opt_bool(value)


class AnthropicAdapter(ProviderAdapter):
    provider = "anthropic"
    default_base_url = "https://api.anthropic.com/v1"
    page_key = "data"
    rules = RULES

    @classmethod
    def auth_headers(cls, key: str | None) -> dict[str, str]:
        return {"x-api-key": key or "", "anthropic-version": API_VERSION}

    async def fetch_entries(self) -> list[Any]:
        entries: list[Any] = []
        params: dict[str, Any] = {"limit": PAGE_LIMIT}
        pager = self.pager()
        while True:
            payload = await self.http.get_json("/models", params)
            entries += self.page_arrived(envelope_list(self.provider, payload, "data"))
            if payload.get("has_more") is not True:
                return entries
            last_id = payload.get("last_id")
            if not isinstance(last_id, str) or not pager.follow(last_id):
                raise ProviderResponseError(self.provider, "has_more without a last_id")
            params = {"limit": PAGE_LIMIT, "after_id": last_id}

    def parse_entry(self, entry: dict[str, Any]) -> ProviderModel:
        caps = opt_dict(entry.get("capabilities"))
        max_input = opt_count(entry.get("max_input_tokens"))
        deprecated_at = iso_date(entry.get("deprecated_at"))
        lifecycle = entry.get("lifecycle")
        return ProviderModel(
            provider=self.provider,
            id=require_str(entry, "id"),
            name=opt_str(entry.get("display_name")),
            kind="chat",
            context_window=max_input,
            max_input=max_input,
            max_output=opt_count(entry.get("max_tokens")),
            capabilities=Capabilities(
                vision=_supported(caps, "image_input"),
                reasoning=_supported(caps, "thinking"),
            ),
            deprecation_date=deprecated_at,
            deprecated=(lifecycle != "active") if isinstance(lifecycle, str) else None,
            created=iso_time(entry.get("created_at")),
            raw=entry,
        )
