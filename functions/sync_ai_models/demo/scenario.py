"""The demo's story: a first sync, upstream changes and a person's edits, a second sync, and a
report read back from the change log. Checks its own claims: exit 1 if an edit was lost."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import psycopg

from ai_catalog.store.postgres import PostgresStore
from sync_ai_models.demo.sample_vendors import LISTS
from sync_ai_models.demo.vendor_server import VendorState, vendor_app
from sync_ai_models.http.local_server import serve_in_thread
from sync_ai_models.report import progress_line
from sync_ai_models.runner import RunOutcome, SyncRequest, run_sync

DEMO_KEY = "demo-key-not-a-real-secret"
# what a person changes by hand between the two syncs: (provider, model, config fields)
MANUAL_EDITS: list[tuple[str, str, dict[str, Any]]] = [
    ("openai", "gpt-4o", {"hard_cap_output_tokens": 4096, "team_note": "support bot cap"}),
    ("openrouter", "anthropic/claude-3.5-haiku", {"input_token_cost_rate": 0.0000007}),
]
UPSTREAM_CHANGES = [
    "openai lists a new model, gpt-4.1-nano",
    "groq stops listing gemma2-9b-it",
    "openrouter raises anthropic/claude-3.5-haiku's prices",
]

Echo = Callable[[str], None]


def demo_env(base_url: str) -> dict[str, str]:
    """Keys and base URLs for the sample vendors only: the demo never sees real keys, and
    fetches no maintained catalog (it runs offline)."""
    env: dict[str, str] = {"SYNC_MODELS_DEV_URL": "off"}
    for provider in LISTS:
        env[f"{provider.upper()}_API_KEY"] = DEMO_KEY
        env[f"{provider.upper()}_BASE_URL"] = f"{base_url}/{provider}"
    return env


async def run_demo(database_url: str, echo: Echo) -> bool:
    state = VendorState(DEMO_KEY)
    with serve_in_thread(vendor_app(state)) as base_url:
        env = demo_env(base_url)
        echo(f"sample vendors on {base_url}: {', '.join(LISTS)} (the others have no key)\n")
        store = await PostgresStore(database_url).open()
        try:
            async with httpx.AsyncClient() as client:

                async def sync() -> RunOutcome:
                    return await run_sync(
                        store,
                        SyncRequest(),
                        env=env,
                        client=client,
                        trigger="manual",
                        requested_by="demo",
                        on_result=lambda r: (
                            None if r.status == "skipped" else echo(progress_line(r))
                        ),
                    )

                echo("1. First sync")
                await sync()
                with psycopg.connect(database_url, autocommit=True) as db:
                    _catalog_summary(db, echo)
                    echo("\n2. Upstream changes and a person's edits")
                    for change in UPSTREAM_CHANGES:
                        echo(f"   - {change}")
                    state.version = 2
                    for provider, model, fields in MANUAL_EDITS:
                        db.execute(
                            "update ai_providers set config = config || %s::jsonb "
                            "where provider = %s and api_identifier = %s",
                            (json.dumps(fields), provider, model),
                        )
                        echo(f"   - a person edits {provider}/{model}: {_fields(fields)}")
                    echo("\n3. Second sync")
                    second = await sync()
                    echo("")
                    _changes_report(db, second, echo)
                    return _edits_survived(db, echo)
        finally:
            await store.close()


def _catalog_summary(db: psycopg.Connection, echo: Echo) -> None:
    total, chat, enabled = db.execute(
        "select count(*), count(*) filter (where kind = 'chat'), "
        "count(*) filter (where is_enabled) from ai_providers"
    ).fetchone() or (0, 0, 0)
    echo(f"   catalog: {total} models, {chat} chat, {enabled} enabled (priced)")


def _changes_report(db: psycopg.Connection, run: RunOutcome, echo: Echo) -> None:
    rows = db.execute(
        "select kind, provider || '/' || api_identifier, changes from ai_model_changes "
        "where run_id = %s order by kind, provider, api_identifier",
        (run.run_id,),
    ).fetchall()
    labels: dict[str, str] = {
        "added": "added",
        "updated": "changed",
        "deactivated": "deactivated",
        "reactivated": "reactivated",
        "override_kept": "edit kept",
        "cap_clamped": "cap clamped",
    }
    for kind, model, changes in rows:
        label = f"{labels.get(kind) or kind}:"
        echo(f"   {label:<13} {model}{_describe(kind, changes)}")
    echo(f"   run {run.run_id}: {run.status}")


def _describe(kind: str, changes: dict[str, Any]) -> str:
    if kind == "deactivated":
        return " (kept as a row, is_active = false)"
    if kind == "override_kept":
        return "".join(
            f"  {f}: yours {_value(f, v['kept'])}, upstream now {_value(f, v['upstream'])}"
            for f, v in changes.items()
        )
    if kind == "updated":
        return "".join(
            f"  {f}: {_value(f, v['old'])} -> {_value(f, v['new'])}" for f, v in changes.items()
        )
    return ""


def _value(field: str, value: Any) -> str:
    if field.endswith("_cost_rate") and isinstance(value, int | float):
        return f"${(Decimal(repr(value)) * 1_000_000).normalize():f}/M tokens"
    return str(value)


def _edits_survived(db: psycopg.Connection, echo: Echo) -> bool:
    survived = True
    for provider, model, fields in MANUAL_EDITS:
        found = db.execute(
            "select config from ai_providers where provider = %s and api_identifier = %s",
            (provider, model),
        ).fetchone()
        kept = found is not None and all(found[0].get(k) == v for k, v in fields.items())
        survived &= kept
        verdict = "survived the sync" if kept else "WAS LOST"
        echo(f"   the edit of {provider}/{model} ({_fields(fields)}) {verdict}")
    return survived


def _fields(fields: dict[str, Any]) -> str:
    return ", ".join(f"{k} = {_value(k, v)}" for k, v in fields.items())
