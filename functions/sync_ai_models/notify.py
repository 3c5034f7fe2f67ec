"""Tells a webhook what a finished run changed: new models, deactivations (and guarded ones),
manual overrides that now disagree with upstream, failures. Optional: only with
`SYNC_WEBHOOK_URL`. The body is JSON with a Slack-compatible `text`; with `SYNC_WEBHOOK_SECRET`
it is signed (HMAC-SHA256 over the raw body, header `X-Sync-Signature-256: sha256=<hex>`).

A receiver that fails is retried a few times; a notification never fails the run, and the URL
(a Slack URL is itself a secret) is never logged.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Mapping
from typing import Any

import httpx
import orjson
from tenacity import (
    AsyncRetrying,
    RetryError,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from sync_ai_models.runner import RunOutcome

log = logging.getLogger("sync_ai_models.notify")

SIGNATURE_HEADER = "X-Sync-Signature-256"
EVENT = "sync_ai_models.run_finished"
MAX_LISTED = 20  # models named in `text`; the JSON fields carry all of them


class ReceiverError(Exception):
    """The receiver answered with a status worth retrying (429, 5xx)."""


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_signature(secret: str, body: bytes, header: str | None) -> bool:
    """For receivers (and tests): does the header sign exactly this body?"""
    return header is not None and hmac.compare_digest(sign(secret, body), header)


def build_message(outcome: RunOutcome) -> dict[str, Any] | None:
    """The webhook body for this run, or None when there is nothing to tell."""
    if outcome.dry_run:
        return None
    results = outcome.results
    new_models = [f"{r.provider}/{m}" for r in results for m in r.new_model_ids]
    deactivated = {r.provider: r.deactivated for r in results if r.deactivated}
    guarded = {r.provider: r.would_deactivate for r in results if r.status == "guarded"}
    overrides = {r.provider: r.overrides_kept for r in results if r.overrides_kept}
    failed = [
        {"provider": r.provider, "status": r.status, "error": r.error}
        for r in results
        if r.status in ("failed", "already_running", "lock_timeout")
    ]
    if not (new_models or deactivated or guarded or overrides or failed) and (
        outcome.status != "failed"
    ):
        return None
    return {
        "event": EVENT,
        "text": _text(outcome, new_models, deactivated, guarded, overrides, failed),
        "run_id": str(outcome.run_id),
        "status": outcome.status,
        "new_models": new_models,
        "deactivated": deactivated,
        "guarded": guarded,
        "overrides_disagreeing": overrides,
        "failed": failed,
        "totals": outcome.totals,
    }


def _text(
    outcome: RunOutcome,
    new_models: list[str],
    deactivated: dict[str, int],
    guarded: dict[str, int],
    overrides: dict[str, int],
    failed: list[dict[str, Any]],
) -> str:
    lines = [f"sync-ai-models run {outcome.run_id}: {outcome.status}"]
    if new_models:
        shown = ", ".join(new_models[:MAX_LISTED])
        more = f" and {len(new_models) - MAX_LISTED} more" if len(new_models) > MAX_LISTED else ""
        lines.append(f"• {len(new_models)} new model(s): {shown}{more}")
    if deactivated:
        lines.append(f"• deactivated (no longer listed): {_counts(deactivated)}")
    if guarded:
        lines.append(f"• NOT deactivated, guard tripped (would deactivate): {_counts(guarded)}")
    if overrides:
        lines.append(f"• manual overrides now disagree with upstream: {_counts(overrides)}")
    for failure in failed:
        lines.append(f"• {failure['provider']} {failure['status']}: {failure['error']}")
    return "\n".join(lines)


def _counts(per_provider: dict[str, int]) -> str:
    return ", ".join(f"{provider} {n}" for provider, n in sorted(per_provider.items()))


async def notify_run(
    outcome: RunOutcome,
    env: Mapping[str, str],
    client: httpx.AsyncClient,
    *,
    attempts: int = 3,
    wait_seconds: float = 1.0,
    timeout_seconds: float = 10.0,
) -> None:
    """Posts the run's news to SYNC_WEBHOOK_URL, if set and if there is news. Never raises."""
    url = env.get("SYNC_WEBHOOK_URL", "").strip()
    if not url:
        return
    try:
        message = build_message(outcome)
        if message is None:
            return
        body = orjson.dumps(message)
        headers = {"Content-Type": "application/json", "User-Agent": "sync-ai-models"}
        secret = env.get("SYNC_WEBHOOK_SECRET", "")
        if secret:
            headers[SIGNATURE_HEADER] = sign(secret, body)
        await _post(client, url, body, headers, attempts, wait_seconds, timeout_seconds)
    except Exception as exc:  # a notification must never fail the run
        log.warning("webhook for run %s not delivered: %s", outcome.run_id, _reason(exc))


async def _post(
    client: httpx.AsyncClient,
    url: str,
    body: bytes,
    headers: dict[str, str],
    attempts: int,
    wait_seconds: float,
    timeout_seconds: float,
) -> None:
    retrying = AsyncRetrying(
        stop=stop_after_attempt(max(1, attempts)),
        wait=wait_exponential(multiplier=wait_seconds, max=30),
        retry=retry_if_exception_type((httpx.TransportError, ReceiverError)),
        reraise=False,
    )
    async for attempt in retrying:
        with attempt:
            response = await client.post(
                url, content=body, headers=headers, timeout=timeout_seconds
            )
            if response.status_code == 429 or response.status_code >= 500:
                raise ReceiverError(f"receiver answered {response.status_code}")
            response.raise_for_status()  # other 4xx: retrying would not help


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RetryError):
        last = exc.last_attempt.exception()
        cause = _reason(last) if last is not None else "no answer"
        return f"gave up after {exc.last_attempt.attempt_number} attempt(s): {cause}"
    if isinstance(exc, httpx.HTTPStatusError):
        return f"receiver answered {exc.response.status_code}"  # str(exc) would name the URL
    if isinstance(exc, httpx.TransportError):
        return type(exc).__name__
    return str(exc) or type(exc).__name__
