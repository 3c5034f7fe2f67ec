"""The ChatML rule, checked against hand-computed sums of raw encodes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ai_catalog.tokens.chat import ChatMessage, ChatRequest, ToolDefinition, parse_chat
from ai_catalog.tokens.chatml import MessageTokenCache, count_chat
from ai_catalog.tokens.encodings import get_encoding
from tests.support.chats import CHATS


def raw(encoding: str, text: str) -> int:
    return len(get_encoding(encoding).encode(text, disallowed_special=()))


def cookbook(
    encoding: str, messages: list[dict[str, str | None]], per_msg: int, per_name: int
) -> int:
    """OpenAI cookbook's num_tokens_from_messages, written out independently."""
    total = 3
    for message in messages:
        total += per_msg
        for key, value in message.items():
            total += raw(encoding, value or "")
            if key == "name":
                total += per_name
    return total


@pytest.mark.parametrize("encoding", ["o200k_base", "cl100k_base"])
@pytest.mark.parametrize("chat", sorted(CHATS))
def test_counts_follow_the_cookbook_rule(encoding: str, chat: str) -> None:
    messages = CHATS[chat]
    expected = cookbook(encoding, messages, 3, 1)
    assert count_chat(parse_chat(messages), encoding, cache=MessageTokenCache()) == expected


def test_gpt_35_turbo_0301_uses_its_documented_framing() -> None:
    messages = CHATS["names"]
    counted = count_chat(parse_chat(messages), "cl100k_base", model_id="gpt-3.5-turbo-0301")
    assert counted == cookbook("cl100k_base", messages, 4, -1)
    assert counted != count_chat(parse_chat(messages), "cl100k_base")


def test_a_separate_system_prompt_is_a_first_system_message() -> None:
    with_prompt = ChatRequest((ChatMessage("user", "hi"),), system="Be brief.")
    as_message = ChatRequest((ChatMessage("system", "Be brief."), ChatMessage("user", "hi")))
    assert count_chat(with_prompt, "o200k_base") == count_chat(as_message, "o200k_base")


def test_without_chatml_only_the_text_counts() -> None:
    chat = ChatRequest((ChatMessage("user", "hello world", "ann"),), system="Be brief.")
    expected = raw("o200k_base", "Be brief.") + raw("o200k_base", "hello world") + 1  # "ann"
    assert count_chat(chat, "o200k_base", chatml=False) == expected


def test_tools_add_their_rendering_plus_nine() -> None:
    tool = ToolDefinition("ping", "Ping a host.", {})
    bare = ChatRequest((ChatMessage("user", "go"),))
    with_tool = ChatRequest(bare.messages, tools=(tool,))
    lines = ["namespace functions {", "", "// Ping a host.", "type ping = () => any;", ""]
    rendering = "\n".join([*lines, "} // namespace functions"])
    delta = count_chat(with_tool, "o200k_base") - count_chat(bare, "o200k_base")
    assert delta == raw("o200k_base", rendering) + 9


def test_tools_share_a_system_message() -> None:
    tool = ToolDefinition("ping", None, {})
    system = ChatMessage("system", "You ping.")
    bare = ChatRequest((system, ChatMessage("user", "go")))
    with_tool = ChatRequest(bare.messages, tools=(tool,))
    rendering = "namespace functions {\n\ntype ping = () => any;\n\n} // namespace functions"
    padding = raw("o200k_base", "You ping.\n") - raw("o200k_base", "You ping.")
    delta = count_chat(with_tool, "o200k_base") - count_chat(bare, "o200k_base")
    assert delta == raw("o200k_base", rendering) + 9 - 4 + padding


def test_the_cache_serves_repeated_history_and_stays_exact() -> None:
    cache = MessageTokenCache()
    history = parse_chat(CHATS["multi_turn"])
    first = count_chat(history, "o200k_base", cache=cache)
    assert (cache.misses, cache.hits) == (len(history.messages), 0)
    longer = ChatRequest((*history.messages, ChatMessage("assistant", "40.")))
    counted = count_chat(longer, "o200k_base", cache=cache)
    assert (cache.misses, cache.hits) == (len(history.messages) + 1, len(history.messages))
    assert counted == count_chat(longer, "o200k_base", cache=MessageTokenCache())
    assert counted == first + 3 + raw("o200k_base", "assistant") + raw("o200k_base", "40.")


def test_the_cache_keys_on_the_encoding() -> None:
    cache = MessageTokenCache()
    chat = parse_chat(CHATS["unicode"])
    o200k = count_chat(chat, "o200k_base", cache=cache)
    cl100k = count_chat(chat, "cl100k_base", cache=cache)
    assert o200k != cl100k
    assert cl100k == count_chat(chat, "cl100k_base", cache=MessageTokenCache())


def test_the_cache_is_bounded_in_entries_and_characters() -> None:
    encoding = get_encoding("o200k_base")
    by_entries = MessageTokenCache(max_entries=2)
    for text in ("a", "b", "c"):
        by_entries.count(encoding, ChatMessage("user", text))
    assert len(by_entries) == 2
    by_entries.count(encoding, ChatMessage("user", "a"))  # evicted, so counted again
    assert by_entries.misses == 4

    # each entry is charged its content + 64 characters
    by_chars = MessageTokenCache(max_chars=300)
    by_chars.count(encoding, ChatMessage("user", "x" * 100))
    by_chars.count(encoding, ChatMessage("user", "y" * 100))  # 164 + 164 > 300
    assert len(by_chars) == 1
    by_chars.count(encoding, ChatMessage("user", "z" * 250))  # larger than the whole cache
    assert len(by_chars) == 1
    hits = by_chars.hits
    expected = raw("o200k_base", "user") + raw("o200k_base", "y" * 100)
    assert by_chars.count(encoding, ChatMessage("user", "y" * 100)) == expected
    assert by_chars.hits == hits + 1  # the entry kept was the latest


_message = st.builds(
    ChatMessage,
    role=st.sampled_from(["system", "user", "assistant"]),
    content=st.text(max_size=200),
    name=st.none() | st.from_regex(r"[a-z_]{1,12}", fullmatch=True),
)
_SHARED = MessageTokenCache(max_entries=64)


@settings(max_examples=150, deadline=None)
@given(
    messages=st.lists(_message, max_size=8), encoding=st.sampled_from(["o200k_base", "cl100k_base"])
)
def test_cached_counts_equal_the_cookbook_for_any_chat(
    messages: list[ChatMessage], encoding: str
) -> None:
    # A cache shared across examples (and small, so it evicts) must never change a count.
    as_dicts: list[dict[str, str | None]] = []
    for m in messages:
        as_dict: dict[str, str | None] = {"role": m.role, "content": m.content}
        if m.name:
            as_dict["name"] = m.name
        as_dicts.append(as_dict)
    expected = cookbook(encoding, as_dicts, 3, 1)
    assert count_chat(ChatRequest(tuple(messages)), encoding, cache=_SHARED) == expected
