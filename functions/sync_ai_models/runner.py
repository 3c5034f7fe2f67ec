"""One sync run: claim or start the run row, list every vendor concurrently, apply each vendor's
list in its own SQL call, finish the run. Shared by the HTTP handler, the CLI and the worker.

A vendor that fails (network, HTTP error after retries, malformed payload) gets a `failed`
result and nothing is written for it; the others go on. A vendor whose rows another transaction
holds locked past the lock timeout gets `lock_timeout`. If the database is unavailable when the
run ends, the store remembers the run and records it as failed once the database answers again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any
from uuid import UUID

import httpx
from pydantic import BaseModel, Field

from ai_catalog.errors import AlreadyRunning, LockTimeout, StoreError
from ai_catalog.store.base import CatalogStore
from ai_catalog.types import ApplyResult
from ai_catalog.vendors import (
    PROVIDERS,
    ProviderError,
    ProviderNotConfigured,
    enabled_providers,
    fetch_catalog,
)

log = logging.getLogger("sync_ai_models")

TRIGGERS = ("http", "cron", "cli", "worker", "manual")


class UnknownProvider(ValueError):
    pass


class SyncRequest(BaseModel):
    """What a caller asks for (the POST body, the CLI flags, a queued run)."""

    providers: list[str] | None = None
    dry_run: bool = False
    force: bool = False
    run_id: UUID | None = None


class ProviderResult(ApplyResult):
    """ApplyResult plus what the listing saw."""

    listed: int = 0
    skipped_malformed: int = 0
    filtered_non_chat: int = 0
    seconds: float = 0.0


class RunOutcome(BaseModel):
    run_id: UUID
    status: str
    dry_run: bool = False
    results: list[ProviderResult] = Field(default_factory=list)
    totals: dict[str, int] = Field(default_factory=dict)

    @property
    def http_status(self) -> int:
        """409 when every vendor tried was already being synced, 503 when each was blocked by a
        lock (a lock timeout; try again later), else by the run's status."""
        attempted = {r.status for r in self.results if r.status != "skipped"}
        if attempted == {"already_running"}:
            return 409
        if "lock_timeout" in attempted and attempted <= {"lock_timeout", "already_running"}:
            return 503
        return {"succeeded": 200, "partial": 207}.get(self.status, 502)


ProgressHook = Callable[[ProviderResult], Awaitable[None] | None]


def choose_providers(requested: Sequence[str] | None) -> list[str]:
    if requested is None:
        return list(PROVIDERS)
    unknown = sorted(set(requested) - set(PROVIDERS))
    if unknown:
        raise UnknownProvider(
            f"unknown provider {', '.join(map(repr, unknown))}; known: {', '.join(PROVIDERS)}"
        )
    return [p for p in PROVIDERS if p in requested]


async def run_sync(
    store: CatalogStore,
    request: SyncRequest,
    *,
    env: Mapping[str, str],
    client: httpx.AsyncClient,
    trigger: str = "manual",
    requested_by: str | None = None,
    max_deactivate_share: float = 0.5,
    on_result: ProgressHook | None = None,
    claimed: bool = False,
) -> RunOutcome:
    """Runs one sync. `claimed`: the caller (the worker) already moved run `request.run_id` to
    'running' (sync_claim_next_run), so it is not started again."""
    choose_providers(request.providers)  # a bad request fails before any run row exists
    if claimed:
        assert request.run_id is not None, "a claimed run needs its run_id"
        run_id = request.run_id
    elif request.run_id is not None:
        # a queued run (pg_cron's POST carries its id): run it as it was queued, unless the
        # request says otherwise
        row = await store.claim_run(request.run_id, claimed_by=requested_by)
        run_id = request.run_id
        request = request.model_copy(
            update={
                "providers": request.providers
                if request.providers is not None
                else row.get("providers"),
                "force": request.force or bool(row.get("force")),
                "dry_run": request.dry_run or bool(row.get("dry_run")),
            }
        )
    else:
        run_id = await store.start_run(
            trigger,
            requested_by=requested_by,
            providers=request.providers,
            dry_run=request.dry_run,
            force=request.force,
        )
    try:
        providers = choose_providers(request.providers)  # a queued run's own list, too
    except UnknownProvider as exc:
        await _fail_run(store, run_id, str(exc))
        raise
    enabled = set(enabled_providers(env))
    started = time.perf_counter()

    async def one(provider: str) -> ProviderResult:
        if provider not in enabled:
            result = ProviderResult(provider=provider, status="skipped", error="not configured")
        else:
            result = await _sync_provider(
                store, provider, request, run_id, env, client, max_deactivate_share
            )
        if on_result is not None:
            maybe = on_result(result)
            if maybe is not None:
                await maybe
        _log_provider(run_id, result)
        return result

    try:
        results = list(await asyncio.gather(*(one(p) for p in providers)))
    except BaseException as exc:  # cancelled or a bug: the run row must not stay "running"
        await _fail_run(store, run_id, f"run aborted: {type(exc).__name__}: {exc}")
        raise
    row = await store.finish_run(run_id, [r.model_dump(mode="json") for r in results])
    outcome = RunOutcome(
        run_id=run_id,
        status=row["status"],
        dry_run=request.dry_run,
        results=results,
        totals=row.get("totals") or {},
    )
    log.info(
        "run finished",
        extra={
            "run_id": str(run_id),
            "status": outcome.status,
            "trigger": trigger,
            "dry_run": request.dry_run,
            "seconds": round(time.perf_counter() - started, 3),
            "totals": outcome.totals,
        },
    )
    return outcome


async def _sync_provider(
    store: CatalogStore,
    provider: str,
    request: SyncRequest,
    run_id: UUID,
    env: Mapping[str, str],
    client: httpx.AsyncClient,
    max_deactivate_share: float,
) -> ProviderResult:
    started = time.perf_counter()
    stats: dict[str, Any] = {}
    try:
        catalog = await fetch_catalog(provider, client, env)
        stats = {
            "listed": len(catalog.entries),
            "skipped_malformed": catalog.skipped_malformed,
            "filtered_non_chat": catalog.filtered_non_chat,
        }
        applied = await store.apply_provider_models(
            provider,
            catalog.entries,
            run_id=run_id,
            dry_run=request.dry_run,
            force=request.force,
            max_deactivate_share=max_deactivate_share,
        )
        result = ProviderResult(**{**applied.model_dump(), **stats})
    except ProviderNotConfigured as exc:
        result = ProviderResult(provider=provider, status="skipped", error=str(exc))
    except ProviderError as exc:
        result = ProviderResult(provider=provider, status="failed", error=str(exc))
    except AlreadyRunning as exc:
        result = ProviderResult(
            provider=provider, status="already_running", error=str(exc), **stats
        )
    except LockTimeout as exc:
        result = ProviderResult(provider=provider, status="lock_timeout", error=str(exc), **stats)
    except StoreError as exc:
        result = ProviderResult(
            provider=provider, status="failed", error=f"database: {exc}", **stats
        )
    result.seconds = round(time.perf_counter() - started, 3)
    return result


async def _fail_run(store: CatalogStore, run_id: UUID, error: str) -> None:
    try:
        await asyncio.shield(store.finish_run(run_id, [], error=error))
    except Exception:  # the original error matters more; the store records it later (recover_runs)
        log.exception("could not mark run %s failed", run_id)


def _log_provider(run_id: UUID, result: ProviderResult) -> None:
    log.info(
        "provider %s: %s",
        result.provider,
        result.status,
        extra={
            "run_id": str(run_id),
            **result.model_dump(exclude={"new_model_ids"}),
            "new_models": len(result.new_model_ids),
        },
    )
