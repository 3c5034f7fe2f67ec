"""Test doubles for the HTTP tests: caller credentials, and vendors behind an httpx transport."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import jwt

SERVICE_KEY = "service-role-key-SECRET-7f3a9c51d2e84b06"
JWT_SECRET = "jwt-secret-SECRET-for-tests-" + "0123456789abcdef" * 3
VENDOR_KEY = "sk-vendor-SECRET-abcdef0123456789"
RAW_MARKER = "RAW-VENDOR-PAYLOAD-7d1e"
"""Sits in a field of every vendor entry that the catalog keeps only as `raw`."""

VENDOR_BASES = {
    "openai": "https://openai.test/v1",
    "groq": "https://groq.test/openai/v1",
}


def vendor_env(*providers: str) -> dict[str, str]:
    env: dict[str, str] = {"SYNC_MODELS_DEV_URL": "off"}  # tests never reach the network
    for provider in providers:
        env[f"{provider.upper()}_API_KEY"] = VENDOR_KEY
        env[f"{provider.upper()}_BASE_URL"] = VENDOR_BASES[provider]
    return env


def make_jwt(
    role: str | None,
    *,
    expires_in: float | None = 3600,
    secret: str = JWT_SECRET,
    algorithm: str = "HS256",
    **claims: Any,
) -> str:
    payload: dict[str, Any] = {"sub": f"user-{role}", **claims}
    if role is not None:
        payload["role"] = role
    if expires_in is not None:
        payload["exp"] = int(time.time() + expires_in)
    return jwt.encode(payload, secret, algorithm=algorithm)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def model_list(*model_ids: str) -> dict[str, Any]:
    return {
        "object": "list",
        "data": [
            {"id": m, "object": "model", "created": 1715367049, "owned_by": RAW_MARKER}
            for m in model_ids
        ],
    }


Responder = Callable[[httpx.Request], httpx.Response]


class FakeVendors:
    """Answers `GET <base>/models` per vendor host; records each request."""

    def __init__(self) -> None:
        self.answers: dict[str, Responder] = {}
        self.requests: list[httpx.Request] = []

    def lists(self, provider: str, *model_ids: str) -> None:
        body = model_list(*model_ids)
        self.answers[provider] = lambda request: httpx.Response(200, json=body)

    def fails(self, provider: str, status: int = 401) -> None:
        # the vendor's message quotes the key (masked in our error); the rest is raw payload
        body = {"error": {"message": f"bad key {VENDOR_KEY}", "param": RAW_MARKER}}
        self.answers[provider] = lambda request: httpx.Response(status, json=body)

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        for provider, base in VENDOR_BASES.items():
            if str(request.url).startswith(base) and provider in self.answers:
                return self.answers[provider](request)
        return httpx.Response(404, json={"error": {"message": "no such fake vendor"}})

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.MockTransport(self.handler))
