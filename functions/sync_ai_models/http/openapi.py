"""The OpenAPI 3.1 description of the HTTP API: paths written here, schemas generated from the
pydantic models in http_models (so the two cannot drift apart)."""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from sync_ai_models.http.body import MAX_BODY_BYTES
from sync_ai_models.http.http_models import (
    ErrorResponse,
    HealthResponse,
    RunResponse,
    StatusResponse,
    SyncBody,
)

FUNCTION_PATHS = ("/", "/functions/v1/sync-ai-models")
_REF = "#/components/schemas/{model}"


def _schemas() -> dict[str, Any]:
    _, top = models_json_schema(
        [
            (SyncBody, "validation"),
            (RunResponse, "serialization"),
            (StatusResponse, "serialization"),
            (HealthResponse, "serialization"),
            (ErrorResponse, "serialization"),
        ],
        ref_template=_REF,
    )
    schemas: dict[str, Any] = top["$defs"]
    return schemas


def _json(model: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": _REF.format(model=model)}}},
    }


def _error(description: str) -> dict[str, Any]:
    return _json("ErrorResponse", description)


_AUTH_ERRORS = {
    "401": _error("No bearer token, a wrong key, or an invalid or expired JWT."),
    "403": _error("A valid JWT whose role is not service_role (anon, authenticated)."),
    "503": _error(
        "Authentication is not configured (no SUPABASE_SERVICE_ROLE_KEY and no "
        "SUPABASE_JWT_SECRET), or the database is unavailable."
    ),
}


def _function_path(suffix: str) -> dict[str, Any]:
    return {
        "post": {
            "summary": "Sync the catalog with the vendors' model lists",
            "operationId": f"sync{suffix}",
            "security": [{"serviceRole": []}],
            "requestBody": {
                "required": False,
                "description": f"Optional JSON object; at most {MAX_BODY_BYTES} bytes.",
                "content": {
                    "application/json": {"schema": {"$ref": _REF.format(model="SyncBody")}}
                },
            },
            "responses": {
                "200": _json("RunResponse", "Every attempted vendor succeeded (or was skipped)."),
                "207": _json("RunResponse", "Some vendors failed; the others were applied."),
                "502": _json("RunResponse", "Every attempted vendor failed."),
                "409": {
                    "description": (
                        "Already running: another sync holds every attempted vendor's lock "
                        "(a run body), or the run_id is not queued any more (an error body)."
                    ),
                    "content": {
                        "application/json": {
                            "schema": {
                                "oneOf": [
                                    {"$ref": _REF.format(model="RunResponse")},
                                    {"$ref": _REF.format(model="ErrorResponse")},
                                ]
                            }
                        }
                    },
                },
                "400": _error(
                    "Not JSON, not an object, an unknown key, a bad value, an unknown "
                    "provider, or a run_id that names no run."
                ),
                **_AUTH_ERRORS,
                "405": _error("Method not allowed."),
                "413": _error(f"Body larger than {MAX_BODY_BYTES} bytes."),
            },
        },
        "get": {
            "summary": "Last run and whether the catalog needs a sync",
            "operationId": f"status{suffix}",
            "security": [{"serviceRole": []}],
            "responses": {
                "200": _json("StatusResponse", "The status (cached for at most one second)."),
                **_AUTH_ERRORS,
                "405": _error("Method not allowed."),
            },
        },
    }


def build_openapi() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "sync-ai-models",
            "version": "1",
            "description": (
                "Keeps a Postgres catalog of AI models in step with the vendors' list-models "
                "APIs. Served at / and at /functions/v1/sync-ai-models (the Supabase path)."
            ),
        },
        "paths": {
            FUNCTION_PATHS[0]: _function_path(""),
            FUNCTION_PATHS[1]: _function_path("AtSupabasePath"),
            "/health": {
                "get": {
                    "summary": "Whether the database answers (no authentication)",
                    "operationId": "health",
                    "security": [],
                    "responses": {
                        "200": _json("HealthResponse", "The database answered."),
                        "503": _json("HealthResponse", "The database did not answer."),
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "summary": "This document",
                    "operationId": "openapi",
                    "security": [],
                    "responses": {"200": {"description": "The OpenAPI document."}},
                }
            },
        },
        "components": {
            "schemas": _schemas(),
            "securitySchemes": {
                "serviceRole": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": (
                        "SUPABASE_SERVICE_ROLE_KEY itself, or an HS256 JWT signed with "
                        "SUPABASE_JWT_SECRET, with exp, whose role is service_role."
                    ),
                }
            },
        },
    }
