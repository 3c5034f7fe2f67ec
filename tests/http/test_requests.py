"""Request handling around the run: bad bodies (400), methods (405), sizes (413), health."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from ai_catalog.store.postgres import PostgresStore
from sync_ai_models.http.body import MAX_BODY_BYTES
from tests.support.http_app import AppClientFactory

BAD_BODIES = {
    "not JSON": (b"{providers:", "not valid JSON"),
    "a JSON array": (b"[]", "must be a JSON object, not list"),
    "a JSON string": (b'"openai"', "must be a JSON object, not str"),
    "an unknown key": (b'{"provider": ["openai"]}', "provider: Extra inputs are not permitted"),
    "an unknown provider": (b'{"providers": ["openai", "acme"]}', "unknown provider 'acme'"),
    "providers not a list": (b'{"providers": "openai"}', "providers: Input should be"),
    "no providers at all": (b'{"providers": []}', "providers: List should have at least 1"),
    "dry_run as a string": (b'{"dry_run": "yes"}', "dry_run: Input should be a valid boolean"),
    "force as a number": (b'{"force": 1}', "force: Input should be a valid boolean"),
    "run_id not a uuid": (b'{"run_id": "run-7"}', "run_id: Input should be a valid UUID"),
}


@pytest.mark.parametrize(("raw", "reason"), BAD_BODIES.values(), ids=BAD_BODIES.keys())
async def test_a_bad_body_is_400_naming_the_problem(
    client: httpx.AsyncClient, auth: dict[str, str], raw: bytes, reason: str
) -> None:
    response = await client.post("/", content=raw, headers=auth)
    assert response.status_code == 400
    assert reason in response.json()["error"]


async def test_a_bad_value_is_not_echoed(client: httpx.AsyncClient, auth: dict[str, str]) -> None:
    response = await client.post("/", json={"dry_run": "sk-echo-me-not"}, headers=auth)
    assert response.status_code == 400
    assert "sk-echo-me-not" not in response.text


@pytest.mark.parametrize("raw", [b"", b"  \n", b"{}"])
async def test_an_empty_body_means_the_defaults(
    app_client_for: AppClientFactory, auth: dict[str, str], raw: bytes
) -> None:
    client = await app_client_for(env={})
    response = await client.post("/", content=raw, headers=auth)
    assert response.status_code == 200
    assert response.json()["dry_run"] is False
    assert len(response.json()["results"]) == 12


@pytest.mark.parametrize("path", ["/", "/functions/v1/sync-ai-models"])
@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "OPTIONS"])
async def test_other_methods_are_405(
    client: httpx.AsyncClient, auth: dict[str, str], path: str, method: str
) -> None:
    response = await client.request(method, path, headers=auth)
    assert response.status_code == 405
    assert set(response.headers["allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
    assert "error" in response.json()


@pytest.mark.parametrize("path", ["/health", "/openapi.json"])
async def test_read_only_endpoints_refuse_post(client: httpx.AsyncClient, path: str) -> None:
    assert (await client.post(path)).status_code == 405


async def test_unknown_path_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/functions/v1/other")
    assert (response.status_code, set(response.json())) == (404, {"error"})


async def test_declared_oversize_body_is_413(
    client: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    headers = {**auth, "Content-Type": "application/json"}
    body = b'{"providers": ["openai"]}' + b" " * MAX_BODY_BYTES
    response = await client.post("/", content=body, headers=headers)
    assert response.status_code == 413
    assert str(MAX_BODY_BYTES) in response.json()["error"]


async def test_streamed_oversize_body_without_length_is_413(
    client: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(10):
            sent.append(1)
            yield b" " * (MAX_BODY_BYTES // 4)

    response = await client.post("/", content=chunks(), headers=auth)
    assert "content-length" not in {k.lower() for k in response.request.headers}
    assert response.status_code == 413


async def test_a_body_just_under_the_cap_is_read(
    client: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    body = b'{"providers": ["nope"]}'
    padded = body + b" " * (MAX_BODY_BYTES - len(body))
    response = await client.post("/", content=padded, headers=auth)
    assert response.status_code == 400  # parsed (unknown provider), not refused as too large


async def test_a_lying_content_length_is_400(
    client: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    response = await client.post("/", content=b"{}", headers={**auth, "Content-Length": "x"})
    assert response.status_code == 400


async def test_health_needs_no_auth_and_asks_the_database(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "auth_configured": True}


async def test_health_is_503_when_the_database_does_not_answer(
    app_client_for: AppClientFactory, store: PostgresStore
) -> None:
    client = await app_client_for(env={})
    await store.close()  # the app's pool is gone: every query fails
    response = await client.get("/health")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


async def test_status_before_any_run(client: httpx.AsyncClient, auth: dict[str, str]) -> None:
    response = await client.get("/functions/v1/sync-ai-models", headers=auth)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert (
        response.json().items()
        >= {
            "last_run": None,
            "last_success_at": None,
            "running": 0,
            "queued": 0,
            "needs_sync": True,
            "max_age_days": 30,
        }.items()
    )


async def test_status_uses_sync_max_age_days(
    app_client_for: AppClientFactory, auth: dict[str, str]
) -> None:
    client = await app_client_for(env={}, sync_max_age_days=7)
    assert (await client.get("/", headers=auth)).json()["max_age_days"] == 7


@pytest.mark.parametrize(("ttl", "sees_outside_run"), [("0", True), ("3600", False)])
async def test_status_cache_seconds_from_the_environment(
    app_client_for: AppClientFactory,
    auth: dict[str, str],
    store: PostgresStore,
    ttl: str,
    sees_outside_run: bool,
) -> None:
    client = await app_client_for(env={"SYNC_STATUS_CACHE_SECONDS": ttl})
    assert (await client.get("/", headers=auth)).json()["last_run"] is None
    run_id = await store.start_run("cli")  # a run by another process (the CLI, a replica)
    await store.finish_run(run_id, [])
    last_run = (await client.get("/", headers=auth)).json()["last_run"]
    assert (last_run is not None) is sees_outside_run
