"""models.dev's `api.json` read as a maintained catalog of prices and limits.

Shape: `{provider_id: {models: {model_id: {cost: {input, output, cache_read?, cache_write?},
limit: {context, input?, output}}}}}`, costs in USD per 1M tokens. Only an entry keyed by the
vendor's exact id counts. A max output equal to or above the context window is a copied context
window, not an output limit, and is not used (as for the limits catalog); 0 means unknown.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal, InvalidOperation
from typing import Any

import orjson

from ai_catalog.config.sources import SourceFacts

MODELS_DEV_SOURCE = "models.dev"
_MILLION = Decimal(1_000_000)

PROVIDER_IDS: dict[str, str] = {"together": "togetherai", "fireworks": "fireworks-ai"}
"""Our provider id -> models.dev's where they differ."""


class MalformedCatalog(ValueError):
    """The document is not a models.dev catalog (nothing of it is used)."""


def _rate(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        return None
    try:
        rate = Decimal(str(value))
    except InvalidOperation:
        return None
    return rate / _MILLION if rate.is_finite() and rate >= 0 else None


def _count(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return int(value) if value > 0 and value == int(value) else None


def _table(entry: dict[str, Any], key: str) -> dict[str, Any]:
    value = entry.get(key)
    return value if isinstance(value, dict) else {}


def _facts(entry: dict[str, Any]) -> SourceFacts:
    cost = _table(entry, "cost")
    limit = _table(entry, "limit")
    context = _count(limit.get("context"))
    output = _count(limit.get("output"))
    return SourceFacts(
        source=MODELS_DEV_SOURCE,
        input=_rate(cost.get("input")),
        output=_rate(cost.get("output")),
        cache_read=_rate(cost.get("cache_read")),
        cache_write=_rate(cost.get("cache_write")),
        context_window=context,
        max_output=output if output is not None and context and output < context else None,
    )


class ModelsDevCatalog:
    """One copy of the document, indexed by (models.dev provider id, model id)."""

    name = MODELS_DEV_SOURCE

    def __init__(self, document: Any) -> None:
        if not isinstance(document, dict) or not document:
            raise MalformedCatalog("models.dev: the document is not a JSON object of providers")
        self._models: dict[tuple[str, str], dict[str, Any]] = {}
        for provider_id, provider in document.items():
            models = provider.get("models") if isinstance(provider, dict) else None
            for model_id, entry in (models or {}).items() if isinstance(models, dict) else ():
                if isinstance(entry, dict):
                    self._models[(provider_id, model_id)] = entry
        if not self._models:
            raise MalformedCatalog("models.dev: the document lists no models")
        digest = hashlib.blake2b(orjson.dumps(document, default=str), digest_size=8)
        self.version = f"{MODELS_DEV_SOURCE}#{digest.hexdigest()}"

    def __len__(self) -> int:
        return len(self._models)

    def facts(self, provider: str, model_id: str) -> SourceFacts | None:
        entry = self._models.get((PROVIDER_IDS.get(provider, provider), model_id))
        return _facts(entry) if entry is not None else None
