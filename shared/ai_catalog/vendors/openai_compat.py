"""The base for vendors with an OpenAI-style `GET /models`: `{"object":"list","data":[...]}`.

A vendor file sets its id, base URL and kind rules, and overrides `extra_fields` for what only
it sends (Groq's context window, Mistral's capabilities, ...).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from ai_catalog.types import ModelKind, ProviderModel
from ai_catalog.vendors._parse import opt_str, require_str, unix_time
from ai_catalog.vendors.base import ProviderAdapter
from ai_catalog.vendors.kind_rules import KindRule, kind_by_id


class OpenAICompatAdapter(ProviderAdapter):
    models_path: ClassVar[str] = "/models"
    kind_rules: ClassVar[Sequence[KindRule]] = ()
    default_kind: ClassVar[ModelKind] = "chat"

    async def fetch_entries(self) -> list[Any]:
        payload = await self.http.get_json(self.models_path)
        return self.page_entries(payload)

    def kind_of(self, model_id: str, entry: dict[str, Any]) -> ModelKind:
        return kind_by_id(self.kind_rules, model_id, self.default_kind)

    def extra_fields(self, model_id: str, entry: dict[str, Any]) -> dict[str, Any]:
        """Vendor-specific fields of ProviderModel; the base knows only id/created/owned_by."""
        return {}

    def parse_entry(self, entry: dict[str, Any]) -> ProviderModel:
        model_id = require_str(entry, "id")
        fields: dict[str, Any] = {
            "provider": self.provider,
            "id": model_id,
            "name": opt_str(entry.get("name")),
            "description": opt_str(entry.get("description")),
            "kind": self.kind_of(model_id, entry),
            "created": unix_time(entry.get("created")),
            "raw": entry,
        }
        fields.update(self.extra_fields(model_id, entry))
        return ProviderModel(**fields)
