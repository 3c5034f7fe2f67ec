"""The default config for a bare model id, with no vendor listing at hand (token-cost estimates
for a model the database does not know). Above the config layer because it needs the vendors'
id rules (an OpenAI fine-tune keeps its base model's tokenizer and limits)."""

from __future__ import annotations

from collections.abc import Mapping

from ai_catalog.config.defaults import build_default_config
from ai_catalog.model_config import ModelConfig
from ai_catalog.types import VendorModel
from ai_catalog.vendors.openai import fine_tune_base


def default_config_for(
    provider: str, model_id: str, *, env: Mapping[str, str] | None = None
) -> tuple[ModelConfig, dict[str, str]]:
    """The default config for a bare model id (no vendor data), e.g. for token-cost estimates
    of a model the database does not know. Kind is taken as chat; fine-tunes keep their base."""
    base = fine_tune_base(model_id) if provider in ("openai", "openrouter") else None
    model = VendorModel(provider=provider, id=model_id, base_model=base)
    return build_default_config(provider, model, env=env)
