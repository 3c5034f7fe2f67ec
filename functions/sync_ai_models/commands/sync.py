"""`sync-ai-models sync`: one run over the configured vendors, from the command line."""

from __future__ import annotations

import os
from typing import Any

import click
import httpx

from ai_catalog.types import ProviderResult
from ai_catalog.vendors import PROVIDERS
from sync_ai_models.commands._errors import run_async
from sync_ai_models.commands._signals import until_signal
from sync_ai_models.context import store_session
from sync_ai_models.notify import notify_run
from sync_ai_models.report import print_summary, progress_line
from sync_ai_models.runner import SyncRequest, run_sync
from sync_ai_models.settings import load_settings


@click.command("sync")
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

    outcome = run_async(until_signal(run()))
    if as_json:
        click.echo(outcome.model_dump_json(indent=2))
    else:
        print_summary(outcome)
    if outcome.only_collided:
        busy = [r.provider for r in outcome.results if r.status == "already_running"]
        raise click.ClickException(
            f"already running: another sync of {', '.join(busy)} is in progress; try again later"
        )
    if outcome.status != "succeeded":
        failed = [
            r.provider
            for r in outcome.results
            if r.status in ("failed", "already_running", "lock_timeout")
        ]
        raise click.ClickException(f"run {outcome.status}: {', '.join(failed)} did not sync")
