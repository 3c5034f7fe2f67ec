"""The shared types at the bottom of every layer: a model's kind, a vendor's entry as an adapter
normalises it, what a sync hands the database for one model, and one vendor's result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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


class ProviderPrices(_Frozen):
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


class ProviderModel(_Frozen):
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
    prices: ProviderPrices | None = None
    """Only when the vendor publishes prices in its list."""
    capabilities: Capabilities = Field(default_factory=Capabilities)
    deprecation_date: date | None = None
    deprecated: bool | None = None
    created: datetime | None = None
    aliases: tuple[str, ...] = ()
    base_model: str | None = None
    """For fine-tunes: the model it was tuned from."""
    alias_of: str | None = None
    """For an alias: the model it points to, as the vendor's own listing names it."""
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
    fingerprint: str | None = None
    """What the entry was built from (`config.version.entry_fingerprint`); None: the store
    fingerprints the entry itself."""

    def to_json(self) -> dict[str, Any]:
        item = {
            "api_identifier": self.api_identifier,
            "name": self.name,
            "description": self.description,
            "kind": self.kind,
            "config": self.config.to_json(),
            "config_sources": self.config_sources,
            "raw": self.raw,
        }
        return item if self.fingerprint is None else {**item, "fingerprint": self.fingerprint}


@dataclass(frozen=True)
class EntryClaim:
    """A model listed exactly as at the last sync (same entry, same config version): sent as its
    id and fingerprint, its config not rebuilt. The database accepts the claim only while the
    row still carries that fingerprint; otherwise `expand()` builds the whole entry."""

    api_identifier: str
    fingerprint: str
    kind: ModelKind
    expand: Callable[[], CatalogEntry]

    def to_json(self) -> dict[str, Any]:
        return {"api_identifier": self.api_identifier, "fingerprint": self.fingerprint}


ProviderStatus = Literal[
    "succeeded", "guarded", "failed", "skipped", "already_running", "lock_timeout"
]


class ProviderResult(BaseModel):
    """What happened to one vendor in a run: the one shape the database's apply returns, the
    runner completes, the run row stores and the HTTP answer and the CLI show. It never holds a
    key or a raw vendor payload."""

    model_config = ConfigDict(extra="ignore", use_attribute_docstrings=True)

    provider: str
    """The vendor id."""
    status: ProviderStatus
    """`skipped` means no key (not an error); `guarded` means the deactivation guard held;
    `already_running` means another sync of this vendor held its lock."""
    dry_run: bool = False
    """True when nothing was written."""
    inserted: int = 0
    """Models added to the catalog."""
    updated: int = 0
    """Models whose row changed."""
    unchanged: int = 0
    """Models listed again with nothing to change."""
    deactivated: int = 0
    """Models the vendor stopped listing (deactivated, never deleted)."""
    reactivated: int = 0
    """Models listed again after having been deactivated."""
    overrides_kept: int = 0
    """Fields edited by a person and kept against an upstream change."""
    caps_clamped: int = 0
    """Output caps lowered to a lowered provider limit."""
    stale: int = 0
    """Models whose price no source carries any more: kept, marked `stale:<source>`."""
    stale_model_ids: list[str] = Field(default_factory=list)
    """Vendor ids of those models."""
    duplicates: int = 0
    """Entries listed twice under one id (the last one was kept)."""
    would_deactivate: int = 0
    """Models the guard did not deactivate (status `guarded`)."""
    listed: int = 0
    """Models the vendor listed (after skipping malformed entries and duplicates)."""
    skipped_malformed: int = 0
    """Entries skipped because they could not be read or stored."""
    skip_reasons: dict[str, int] = Field(default_factory=dict)
    """Why entries were skipped: reason -> how many."""
    filtered_non_chat: int = 0
    """Listed models that are not chat models (kept, with their kind)."""
    seconds: float = 0.0
    """Time spent on this vendor (listing and applying)."""
    new_model_ids: list[str] = Field(default_factory=list)
    """Vendor ids of the models added."""
    error: str | None = None
    """Why the vendor failed or was skipped (never a key, never a raw vendor payload)."""
