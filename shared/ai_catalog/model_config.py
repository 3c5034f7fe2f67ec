"""The config stored in `ai_providers.config`: one pydantic model, its JSON Schema, its field list.

All costs are USD per single token and exact (Decimal); unknown is null, never 0.
The SQL check in `sql/0004_config_validation.sql` enforces the same rules inside the database
(tests/test_model_config.py keeps the two in agreement). Keys the model does not know are kept:
admins may add their own (a note, a flag) and a sync never drops them.
"""

from __future__ import annotations

import json
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    model_validator,
)

SCHEMA_PATH = Path(str(files("ai_catalog") / "model_config.schema.json"))
"""The config's JSON Schema, shipped in the package."""


def _number_to_decimal(value: object) -> Decimal:
    # Only JSON numbers: a string or a boolean in a cost field is a broken edit, not a price.
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError("must be a number (USD per token) or null")
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    # JSON numbers travel as IEEE doubles (orjson, PostgREST clients); refuse what one cannot
    # carry exactly rather than round a price silently. Real prices have a handful of digits.
    if exact.is_finite() and Decimal(repr(float(exact))) != exact:
        raise ValueError(f"{exact} has more digits than a price can keep exactly (15 at most)")
    return exact


TokenRate = Annotated[
    Decimal,
    BeforeValidator(_number_to_decimal),
    Field(ge=0, allow_inf_nan=False),
    PlainSerializer(float, return_type=float, when_used="json"),
    WithJsonSchema({"type": "number", "minimum": 0}),
]
TokenCount = Annotated[int, Field(gt=0, strict=True)]
CharsPerToken = Annotated[float, Field(gt=0, strict=True, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)


class TiktokenStrategy(_Strict):
    type: Literal["tiktoken"] = "tiktoken"
    """Count exactly with a tiktoken encoding."""
    encoding: Literal["o200k_base", "cl100k_base", "p50k_base", "r50k_base"]
    """tiktoken encoding name."""
    chatml: Annotated[bool, Field(strict=True)] = True
    """Add the ChatML per-message overhead (3 per message, 1 per name, 3 to prime the reply)."""


class RoughCharCountStrategy(_Strict):
    type: Literal["rough_char_count"] = "rough_char_count"
    """Estimate as ceil(characters / chars_per_token)."""
    chars_per_token: CharsPerToken
    """Average characters per token for this model family."""


class ProviderApiStrategy(_Strict):
    type: Literal["provider_api"] = "provider_api"
    """Ask the vendor's count-tokens endpoint; fall back to the ratio when it cannot answer."""
    fallback_chars_per_token: CharsPerToken
    """Characters per token used when the vendor endpoint is unavailable."""


class NoTokenization(_Strict):
    type: Literal["none"] = "none"
    """Token counts are unknown for this model."""


TokenizationStrategy = Annotated[
    TiktokenStrategy | RoughCharCountStrategy | ProviderApiStrategy | NoTokenization,
    Field(discriminator="type"),
]


class PriceTier(_Strict):
    """A price that applies once a request's input reaches `start_tokens` (e.g. long-context)."""

    start_tokens: TokenCount
    """Input tokens from which this tier applies."""
    input_token_cost_rate: TokenRate | None = None
    """USD per input token within this tier."""
    output_token_cost_rate: TokenRate | None = None
    """USD per output token within this tier."""


class ModelConfig(BaseModel):
    """Tokenization-aware config of one model, as stored in `ai_providers.config`."""

    model_config = ConfigDict(extra="allow", use_attribute_docstrings=True, frozen=True)

    input_token_cost_rate: TokenRate | None = None
    """USD per input token; null when unknown."""
    output_token_cost_rate: TokenRate | None = None
    """USD per output token; null when unknown."""
    cache_read_token_cost_rate: TokenRate | None = None
    """USD per cached input token read; null when unknown or not offered."""
    cache_write_token_cost_rate: TokenRate | None = None
    """USD per input token written to the cache; null when unknown or not offered."""
    price_tiers: list[PriceTier] | None = None
    """Higher tiers by input size; the rates above are the base tier."""
    context_window_tokens: TokenCount | None = None
    """Total tokens (input + output) the model accepts."""
    hard_cap_output_tokens: TokenCount | None = None
    """The app-level cap on output tokens; never above provider_max_output_tokens."""
    provider_max_input_tokens: TokenCount | None = None
    """The vendor's limit on input tokens."""
    provider_max_output_tokens: TokenCount | None = None
    """The vendor's limit on output tokens per request."""
    tokenization_strategy: TokenizationStrategy = Field(default_factory=NoTokenization)
    """How to count this model's tokens."""

    @model_validator(mode="after")
    def _cap_within_provider_max(self) -> ModelConfig:
        cap, limit = self.hard_cap_output_tokens, self.provider_max_output_tokens
        if cap is not None and limit is not None and cap > limit:
            raise ValueError(
                f"hard_cap_output_tokens ({cap}) must not exceed "
                f"provider_max_output_tokens ({limit})"
            )
        return self

    def to_json(self) -> dict[str, Any]:
        """The JSON object written to the database: every known field, null when unknown."""
        return self.model_dump(mode="json")


CONFIG_FIELDS: tuple[str, ...] = tuple(ModelConfig.model_fields)


def config_json_schema() -> dict[str, Any]:
    return ModelConfig.model_json_schema(mode="serialization")


def write_json_schema(path: Path = SCHEMA_PATH) -> None:
    path.write_text(json.dumps(config_json_schema(), indent=2, sort_keys=True) + "\n")
