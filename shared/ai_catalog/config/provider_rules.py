"""A provider's own rules for its default configs, as data. Each adapter states its rules in its
own file (`rules = ProviderRules(...)` in `vendors/<provider>.py`) and the vendors layer hands
them to the config builder, so adding a vendor touches no file here."""

from __future__ import annotations

from dataclasses import dataclass

from ai_catalog.config.limit_rules import LimitRule
from ai_catalog.config.tokenizer_rules import TokenizerRule


@dataclass(frozen=True)
class ProviderRules:
    tokenizers: tuple[TokenizerRule, ...] = ()
    """Tried before the family rows every provider shares (`config.tokenizer_rules`)."""
    limits: tuple[LimitRule, ...] = ()
    """Family limits, the last resort (`config.limit_rules`)."""
    catalog_prefixes: tuple[str, ...] = ()
    """How the limits catalog keys the provider's models (`gemini/` + id, ...), tried in order;
    empty: the catalog is not consulted."""
    catalog_sections: frozenset[str] = frozenset()
    """The catalog's `litellm_provider` values an entry must carry to count as this provider's."""
    genai_prices_id: str | None = None
    """genai-prices' id for the provider where it differs from ours."""
