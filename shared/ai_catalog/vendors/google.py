"""Google Gemini: `x-goog-api-key`; `pageToken` pages (we ask for 1000, and still loop);
generation methods, then names, give the kind. Key from GOOGLE_API_KEY or GEMINI_API_KEY."""

from __future__ import annotations

from typing import Any

from ai_catalog.config.provider_rules import ProviderRules
from ai_catalog.config.tokenizer_rules import tokenizer_rule
from ai_catalog.model_config import GoogleGeminiTokenizerStrategy
from ai_catalog.types import Capabilities, ModelKind, ProviderModel
from ai_catalog.vendors._parse import (
    envelope_list,
    opt_bool,
    opt_count,
    opt_str,
    require_str,
    str_list,
)
from ai_catalog.vendors.base import ProviderAdapter
from ai_catalog.vendors.kind_rules import kind_by_id, kind_rules

METHOD_KINDS: tuple[tuple[str, ModelKind], ...] = (
    ("embedContent", "embedding"),
    ("embedText", "embedding"),
    ("predict", "image"),
    ("predictLongRunning", "other"),
    ("bidiGenerateContent", "audio"),
)
"""For models without `generateContent`: the first method found decides."""


KIND_RULES = kind_rules(
    (r"embedding", "embedding"),
    (r"^imagen|-image|^nano-banana", "image"),
    (r"^veo", "other"),
    (r"-tts|native-audio|-live-", "audio"),
    (r"^aqa$|computer-use|robotics|deep-research|-bison-", "other"),
)


PAGE_SIZE = 1000


def gemini_kind(model_id: str, methods: list[str]) -> ModelKind:
    if "generateContent" not in methods:
        for method, kind in METHOD_KINDS:
            if method in methods:
                return kind
        return "other"
    return kind_by_id(KIND_RULES, model_id, "chat")


class GoogleAdapter(ProviderAdapter):
    provider = "google"
    default_base_url = "https://generativelanguage.googleapis.com/v1beta"
    rules = ProviderRules(
        tokenizers=(tokenizer_rule(r"", GoogleGeminiTokenizerStrategy(chars_per_token_ratio=4.0)),),
        catalog_prefixes=("gemini/",),
        catalog_sections=frozenset({"gemini"}),
    )
    page_key = "models"
    key_names = ("GOOGLE_API_KEY", "GEMINI_API_KEY")

    @classmethod
    def auth_headers(cls, key: str | None) -> dict[str, str]:
        return {"x-goog-api-key": key or ""}

    async def fetch_entries(self) -> list[Any]:
        entries: list[Any] = []
        params: dict[str, Any] = {"pageSize": PAGE_SIZE}
        pager = self.pager()
        while True:
            payload = await self.http.get_json("/models", params)
            entries += self.page_arrived(envelope_list(self.provider, payload, "models"))
            token = payload.get("nextPageToken")
            if not pager.follow(token):
                return entries
            params = {"pageSize": PAGE_SIZE, "pageToken": token}

    def parse_entry(self, entry: dict[str, Any]) -> ProviderModel:
        model_id = require_str(entry, "name").removeprefix("models/")
        methods = str_list(entry.get("supportedGenerationMethods"))
        limit_in = opt_count(entry.get("inputTokenLimit"))
        return ProviderModel(
            provider=self.provider,
            id=model_id,
            name=opt_str(entry.get("displayName")),
            description=opt_str(entry.get("description")),
            kind=gemini_kind(model_id, methods),
            context_window=limit_in,
            max_input=limit_in,
            max_output=opt_count(entry.get("outputTokenLimit")),
            capabilities=Capabilities(reasoning=opt_bool(entry.get("thinking"))),
            family=opt_str(entry.get("baseModelId")),
            raw=entry,
        )
