"""Side by side with litellm's token_counter (a test-only peer) on the same chats.

Equal everywhere except where a test below says why:
- long content: litellm encodes text in 1024-character chunks (its guard against tiktoken's
  quadratic worst case), which splits words at chunk edges; we encode each string whole, as the
  API does. The test reproduces litellm's number from the chunked encodes exactly.
- tool definitions: litellm quotes numeric enum values ("1" | "3"); OpenAI's rendering, which we
  follow, writes them as numbers (1 | 3). And with tools, OpenAI renders the first system message
  with a trailing newline; litellm does not.
- gpt-3.5-turbo-0301: litellm no longer knows the model id, so it uses the standard framing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest

from ai_catalog.tokens.chat import parse_chat
from ai_catalog.tokens.chatml import MessageTokenCache, count_chat
from ai_catalog.tokens.encodings import get_encoding
from ai_catalog.tokens.tool_rendering import render_tools
from tests.support.chats import CHATS, LONG_TEXT

MODELS = {"o200k_base": "gpt-4o", "cl100k_base": "gpt-4"}
LITELLM_CHUNK = 1024


@pytest.fixture(scope="module")
def litellm_count() -> Callable[..., int]:
    pytest.importorskip("litellm")
    from litellm import token_counter

    def count(encoding: str, messages: list[dict[str, Any]], **kwargs: Any) -> int:
        return int(token_counter(model=MODELS[encoding], messages=messages, **kwargs))

    return count


def ours(encoding: str, chat: Any, **kwargs: Any) -> int:
    return count_chat(parse_chat(chat), encoding, cache=MessageTokenCache(), **kwargs)


def raw(encoding: str, text: str) -> int:
    return len(get_encoding(encoding).encode_ordinary(text))


@pytest.mark.parametrize("encoding", sorted(MODELS))
@pytest.mark.parametrize("chat", sorted(set(CHATS) - {"long"}))
def test_equal_to_litellm(encoding: str, chat: str, litellm_count: Callable[..., int]) -> None:
    assert ours(encoding, CHATS[chat]) == litellm_count(encoding, CHATS[chat])


@pytest.mark.parametrize("encoding", sorted(MODELS))
def test_long_content_differs_only_by_litellm_chunking(
    encoding: str, litellm_count: Callable[..., int]
) -> None:
    assert os.environ.get("TIKTOKEN_ENCODE_CHUNK_SIZE_CHARS") is None
    whole = raw(encoding, LONG_TEXT)
    chunked = sum(
        raw(encoding, LONG_TEXT[i : i + LITELLM_CHUNK])
        for i in range(0, len(LONG_TEXT), LITELLM_CHUNK)
    )
    counted = ours(encoding, CHATS["long"])
    assert counted == 3 + raw(encoding, "user") + whole + 3
    assert litellm_count(encoding, CHATS["long"]) == counted - whole + chunked
    assert chunked > whole


WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the weather for a city.",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "description": "City name"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                "tags": {"type": "array", "items": {"type": "string"}},
                "where": {
                    "type": "object",
                    "properties": {"lat": {"type": "number"}, "ok": {"type": "boolean"}},
                },
            },
            "required": ["city"],
        },
    },
}
DAYS = {
    "type": "function",
    "function": {
        "name": "forecast",
        "parameters": {
            "type": "object",
            "properties": {"days": {"type": "integer", "enum": [1, 3, 7]}},
        },
    },
}
USER = {"role": "user", "content": "Weather in Paris?"}
SYSTEM = {"role": "system", "content": "You are helpful"}


@pytest.mark.parametrize("encoding", sorted(MODELS))
def test_tools_without_numeric_enums_or_system_are_equal(
    encoding: str, litellm_count: Callable[..., int]
) -> None:
    chat = {"messages": [USER], "tools": [WEATHER]}
    assert ours(encoding, chat) == litellm_count(encoding, [USER], tools=[WEATHER])


@pytest.mark.parametrize("encoding", sorted(MODELS))
def test_tool_differences_are_the_enum_quotes_and_the_system_newline(
    encoding: str, litellm_count: Callable[..., int]
) -> None:
    from litellm.litellm_core_utils.token_counter import _format_function_definitions

    tools = [WEATHER, DAYS]
    messages = [SYSTEM, USER]
    theirs = litellm_count(encoding, messages, tools=tools)
    rendering_delta = raw(
        encoding, render_tools(parse_chat({"messages": [], "tools": tools}).tools)
    )
    rendering_delta -= raw(encoding, _format_function_definitions(tools))
    newline_delta = raw(encoding, SYSTEM["content"] + "\n") - raw(encoding, SYSTEM["content"])
    assert rendering_delta != 0 and newline_delta != 0  # both differences are exercised
    counted = ours(encoding, {"messages": messages, "tools": tools})
    assert counted == theirs + rendering_delta + newline_delta


def test_gpt_35_turbo_0301_framing_is_ours_alone(litellm_count: Callable[..., int]) -> None:
    messages = CHATS["names"]
    standard = litellm_count("cl100k_base", messages)
    legacy = ours("cl100k_base", messages, model_id="gpt-3.5-turbo-0301")
    names = sum(1 for m in messages if m.get("name"))
    assert ours("cl100k_base", messages) == standard
    assert legacy == standard + len(messages) * (4 - 3) + names * (-1 - 1)
