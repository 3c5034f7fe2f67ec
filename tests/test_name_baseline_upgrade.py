"""Upgrading a catalog synced before name and description had a baseline: the baseline is what the
change log says the sync last wrote, so a synced name follows upstream, a name a person edited
before the upgrade stays theirs, and a row no sync wrote keeps its values as a person's."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from ai_catalog.store.migrations import discover, migrate
from tests.support.catalog import entry
from tests.support.databases import PG_HOST, PG_PORT, PG_USER, SQL_DIR, conninfo

FIRST_WITH_NAME_BASELINE = "0021"


@pytest.fixture
def old_catalog(db: psycopg.Connection, tmp_path: Path) -> Iterator[str]:
    """A database migrated only up to the release before name baselines."""
    name = f"sync_ai_models_upgrade_{os.getpid()}"
    db.execute(f'drop database if exists "{name}"')
    db.execute(f'create database "{name}"')
    url = conninfo(PG_HOST, PG_PORT, PG_USER, name, None)
    for migration in discover(SQL_DIR):
        if migration.name < FIRST_WITH_NAME_BASELINE:
            (tmp_path / migration.name).write_text(migration.sql)
    migrate(url, tmp_path)
    try:
        yield url
    finally:
        db.execute(f'drop database if exists "{name}" with (force)')


def test_synced_names_become_the_baseline_and_follow_upstream(old_catalog: str) -> None:
    with psycopg.connect(old_catalog, autocommit=True) as conn:
        # the config shape of that release
        old_entry = {
            "api_identifier": "gpt-4o",
            "name": "GPT-4O",
            "config": {"tokenization_strategy": {"type": "tiktoken", "encoding": "o200k_base"}},
        }
        nameless = {**old_entry, "api_identifier": "nameless", "name": None}
        conn.execute(
            "select sync_apply_provider_models('openai', %s::jsonb)",
            (json.dumps([old_entry, nameless]),),
        )
        # people renamed two models before the upgrade
        conn.execute("update ai_providers set name = 'Edited' where api_identifier = 'nameless'")
        conn.execute(
            "insert into ai_providers (provider, api_identifier, name) "
            "values ('openai', 'ours', 'Hand made')"
        )
        migrate(old_catalog, SQL_DIR)
        rows = conn.execute(
            "select api_identifier, sync_baseline_name from ai_providers order by 1"
        ).fetchall()
        assert rows == [("gpt-4o", "GPT-4O"), ("nameless", None), ("ours", None)]
        renamed = {**entry("gpt-4o").to_json(), "name": "GPT-4o"}
        ours = {**entry("ours").to_json(), "name": None}
        still_nameless = {**entry("nameless").to_json(), "name": None}
        conn.execute(
            "select sync_apply_provider_models('openai', %s::jsonb)",
            (json.dumps([renamed, ours, still_nameless]),),
        )
        names = conn.execute("select api_identifier, name from ai_providers order by 1").fetchall()
    assert names == [("gpt-4o", "GPT-4o"), ("nameless", "Edited"), ("ours", "Hand made")]
