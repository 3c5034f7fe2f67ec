from __future__ import annotations

import pytest

from ai_catalog.tokens.chat import ChatMessage, ChatRequest, ToolDefinition, parse_chat
from ai_catalog.tokens.errors import ChatRequestError

WEATHER_SCHEMA = {"type": "object", "properties": {"city": {"type": "string"}}}


def test_a_list_is_the_messages() -> None:
    chat = parse_chat([{"role": "user", "content": "hi", "name": "ann"}, {"role": "assistant"}])
    assert chat == ChatRequest((ChatMessage("user", "hi", "ann"), ChatMessage("assistant", "")))


def test_an_object_has_system_messages_and_tools_in_either_style() -> None:
    chat = parse_chat(
        {
            "system": "be brief",
            "messages": [{"role": "user", "content": None}],
            "tools": [
                {"type": "function", "function": {"name": "w", "parameters": WEATHER_SCHEMA}},
                {"name": "a", "description": "d", "input_schema": WEATHER_SCHEMA},
            ],
        }
    )
    assert chat.system == "be brief"
    assert chat.messages == (ChatMessage("user", ""),)
    assert chat.tools == (
        ToolDefinition("w", None, WEATHER_SCHEMA),
        ToolDefinition("a", "d", WEATHER_SCHEMA),
    )


def test_texts_are_what_the_model_reads() -> None:
    chat = ChatRequest((ChatMessage("user", "ab", "cd"),), system="ef")
    assert chat.texts() == ["ef", "ab", "cd"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("hello", "messages must be a list"),
        ({"system": "x"}, "needs a 'messages' list"),
        ({"messages": [], "model": "x"}, r"unsupported key\(s\) \['model'\]"),
        ([{"content": "x"}], r"messages\[0\].role must be a non-empty string"),
        ([{"role": "user", "content": [{"type": "text"}]}], "content parts are not supported"),
        ([{"role": "tool", "content": "x", "tool_call_id": "1"}], "only role, content and name"),
        ([{"role": "user", "name": 3}], r"messages\[0\].name must be a string"),
        (["hi"], r"messages\[0\] must be an object"),
        ({"messages": [], "system": 1}, "system must be a string"),
        ({"messages": [], "tools": [{"type": "function"}]}, r"tools\[0\] needs a non-empty name"),
        ({"messages": [], "tools": [{"name": "x", "parameters": []}]}, "parameters must be an"),
    ],
)
def test_malformed_chats_are_refused_with_the_field(raw: object, message: str) -> None:
    with pytest.raises(ChatRequestError, match=message):
        parse_chat(raw)
