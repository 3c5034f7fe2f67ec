"""Whole runs under hostile vendors: through the HTTP app (never a 500, one answer for all), a run
that only collided with another sync (409, and the CLI says so), limits from the environment."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import psycopg
import pytest
from click.testing import CliRunner

from ai_catalog.vendors import PROVIDERS
from sync_ai_models.cli import main
from sync_ai_models.http.app import create_app
from sync_ai_models.settings import Settings
from tests.support.vendor_harness import Harness, harness_fixture, seeded_fixture  # noqa: F401 (fixtures)
from tests.support.vendor_server import Reply, json_reply
from tests.support.vendor_shapes import PAYLOAD_MARK, SHAPES, key_of, model_ids

SERVICE_KEY = "service-role-key-SECRET-reliability-0123456789"
HOSTILE: dict[str, Callable[[], Reply]] = {
    "anthropic": lambda: Reply(200, b"[" * 50_000 + b"]" * 50_000),
    "google": lambda: Reply(200, f"<html>{PAYLOAD_MARK}</html>".encode()),
    "groq": lambda: Reply(
        200, b'{"object":"list","data":[{"id":"m","created":' + b"9" * 30 + b"}]}"
    ),
    "mistral": lambda: json_reply({"data": {"nested": [PAYLOAD_MARK]}}),
    "xai": lambda: Reply(endless=True),
    "together": lambda: json_reply({"error": {"message": "x" * 10_000}}, status=500),
}
"""Vendors answering what cannot be read; openai stays healthy."""


def healthy(provider: str) -> Any:
    shape = SHAPES[provider]
    return shape.single([shape.entry(m) for m in model_ids(provider)])


@pytest.mark.asyncio(loop_scope="module")
async def test_hostile_vendors_through_the_app_make_one_partial_answer(harness: Harness) -> None:
    for provider, make in HOSTILE.items():
        reply = make()
        harness.server.handlers[provider] = lambda _request, reply=reply: reply
    harness.server.handlers["openai"] = healthy("openai")
    providers = ["openai", *HOSTILE]
    env = harness.env(*providers)
    settings = Settings(database_url=harness.db_url, supabase_service_role_key=SERVICE_KEY)
    async with httpx.AsyncClient() as vendor_client:
        app = create_app(settings=settings, store=harness.store, env=env, http_client=vendor_client)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
            response = await client.post(
                "/",
                json={"providers": providers},
                headers={"Authorization": f"Bearer {SERVICE_KEY}"},
            )
    assert response.status_code == 207, response.text
    results = {r["provider"]: r for r in response.json()["results"]}
    assert (results["openai"]["status"], results["openai"]["unchanged"]) == ("succeeded", 10)
    expected = {**dict.fromkeys(HOSTILE, "failed"), "groq": "guarded"}
    assert {p: results[p]["status"] for p in HOSTILE} == expected
    assert results["groq"]["skip_reasons"] == {"number out of range": 1}
    assert all(len(results[p]["error"] or "") < 200 for p in HOSTILE)
    for provider in providers:
        assert key_of(provider) not in response.text
        assert harness.active_ids(provider) == sorted(model_ids(provider))
    assert PAYLOAD_MARK not in response.text
    assert harness.runs_left_running() == 0


def hold_provider_lock(db_url: str, provider: str) -> psycopg.Connection[Any]:
    """Another sync of `provider`, as far as the apply's lock can tell."""
    conn = psycopg.connect(db_url, autocommit=True)
    conn.execute(
        "select pg_advisory_lock(hashtextextended('sync-ai-models:provider:' || %s, 0))",
        (provider,),
    )
    return conn


@pytest.mark.asyncio(loop_scope="module")
async def test_a_run_that_only_collided_answers_409(harness: Harness) -> None:
    harness.server.handlers["openai"] = healthy("openai")
    with hold_provider_lock(harness.db_url, "openai"):
        outcome = await harness.run("openai")
    assert [r.status for r in outcome.results] == ["already_running"]
    assert (outcome.only_collided, outcome.http_status) == (True, 409)


@pytest.fixture
def cli_env(harness: Harness) -> Iterator[dict[str, str]]:
    blank = {k: "" for k in os.environ if k.endswith(("_API_KEY", "_BASE_URL", "_ENABLED"))}
    yield {
        **blank,
        **harness.env("openai"),
        "DATABASE_URL": harness.db_url,
        "SYNC_WEBHOOK_URL": "",
    }


def test_the_cli_says_already_running(harness: Harness, cli_env: dict[str, str]) -> None:
    harness.server.handlers["openai"] = healthy("openai")
    with hold_provider_lock(harness.db_url, "openai"):
        result = CliRunner().invoke(main, ["sync", "--provider", "openai"], env=cli_env)
    assert result.exit_code != 0
    assert "already running" in result.stderr
    assert "did not sync" not in result.stderr


def test_the_cli_reports_skipped_entries_and_duplicates(
    harness: Harness, cli_env: dict[str, str]
) -> None:
    shape = SHAPES["openai"]
    entries = [shape.entry(m) for m in model_ids("openai")]
    entries += [shape.entry("bad\x00id"), shape.entry(model_ids("openai")[0])]
    harness.server.handlers["openai"] = shape.single(entries)
    result = CliRunner().invoke(main, ["sync", "--provider", "openai", "--json"], env=cli_env)
    assert result.exit_code == 0, result.stderr
    (openai,) = json.loads(result.stdout)["results"]
    assert (openai["skipped_malformed"], openai["skip_reasons"]) == (1, {"NUL byte": 1})
    assert (openai["duplicates"], openai["listed"]) == (1, 10)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SYNC_VENDOR_DEADLINE_SECONDS", "soon"),
        ("SYNC_VENDOR_MAX_BYTES", "-1"),
        ("SYNC_VENDOR_MAX_PAGES", "0"),
        ("SYNC_VENDOR_TIMEOUT_SECONDS", "inf"),
    ],
)
@pytest.mark.asyncio(loop_scope="module")
async def test_a_bad_limit_fails_each_vendor_with_its_name(
    harness: Harness, name: str, value: str
) -> None:
    outcome = await harness.run(
        "openai", "groq", env={**harness.env("openai", "groq"), name: value}
    )
    assert [(r.status, r.error) for r in outcome.results] == [
        ("failed", f"{p}: {name} must be a positive {'int' if 'MAX' in name else 'float'}")
        for p in ("openai", "groq")
    ]


@pytest.mark.asyncio(loop_scope="module")
async def test_an_absolute_link_to_the_same_origin_is_followed(harness: Harness) -> None:
    shape = SHAPES["openrouter"]
    entries = [shape.entry(m) for m in model_ids("openrouter")]
    own = f"{harness.server.url('openrouter')}/models?page=c1"
    harness.server.handlers["openrouter"] = shape.listing(
        {None: (entries[:5], own), "c1": (entries[5:], None)}
    )
    outcome = await harness.run("openrouter")
    assert [(r.status, r.unchanged) for r in outcome.results] == [("succeeded", 10)]


def test_every_adapter_is_in_the_fault_matrix() -> None:
    assert set(SHAPES) == set(PROVIDERS)
