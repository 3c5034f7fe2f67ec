"""The one client layer for vendor calls: timeouts, bounded retries with backoff, error mapping.

Retried: connect errors and timeouts, 429 and 5xx (honouring `Retry-After`, capped).
Not retried: 401/403 and other 4xx. After the last try the failure becomes a `ProviderError`
whose message names the vendor, the status and a short reason, with the key masked out.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

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
    ProviderHTTPError,
    ProviderResponseError,
    ProviderTransportError,
)

Sleep = Callable[[float], Awaitable[None]]
_REASON_MAX = 120
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


def _short_reason(response: httpx.Response) -> str:
    reason = response.reason_phrase or "error"
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return reason
    detail: Any = body.get("error", body) if isinstance(body, dict) else None
    if isinstance(detail, dict):
        detail = detail.get("message") or detail.get("type")
    if isinstance(body, dict) and detail is None:
        detail = body.get("message")
    if isinstance(detail, str) and detail.strip():
        reason = detail.strip().splitlines()[0]
    return reason[:_REASON_MAX]


class VendorHTTP:
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
    ) -> None:
        self.provider = provider
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.headers = dict(headers)
        self.policy = policy or RetryPolicy()
        self.secrets = secrets
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
                    response = await self._send_once(method, url, params, json_body)
        except _Retryable as exc:
            raise self._final_error(exc) from None
        return self._decode(response)

    async def _send_once(
        self, method: str, url: str, params: Mapping[str, Any] | None, json_body: Any
    ) -> httpx.Response:
        self.requests_sent += 1
        try:
            response = await self.client.request(
                method,
                url,
                params=dict(params) if params else None,
                json=json_body,
                headers=self.headers,
                timeout=self.policy.timeout,
            )
        except httpx.TimeoutException as exc:
            raise _Retryable(None, f"timed out ({type(exc).__name__})", None) from None
        except httpx.TransportError as exc:
            raise _Retryable(None, f"connection failed ({type(exc).__name__})", None) from None
        status = response.status_code
        if status == 429 or status >= 500:
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            raise _Retryable(status, _short_reason(response), retry_after)
        if status in (401, 403):
            raise ProviderAuthError(
                self.provider, self._mask(_short_reason(response)), status=status
            )
        if status >= 400:
            raise ProviderHTTPError(
                self.provider, self._mask(_short_reason(response)), status=status
            )
        return response

    def _final_error(self, exc: _Retryable) -> ProviderHTTPError | ProviderTransportError:
        tries = f" after {self.policy.attempts} tries"
        if exc.status is None:
            return ProviderTransportError(self.provider, self._mask(exc.reason) + tries)
        return ProviderHTTPError(self.provider, self._mask(exc.reason) + tries, status=exc.status)

    def _decode(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            ctype = response.headers.get("content-type", "unknown content type")
            raise ProviderResponseError(
                self.provider, f"response is not JSON ({ctype})", status=response.status_code
            ) from None

    def _mask(self, text: str) -> str:
        return mask_secrets(text, self.secrets)
