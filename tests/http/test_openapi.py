"""GET /openapi.json: a valid OpenAPI 3.1 document that matches the app's routes and answers."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from starlette.routing import Route

from ai_catalog.store.postgres import PostgresStore
from sync_ai_models.http.app import create_app
from sync_ai_models.http.openapi import build_openapi
from sync_ai_models.settings import Settings
from tests.support.http_app import AppClientFactory
from tests.support.http_doubles import FakeVendors, bearer, make_jwt


@pytest.fixture
def spec() -> dict[str, Any]:
    return build_openapi()


def validate(spec: dict[str, Any], schema: dict[str, Any], body: Any) -> None:
    Draft202012Validator({**schema, "components": spec["components"]}).validate(body)


def response_schema(spec: dict[str, Any], path: str, method: str, status: int) -> dict[str, Any]:
    schema: dict[str, Any] = spec["paths"][path][method]["responses"][str(status)]["content"][
        "application/json"
    ]["schema"]
    return schema


def test_the_document_is_valid_openapi(spec: dict[str, Any]) -> None:
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(spec)


def test_every_route_and_method_is_described(spec: dict[str, Any]) -> None:
    app = create_app(settings=Settings(supabase_service_role_key="k"), env={})
    routes = {
        (route.path, method.lower())
        for route in app.routes
        if isinstance(route, Route)
        for method in route.methods or ()
        if method != "HEAD"
    }
    described = {(path, method) for path, item in spec["paths"].items() for method in item}
    assert routes == described


async def test_served_document_is_the_built_one(
    client: httpx.AsyncClient, spec: dict[str, Any]
) -> None:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    assert response.json() == spec


async def test_real_answers_match_their_schemas(
    app_client_for: AppClientFactory,
    vendors: FakeVendors,
    store: PostgresStore,
    spec: dict[str, Any],
) -> None:
    client = await app_client_for()
    auth = bearer(make_jwt("service_role"))
    vendors.lists("openai", "gpt-4o")
    vendors.fails("groq", 401)
    claimed = {"run_id": str(await store.start_run("cli"))}
    answers = [
        ("post", await client.post("/", headers=auth)),
        ("post", await client.post("/", json=claimed, headers=auth)),
        ("get", await client.get("/", headers=auth)),
        ("post", await client.post("/", json={"bogus": 1}, headers=auth)),
        ("post", await client.post("/", headers=bearer(make_jwt("anon")))),
        ("post", await client.post("/")),
        ("get", await client.delete("/")),
    ]
    assert [r.status_code for _, r in answers] == [207, 409, 200, 400, 403, 401, 405]
    for method, response in answers:
        schema = response_schema(spec, "/", method, response.status_code)
        validate(spec, schema, response.json())
    health = await client.get("/health")
    validate(spec, response_schema(spec, "/health", "get", 200), health.json())


def test_the_body_schema_refuses_what_the_app_refuses(spec: dict[str, Any]) -> None:
    schema = spec["paths"]["/"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    check = Draft202012Validator({**schema, "components": spec["components"]})
    assert check.is_valid({"providers": ["openai"], "dry_run": True})
    assert not check.is_valid({"providers": ["acme"]})
    assert not check.is_valid({"provider": ["openai"]})
    assert not check.is_valid({"providers": []})
