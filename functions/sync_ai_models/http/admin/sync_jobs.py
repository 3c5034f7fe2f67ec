""" "Sync now" from the admin page: a run started in the background, whose per-vendor results
the page polls while it runs. The run row is made first, so the page can follow it by its id."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import httpx

from ai_catalog.store.base import CatalogStore
from ai_catalog.types import ProviderResult
from sync_ai_models.runner import SyncRequest, choose_providers, run_sync

log = logging.getLogger("sync_ai_models.http.admin")


@dataclass
class Job:
    run_id: UUID
    providers: list[str]
    dry_run: bool
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    status: str = "running"
    error: str | None = None

    def progress(self) -> dict[str, Any]:
        return {
            "run_id": str(self.run_id),
            "status": self.status,
            "finished": self.status != "running",
            "dry_run": self.dry_run,
            "error": self.error,
            "providers": [
                self.results.get(p, {"provider": p, "status": "waiting"}) for p in self.providers
            ],
        }


class SyncJobs:
    """The runs this process started for the admin page, by run id (the last few kept)."""

    KEEP = 20

    def __init__(self) -> None:
        self._jobs: dict[UUID, Job] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def get(self, run_id: UUID) -> Job | None:
        return self._jobs.get(run_id)

    async def start(
        self,
        store: CatalogStore,
        client: httpx.AsyncClient,
        env: Mapping[str, str],
        *,
        providers: Sequence[str] | None,
        dry_run: bool,
        requested_by: str,
        max_deactivate_share: float,
    ) -> Job:
        chosen = choose_providers(providers)  # UnknownProvider before any run row exists
        run_id = await store.start_run(
            "manual", requested_by=requested_by, providers=providers, dry_run=dry_run
        )
        job = Job(run_id, chosen, dry_run)
        self._remember(job)

        def record(result: ProviderResult) -> None:
            job.results[result.provider] = result.model_dump(mode="json")

        async def work() -> None:
            try:
                outcome = await run_sync(
                    store,
                    SyncRequest(providers=providers, dry_run=dry_run, run_id=run_id),
                    env=env,
                    client=client,
                    trigger="manual",
                    requested_by=requested_by,
                    max_deactivate_share=max_deactivate_share,
                    on_result=record,
                    claimed=True,
                )
                job.status = outcome.status
            except Exception as exc:  # run_sync has marked the run failed; the page says why
                log.exception("admin sync %s failed", run_id)
                job.status, job.error = "failed", f"{type(exc).__name__}: {exc}"

        task = asyncio.create_task(work(), name=f"admin-sync-{run_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return job

    def _remember(self, job: Job) -> None:
        self._jobs[job.run_id] = job
        for old in list(self._jobs)[: -self.KEEP]:
            if self._jobs[old].status != "running":
                del self._jobs[old]

    async def aclose(self) -> None:
        """Cancels runs still going (run_sync marks each failed)."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
