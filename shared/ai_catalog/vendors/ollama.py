"""Ollama (local): no key; enabled by OLLAMA_BASE_URL or OLLAMA_ENABLED=1. `/api/tags` lists,
`POST /api/show` per model adds capabilities and the context length."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from ai_catalog.config.provider_rules import ProviderRules
from ai_catalog.types import Capabilities, ModelKind, ProviderModel
from ai_catalog.vendors._parse import (
    envelope_list,
    iso_time,
    opt_count,
    opt_dict,
    require_str,
    str_list,
)
from ai_catalog.vendors.base import ProviderAdapter
from ai_catalog.vendors.errors import ProviderAuthError, ProviderError
from ai_catalog.vendors.kind_rules import kind_by_id, kind_rules

KIND_RULES = kind_rules(
    (r"embed", "embedding"),
)


SHOW_CONCURRENCY = 4
_SHOW_KEEP = ("details", "model_info", "capabilities", "modified_at")
"""`/api/show` also returns license, modelfile, template and tensors: large, not kept."""
_EMBED_FAMILIES = frozenset({"bert", "nomic-bert"})


def ollama_context_length(model_info: Any) -> int | None:
    if not isinstance(model_info, dict):
        return None
    arch = model_info.get("general.architecture")
    return opt_count(model_info.get(f"{arch}.context_length")) if isinstance(arch, str) else None


def ollama_kind(name: str, family: str | None, capabilities: list[str]) -> ModelKind:
    if "embedding" in capabilities or (family or "") in _EMBED_FAMILIES:
        return "embedding"
    if capabilities and "completion" not in capabilities:
        return "other"
    return kind_by_id(KIND_RULES, name, "chat")


class OllamaAdapter(ProviderAdapter):
    provider = "ollama"
    default_base_url = "http://localhost:11434"
    rules = ProviderRules(
        catalog_prefixes=("ollama/",),
        catalog_sections=frozenset({"ollama"}),
    )
    page_key = "models"
    key_required = False
    enable_flag = "OLLAMA_ENABLED"

    @classmethod
    def is_enabled(cls, env: Mapping[str, str]) -> bool:
        return super().is_enabled(env) or bool(env.get("OLLAMA_BASE_URL", "").strip())

    async def fetch_entries(self) -> list[Any]:
        tags = envelope_list(self.provider, await self.http.get_json("/api/tags"), "models")
        gate = asyncio.Semaphore(SHOW_CONCURRENCY)

        async def with_show(entry: Any) -> Any:
            name = entry.get("name") if isinstance(entry, dict) else None
            if not isinstance(name, str):
                return entry
            async with gate:
                try:
                    shown = await self.http.request_json(
                        "POST", "/api/show", json_body={"model": name}
                    )
                except ProviderAuthError:
                    raise
                except ProviderError:
                    # An older server or a model being pulled: keep the entry, limits unknown.
                    return entry
            if not isinstance(shown, dict):
                return entry
            return {**entry, "show": {k: shown[k] for k in _SHOW_KEEP if k in shown}}

        return list(await asyncio.gather(*(with_show(e) for e in tags)))

    def parse_entry(self, entry: dict[str, Any]) -> ProviderModel:
        name = require_str(entry, "name")
        show = opt_dict(entry.get("show"))
        details = opt_dict(entry.get("details"))
        family = details.get("family") if isinstance(details.get("family"), str) else None
        caps = str_list(show.get("capabilities"))
        known = bool(caps)
        return ProviderModel(
            provider=self.provider,
            id=name,
            name=name,
            kind=ollama_kind(name, family, caps),
            context_window=ollama_context_length(show.get("model_info")),
            capabilities=Capabilities(
                tools=("tools" in caps) if known else None,
                vision=("vision" in caps) if known else None,
                reasoning=("thinking" in caps) if known else None,
            ),
            created=iso_time(entry.get("modified_at")),
            family=family,
            raw=entry,
        )
