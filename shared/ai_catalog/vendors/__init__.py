"""Vendor adapters: list each vendor's models over one shared httpx client, normalise, classify.

Public interface::

    PROVIDERS                                   provider id -> adapter class
    enabled_providers(env) -> list[str]         which providers a sync would run
    await fetch_catalog(provider, client, env)  -> ProviderCatalog (raises ProviderError)

Policies
- Limits (ProviderLimits, from SYNC_VENDOR_*): a total deadline per vendor, a per-request timeout,
  a response size cap, a page cap; paging that repeats a cursor or passes the cap fails the
  vendor, and so does a link to another origin than the base URL's (the key never goes there).
- One bad entry (unreadable, a NUL byte, an id over 512 characters, a number out of range) is
  skipped and counted with its reason; a duplicate id keeps the last entry.
- Keys: `<P>_API_KEY`; Google takes GOOGLE_API_KEY, then GEMINI_API_KEY. A vendor without a
  key is not enabled (`fetch_catalog` raises ProviderNotConfigured).
- OpenRouter needs no key but is opt-in: enabled by OPENROUTER_API_KEY (sent as Bearer) or
  OPENROUTER_ENABLED=1. Ollama is a local server: enabled by OLLAMA_BASE_URL or
  OLLAMA_ENABLED=1 (then http://localhost:11434), or OLLAMA_API_KEY for an authenticating proxy.
- Non-chat models are returned with their kind (embedding, image, audio, moderation, other),
  never dropped; `filtered_non_chat` counts them. Only kind 'chat' is a chat model.
- Fine-tunes (OpenAI `ft:<base>:...` and `<base>:ft-...`, Mistral `type: fine-tuned`): kept,
  classified by their base; `base_model` set; no genai-prices price (theirs differs), so they
  stay unpriced (not enabled for billing) unless the vendor publishes a price.
- `-latest` and other aliases: separate entries keyed by the vendor id, classified like any id;
  prices from genai-prices' id matching (which resolves e.g. `mistral-large-latest`).
- Search (`*-search-preview`, `*-search-api`), codex (`*-codex*`, `codex-mini-latest`),
  `*-pro`, deep-research and computer-use variants are `other` (Responses-API-only or
  tool-bound, not plain chat); realtime/audio/TTS/transcription variants are `audio`.
"""

from __future__ import annotations

from ai_catalog.types import Capabilities, ProviderModel, ProviderPrices
from ai_catalog.vendors._http import RetryPolicy, mask_secrets
from ai_catalog.vendors.errors import (
    ProviderAuthError,
    ProviderError,
    ProviderHTTPError,
    ProviderNotConfigured,
    ProviderResponseError,
    ProviderTransportError,
)
from ai_catalog.vendors.limits import ENV_NAMES as LIMIT_ENV_NAMES
from ai_catalog.vendors.limits import ProviderLimits, limits_from_env
from ai_catalog.vendors.listing import (
    ProviderCatalog,
    fetch_catalog,
    list_vendor_models,
    parse_page,
)
from ai_catalog.vendors.registry import PROVIDERS, enabled_providers

__all__ = [
    "LIMIT_ENV_NAMES",
    "PROVIDERS",
    "Capabilities",
    "ProviderAuthError",
    "ProviderCatalog",
    "ProviderError",
    "ProviderHTTPError",
    "ProviderLimits",
    "ProviderModel",
    "ProviderNotConfigured",
    "ProviderPrices",
    "ProviderResponseError",
    "ProviderTransportError",
    "RetryPolicy",
    "enabled_providers",
    "fetch_catalog",
    "limits_from_env",
    "list_vendor_models",
    "mask_secrets",
    "parse_page",
]
