"""Count input tokens with the vendor's own endpoint (Anthropic, Google Gemini), over httpx.

Anthropic: `POST {ANTHROPIC_BASE_URL}/messages/count_tokens` with `x-api-key` and
`anthropic-version: 2023-06-01`. Gemini: `POST {GOOGLE_BASE_URL}/models/{model}:countTokens` with
`x-goog-api-key`. Without a key, on any failure (HTTP error status such as 429, timeout, network
error, unexpected answer) or for a vendor with no such endpoint, the count falls back to the
strategy's character ratio and is marked an estimate, with the reason in `TokenCount.note`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from ai_catalog.tokens.chat import ChatRequest, ToolDefinition
from ai_catalog.tokens.ratio import estimate_by_ratio
from ai_catalog.tokens.token_count import TokenCount

ANTHROPIC_VERSION = "2023-06-01"
DEFAULT_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class ProviderApiSettings:
    anthropic_base_url: str = "https://api.anthropic.com/v1"
    anthropic_api_key: str | None = None
    google_base_url: str = "https://generativelanguage.googleapis.com/v1beta"
    google_api_key: str | None = None
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ProviderApiSettings:
        env = os.environ if environ is None else environ
        defaults = cls()
        return cls(
            anthropic_base_url=env.get("ANTHROPIC_BASE_URL") or defaults.anthropic_base_url,
            anthropic_api_key=env.get("ANTHROPIC_API_KEY") or None,
            google_base_url=env.get("GOOGLE_BASE_URL") or defaults.google_base_url,
            google_api_key=env.get("GOOGLE_API_KEY") or env.get("GEMINI_API_KEY") or None,
        )


class _CannotCount(Exception):
    """The vendor could not give a count; the message says why (for `TokenCount.note`)."""


@dataclass(frozen=True, slots=True)
class _Call:
    url: str
    headers: dict[str, str]
    body: dict[str, Any]
    answer_field: str


def _anthropic_call(request: ChatRequest, model_id: str, s: ProviderApiSettings) -> _Call:
    if not s.anthropic_api_key:
        raise _CannotCount("no ANTHROPIC_API_KEY")
    system = [request.system] if request.system else []
    messages = []
    for m in request.messages:
        if m.role == "system":
            system.append(m.content)
        elif m.role in ("user", "assistant"):
            messages.append({"role": m.role, "content": m.content})
        else:
            raise _CannotCount(f"Anthropic has no {m.role!r} role")
    body: dict[str, Any] = {"model": model_id, "messages": messages}
    if system:
        body["system"] = "\n\n".join(system)
    if request.tools:
        body["tools"] = [
            {"name": t.name, "input_schema": _schema(t)}
            | ({"description": t.description} if t.description else {})
            for t in request.tools
        ]
    headers = {"x-api-key": s.anthropic_api_key, "anthropic-version": ANTHROPIC_VERSION}
    url = f"{s.anthropic_base_url.rstrip('/')}/messages/count_tokens"
    return _Call(url, headers, body, "input_tokens")


_GEMINI_ROLES = {"user": "user", "assistant": "model", "model": "model"}


def _gemini_call(request: ChatRequest, model_id: str, s: ProviderApiSettings) -> _Call:
    if not s.google_api_key:
        raise _CannotCount("no GOOGLE_API_KEY or GEMINI_API_KEY")
    model = model_id.removeprefix("models/")
    system = [request.system] if request.system else []
    contents = []
    for m in request.messages:
        if m.role == "system":
            system.append(m.content)
        elif m.role in _GEMINI_ROLES:
            contents.append({"role": _GEMINI_ROLES[m.role], "parts": [{"text": m.content}]})
        else:
            raise _CannotCount(f"Gemini has no {m.role!r} role")
    inner: dict[str, Any] = {"model": f"models/{model}", "contents": contents}
    if system:
        inner["systemInstruction"] = {"parts": [{"text": text} for text in system]}
    if request.tools:
        declarations = [
            {"name": t.name, "parameters": _schema(t)}
            | ({"description": t.description} if t.description else {})
            for t in request.tools
        ]
        inner["tools"] = [{"functionDeclarations": declarations}]
    url = f"{s.google_base_url.rstrip('/')}/models/{model}:countTokens"
    headers = {"x-goog-api-key": s.google_api_key}
    return _Call(url, headers, {"generateContentRequest": inner}, "totalTokens")


_CALL_BUILDERS: dict[str, Callable[[ChatRequest, str, ProviderApiSettings], _Call]] = {
    "anthropic": _anthropic_call,
    "google": _gemini_call,
    "gemini": _gemini_call,
}


async def count_with_provider(
    request: ChatRequest,
    *,
    provider: str,
    model_id: str,
    fallback_chars_per_token: float,
    client: httpx.AsyncClient | None = None,
    settings: ProviderApiSettings | None = None,
) -> TokenCount:
    """The vendor's count of `request`'s input tokens, or the ratio estimate when it has none."""
    settings = settings or ProviderApiSettings.from_env()
    try:
        builder = _CALL_BUILDERS.get(provider)
        if builder is None:
            raise _CannotCount(f"provider {provider!r} has no count-tokens endpoint")
        call = builder(request, model_id, settings)
        tokens = await _post(call, client, settings.timeout_seconds)
    except _CannotCount as reason:
        estimate = estimate_by_ratio(request, fallback_chars_per_token)
        note = f"{reason}; estimated at {fallback_chars_per_token:g} chars/token"
        return TokenCount(estimate, "chars_ratio", estimated=True, note=note)
    return TokenCount(tokens, "provider_api", estimated=False)


async def _post(call: _Call, client: httpx.AsyncClient | None, timeout: float) -> int:
    if client is None:
        async with httpx.AsyncClient() as own_client:
            return await _post(call, own_client, timeout)
    try:
        response = await client.post(
            call.url, headers=call.headers, json=call.body, timeout=timeout
        )
    except httpx.TimeoutException as exc:
        raise _CannotCount(f"count-tokens timed out after {timeout:g}s") from exc
    except httpx.HTTPError as exc:
        raise _CannotCount(f"count-tokens failed: {type(exc).__name__}") from exc
    if response.status_code != 200:
        raise _CannotCount(f"count-tokens answered HTTP {response.status_code}")
    try:
        tokens = response.json()[call.answer_field]
    except (ValueError, KeyError, TypeError) as exc:
        raise _CannotCount(f"count-tokens answer has no {call.answer_field!r}") from exc
    if not isinstance(tokens, int) or isinstance(tokens, bool) or tokens < 0:
        raise _CannotCount(f"count-tokens answered {call.answer_field}={tokens!r}")
    return tokens


def _schema(tool: ToolDefinition) -> dict[str, Any]:
    return dict(tool.parameters) or {"type": "object", "properties": {}}
