"""`sync-ai-models export-migrations DIR`: the migrations as a Supabase project's own files."""

from __future__ import annotations

from pathlib import Path

import click

from ai_catalog.store.migrations import export
from sync_ai_models.commands._errors import guarded


@click.command("export-migrations")
@click.argument(
    "target", type=click.Path(file_okay=False, path_type=Path), default="supabase/migrations"
)
def export_migrations(target: Path) -> None:
    """Write the migrations into TARGET (default supabase/migrations) with timestamped names that
    sort after the project's own; re-running rewrites the same files."""
    written = guarded(lambda: export(target))
    click.echo(f"{len(written)} migration(s) in {target}; apply with `supabase db push`")
