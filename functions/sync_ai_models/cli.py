"""The `sync-ai-models` command line. Errors become one line on stderr and a non-zero exit here,
and nowhere else."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import sys
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import click
import httpx

from ai_catalog.errors import SyncError
from ai_catalog.store.migrations import migrate as apply_migrations
from ai_catalog.vendors import PROVIDERS
from sync_ai_models.context import database_url, store_session
from sync_ai_models.demo_command import demo
from sync_ai_models.estimate_command import estimate
from sync_ai_models.notify import notify_run
from sync_ai_models.report import print_summary, progress_line
from sync_ai_models.runner import (
    ProviderResult,
    SyncRequest,
    UnknownProvider,
    run_sync,
)
from sync_ai_models.serve_command import serve
from sync_ai_models.settings import load_settings
from sync_ai_models.worker_command import worker

T = TypeVar("T")


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Runs a command's coroutine; turns our errors into a one-line reason and exit 1."""
    try:
        return asyncio.run(coroutine)
    except (SyncError, UnknownProvider) as exc:
        raise click.ClickException(str(exc)) from exc


async def _until_signal(coroutine: Coroutine[Any, Any, T]) -> T:
    """Runs the coroutine; SIGTERM or SIGINT cancels it (a run in progress is marked failed on
    its way out) and exits non-zero (128 + the signal number)."""
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(coroutine)
    received: list[signal.Signals] = []

    def interrupt(signum: signal.Signals) -> None:
        received.append(signum)
        task.cancel(f"interrupted by {signum.name}")

    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, interrupt, signum)
    try:
        return await task
    except asyncio.CancelledError:
        if not received:
            raise
        click.echo(f"interrupted by {received[0].name}; the run was marked failed", err=True)
        sys.exit(128 + received[0])
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)


def _guarded(action: Callable[[], T]) -> T:
    try:
        return action()
    except SyncError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log what happens (JSON lines on stderr).")
def main(verbose: bool) -> None:
    """Keep a Postgres catalog of AI models in step with the vendors' list-models APIs."""
    from sync_ai_models.logs import configure_logging

    configure_logging(logging.INFO if verbose else logging.WARNING)


@main.command()
def migrate() -> None:
    """Apply the SQL migrations (idempotent)."""
    settings = load_settings()

    def run() -> list[str]:
        url = database_url(settings)
        if url is None:
            raise click.ClickException(
                "migrations need a direct connection: set DATABASE_URL (on Supabase, copy sql/ "
                "into supabase/migrations and run `supabase db push`)"
            )
        return apply_migrations(url, settings.sync_ai_models_sql_dir, log=click.echo)

    applied = _guarded(run)
    click.echo(f"{len(applied)} migration(s) applied" if applied else "database is up to date")


@main.command()
@click.option(
    "--provider",
    "providers",
    multiple=True,
    type=click.Choice(list(PROVIDERS)),
    help="Sync only this vendor (repeatable). Default: every configured vendor.",
)
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--force", is_flag=True, help="Deactivate even past the guard's threshold.")
@click.option("--json", "as_json", is_flag=True, help="Print the run as JSON.")
def sync(providers: tuple[str, ...], dry_run: bool, force: bool, as_json: bool) -> None:
    """List every configured vendor's models and apply them to the catalog."""
    settings = load_settings()
    request = SyncRequest(providers=list(providers) or None, dry_run=dry_run, force=force)

    def show(result: ProviderResult) -> None:
        if not as_json:
            click.echo(progress_line(result), err=True)

    async def run() -> Any:
        async with store_session(settings) as store, httpx.AsyncClient() as client:
            outcome = await run_sync(
                store,
                request,
                env=os.environ,
                client=client,
                trigger="cli",
                requested_by=os.environ.get("USER") or "cli",
                max_deactivate_share=settings.sync_max_deactivate_share,
                on_result=show,
            )
            await notify_run(outcome, os.environ, client)
            return outcome

    outcome = _run(_until_signal(run()))
    if as_json:
        click.echo(outcome.model_dump_json(indent=2))
    else:
        print_summary(outcome)
    if outcome.status != "succeeded":
        failed = [r.provider for r in outcome.results if r.status in ("failed", "already_running")]
        raise click.ClickException(f"run {outcome.status}: {', '.join(failed)} did not sync")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status(as_json: bool) -> None:
    """Show the last run and whether the catalog needs a sync."""
    settings = load_settings()

    async def run() -> dict[str, Any]:
        async with store_session(settings) as store:
            return await store.status(settings.sync_max_age_days)

    current = _run(run())
    if as_json:
        click.echo(json.dumps(current, indent=2, default=str))
        return
    last = current.get("last_run")
    if last:
        click.echo(
            f"last run {last['id']}: {last['status']} at {last['finished_at']} "
            f"(trigger {last['trigger']}, totals {json.dumps(last['totals'])})"
        )
    else:
        click.echo("no run yet")
    click.echo(
        f"needs sync: {'yes' if current['needs_sync'] else 'no'} "
        f"(older than {current['max_age_days']} days counts as stale)"
    )


main.add_command(estimate)
main.add_command(demo)
main.add_command(serve)
main.add_command(worker)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
