"""The normalised shape every adapter returns for one entry of a vendor's model list."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shared.catalog import ModelKind


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
