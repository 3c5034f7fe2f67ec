"""Find the config to count and price with: given, from the database, or the sync's default.

The database fetch is injected, so that this module does not depend on the store; without
`build_default`, the sync's own `ai_catalog.vendors.defaults.default_config_for` is used.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from ai_catalog.model_config import ModelConfig
from ai_catalog.vendors.defaults import default_config_for

ConfigSource = Literal["given", "database", "default"]
FetchFromDb = Callable[[str, str], Awaitable[ModelConfig | None]]
BuildDefault = Callable[[str, str], ModelConfig | tuple[ModelConfig, Mapping[str, str]]]


@dataclass(frozen=True, slots=True)
class ResolvedConfig:
    config: ModelConfig
    source: ConfigSource
    provider: str = ""
    model_id: str = ""
    provenance: Mapping[str, str] = field(default_factory=dict)
    """Which source gave each field, when the default builder says."""


def given(config: ModelConfig, provider: str = "", model_id: str = "") -> ResolvedConfig:
    return ResolvedConfig(config, "given", provider, model_id)


async def resolve_config(
    provider: str,
    model_id: str,
    *,
    fetch_from_db: FetchFromDb | None = None,
    build_default: BuildDefault | None = None,
) -> ResolvedConfig:
    """The database's config for the model, else the default config the sync would build.

    Errors from `fetch_from_db` propagate: the caller decides whether a database it cannot reach
    is a failure or a reason to use the default.
    """
    if fetch_from_db is not None:
        stored = await fetch_from_db(provider, model_id)
        if stored is not None:
            return ResolvedConfig(stored, "database", provider, model_id)
    built = (build_default or default_builder())(provider, model_id)
    config, provenance = built if isinstance(built, tuple) else (built, {})
    return ResolvedConfig(config, "default", provider, model_id, dict(provenance))


def default_builder() -> BuildDefault:
    builder: BuildDefault = default_config_for
    return builder
