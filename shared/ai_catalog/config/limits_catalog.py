"""A maintained limits catalog for what vendors do not state: LiteLLM's bundled
`model_prices_and_context_window_backup.json`, read as data (LiteLLM itself is not imported).

Trust policy (see the report in the default-config docs): about a third of its chat entries
give `max_output_tokens == max_input_tokens`, which is a copied context window rather than an
output limit (e.g. `mistral/mistral-large-latest`: 262144/262144). So an entry's max output is
used only when it is a positive integer strictly below its input limit, and only for an exact
id match in the vendor's own section (`mode == "chat"`). When LiteLLM is not installed the
catalog is empty and the family rules apply.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

CATALOG_SOURCE = "catalog"
_FILE = "model_prices_and_context_window_backup.json"

PROVIDER_PREFIXES: dict[str, tuple[str, ...]] = {
    "openai": ("",),
    "anthropic": ("",),
    "google": ("gemini/",),
    "groq": ("groq/",),
    "mistral": ("mistral/",),
    "deepseek": ("deepseek/",),
    "xai": ("xai/",),
    "together": ("together_ai/",),
    "openrouter": ("openrouter/",),
    "fireworks": ("fireworks_ai/", "fireworks_ai/accounts/fireworks/models/"),
    "cohere": ("cohere_chat/", ""),
    "ollama": ("ollama/",),
}
PROVIDER_SECTIONS: dict[str, frozenset[str]] = {
    "openai": frozenset({"openai"}),
    "anthropic": frozenset({"anthropic"}),
    "google": frozenset({"gemini"}),
    "groq": frozenset({"groq"}),
    "mistral": frozenset({"mistral", "codestral"}),
    "deepseek": frozenset({"deepseek"}),
    "xai": frozenset({"xai"}),
    "together": frozenset({"together_ai"}),
    "openrouter": frozenset({"openrouter"}),
    "fireworks": frozenset({"fireworks_ai"}),
    "cohere": frozenset({"cohere_chat", "cohere"}),
    "ollama": frozenset({"ollama"}),
}


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


def catalog_limits(provider: str, model_id: str) -> CatalogLimits | None:
    entries = _entries()
    sections = PROVIDER_SECTIONS.get(provider, frozenset())
    for prefix in PROVIDER_PREFIXES.get(provider, ()):
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
