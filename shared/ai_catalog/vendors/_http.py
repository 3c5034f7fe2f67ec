"""The one client layer for vendor calls: timeouts, bounded retries with backoff, error mapping.

Retried: connect errors and timeouts, 429 and 5xx (honouring `Retry-After`, capped).
Not retried: 401/403 and other 4xx. After the last try the failure becomes a `ProviderError`
whose message names the vendor, the status and a short reason, with the key masked out.

Bodies are streamed and refused past a size cap; a body that is not JSON (or nested too deeply
to parse) is a `ProviderResponseError`. Requests go only to the origin of the configured base
URL, so the key never follows a link to another host.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from ai_catalog.vendors.errors import (
    ProviderAuthError,
    ProviderError,
    ProviderHTTPError,
    ProviderResponseError,
    ProviderTransportError,
)

Sleep = Callable[[float], Awaitable[None]]
_REASON_MAX = 120
_ERROR_BODY_MAX = 64 * 1024
"""An error body is read this far for its message; the rest is ignored."""
_SECRET_LIKE = re.compile(r"\b(?:sk|gsk|xai|AIza|key|Bearer)[-_A-Za-z0-9*.]{6,}", re.IGNORECASE)


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try one call. Tests pass tiny waits or their own `sleep`."""

    attempts: int = 4
    initial_wait: float = 0.5
    max_wait: float = 8.0
    max_retry_after: float = 60.0
    timeout: httpx.Timeout = field(default_factory=lambda: httpx.Timeout(30.0, connect=10.0))
    sleep: Sleep = asyncio.sleep


class _Retryable(Exception):
    def __init__(self, status: int | None, reason: str, retry_after: float | None) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.retry_after = retry_after


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a `Retry-After` header (delta-seconds or an HTTP date); None when absent."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    from datetime import UTC, datetime

    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def mask_secrets(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return _SECRET_LIKE.sub("***", text)


def origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return parts.scheme.lower(), (parts.hostname or "").lower(), port or default


def parse_json(body: bytes) -> Any:
    """JSON from bytes; ValueError for anything that is not (bad syntax, bad UTF-8, nesting too
    deep for the parser, an integer with thousands of digits)."""
    try:
        return json.loads(body)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _short_reason(response: httpx.Response, body: bytes) -> str:
    reason = response.reason_phrase or "error"
    try:
        body = parse_json(body)
    except ValueError:
        return reason
    detail: Any = body.get("error", body) if isinstance(body, dict) else None
    if isinstance(detail, dict):
        detail = detail.get("message") or detail.get("type")
    if isinstance(body, dict) and detail is None:
        detail = body.get("message")
    if isinstance(detail, str) and detail.strip():
        reason = detail.strip().splitlines()[0]
    return reason[:_REASON_MAX]


class ProviderHTTP:
    """Sends one vendor's requests over a shared `httpx.AsyncClient`."""

    def __init__(
        self,
        provider: str,
        client: httpx.AsyncClient,
        base_url: str,
        headers: Mapping[str, str],
        *,
        policy: RetryPolicy | None = None,
        secrets: tuple[str, ...] = (),
        max_bytes: int = 32 * 1024 * 1024,
    ) -> None:
        self.provider = provider
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.headers = dict(headers)
        self.policy = policy or RetryPolicy()
        self.secrets = secrets
        self.max_bytes = max_bytes
        self.origin = origin(self.base_url)
        self.requests_sent = 0

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Retryable) and exc.retry_after is not None:
            return min(exc.retry_after, self.policy.max_retry_after)
        backoff = wait_exponential_jitter(
            initial=self.policy.initial_wait,
            max=self.policy.max_wait,
            jitter=self.policy.initial_wait,
        )
        return float(backoff(state))

    async def get_json(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return await self.request_json("GET", path, params=params)

    async def request_json(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
    ) -> Any:
        url = path if path.startswith(("http://", "https://")) else self.base_url + path
        if origin(url) != self.origin:
            raise ProviderResponseError(
                self.provider, "refused a link to another host than the configured base URL"
            )
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.policy.attempts),
            wait=self._wait,
            retry=retry_if_exception_type(_Retryable),
            sleep=self.policy.sleep,
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    response, body = await self._send_once(method, url, params, json_body)
        except _Retryable as exc:
            raise self._final_error(exc) from None
        return self._decode(response, body)

    async def _send_once(
        self, method: str, url: str, params: Mapping[str, Any] | None, json_body: Any
    ) -> tuple[httpx.Response, bytes]:
        self.requests_sent += 1
        try:
            async with self.client.stream(
                method,
                url,
                params=dict(params) if params else None,
                json=json_body,
                headers=self.headers,
                timeout=self.policy.timeout,
                follow_redirects=False,  # a redirect must not carry the key elsewhere
            ) as response:
                status = response.status_code
                if status >= 400:
                    error_body = await self._read(response, _ERROR_BODY_MAX, truncate=True)
                    self._raise_for_status(response, error_body)
                return response, await self._read(response, self.max_bytes)
        except UnicodeEncodeError:  # a name from the listing that no request can carry
            raise ProviderError(self.provider, "request could not be encoded") from None
        except httpx.TimeoutException as exc:
            raise _Retryable(None, f"timed out ({type(exc).__name__})", None) from None
        except httpx.TransportError as exc:
            raise _Retryable(None, f"connection failed ({type(exc).__name__})", None) from None

    def _raise_for_status(self, response: httpx.Response, body: bytes) -> None:
        status = response.status_code
        if status == 429 or status >= 500:
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            raise _Retryable(status, _short_reason(response, body), retry_after)
        error = ProviderAuthError if status in (401, 403) else ProviderHTTPError
        raise error(self.provider, self._mask(_short_reason(response, body)), status=status)

    async def _read(self, response: httpx.Response, limit: int, *, truncate: bool = False) -> bytes:
        """The body, refused (or, for an error body, cut) past `limit` bytes."""
        too_large = ProviderResponseError(
            self.provider, f"response larger than {limit} bytes", status=response.status_code
        )
        declared = response.headers.get("content-length", "")
        if not truncate and declared.isdigit() and int(declared) > limit:
            raise too_large
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > limit:
                if truncate:
                    return bytes(body[:limit])
                raise too_large
        return bytes(body)

    def _final_error(self, exc: _Retryable) -> ProviderHTTPError | ProviderTransportError:
        tries = f" after {self.policy.attempts} tries"
        if exc.status is None:
            return ProviderTransportError(self.provider, self._mask(exc.reason) + tries)
        return ProviderHTTPError(self.provider, self._mask(exc.reason) + tries, status=exc.status)

    def _decode(self, response: httpx.Response, body: bytes) -> Any:
        try:
            return parse_json(body)
        except ValueError as exc:
            ctype = response.headers.get("content-type", "unknown content type")[:60]
            why = str(exc) if str(exc) == "nested too deeply" else "not JSON"
            raise ProviderResponseError(
                self.provider, f"response is {why} ({ctype})", status=response.status_code
            ) from None

    def _mask(self, text: str) -> str:
        return mask_secrets(text, self.secrets)
