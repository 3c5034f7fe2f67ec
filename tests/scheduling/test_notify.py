"""Webhook notifications: what is told, the signature, bounded retries, never raising."""

from __future__ import annotations

import json
from uuid import uuid4

import httpx
import pytest

from ai_catalog.types import ProviderResult
from sync_ai_models.notify import (
    SIGNATURE_HEADER,
    build_message,
    notify_run,
    verify_signature,
)
from sync_ai_models.runner import RunOutcome

URL = "https://hooks.example.test/T000/B000/secret-path"
ENV = {"SYNC_WEBHOOK_URL": URL, "SYNC_WEBHOOK_SECRET": "s3cret"}


def outcome(
    *results: ProviderResult, status: str = "succeeded", dry_run: bool = False
) -> RunOutcome:
    return RunOutcome(run_id=uuid4(), status=status, dry_run=dry_run, results=list(results))


NEWS = outcome(
    ProviderResult(provider="openai", status="succeeded", new_model_ids=["gpt-5"], deactivated=2),
    ProviderResult(provider="anthropic", status="succeeded", overrides_kept=1),
    ProviderResult(provider="mistral", status="guarded", would_deactivate=9),
    ProviderResult(provider="groq", status="failed", error="HTTP 503 after 4 attempts"),
    status="partial",
)


class Receiver:
    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        status = self.statuses.pop(0) if self.statuses else 200
        return httpx.Response(status)


async def send(receiver: Receiver, run: RunOutcome, env: dict[str, str] = ENV) -> None:
    async with httpx.AsyncClient(transport=httpx.MockTransport(receiver)) as client:
        await notify_run(run, env, client, wait_seconds=0)


async def test_the_body_is_signed_and_slack_compatible() -> None:
    receiver = Receiver(200)
    await send(receiver, NEWS)
    (request,) = receiver.requests
    body = request.content
    assert verify_signature("s3cret", body, request.headers[SIGNATURE_HEADER])
    assert not verify_signature("wrong", body, request.headers[SIGNATURE_HEADER])
    assert not verify_signature("s3cret", body + b" ", request.headers[SIGNATURE_HEADER])
    message = json.loads(body)
    assert message["text"].splitlines() == [
        f"sync-ai-models run {NEWS.run_id}: partial",
        "• 1 new model(s): openai/gpt-5",
        "• deactivated (no longer listed): openai 2",
        "• NOT deactivated, guard tripped (would deactivate): mistral 9",
        "• manual overrides now disagree with upstream: anthropic 1",
        "• groq failed: HTTP 503 after 4 attempts",
    ]
    assert message["new_models"] == ["openai/gpt-5"]
    assert message["failed"] == [
        {"provider": "groq", "status": "failed", "error": "HTTP 503 after 4 attempts"}
    ]


async def test_without_a_secret_the_body_is_unsigned() -> None:
    receiver = Receiver(200)
    await send(receiver, NEWS, {"SYNC_WEBHOOK_URL": URL})
    assert SIGNATURE_HEADER.lower() not in receiver.requests[0].headers


async def test_a_failing_receiver_is_retried_a_bounded_number_of_times_and_never_raises(
    caplog: pytest.LogCaptureFixture,
) -> None:
    receiver = Receiver(500, 502, 503, 200)
    await send(receiver, NEWS)
    assert len(receiver.requests) == 3  # three attempts, then give up quietly
    assert "gave up after 3 attempt(s)" in caplog.text
    assert "secret-path" not in caplog.text  # the URL is a secret of its own


async def test_a_refused_body_is_not_retried() -> None:
    receiver = Receiver(400)
    await send(receiver, NEWS)
    assert len(receiver.requests) == 1


async def test_a_receiver_answering_again_after_a_hiccup_gets_it() -> None:
    receiver = Receiver(503, 200)
    await send(receiver, NEWS)
    assert len(receiver.requests) == 2


async def test_an_unreachable_receiver_does_not_raise() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(refuse)) as client:
        await notify_run(NEWS, ENV, client, wait_seconds=0)


@pytest.mark.parametrize(
    ("run", "env"),
    [
        (NEWS, {}),  # no URL
        (outcome(ProviderResult(provider="openai", status="succeeded", unchanged=5)), ENV),
        (
            outcome(
                ProviderResult(provider="openai", status="succeeded", new_model_ids=["x"]),
                dry_run=True,
            ),
            ENV,
        ),
    ],
    ids=["no-url", "nothing-new", "dry-run"],
)
async def test_nothing_is_sent_when_there_is_nothing_to_tell(
    run: RunOutcome, env: dict[str, str]
) -> None:
    receiver = Receiver()
    await send(receiver, run, env)
    assert receiver.requests == []


def test_a_failed_run_is_news_even_without_results() -> None:
    message = build_message(outcome(status="failed"))
    assert message is not None and message["status"] == "failed"
