"""What a sync hands the database for one model, and what the database answers for one vendor."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.model_config import ModelConfig

ModelKind = Literal["chat", "embedding", "image", "audio", "moderation", "other"]
FieldSource = str
"""Where a config field's value came from: `vendor_api`, `genai-prices@<version>`, `catalog`,
`rule`, `app_setting` (and, in the database only, `manual`)."""


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
    duplicates: int = 0
    would_deactivate: int = 0
    new_model_ids: list[str] = Field(default_factory=list)
    error: str | None = None
