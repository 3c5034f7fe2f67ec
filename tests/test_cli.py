"""The command line against a real database and local sample vendors (no network)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import psycopg
import pytest
from click.testing import CliRunner

from sync_ai_models.cli import main
from sync_ai_models.demo.sample_vendors import LISTS
from sync_ai_models.demo.scenario import DEMO_KEY, demo_env
from sync_ai_models.demo.vendor_server import VendorState, vendor_app
from sync_ai_models.http.local_server import serve_in_thread


@pytest.fixture
def vendors() -> Iterator[tuple[VendorState, str]]:
    state = VendorState(DEMO_KEY)
    with serve_in_thread(vendor_app(state)) as url:
        yield state, url


def cli(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args, env=env)
    return result.exit_code, result.stdout, result.stderr


def clean_env(db_url: str, **extra: str) -> dict[str, str]:
    env = {k: "" for k in os.environ if k.endswith(("_API_KEY", "_BASE_URL", "_ENABLED"))}
    return {**env, "DATABASE_URL": db_url, "SYNC_WEBHOOK_URL": "", **extra}


def test_sync_json_then_status(db_url: str, vendors: tuple[VendorState, str]) -> None:
    _, url = vendors
    env = clean_env(db_url, **demo_env(url))
    code, out, _ = cli(["sync", "--json"], env)
    assert code == 0, out
    run = json.loads(out)
    assert run["status"] == "succeeded"
    by_provider = {r["provider"]: r for r in run["results"]}
    assert {p for p, r in by_provider.items() if r["status"] == "succeeded"} == set(LISTS)
    assert by_provider["openai"]["inserted"] == len(LISTS["openai"][1])
    assert by_provider["mistral"]["status"] == "skipped"  # no key: skipped, not an error

    code, out, _ = cli(["status", "--json"], env)
    assert code == 0
    status = json.loads(out)
    assert (status["needs_sync"], status["last_run"]["id"]) == (False, run["run_id"])


def test_sync_progress_and_summary_table(db_url: str, vendors: tuple[VendorState, str]) -> None:
    state, url = vendors
    env = clean_env(db_url, **demo_env(url))
    assert cli(["sync"], env)[0] == 0
    state.version = 2
    code, out, err = cli(["sync", "--provider", "groq", "--provider", "openai"], env)
    assert code == 0, err
    assert "groq" in err and "1 deactivated" in err  # live progress, one line per vendor
    assert out.splitlines()[0].split() == [
        "provider",
        "status",
        "new",
        "updated",
        "same",
        "deactivated",
        "reactivated",
        "overrides",
    ]
    assert "new models: openai/gpt-4.1-nano" in out


def test_dry_run_writes_nothing(
    db_url: str, db: psycopg.Connection, vendors: tuple[VendorState, str]
) -> None:
    _, url = vendors
    code, out, _ = cli(["sync", "--dry-run", "--json"], clean_env(db_url, **demo_env(url)))
    assert code == 0
    assert json.loads(out)["dry_run"] is True
    assert db.execute("select count(*) from ai_providers").fetchone() == (0,)


def test_a_failing_vendor_makes_a_partial_run_and_a_non_zero_exit(
    db_url: str, db: psycopg.Connection, vendors: tuple[VendorState, str]
) -> None:
    _, url = vendors
    env = clean_env(db_url, **{**demo_env(url), "GROQ_API_KEY": "wrong-key"})
    code, out, err = cli(["sync"], env)
    assert code == 1
    assert err.strip().splitlines()[-1] == "Error: run partial: groq did not sync"
    assert "wrong-key" not in out + err
    assert db.execute("select count(*) from ai_providers where provider = 'groq'").fetchone() == (
        0,
    )


def test_unknown_provider_is_a_usage_error(db_url: str) -> None:
    code, _, err = cli(["sync", "--provider", "nope"], clean_env(db_url))
    assert code == 2 and "nope" in err


def test_unreachable_database_is_one_line() -> None:
    code, _, err = cli(["status"], clean_env("postgresql://postgres@127.0.0.1:1/nowhere"))
    assert code == 1
    assert err.strip().startswith("Error: cannot connect to the database")
    assert len(err.strip().splitlines()) == 1


def test_migrate_is_idempotent(db_url: str) -> None:
    code, out, _ = cli(["migrate"], clean_env(db_url))
    assert (code, out.strip()) == (0, "database is up to date")
