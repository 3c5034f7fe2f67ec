"""`sync-ai-models demo`: offline, end to end, no keys (see demo/scenario.py)."""

from __future__ import annotations

import asyncio
import time

import click
import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from ai_catalog.errors import SyncError
from ai_catalog.store.embedded import embedded_database_url
from ai_catalog.store.migrations import migrate
from sync_ai_models.demo.scenario import run_demo
from sync_ai_models.settings import load_settings

DEMO_DATABASE = "sync_ai_models_demo"


def fresh_database(server_url: str, name: str) -> str:
    """Drops and recreates database `name` on the server; returns its connection string."""
    try:
        with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as conn:
            conn.execute(
                sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
            )
            conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    except psycopg.Error as exc:
        raise click.ClickException(f"cannot create the demo database: {exc}") from exc
    return make_conninfo(server_url, dbname=name)


@click.command("demo")
@click.option(
    "--database-url",
    help=f"A Postgres server to run on (database {DEMO_DATABASE} is recreated there). "
    "Default: an embedded Postgres of the demo's own.",
)
def demo(database_url: str | None) -> None:
    """Run the whole job offline on sample vendors: two syncs, upstream changes, manual edits."""
    started = time.perf_counter()
    settings = load_settings()
    try:
        server = database_url or embedded_database_url(
            settings.sync_ai_models_data_dir.parent / "demo-pgdata"
        )
        url = fresh_database(server, DEMO_DATABASE)
        migrate(url, settings.sync_ai_models_sql_dir)
        survived = asyncio.run(run_demo(url, click.echo))
    except SyncError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"\ndemo finished in {time.perf_counter() - started:.1f}s")
    if not survived:
        raise click.ClickException("a manual edit was lost in the second sync")
