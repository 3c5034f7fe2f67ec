"""`sync-ai-models release-adopted`: hand adopted config values back to the sync.

A database adopted from the original Edge Function keeps every config value it had as an admin's
value (the sync does not overwrite it). Releasing a field (or all of them) lets the next sync
write what the vendors and catalogs say, as for any model this project added itself.
"""

from __future__ import annotations

import click
import psycopg

from ai_catalog.vendors import PROVIDERS
from sync_ai_models.context import database_url
from sync_ai_models.settings import load_settings


@click.command("release-adopted")
@click.option(
    "--provider",
    type=click.Choice(list(PROVIDERS)),
    default=None,
    help="Only this vendor's adopted models. Default: all.",
)
@click.option(
    "--field",
    default=None,
    metavar="FIELD",
    help="Only this config field (e.g. input_token_cost_rate). Default: every field.",
)
def release_adopted(provider: str | None, field: str | None) -> None:
    """Let the sync own adopted config values again (all, or by vendor and field)."""
    url = database_url(load_settings())
    if url is None:
        raise click.ClickException("release-adopted needs a direct connection: set DATABASE_URL")
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
            found = conn.execute(
                "select public.sync_release_adopted(%s, %s)", (provider, field)
            ).fetchone()
    except psycopg.Error as exc:
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise click.ClickException(f"cannot release: {reason}") from exc
    released = found[0] if found else 0
    what = f"field {field}" if field else "every field"
    click.echo(f"released {what} of {released} adopted model(s); the next sync updates them")
