"""`sync-ai-models status`: the last run and whether the catalog needs a sync."""

from __future__ import annotations

import json
from typing import Any

import click

from sync_ai_models.commands._errors import run_async
from sync_ai_models.context import store_session
from sync_ai_models.settings import load_settings


@click.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status(as_json: bool) -> None:
    """Show the last run and whether the catalog needs a sync."""
    settings = load_settings()

    async def run() -> dict[str, Any]:
        async with store_session(settings) as store:
            return await store.status(settings.sync_max_age_days)

    current = run_async(run())
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
