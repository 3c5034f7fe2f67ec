from __future__ import annotations

import json

import httpx
import pytest
import respx

from ai_catalog.tokens.chat import parse_chat
from ai_catalog.tokens.provider_api import ProviderApiSettings, count_with_provider
from ai_catalog.tokens.ratio import request_chars
from ai_catalog.tokens.token_count import TokenCount

CHAT = parse_chat(
    {
        "system": "Be brief.",
        "messages": [
            {"role": "user", "content": "Hello, Claude"},
            {"role": "assistant", "content": "Hi."},
            {"role": "user", "content": "Weather?"},
        ],
        "tools": [
            {
                "type": "function",
                "function": {
                    "name": "get_weather",
                    "description": "Get the weather",
                    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
                },
            }
        ],
    }
)
ANTHROPIC = ProviderApiSettings(
    anthropic_base_url="http://anthropic.test/v1", anthropic_api_key="ak"
)
GOOGLE = ProviderApiSettings(google_base_url="http://google.test/v1beta", google_api_key="gk")


async def count(provider: str, model: str, settings: ProviderApiSettings) -> TokenCount:
    async with httpx.AsyncClient() as client:
        return await count_with_provider(
            CHAT,
            provider=provider,
            model_id=model,
            fallback_chars_per_token=4.0,
            client=client,
            settings=settings,
        )


@respx.mock
async def test_anthropic_count_tokens_success() -> None:
    route = respx.post("http://anthropic.test/v1/messages/count_tokens").respond(
        json={"input_tokens": 57}
    )
    result = await count("anthropic", "claude-sonnet-4-5", ANTHROPIC)
    assert (result.tokens, result.method, result.estimated) == (57, "provider_api", False)
    sent = route.calls.last.request
    assert sent.headers["x-api-key"] == "ak"
    assert sent.headers["anthropic-version"] == "2023-06-01"
    body = json.loads(sent.content)
    assert body["model"] == "claude-sonnet-4-5"
    assert body["system"] == "Be brief."
    assert [m["role"] for m in body["messages"]] == ["user", "assistant", "user"]
    assert body["tools"][0]["name"] == "get_weather"
    assert body["tools"][0]["input_schema"]["properties"] == {"city": {"type": "string"}}


@respx.mock
async def test_gemini_count_tokens_success() -> None:
    route = respx.post("http://google.test/v1beta/models/gemini-2.0-flash:countTokens").respond(
        json={"totalTokens": 31}
    )
    result = await count("google", "models/gemini-2.0-flash", GOOGLE)
    assert (result.tokens, result.method, result.estimated) == (31, "provider_api", False)
    sent = route.calls.last.request
    assert sent.headers["x-goog-api-key"] == "gk"
    inner = json.loads(sent.content)["generateContentRequest"]
    assert inner["model"] == "models/gemini-2.0-flash"
    assert [c["role"] for c in inner["contents"]] == ["user", "model", "user"]
    assert inner["systemInstruction"] == {"parts": [{"text": "Be brief."}]}
    assert inner["tools"][0]["functionDeclarations"][0]["name"] == "get_weather"


def expected_fallback() -> int:
    return -(-request_chars(CHAT) // 4)


@respx.mock
async def test_429_falls_back_to_the_ratio() -> None:
    respx.post("http://anthropic.test/v1/messages/count_tokens").respond(429)
    result = await count("anthropic", "claude-sonnet-4-5", ANTHROPIC)
    assert (result.method, result.estimated) == ("chars_ratio", True)
    assert result.tokens == expected_fallback()
    assert result.note is not None and "HTTP 429" in result.note


@respx.mock(assert_all_called=False)
async def test_no_key_falls_back_without_a_request(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(url__regex=r".*").respond(json={"input_tokens": 1})
    result = await count("anthropic", "claude", ProviderApiSettings())
    assert (result.tokens, result.estimated) == (expected_fallback(), True)
    assert result.note is not None and "no ANTHROPIC_API_KEY" in result.note
    assert not route.called


@respx.mock
async def test_timeout_falls_back() -> None:
    respx.post("http://google.test/v1beta/models/g:countTokens").mock(
        side_effect=httpx.ReadTimeout("slow")
    )
    result = await count("google", "g", GOOGLE)
    assert result.estimated and result.note is not None and "timed out" in result.note


@respx.mock
@pytest.mark.parametrize("answer", [{"totalTokens": "12"}, {"other": 1}, {"totalTokens": -1}])
async def test_unexpected_answers_fall_back(answer: dict[str, object]) -> None:
    respx.post("http://google.test/v1beta/models/g:countTokens").respond(json=answer)
    result = await count("google", "g", GOOGLE)
    assert (result.method, result.estimated) == ("chars_ratio", True)


async def test_a_provider_without_an_endpoint_falls_back() -> None:
    result = await count("mistral", "mistral-large", ProviderApiSettings())
    assert result.estimated and result.note is not None and "'mistral'" in result.note


def test_settings_come_from_the_environment() -> None:
    settings = ProviderApiSettings.from_env(
        {"ANTHROPIC_BASE_URL": "http://a", "ANTHROPIC_API_KEY": "k1", "GEMINI_API_KEY": "k2"}
    )
    assert settings.anthropic_base_url == "http://a"
    assert (settings.anthropic_api_key, settings.google_api_key) == ("k1", "k2")
    assert settings.google_base_url == "https://generativelanguage.googleapis.com/v1beta"
    both = ProviderApiSettings.from_env({"GOOGLE_API_KEY": "g", "GEMINI_API_KEY": "x"})
    assert both.google_api_key == "g"
    assert ProviderApiSettings.from_env({}).anthropic_base_url == "https://api.anthropic.com/v1"


@respx.mock
async def test_without_a_client_one_is_made_for_the_call(monkeypatch: pytest.MonkeyPatch) -> None:
    respx.post("http://anthropic.test/v1/messages/count_tokens").respond(json={"input_tokens": 9})
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://anthropic.test/v1")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "ak")
    result = await count_with_provider(
        CHAT, provider="anthropic", model_id="c", fallback_chars_per_token=4.0
    )
    assert (result.tokens, result.estimated) == (9, False)
