"""The shared types at the bottom of every layer: a model's kind, a vendor's entry as an adapter
normalises it, what a sync hands the database for one model, and one vendor's result."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ai_catalog.model_config import ModelConfig

ModelKind = Literal["chat", "embedding", "image", "audio", "moderation", "other"]
FieldSource = str
"""Where a config field's value came from: `vendor_api`, `genai-prices@<version>`, `catalog`,
`rule`, `app_setting` (and, in the database only, `manual`)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class VendorPrices(_Frozen):
    """Prices as the vendor publishes them, converted exactly to USD per single token."""

    input: Decimal | None = None
    """USD per input token."""
    output: Decimal | None = None
    """USD per output token."""
    cache_read: Decimal | None = None
    """USD per cached input token read."""
    cache_write: Decimal | None = None
    """USD per input token written to the cache."""


class Capabilities(_Frozen):
    """What the vendor says the model can do; None when the vendor does not say."""

    tools: bool | None = None
    vision: bool | None = None
    reasoning: bool | None = None


class VendorModel(_Frozen):
    """One model from a vendor's list, normalised; `raw` keeps the entry as received."""

    provider: str
    """Our provider id (`openai`, `google`, ...)."""
    id: str = Field(min_length=1)
    """The vendor's own id, unprefixed (Gemini's `models/` is stripped)."""
    name: str | None = None
    description: str | None = None
    kind: ModelKind = "chat"
    """chat, embedding, image, audio, moderation or other; only chat models are chat models."""
    context_window: int | None = Field(default=None, gt=0)
    """Total tokens the model accepts (for Gemini and Anthropic: the input limit)."""
    max_input: int | None = Field(default=None, gt=0)
    """The vendor's explicit input-token limit, when it states one."""
    max_output: int | None = Field(default=None, gt=0)
    """Output tokens per request."""
    prices: VendorPrices | None = None
    """Only when the vendor publishes prices in its list."""
    capabilities: Capabilities = Field(default_factory=Capabilities)
    deprecation_date: date | None = None
    deprecated: bool | None = None
    created: datetime | None = None
    aliases: tuple[str, ...] = ()
    base_model: str | None = None
    """For fine-tunes: the model it was tuned from."""
    family: str | None = None
    """A vendor-given family or tokenizer hint (Ollama `details.family`, OpenRouter tokenizer)."""
    raw: dict[str, Any] = Field(default_factory=dict)


class CatalogEntry(BaseModel):
    """One model as the sync proposes it; the SQL apply function merges it into `ai_providers`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    api_identifier: str = Field(min_length=1)
    name: str | None = None
    description: str | None = None
    kind: ModelKind = "chat"
    config: ModelConfig = Field(default_factory=ModelConfig)
    config_sources: dict[str, FieldSource] = Field(default_factory=dict)
    raw: dict[str, Any] | list[Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "api_identifier": self.api_identifier,
            "name": self.name,
            "description": self.description,
            "kind": self.kind,
            "config": self.config.to_json(),
            "config_sources": self.config_sources,
            "raw": self.raw,
        }


ProviderStatus = Literal["succeeded", "guarded", "failed", "skipped", "already_running"]


class ApplyResult(BaseModel):
    """The outcome for one vendor, as `sync_apply_provider_models` returns it."""

    model_config = ConfigDict(extra="ignore")

    provider: str
    status: ProviderStatus
    dry_run: bool = False
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    reactivated: int = 0
    overrides_kept: int = 0
    caps_clamped: int = 0
    stale: int = 0
    """Models whose price no source carries any more: kept, marked `stale:<source>`."""
    stale_model_ids: list[str] = Field(default_factory=list)
    duplicates: int = 0
    would_deactivate: int = 0
    new_model_ids: list[str] = Field(default_factory=list)
    error: str | None = None
