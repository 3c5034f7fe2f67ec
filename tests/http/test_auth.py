"""Who may call: the service-role key or a service_role JWT; everyone else is turned away."""

from __future__ import annotations

import time

import pytest

from tests.support.http_app import AppClientFactory
from tests.support.http_doubles import SERVICE_KEY, bearer, make_jwt

PATHS = ("/", "/functions/v1/sync-ai-models")

ACCEPTED = {
    "service-role key": bearer(SERVICE_KEY),
    "service_role JWT": bearer(make_jwt("service_role")),
    "lower-case scheme": {"Authorization": f"bearer {SERVICE_KEY}"},
}
UNAUTHENTICATED = {
    "no header": {},
    "empty bearer": {"Authorization": "Bearer "},
    "other scheme": {"Authorization": f"Basic {SERVICE_KEY}"},
    "wrong key": bearer("not-the-key"),
    "key with a suffix": bearer(SERVICE_KEY + "x"),
    "expired JWT": bearer(make_jwt("service_role", expires_in=-60)),
    "JWT without exp": bearer(make_jwt("service_role", expires_in=None)),
    "JWT whose exp is a numeric string": bearer(
        make_jwt("service_role", expires_in=None, exp=str(int(time.time()) + 3600))
    ),
    "JWT whose iat is a numeric string": bearer(
        make_jwt("service_role", iat=str(int(time.time())))
    ),
    "JWT signed with another secret": bearer(
        make_jwt("service_role", secret="another-secret-" + "0123456789abcdef" * 2)
    ),
    "JWT with another algorithm": bearer(make_jwt("service_role", algorithm="HS512")),
    "garbage token": bearer("a.b.c"),
}
FORBIDDEN = {
    "anon JWT": bearer(make_jwt("anon")),
    "authenticated JWT": bearer(make_jwt("authenticated")),
    "JWT without role": bearer(make_jwt(None)),
}


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("method", ["POST", "GET"])
@pytest.mark.parametrize("headers", ACCEPTED.values(), ids=ACCEPTED.keys())
async def test_service_role_callers_are_served(
    app_client_for: AppClientFactory, path: str, method: str, headers: dict[str, str]
) -> None:
    client = await app_client_for(env={})
    response = await client.request(method, path, headers=headers)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("method", ["POST", "GET"])
@pytest.mark.parametrize("headers", UNAUTHENTICATED.values(), ids=UNAUTHENTICATED.keys())
async def test_missing_or_invalid_credentials_are_401(
    app_client_for: AppClientFactory, method: str, headers: dict[str, str]
) -> None:
    client = await app_client_for(env={})
    response = await client.request(method, "/", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert set(response.json()) == {"error"}


@pytest.mark.parametrize("method", ["POST", "GET"])
@pytest.mark.parametrize("headers", FORBIDDEN.values(), ids=FORBIDDEN.keys())
async def test_valid_jwt_without_service_role_is_403(
    app_client_for: AppClientFactory, method: str, headers: dict[str, str]
) -> None:
    client = await app_client_for(env={})
    response = await client.request(method, "/", headers=headers)
    assert response.status_code == 403
    assert "service_role" in response.json()["error"]


async def test_expired_token_says_expired(app_client_for: AppClientFactory) -> None:
    client = await app_client_for(env={})
    response = await client.post("/", headers=bearer(make_jwt("service_role", expires_in=-60)))
    assert response.json() == {"error": "token expired"}


@pytest.mark.parametrize("method", ["POST", "GET"])
@pytest.mark.parametrize("headers", [{}, bearer(SERVICE_KEY), bearer(make_jwt("service_role"))])
async def test_without_any_secret_configured_nothing_is_served(
    app_client_for: AppClientFactory, method: str, headers: dict[str, str]
) -> None:
    client = await app_client_for(env={}, supabase_service_role_key=None, supabase_jwt_secret=None)
    response = await client.request(method, "/", headers=headers)
    assert response.status_code == 503
    assert "SUPABASE_SERVICE_ROLE_KEY" in response.json()["error"]
    health = await client.get("/health")
    assert (health.status_code, health.json()["auth_configured"]) == (200, False)


async def test_with_only_a_jwt_secret_the_key_string_is_not_accepted(
    app_client_for: AppClientFactory,
) -> None:
    client = await app_client_for(env={}, supabase_service_role_key=None)
    assert (await client.post("/", headers=bearer(SERVICE_KEY))).status_code == 401
    assert (await client.post("/", headers=bearer(make_jwt("service_role")))).status_code == 200


async def test_with_only_the_key_a_jwt_is_not_accepted(app_client_for: AppClientFactory) -> None:
    client = await app_client_for(env={}, supabase_jwt_secret=None)
    assert (await client.post("/", headers=bearer(make_jwt("service_role")))).status_code == 401
    assert (await client.post("/", headers=bearer(SERVICE_KEY))).status_code == 200


async def test_a_supabase_style_service_key_jwt_with_audience_is_accepted(
    app_client_for: AppClientFactory,
) -> None:
    token = make_jwt("service_role", aud="authenticated", iss="supabase")
    client = await app_client_for(env={}, supabase_service_role_key="something-else")
    assert (await client.post("/", headers=bearer(token))).status_code == 200


async def test_auth_is_checked_before_the_body(app_client_for: AppClientFactory) -> None:
    client = await app_client_for(env={})
    response = await client.post("/", content=b"not json")
    assert response.status_code == 401


async def test_the_caller_is_recorded_as_requested_by(
    app_client_for: AppClientFactory, db: object
) -> None:
    import psycopg

    assert isinstance(db, psycopg.Connection)
    client = await app_client_for(env={})
    token = make_jwt("service_role", sub="deploy-hook")
    run_id = (await client.post("/", headers=bearer(token))).json()["run_id"]
    assert db.execute(
        "select trigger, requested_by from ai_sync_runs where id = %s", (run_id,)
    ).fetchone() == ("http", "deploy-hook")
