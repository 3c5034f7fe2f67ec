"""Every method x path x kind of credential against the real app: who gets what status.

The expected status is a small table (by route, method and class of credential); the test makes
each request and compares the whole matrix, and checks that no answer carries a secret."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import httpx
import jwt
import pytest

from ai_catalog.store.postgres import PostgresStore
from sync_ai_models.http.app import create_app
from sync_ai_models.settings import Settings
from tests.support.http_doubles import JWT_SECRET, SERVICE_KEY, bearer, make_jwt

FUNCTION_PATHS = ("/", "/functions/v1/sync-ai-models")
OPEN_PATHS = ("/health", "/openapi.json")
UNKNOWN_PATHS = ("/nope", "/functions/v1/other")
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _raw_jwt(payload: dict[str, object], algorithm: str = "HS256") -> str:
    return jwt.encode(payload, JWT_SECRET if algorithm != "none" else None, algorithm=algorithm)


_LATER = int(time.time()) + 3600
ACCEPTED = {
    "service-role key": bearer(SERVICE_KEY),
    "service_role JWT": bearer(make_jwt("service_role")),
    "lower-case scheme": {"Authorization": f"bearer {SERVICE_KEY}"},
    "service_role JWT with an audience": bearer(make_jwt("service_role", aud="authenticated")),
}
UNAUTHENTICATED = {
    "no header": {},
    "empty header": {"Authorization": ""},
    "empty bearer": {"Authorization": "Bearer "},
    "scheme only": {"Authorization": "Bearer"},
    "other scheme": {"Authorization": f"Basic {SERVICE_KEY}"},
    "wrong key": bearer("not-the-key"),
    "key with a suffix": bearer(SERVICE_KEY + "x"),
    "key prefix": bearer(SERVICE_KEY[:-1]),
    "key twice": bearer(f"{SERVICE_KEY} {SERVICE_KEY}"),
    "key in an apikey header": {"apikey": SERVICE_KEY},
    "expired JWT": bearer(make_jwt("service_role", expires_in=-60)),
    "JWT without exp": bearer(make_jwt("service_role", expires_in=None)),
    "JWT whose exp is a numeric string": bearer(
        _raw_jwt({"role": "service_role", "exp": str(_LATER)})
    ),
    "JWT whose exp is not a number": bearer(_raw_jwt({"role": "service_role", "exp": "soon"})),
    "JWT not valid yet": bearer(make_jwt("service_role", nbf=_LATER)),
    "JWT signed with another secret": bearer(
        make_jwt("service_role", secret="another-secret-" + "0123456789abcdef" * 2)
    ),
    "JWT with another algorithm": bearer(make_jwt("service_role", algorithm="HS512")),
    "unsigned JWT (alg none)": bearer(_raw_jwt({"role": "service_role", "exp": _LATER}, "none")),
    "JWT signed with the service key": bearer(
        jwt.encode({"role": "service_role", "exp": _LATER}, SERVICE_KEY, algorithm="HS256")
    ),
    "garbage token": bearer("a.b.c"),
    "JWT with a tampered payload": bearer(
        ".".join(
            (
                make_jwt("anon").split(".")[0],
                make_jwt("service_role").split(".")[1],
                make_jwt("anon").split(".")[2],
            )
        )
    ),
}
FORBIDDEN = {
    "anon JWT": bearer(make_jwt("anon")),
    "authenticated JWT": bearer(make_jwt("authenticated")),
    "JWT without role": bearer(make_jwt(None)),
    "JWT with a list as role": bearer(_raw_jwt({"role": ["service_role"], "exp": _LATER})),
    "JWT with role SERVICE_ROLE": bearer(make_jwt("SERVICE_ROLE")),
}
CREDENTIALS = {
    **{name: ("accepted", h) for name, h in ACCEPTED.items()},
    **{name: ("unauthenticated", h) for name, h in UNAUTHENTICATED.items()},
    **{name: ("forbidden", h) for name, h in FORBIDDEN.items()},
}
BY_CREDENTIAL = {"accepted": 200, "unauthenticated": 401, "forbidden": 403}


def expected_status(path: str, method: str, credential_class: str) -> int:
    """The documented answer; routes are matched (404, 405) before anyone is authenticated."""
    readable = method in ("GET", "HEAD")
    if path in FUNCTION_PATHS:
        if readable or method == "POST":
            return BY_CREDENTIAL[credential_class]
        return 405
    if path in OPEN_PATHS:
        return 200 if readable else 405
    return 404


@pytest.fixture
async def client(store: PostgresStore, db_url: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        database_url=db_url,
        supabase_url=None,
        supabase_service_role_key=SERVICE_KEY,
        supabase_jwt_secret=JWT_SECRET,
    )
    async with httpx.AsyncClient() as vendors:
        app = create_app(settings=settings, store=store, env={}, http_client=vendors)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c


@pytest.mark.parametrize("path", FUNCTION_PATHS + OPEN_PATHS + UNKNOWN_PATHS)
async def test_auth_matrix(client: httpx.AsyncClient, path: str) -> None:
    found: dict[tuple[str, str], int] = {}
    expected: dict[tuple[str, str], int] = {}
    for method in METHODS:
        for name, (credential_class, headers) in CREDENTIALS.items():
            response = await client.request(method, path, headers=headers)
            found[method, name] = response.status_code
            expected[method, name] = expected_status(path, method, credential_class)
            assert SERVICE_KEY not in response.text and JWT_SECRET not in response.text
            if response.status_code == 401:
                assert response.headers["www-authenticate"].startswith("Bearer")
    mismatches = {k: (found[k], expected[k]) for k in found if found[k] != expected[k]}
    assert mismatches == {}, "(method, credential): (got, expected)"
