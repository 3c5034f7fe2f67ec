"""`sync-ai-models worker`: serve the run queue (see worker.py) until SIGTERM or SIGINT."""

from __future__ import annotations

import asyncio
import os
import signal

import click
import httpx

from ai_catalog.errors import SyncError
from ai_catalog.store.postgres import PostgresStore
from sync_ai_models.context import database_url
from sync_ai_models.settings import load_settings
from sync_ai_models.worker import Worker, WorkerOptions, default_worker_name


@click.command("worker")
@click.option("--name", default=None, help="Recorded as claimed_by. Default: host:pid.")
@click.option(
    "--poll",
    "poll_seconds",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    envvar="SYNC_WORKER_POLL_SECONDS",
    help="Look at the queue at least this often (seconds), besides LISTEN/NOTIFY.",
)
@click.option(
    "--stuck-after",
    "stuck_after_seconds",
    type=click.FloatRange(min=0),
    default=900.0,
    show_default=True,
    envvar="SYNC_WORKER_STUCK_AFTER_SECONDS",
    help="Fail and re-queue a run running this long (seconds) whose worker is gone.",
)
@click.option(
    "--shutdown-grace",
    "shutdown_grace_seconds",
    type=click.FloatRange(min=0),
    default=None,
    envvar="SYNC_WORKER_SHUTDOWN_GRACE_SECONDS",
    help="On SIGTERM, let the current run go on this long (seconds), then cut it short and "
    "re-queue it. Default: let it finish.",
)
@click.option("--drain", is_flag=True, help="Exit once the queue is empty.")
def worker(
    name: str | None,
    poll_seconds: float,
    stuck_after_seconds: float,
    shutdown_grace_seconds: float | None,
    drain: bool,
) -> None:
    """Claim and run queued syncs (queued by pg_cron, `sync_queue_run` or a retry)."""
    settings = load_settings()
    try:
        url = database_url(settings)
    except SyncError as exc:
        raise click.ClickException(str(exc)) from exc
    if url is None:
        raise click.ClickException(
            "the worker needs a direct Postgres connection for LISTEN: set DATABASE_URL "
            "(on Supabase, pg_cron + pg_net call the function instead; "
            "see the README, Scheduling and history)"
        )
    options = WorkerOptions(
        name=name or default_worker_name(),
        poll_seconds=poll_seconds,
        stuck_after_seconds=stuck_after_seconds,
        shutdown_grace_seconds=shutdown_grace_seconds,
        max_deactivate_share=settings.sync_max_deactivate_share,
        drain=drain,
    )

    async def serve() -> int:
        store = await PostgresStore(url).open()
        try:
            async with httpx.AsyncClient() as client:
                runner = Worker(url, store, env=os.environ, client=client, options=options)
                loop = asyncio.get_running_loop()
                for signum in (signal.SIGTERM, signal.SIGINT):
                    loop.add_signal_handler(signum, runner.stop)
                return await runner.run()
        finally:
            await store.close()

    try:
        processed = asyncio.run(serve())
    except SyncError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"worker {options.name} stopped after {processed} run(s)", err=True)
