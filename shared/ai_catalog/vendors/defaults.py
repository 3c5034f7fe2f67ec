"""Default configs with the provider's own rules looked up by its id: for the sync's entries and
for a bare model id with no vendor listing at hand (token-cost estimates for a model the
database does not know). The config layer below knows no provider by name; the rules come from
each adapter (`rules`, `base_model_of`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from ai_catalog.config.defaults import build_config
from ai_catalog.config.provider_rules import ProviderRules
from ai_catalog.config.sources import CatalogSource
from ai_catalog.model_config import ModelConfig
from ai_catalog.types import ProviderModel
from ai_catalog.vendors.registry import PROVIDERS


def provider_rules(provider: str) -> ProviderRules:
    """The provider's rules; an unknown provider gets the family rules only."""
    adapter = PROVIDERS.get(provider)
    return adapter.rules if adapter is not None else ProviderRules()


def build_default_config(
    provider: str,
    model: ProviderModel,
    *,
    env: Mapping[str, str] | None = None,
    today: date | None = None,
    sources: Sequence[CatalogSource] = (),
) -> tuple[ModelConfig, dict[str, str]]:
    """The proposed config and, per non-null field, where it came from (`config.defaults`)."""
    rules = provider_rules(provider)
    return build_config(provider, model, rules, env=env, today=today, sources=sources)


def default_config_for(
    provider: str, model_id: str, *, env: Mapping[str, str] | None = None
) -> tuple[ModelConfig, dict[str, str]]:
    """The default config for a bare model id (no vendor data), e.g. for token-cost estimates
    of a model the database does not know. Kind is taken as chat; fine-tunes keep their base."""
    adapter = PROVIDERS.get(provider)
    base = adapter.base_model_of(model_id) if adapter is not None else None
    model = ProviderModel(provider=provider, id=model_id, base_model=base)
    return build_default_config(provider, model, env=env)
