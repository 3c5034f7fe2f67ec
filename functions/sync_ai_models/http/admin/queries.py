"""What the admin page reads and writes, each one SQL function of sql/0050_admin_page.sql (plus
sync_reset_override), called through the store so both back ends serve the page."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from ai_catalog.store.base import CatalogStore, JsonArg

FILTERS = ("active", "enabled", "priced", "overridden", "deprecated")
"""Yes/no filters of the catalog table, each a boolean argument `p_<name>` of admin_catalog."""


async def catalog(
    store: CatalogStore,
    *,
    search: str | None,
    provider: str | None,
    kind: str | None,
    flags: dict[str, bool | None],
) -> dict[str, Any]:
    args: dict[str, Any] = {"p_search": search, "p_provider": provider, "p_kind": kind}
    args.update({f"p_{name}": flags.get(name) for name in FILTERS})
    result: dict[str, Any] = await store._rpc("admin_catalog", args)
    return result


async def model(store: CatalogStore, provider: str, api_identifier: str) -> dict[str, Any] | None:
    result: dict[str, Any] | None = await store._rpc(
        "admin_model", {"p_provider": provider, "p_api_identifier": api_identifier}
    )
    return result


async def set_config_field(
    store: CatalogStore, provider: str, api_identifier: str, field: str, value: Any
) -> None:
    await store._rpc(
        "admin_set_config_field",
        {
            "p_provider": provider,
            "p_api_identifier": api_identifier,
            "p_field": field,
            "p_value": JsonArg(value),
        },
    )


async def set_enabled(
    store: CatalogStore, provider: str, api_identifier: str, enabled: bool
) -> None:
    await store._rpc(
        "admin_set_enabled",
        {"p_provider": provider, "p_api_identifier": api_identifier, "p_enabled": enabled},
    )


async def runs(store: CatalogStore, limit: int = 50) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = await store._rpc("admin_runs", {"p_limit": limit})
    return result


async def run(store: CatalogStore, run_id: UUID) -> dict[str, Any] | None:
    result: dict[str, Any] | None = await store._rpc("admin_run", {"p_run_id": str(run_id)})
    return result


async def new_models(store: CatalogStore, since: str | None, limit: int = 200) -> dict[str, Any]:
    """Models first seen after `since` (count, and the newest `limit` of them)."""
    result: dict[str, Any] = await store._rpc(
        "admin_new_models", {"p_since": since, "p_limit": limit}
    )
    return result
