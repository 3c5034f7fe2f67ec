"""Exact tiktoken counts of a chat, with OpenAI's ChatML framing and a per-message cache.

The rule is the one in OpenAI's cookbook ("How to count tokens with tiktoken"): every message costs
3 tokens of framing plus the tokens of its role, content and name, a name costs 1 more, and 3
tokens prime the reply. gpt-3.5-turbo-0301 is the documented exception: 4 per message, and a name
replaces the role (-1). A system prompt given apart from the messages is a first system message.

Per-message counts are additive, so each is cached, keyed by (encoding, role, content, name):
counting a conversation again after one more turn encodes only the new messages and stays exact.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict

import tiktoken

from ai_catalog.tokens.chat import ChatMessage, ChatRequest
from ai_catalog.tokens.encodings import get_encoding
from ai_catalog.tokens.tool_rendering import SHARED_SYSTEM_DISCOUNT, TOOLS_OVERHEAD, render_tools

_ENTRY_OVERHEAD_CHARS = 64
"""Characters each cache entry is charged beyond its content (role, name, bookkeeping)."""

TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
REPLY_PRIMER = 3

_FRAMING_EXCEPTIONS: dict[str, tuple[int, int]] = {
    # model id -> (tokens per message, tokens per name)
    "gpt-3.5-turbo-0301": (4, -1),
}


class MessageTokenCache:
    """A bounded LRU of the token counts of messages' role + content + name.

    Bounded both in entries and in the characters of content it keeps alive (each entry counted
    as its content plus `_ENTRY_OVERHEAD_CHARS`). Thread-safe: async callers count in threads
    (writes hold a lock; `hits` is approximate under concurrency).
    """

    def __init__(self, max_entries: int = 65_536, max_chars: int = 64_000_000) -> None:
        self.max_entries = max_entries
        self.max_chars = max_chars
        self._counts: OrderedDict[tuple[str, ChatMessage], int] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._counts)

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()
            self._chars = 0

    def count(self, encoding: tiktoken.Encoding, message: ChatMessage) -> int:
        key = (encoding.name, message)
        counts = self._counts
        # Reads take no lock: each OrderedDict call is atomic under the GIL, and a hit that
        # another thread evicts meanwhile is still a correct count.
        tokens = counts.get(key)
        if tokens is not None:
            self.hits += 1
            with contextlib.suppress(KeyError):
                counts.move_to_end(key)
            return tokens
        role, content, name = message
        tokens = _short_len(encoding, role) + len(encoding.encode_ordinary(content))
        if name:
            tokens += _short_len(encoding, name)
        size = len(content) + _ENTRY_OVERHEAD_CHARS
        with self._lock:
            self.misses += 1
            if size <= self.max_chars and key not in counts:
                counts[key] = tokens
                self._chars += size
                while len(counts) > self.max_entries or self._chars > self.max_chars:
                    (_, (_, evicted_content, _)), _ = counts.popitem(last=False)
                    self._chars -= len(evicted_content) + _ENTRY_OVERHEAD_CHARS
        return tokens


DEFAULT_CACHE = MessageTokenCache()


def count_chat(
    request: ChatRequest,
    encoding_name: str,
    *,
    chatml: bool = True,
    model_id: str = "",
    cache: MessageTokenCache = DEFAULT_CACHE,
) -> int:
    """Exact input tokens of `request` under `encoding_name`.

    With `chatml=False` only the text is counted (contents, names, system prompt and the rendered
    tools), with no framing. Tool definitions: see `tool_rendering` for how exact they are.
    """
    encoding = get_encoding(encoding_name)
    messages = request.messages
    if request.system:
        messages = (ChatMessage("system", request.system), *messages)
    if not chatml:
        return _count_plain(request, messages, encoding, cache)
    has_system = any(m.role == "system" for m in messages)
    if request.tools and has_system:
        messages = _pad_first_system(messages)
    per_message, per_name = _FRAMING_EXCEPTIONS.get(model_id, (TOKENS_PER_MESSAGE, TOKENS_PER_NAME))
    total = REPLY_PRIMER
    count = cache.count
    for message in messages:
        total += count(encoding, message) + per_message
        if message.name:
            total += per_name
    if request.tools:
        total += _encode_len(encoding, render_tools(request.tools)) + TOOLS_OVERHEAD
        if has_system:
            total -= SHARED_SYSTEM_DISCOUNT
    return total


def _count_plain(
    request: ChatRequest,
    messages: tuple[ChatMessage, ...],
    encoding: tiktoken.Encoding,
    cache: MessageTokenCache,
) -> int:
    # An empty role encodes to no tokens, so the cache serves plain text too.
    total = sum(cache.count(encoding, ChatMessage("", m.content, m.name)) for m in messages)
    if request.tools:
        total += _encode_len(encoding, render_tools(request.tools))
    return total


def _pad_first_system(messages: tuple[ChatMessage, ...]) -> tuple[ChatMessage, ...]:
    # With tool definitions present, OpenAI renders the first system message with a trailing
    # newline (found by hmarr/openai-chat-tokens against the API; litellm does not do this).
    for i, message in enumerate(messages):
        if message.role == "system":
            padded = message._replace(content=message.content + "\n")
            return (*messages[:i], padded, *messages[i + 1 :])
    return messages


def _encode_len(encoding: tiktoken.Encoding, text: str) -> int:
    # Ordinary encoding: text such as "<|endoftext|>" in content is counted as plain text (chat
    # content cannot inject special tokens).
    return len(encoding.encode_ordinary(text)) if text else 0


_SHORT_MAX_CHARS = 64
_SHORT_MAX_ENTRIES = 4096
_short_counts: dict[tuple[str, str], int] = {}


def _short_len(encoding: tiktoken.Encoding, text: str) -> int:
    """Token count of a role or name: few distinct values, each counted once."""
    if len(text) > _SHORT_MAX_CHARS:
        return _encode_len(encoding, text)
    key = (encoding.name, text)
    tokens = _short_counts.get(key)
    if tokens is None:
        tokens = _encode_len(encoding, text)
        if len(_short_counts) >= _SHORT_MAX_ENTRIES:
            _short_counts.clear()
        _short_counts[key] = tokens
    return tokens
