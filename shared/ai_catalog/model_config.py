"""The config stored in `ai_providers.config`: one pydantic model, its JSON Schema, its field list.

The shape is the original application's `AiModelExtendedConfig` (which that application
validates before every chat); our additions are extra keys, which it ignores.
Costs are USD per single token and exact (Decimal); unknown is null, `0` only for a free model.
Limits are positive whole numbers, absent when unknown (the original's schema refuses null).
The SQL check (`ai_config_error`, latest in sql/0030_config_contract.sql) enforces the same
rules inside the database; tests/test_model_config.py keeps the two in agreement. Keys the model
does not know are kept: admins may add their own (a note, a flag) and a sync never drops them.

Numbers follow one rule on both sides, decided on the exact decimal (JSON text may carry more
than a double): a cost has at most 15 significant digits and is 0 or within 1e-300..1e300; a
count is a whole number from 1 to 2**53 - 1 (5.0 counts as 5, as in JSON Schema and zod).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
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

MAX_DIGITS = 15
SMALLEST = Decimal("1e-300")
LARGEST = Decimal("1e300")
MAX_COUNT = 2**53 - 1


def _exact(value: object, what: str) -> Decimal:
    # Only JSON numbers: a string or a boolean here is a broken edit, not a number.
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"must be a number ({what})")
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not exact.is_finite():
        raise ValueError("must be a finite number")
    return exact


def _in_range(exact: Decimal) -> bool:
    return exact == 0 or SMALLEST <= abs(exact) <= LARGEST


def _rate(value: object) -> Decimal:
    exact = _exact(value, "USD per token")
    # Prices travel as IEEE doubles (orjson, PostgREST clients): refuse what one cannot carry
    # exactly rather than round a price silently. Real prices have a handful of digits.
    if len(exact.normalize().as_tuple().digits) > MAX_DIGITS or not _in_range(exact):
        raise ValueError(f"{exact} has more digits than a price can keep exactly (15 at most)")
    return exact


def _count(value: object) -> int:
    exact = _exact(value, "tokens")
    if exact != exact.to_integral_value():
        raise ValueError("must be a whole number of tokens")
    return int(exact)


def _ratio(value: object) -> float:
    exact = _exact(value, "characters per token")
    if not _in_range(exact):
        raise ValueError("must be within 1e-300..1e300")
    return float(exact)


TokenRate = Annotated[
    Decimal,
    BeforeValidator(_rate),
    Field(ge=0),
    PlainSerializer(float, return_type=float, when_used="json"),
    WithJsonSchema({"type": "number", "minimum": 0}),
]
TokenCount = Annotated[
    int,
    BeforeValidator(_count),
    Field(gt=0, le=MAX_COUNT),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_COUNT}),
]
CharsPerToken = Annotated[
    float,
    BeforeValidator(_ratio),
    Field(gt=0),
    WithJsonSchema({"type": "number", "exclusiveMinimum": 0}),
]


def _between_0_and(upper: int) -> Callable[[object], float]:
    def check(value: object) -> float:
        exact = _exact(value, f"0 to {upper}")
        if not 0 <= exact <= upper:  # on the exact value, as the SQL check decides
            raise ValueError(f"must be from 0 to {upper}")
        return float(exact)

    return check


Temperature = Annotated[
    float,
    BeforeValidator(_between_0_and(2)),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 2}),
]
TopP = Annotated[
    float,
    BeforeValidator(_between_0_and(1)),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 1}),
]
Text = Annotated[str, Field(strict=True, min_length=1)]
_ISO_DAY = re.compile(r"^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")


def _day(value: object) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DAY.match(value):
        raise ValueError("must be a date as YYYY-MM-DD")
    return date.fromisoformat(value)


Day = Annotated[
    date,
    BeforeValidator(_day),
    WithJsonSchema({"type": "string", "format": "date"}),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)


class TiktokenStrategy(_Strict):
    type: Literal["tiktoken"] = "tiktoken"
    """Count exactly with a tiktoken encoding."""
    tiktoken_encoding_name: Literal["o200k_base", "cl100k_base", "p50k_base", "r50k_base"]
    """tiktoken encoding name."""
    is_chatml_model: Annotated[bool, Field(strict=True)] = True
    """Add the ChatML per-message overhead (3 per message, 1 per name, 3 to prime the reply)."""
    api_identifier_for_tokenization: Text | None = None
    """The model id tiktoken knows this model by (the row's own id, or its base model's)."""


class RoughCharCountStrategy(_Strict):
    type: Literal["rough_char_count"] = "rough_char_count"
    """Estimate as ceil(characters / chars_per_token_ratio)."""
    chars_per_token_ratio: CharsPerToken
    """Average characters per token for this model family."""


class AnthropicTokenizerStrategy(_Strict):
    type: Literal["anthropic_tokenizer"] = "anthropic_tokenizer"
    """Ask Anthropic's count-tokens endpoint; a ratio estimate when it cannot answer."""
    model: Text
    """The Claude model id to count for."""


class GoogleGeminiTokenizerStrategy(_Strict):
    type: Literal["google_gemini_tokenizer"] = "google_gemini_tokenizer"
    """Ask Gemini's countTokens endpoint; the ratio when it cannot answer."""
    chars_per_token_ratio: CharsPerToken
    """Characters per token used when the vendor endpoint is unavailable."""


class NoTokenization(_Strict):
    type: Literal["none"] = "none"
    """Token counts are unknown for this model."""


TokenizationStrategy = Annotated[
    TiktokenStrategy
    | RoughCharCountStrategy
    | AnthropicTokenizerStrategy
    | GoogleGeminiTokenizerStrategy
    | NoTokenization,
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
    cache_read_token_cost_rate: TokenRate | None = None
    """USD per cached input token read within this tier (null: the base cache-read rate)."""
    cache_write_token_cost_rate: TokenRate | None = None
    """USD per input token written to the cache within this tier (null: the base rate)."""


class ModelConfig(BaseModel):
    """Tokenization-aware config of one model, as stored in `ai_providers.config`."""

    model_config = ConfigDict(extra="allow", use_attribute_docstrings=True, frozen=True)

    api_identifier: Text | None = None
    """The vendor's id of the model (the row's `api_identifier`); the original's schema needs it."""
    input_token_cost_rate: TokenRate | None = None
    """USD per input token; null when unknown, 0 only for a free model."""
    output_token_cost_rate: TokenRate | None = None
    """USD per output token; null when unknown, 0 only for a free model."""
    context_window_tokens: TokenCount | None = None
    """Total tokens (input + output) the model accepts; absent when unknown."""
    hard_cap_output_tokens: TokenCount | None = None
    """The app-level cap on output tokens; never above provider_max_output_tokens."""
    provider_max_input_tokens: TokenCount | None = None
    """The vendor's limit on input tokens; absent when unknown."""
    provider_max_output_tokens: TokenCount | None = None
    """The vendor's limit on output tokens per request; absent when unknown."""
    tokenization_strategy: TokenizationStrategy = Field(default_factory=NoTokenization)
    """How to count this model's tokens."""
    status: Literal["active", "beta", "deprecated", "experimental"] | None = None
    """The model's lifecycle as the vendor states it."""
    features: list[Text] | None = None
    """What the model can do: `tool_use`, `image_input`, `reasoning`, ..."""
    notes: Annotated[str, Field(strict=True)] | None = None
    """Free text for people."""
    default_temperature: Temperature | None = None
    """Sampling temperature the application uses unless told otherwise."""
    default_top_p: TopP | None = None
    """Nucleus sampling value the application uses unless told otherwise."""
    cache_read_token_cost_rate: TokenRate | None = None
    """USD per cached input token read; null when unknown or not offered."""
    cache_write_token_cost_rate: TokenRate | None = None
    """USD per input token written to the cache; null when unknown or not offered."""
    price_tiers: list[PriceTier] | None = None
    """Higher tiers by input size; the rates above are the base tier."""
    deprecation_date: Day | None = None
    """The day the vendor retires (or retired) the model."""

    @model_validator(mode="before")
    @classmethod
    def _absent_not_null(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in ABSENT_WHEN_UNKNOWN:
                if key in data and data[key] is None:
                    raise ValueError(f"{key} must be left out when unknown, not null")
        return data

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
        """The JSON object written to the database: the two main costs always (null when
        unknown), every other field only when known."""
        data = self.model_dump(mode="json")
        return {k: v for k, v in data.items() if v is not None or k in ALWAYS_WRITTEN}


ALWAYS_WRITTEN = frozenset({"input_token_cost_rate", "output_token_cost_rate"})
ABSENT_WHEN_UNKNOWN = (
    "api_identifier",
    "context_window_tokens",
    "hard_cap_output_tokens",
    "provider_max_input_tokens",
    "provider_max_output_tokens",
    "status",
    "features",
    "notes",
    "default_temperature",
    "default_top_p",
)
"""The original's optional keys: its schema takes a value or no key, never null."""
CONFIG_FIELDS: tuple[str, ...] = tuple(ModelConfig.model_fields)


def config_json_schema() -> dict[str, Any]:
    schema = ModelConfig.model_json_schema(mode="serialization")
    for key in ABSENT_WHEN_UNKNOWN:  # a value or no key: null is refused (see _absent_not_null)
        field = schema["properties"][key]
        (kept,) = [branch for branch in field.pop("anyOf") if branch != {"type": "null"}]
        field.pop("default", None)
        field.update(kept)
    return schema


def write_json_schema(path: Path = SCHEMA_PATH) -> None:
    path.write_text(json.dumps(config_json_schema(), indent=2, sort_keys=True) + "\n")
