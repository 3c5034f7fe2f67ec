"""One sync run: claim or start the run row, list every vendor concurrently, apply each vendor's
list in its own SQL call, finish the run. Shared by the HTTP handler, the CLI and the worker.

A vendor that fails in any way (network, HTTP error after retries, a payload that cannot be
read, its deadline, an error building its configs or applying them) gets a `failed` result with a
short reason and nothing is written for it; the others go on, and vendors already applied stay
applied and reported. A vendor whose rows another transaction holds locked past the lock timeout
gets `lock_timeout`. If the database is unavailable when the run ends, the store remembers the
run and records it as failed once the database answers again.
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

from ai_catalog.config.sources import CatalogSource
from ai_catalog.config.sources.models_dev import MODELS_DEV_SOURCE
from ai_catalog.errors import AlreadyRunning, LockTimeout, SyncError
from ai_catalog.store.base import CatalogStore
from ai_catalog.store.run_catalogs import RunCatalogs, load_models_dev
from ai_catalog.types import ProviderResult
from ai_catalog.vendors import (
    PROVIDERS,
    ProviderError,
    ProviderNotConfigured,
    RetryPolicy,
    enabled_providers,
    fetch_catalog,
    mask_secrets,
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


class RunOutcome(BaseModel):
    run_id: UUID
    status: str
    dry_run: bool = False
    results: list[ProviderResult] = Field(default_factory=list)
    totals: dict[str, int] = Field(default_factory=dict)
    catalogs: dict[str, str] = Field(default_factory=dict)
    """Maintained catalog read at run time -> which copy the run used (`live`, `last good copy
    of ...`, `none (...)`, `off`)."""

    @property
    def only_collided(self) -> bool:
        """Every vendor it tried was being synced by another run (nothing else went wrong)."""
        attempted = [r for r in self.results if r.status != "skipped"]
        return bool(attempted) and all(r.status == "already_running" for r in attempted)

    @property
    def http_status(self) -> int:
        """409 when every vendor tried was already being synced, 503 when each was blocked by a
        lock (a lock timeout; try again later), else by the run's status."""
        attempted = {r.status for r in self.results if r.status != "skipped"}
        if self.only_collided:
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
    policy: RetryPolicy | None = None,
) -> RunOutcome:
    """Runs one sync. `claimed`: the caller (the worker) already moved run `request.run_id` to
    'running' (sync_claim_next_run), so it is not started again. `policy`: how vendor calls
    are retried (tests make it fast); limits come from `env` (SYNC_VENDOR_*)."""
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
    catalogs = RunCatalogs()

    async def one(provider: str) -> ProviderResult:
        if provider not in enabled:
            result = ProviderResult(provider=provider, status="skipped", error="not configured")
        else:
            result = await _sync_provider(
                store,
                provider,
                request,
                run_id,
                env,
                client,
                max_deactivate_share,
                policy,
                catalogs.sources,
            )
        if on_result is not None:
            try:
                maybe = on_result(result)
                if maybe is not None:
                    await maybe
            except Exception:  # a progress display must not lose the run's results
                log.exception("progress hook failed for %s", provider)
        _log_provider(run_id, result)
        return result

    try:
        if enabled & set(providers):  # read once per run, only when a vendor will be listed
            catalogs = await _run_catalogs(store, client, env, keep=not request.dry_run)
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
        catalogs=catalogs.copies,
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
            "catalogs": outcome.catalogs,
        },
    )
    return outcome


async def _run_catalogs(
    store: CatalogStore, client: httpx.AsyncClient, env: Mapping[str, str], *, keep: bool
) -> RunCatalogs:
    """The run's maintained catalogs; a fault in reading one never fails the run."""
    try:
        return await load_models_dev(store, client, env, keep=keep)
    except Exception as exc:
        log.exception("models.dev could not be read")
        return RunCatalogs(copies={MODELS_DEV_SOURCE: f"none ({type(exc).__name__})"})


async def _sync_provider(
    store: CatalogStore,
    provider: str,
    request: SyncRequest,
    run_id: UUID,
    env: Mapping[str, str],
    client: httpx.AsyncClient,
    max_deactivate_share: float,
    policy: RetryPolicy | None,
    catalogs: Sequence[CatalogSource] = (),
) -> ProviderResult:
    started = time.perf_counter()
    stats: dict[str, Any] = {}
    try:
        known = await store.model_fingerprints(provider)
        catalog = await fetch_catalog(
            provider, client, env, policy=policy, known=known, catalogs=catalogs
        )
        stats = {
            "listed": len(catalog.entries),
            "skipped_malformed": catalog.skipped_malformed,
            "skip_reasons": catalog.skip_reasons,
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
        # the database counts duplicates in what it was sent; the client already dropped its own
        duplicates = applied.duplicates + catalog.duplicates
        result = ProviderResult(**{**applied.model_dump(), **stats, "duplicates": duplicates})
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
    except SyncError as exc:  # the database refused or was unreachable for this apply
        result = ProviderResult(
            provider=provider, status="failed", error=f"database: {exc}", **stats
        )
    except Exception as exc:  # anything else one vendor causes stays that vendor's failure
        result = ProviderResult(
            provider=provider, status="failed", error=_unexpected(provider, exc, env), **stats
        )
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def _unexpected(provider: str, exc: Exception, env: Mapping[str, str]) -> str:
    """A short reason for an error nobody planned for: its type only (its message might quote
    the payload); the traceback goes to the log, with anything key-like masked."""
    keys = tuple(v for k, v in env.items() if k.endswith("_API_KEY") and v)
    log.error(
        "provider %s failed unexpectedly: %s",
        provider,
        mask_secrets(f"{type(exc).__name__}: {exc}"[:300], keys),
    )
    return f"unexpected error ({type(exc).__name__})"


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
