"""`sync-ai-models migrate`: apply the SQL migrations shipped in the package."""

from __future__ import annotations

import click

from ai_catalog.store.migrations import migrate as apply_migrations
from sync_ai_models.commands._errors import guarded
from sync_ai_models.context import database_url
from sync_ai_models.settings import load_settings


@click.command("migrate")
def migrate() -> None:
    """Apply the SQL migrations (idempotent)."""
    settings = load_settings()

    def run() -> list[str]:
        url = database_url(settings)
        if url is None:
            raise click.ClickException(
                "migrations need a direct connection: set DATABASE_URL (on Supabase, run "
                "`sync-ai-models export-migrations supabase/migrations` and `supabase db push`)"
            )
        return apply_migrations(url, settings.sync_ai_models_sql_dir, log=click.echo)

    applied = guarded(run)
    click.echo(f"{len(applied)} migration(s) applied" if applied else "database is up to date")
