"""A maintained limits catalog for what vendors do not state: LiteLLM's bundled
`model_prices_and_context_window_backup.json`, read as data (LiteLLM itself is not imported).

Trust policy (see the report in the default-config docs): about a third of its chat entries
give `max_output_tokens == max_input_tokens`, which is a copied context window rather than an
output limit (e.g. `mistral/mistral-large-latest`: 262144/262144). So an entry's max output is
used only when it is a positive integer strictly below its input limit, and only for an exact
id match in the vendor's own section (`mode == "chat"`; each provider states its prefixes and
sections in its `ProviderRules`). When LiteLLM is not installed the
catalog is empty and the family rules apply.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ai_catalog.config.provider_rules import ProviderRules

CATALOG_SOURCE = "catalog"
_FILE = "model_prices_and_context_window_backup.json"


@dataclass(frozen=True)
class CatalogLimits:
    context_window: int | None
    max_output: int | None


def _path() -> Path | None:
    spec = importlib.util.find_spec("litellm")
    for location in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(location) / _FILE
        if candidate.is_file():
            return candidate
    return None


@cache
def _entries() -> dict[str, Any]:
    path = _path()
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def catalog_limits(rules: ProviderRules, model_id: str) -> CatalogLimits | None:
    """The catalog's limits for a provider's model, keyed as `rules.catalog_prefixes` say."""
    entries = _entries()
    sections = rules.catalog_sections
    for prefix in rules.catalog_prefixes:
        entry = entries.get(prefix + model_id)
        if not isinstance(entry, dict) or entry.get("litellm_provider") not in sections:
            continue
        if entry.get("mode") != "chat":
            return None
        context = _count(entry.get("max_input_tokens"))
        output = _count(entry.get("max_output_tokens"))
        trusted_output = output if output is not None and context and output < context else None
        return CatalogLimits(context_window=context, max_output=trusted_output)
    return None


def catalog_available() -> bool:
    return bool(_entries())
