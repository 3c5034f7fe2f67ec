"""The catalog store: every operation is one call of a SQL function (sql/), whichever back end.

A back end only says how to call a function by name with named arguments (`_rpc`); the direct
Postgres store and the Supabase (PostgREST RPC) store share everything else.

No run is left 'running': a run whose end could not be written (the database was unavailable)
is remembered and written as failed by the next call that starts, claims or reads runs; and
those calls first fail runs 'running' longer than `run_max_seconds` whose owner holds no lock
(a killed process), so recovery needs no worker.
"""

from __future__ import annotations

import asyncio
import hashlib
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, NamedTuple
from uuid import UUID

import orjson

from ai_catalog.errors import DatabaseUnavailable, StaleFingerprints, StoreError
from ai_catalog.model_config import ModelConfig
from ai_catalog.types import CatalogEntry, EntryClaim, ProviderResult


class JsonArg(NamedTuple):
    """An argument the SQL function takes as jsonb (as opposed to text, text[], uuid, ...)."""

    value: Any


RUN_MAX_SECONDS = 900.0
"""A run 'running' longer than this with no live owner is failed (SYNC_RUN_MAX_SECONDS)."""


class UnfinishedRun(NamedTuple):
    results: list[dict[str, Any]]
    error: str


class CatalogStore(ABC):
    def __init__(self, *, run_max_seconds: float = RUN_MAX_SECONDS) -> None:
        self.run_max_seconds = run_max_seconds
        self._unfinished: dict[UUID, UnfinishedRun] = {}

    @abstractmethod
    async def _rpc(self, function: str, args: dict[str, Any]) -> Any:
        """Calls `public.<function>(<name> => <value>, ...)` and returns its JSON result."""

    async def close(self) -> None:  # noqa: B027 - back ends without resources need nothing
        pass

    async def ping(self) -> None:
        """Raises unless the database answers (for health checks)."""
        await self._rpc("sync_status", {"p_max_age_days": 30})

    async def model_fingerprints(self, provider: str) -> dict[str, str]:
        """id -> fingerprint of the vendor's models the last day's syncs wrote unchanged."""
        known: dict[str, str] = await self._rpc("sync_model_fingerprints", {"p_provider": provider})
        return known

    async def apply_provider_models(
        self,
        provider: str,
        entries: Sequence[CatalogEntry | EntryClaim],
        *,
        run_id: UUID | None = None,
        dry_run: bool = False,
        force: bool = False,
        max_deactivate_share: float = 0.5,
    ) -> ProviderResult:
        """Applies a vendor's whole list in one SQL call (sync_apply_provider_models).

        Entries the database already holds unchanged (same fingerprint) travel as their id and
        fingerprint only, as do claims, so a sync where little changed sends and parses little.
        If the catalog moved in between, the database says so and the whole list is sent once
        more (claims expanded into whole entries).
        """
        # ask for the stored fingerprints while the entries are serialised
        fingerprints = asyncio.ensure_future(
            self._rpc("sync_model_fingerprints", {"p_provider": provider})
        )
        await asyncio.sleep(0)  # let the query go out before the CPU-bound work below
        try:
            payload = [
                entry.to_json() if isinstance(entry, EntryClaim) else _with_fingerprint(entry)
                for entry in entries
            ]
        finally:
            known: dict[str, str] = await fingerprints
        compact = [
            {"api_identifier": item["api_identifier"], "fingerprint": item["fingerprint"]}
            if known.get(item["api_identifier"]) == item["fingerprint"]
            else item
            for item in payload
        ]
        args = {
            "p_provider": provider,
            "p_models": JsonArg(compact),
            "p_run_id": str(run_id) if run_id else None,
            "p_dry_run": dry_run,
            "p_force": force,
            "p_max_deactivate_share": max_deactivate_share,
        }
        try:
            result = await self._rpc("sync_apply_provider_models", args)
        except StaleFingerprints:
            whole = [
                _with_fingerprint(entry.expand() if isinstance(entry, EntryClaim) else entry)
                for entry in entries
            ]
            result = await self._rpc(
                "sync_apply_provider_models", {**args, "p_models": JsonArg(whole)}
            )
        return ProviderResult.model_validate(result)

    async def start_run(
        self,
        trigger: str,
        *,
        requested_by: str | None = None,
        providers: Sequence[str] | None = None,
        dry_run: bool = False,
        force: bool = False,
    ) -> UUID:
        await self.recover_runs()
        result = await self._rpc(
            "sync_start_run",
            {
                "p_trigger": trigger,
                "p_requested_by": requested_by,
                "p_providers": list(providers) if providers is not None else None,
                "p_dry_run": dry_run,
                "p_force": force,
            },
        )
        return UUID(str(result))

    async def claim_run(self, run_id: UUID, *, claimed_by: str | None = None) -> dict[str, Any]:
        """Moves a queued run to running and returns its row; AlreadyRunning if it is not queued."""
        await self.recover_runs()
        row: dict[str, Any] = await self._rpc(
            "sync_claim_run", {"p_run_id": str(run_id), "p_claimed_by": claimed_by}
        )
        return row

    async def queue_run(
        self,
        trigger: str,
        *,
        requested_by: str | None = None,
        providers: Sequence[str] | None = None,
        force: bool = False,
    ) -> UUID:
        result = await self._rpc(
            "sync_queue_run",
            {
                "p_trigger": trigger,
                "p_requested_by": requested_by,
                "p_providers": list(providers) if providers is not None else None,
                "p_force": force,
            },
        )
        return UUID(str(result))

    async def finish_run(
        self, run_id: UUID, results: Sequence[dict[str, Any]], error: str | None = None
    ) -> dict[str, Any]:
        """Records the run's end. If the database is unavailable, the run is remembered and
        recorded as failed (with `results`) by recover_runs once the database answers again."""
        try:
            row: dict[str, Any] = await self._rpc(
                "sync_finish_run",
                {"p_run_id": str(run_id), "p_results": JsonArg(list(results)), "p_error": error},
            )
        except DatabaseUnavailable as exc:
            reason = f"the database was unavailable when the run ended ({exc})"
            self._unfinished[run_id] = UnfinishedRun(
                list(results), f"{error}; {reason}" if error else reason
            )
            raise
        self._unfinished.pop(run_id, None)
        return row

    async def recover_runs(self) -> list[UUID]:
        """Writes the ends of runs this process could not finish, then fails runs 'running'
        longer than run_max_seconds whose owner holds no lock. Answers the runs failed.
        DatabaseUnavailable if the database still does not answer."""
        recovered: list[UUID] = []
        for run_id, unfinished in list(self._unfinished.items()):
            try:
                await self._rpc(
                    "sync_finish_run",
                    {
                        "p_run_id": str(run_id),
                        "p_results": JsonArg(unfinished.results),
                        "p_error": unfinished.error,
                    },
                )
                recovered.append(run_id)
            except DatabaseUnavailable:
                raise
            except StoreError:  # finished or recovered elsewhere meanwhile: nothing left to do
                pass
            del self._unfinished[run_id]
        stale = await self._rpc("sync_fail_stale_runs", {"p_max_seconds": self.run_max_seconds})
        recovered.extend(UUID(str(run_id)) for run_id in stale or [])
        return recovered

    async def status(self, max_age_days: int = 30) -> dict[str, Any]:
        await self.recover_runs()
        status: dict[str, Any] = await self._rpc("sync_status", {"p_max_age_days": max_age_days})
        return status

    async def reset_override(
        self, provider: str, api_identifier: str, field: str | None = None
    ) -> dict[str, Any]:
        config: dict[str, Any] = await self._rpc(
            "sync_reset_override",
            {"p_provider": provider, "p_api_identifier": api_identifier, "p_field": field},
        )
        return config

    async def save_catalog_copy(self, source: str, document: Any, etag: str | None) -> None:
        """Keeps a maintained catalog's document as its last good copy."""
        await self._rpc(
            "sync_save_catalog_copy",
            {"p_source": source, "p_document": JsonArg(document), "p_etag": etag},
        )

    async def load_catalog_copy(self, source: str) -> dict[str, Any] | None:
        """The last good copy: {document, etag, fetched_at}, or None."""
        copy: dict[str, Any] | None = await self._rpc(
            "sync_load_catalog_copy", {"p_source": source}
        )
        return copy

    async def get_model_config(self, provider: str, api_identifier: str) -> ModelConfig | None:
        row = await self._rpc(
            "sync_get_model_config", {"p_provider": provider, "p_api_identifier": api_identifier}
        )
        return ModelConfig.model_validate(row["config"]) if row else None


def _with_fingerprint(entry: CatalogEntry) -> dict[str, Any]:
    """The entry as JSON with its fingerprint: the one it was built with, else a hash of it."""
    item = entry.to_json()
    if entry.fingerprint is None:
        digest = hashlib.blake2b(orjson.dumps(item, option=orjson.OPT_SORT_KEYS), digest_size=16)
        item["fingerprint"] = digest.hexdigest()
    return item
