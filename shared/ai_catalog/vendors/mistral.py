"""Mistral: capabilities decide chat (then ids drop OCR and transcription); `created` is the
request time, so it is not kept as a release date; an alias entry names its target."""

from __future__ import annotations

from typing import Any

from ai_catalog.config.provider_rules import ProviderRules
from ai_catalog.types import Capabilities, ModelKind
from ai_catalog.vendors._parse import iso_date, opt_bool, opt_count, str_list
from ai_catalog.vendors.kind_rules import kind_by_id, kind_rules
from ai_catalog.vendors.openai_compat import OpenAICompatAdapter

KIND_RULES = kind_rules(
    (r"embed", "embedding"),
    (r"moderation", "moderation"),
    (r"transcribe", "audio"),
    (r"ocr", "other"),
)


def _caps(entry: dict[str, Any]) -> dict[str, Any]:
    caps = entry.get("capabilities")
    return caps if isinstance(caps, dict) else {}


class MistralAdapter(OpenAICompatAdapter):
    provider = "mistral"
    default_base_url = "https://api.mistral.ai/v1"
    rules = ProviderRules(
        catalog_prefixes=("mistral/",),
        catalog_sections=frozenset({"mistral", "codestral"}),
    )
    kind_rules = KIND_RULES

    def kind_of(self, model_id: str, entry: dict[str, Any]) -> ModelKind:
        caps = _caps(entry)
        by_id = kind_by_id(self.kind_rules, model_id, "chat")
        if by_id != "chat":
            return by_id
        if caps.get("moderation") is True:
            return "moderation"
        return "chat" if caps.get("completion_chat") is True else "other"

    def extra_fields(self, model_id: str, entry: dict[str, Any]) -> dict[str, Any]:
        caps = _caps(entry)
        deprecation = iso_date(entry.get("deprecation"))
        return {
            "created": None,
            "context_window": opt_count(entry.get("max_context_length")),
            "capabilities": Capabilities(
                tools=opt_bool(caps.get("function_calling")),
                vision=opt_bool(caps.get("vision")),
            ),
            "deprecation_date": deprecation,
            "deprecated": True if deprecation else None,
            "aliases": tuple(str_list(entry.get("aliases"))),
            "base_model": entry.get("root") if entry.get("type") == "fine-tuned" else None,
            "alias_of": alias_target(model_id, entry),
        }


def alias_target(model_id: str, entry: dict[str, Any]) -> str | None:
    """The model an alias entry points to: Mistral names it in `name` and lists it among the
    entry's `aliases` (`mistral-medium-latest` -> `mistral-medium-2508`)."""
    name = entry.get("name")
    if entry.get("type") == "fine-tuned" or not isinstance(name, str) or name == model_id:
        return None
    return name if name in str_list(entry.get("aliases")) else None
