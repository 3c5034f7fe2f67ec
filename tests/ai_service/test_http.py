"""The client layer through a real adapter: retries, Retry-After, permanent errors, no key leaks."""

from __future__ import annotations

import httpx
import pytest
import respx

from ai_catalog.vendors import (
    ProviderAuthError,
    ProviderHTTPError,
    ProviderNotConfigured,
    ProviderResponseError,
    ProviderTransportError,
    fetch_catalog,
)
from ai_catalog.vendors._http import mask_secrets, parse_retry_after
from tests.support.vendor_doubles import BASES, KEY, SleepRecorder, env_for, fast_policy, oa_list

URL = BASES["groq"] + "/models"
OK = oa_list({"id": "llama-3.3-70b-versatile", "object": "model", "context_window": 131072})


async def _fetch(sleep: SleepRecorder | None = None, attempts: int = 3):  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient() as client:
        return await fetch_catalog(
            "groq", client, env_for("groq"), policy=fast_policy(sleep, attempts)
        )


@respx.mock
async def test_429_with_retry_after_is_honoured_then_succeeds() -> None:
    route = respx.get(URL).mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "7"}, json={"error": {"message": "slow"}}),
            httpx.Response(200, json=OK),
        ]
    )
    sleep = SleepRecorder()
    catalog = await _fetch(sleep)
    assert route.call_count == 2
    assert sleep.waits == [7.0]
    assert [e.api_identifier for e in catalog.entries] == ["llama-3.3-70b-versatile"]


@respx.mock
async def test_503_then_success() -> None:
    route = respx.get(URL).mock(side_effect=[httpx.Response(503), httpx.Response(200, json=OK)])
    catalog = await _fetch()
    assert route.call_count == 2
    assert catalog.requests == 2
    assert len(catalog.entries) == 1


@respx.mock
async def test_connect_error_then_success() -> None:
    route = respx.get(URL).mock(
        side_effect=[httpx.ConnectError("refused"), httpx.Response(200, json=OK)]
    )
    catalog = await _fetch()
    assert route.call_count == 2
    assert len(catalog.entries) == 1


@respx.mock
async def test_permanent_500_gives_clear_error_after_bounded_tries() -> None:
    route = respx.get(URL).mock(
        return_value=httpx.Response(500, json={"error": {"message": "internal boom"}})
    )
    with pytest.raises(ProviderHTTPError) as info:
        await _fetch(attempts=3)
    assert route.call_count == 3
    assert info.value.provider == "groq"
    assert info.value.status == 500
    assert "internal boom" in str(info.value)
    assert str(info.value).startswith("groq: HTTP 500")


@respx.mock
async def test_401_is_not_retried_and_never_shows_the_key() -> None:
    body = {"error": {"message": f"Invalid API Key: {KEY}"}}
    route = respx.get(URL).mock(return_value=httpx.Response(401, json=body))
    with pytest.raises(ProviderAuthError) as info:
        await _fetch()
    assert route.call_count == 1
    assert info.value.status == 401
    assert KEY not in str(info.value)
    assert KEY[:12] not in str(info.value)
    assert "Invalid API Key" in str(info.value)


@respx.mock
async def test_403_is_auth_error() -> None:
    respx.get(URL).mock(return_value=httpx.Response(403, text="forbidden"))
    with pytest.raises(ProviderAuthError) as info:
        await _fetch()
    assert info.value.status == 403


@respx.mock
async def test_404_is_http_error_without_retry() -> None:
    route = respx.get(URL).mock(return_value=httpx.Response(404, json={"message": "no route"}))
    with pytest.raises(ProviderHTTPError) as info:
        await _fetch()
    assert route.call_count == 1
    assert info.value.status == 404
    assert not isinstance(info.value, ProviderAuthError)


@respx.mock
async def test_timeout_every_time_is_a_transport_error() -> None:
    route = respx.get(URL).mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(ProviderTransportError) as info:
        await _fetch(attempts=2)
    assert route.call_count == 2
    assert info.value.status is None
    assert "timed out" in str(info.value)


@respx.mock
async def test_non_json_body_is_response_error() -> None:
    respx.get(URL).mock(
        return_value=httpx.Response(
            200, text="<html>hi</html>", headers={"content-type": "text/html"}
        )
    )
    with pytest.raises(ProviderResponseError, match="not JSON"):
        await _fetch()


@pytest.mark.parametrize("body", [{"data": None}, {"models": []}, [1, 2], {"object": "list"}])
@respx.mock
async def test_wrong_envelope_is_response_error(body: object) -> None:
    respx.get(URL).mock(return_value=httpx.Response(200, json=body))
    with pytest.raises(ProviderResponseError, match="unexpected response shape"):
        await _fetch()


async def test_missing_key_is_not_configured() -> None:
    async with httpx.AsyncClient() as client:
        with pytest.raises(ProviderNotConfigured) as info:
            await fetch_catalog("groq", client, {"GROQ_BASE_URL": BASES["groq"]})
    assert "GROQ_API_KEY" in str(info.value)


async def test_real_timeout_against_a_silent_local_server() -> None:
    import asyncio

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(5)
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    policy = fast_policy(attempts=2)
    policy = type(policy)(
        attempts=2, initial_wait=0, max_wait=0, timeout=httpx.Timeout(0.2), sleep=policy.sleep
    )
    env = {"GROQ_API_KEY": KEY, "GROQ_BASE_URL": f"http://127.0.0.1:{port}"}
    try:
        async with httpx.AsyncClient() as client:
            with pytest.raises(ProviderTransportError, match="timed out"):
                await fetch_catalog("groq", client, env, policy=policy)
    finally:
        server.close()


@pytest.mark.parametrize(
    ("header", "expected"), [("3", 3.0), ("0.5", 0.5), ("", None), ("soon", None), ("-4", 0.0)]
)
def test_parse_retry_after(header: str, expected: float | None) -> None:
    assert parse_retry_after(header) == expected


def test_parse_retry_after_http_date_in_the_past_is_zero() -> None:
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def test_mask_secrets_hides_key_and_key_like_tokens() -> None:
    text = mask_secrets(f"bad key {KEY} and sk-proj-abcdef123456 here", (KEY,))
    assert KEY not in text and "sk-proj-abcdef123456" not in text
    assert text.startswith("bad key *** and ***")
