"""The table of chats the token tests and the benchmark share."""

from __future__ import annotations

from typing import Any

Message = dict[str, Any]

LONG_TEXT = " ".join(
    f"Paragraph {i}: the quick brown fox jumps over the lazy dog, naïve café — 東京 🚀."
    for i in range(400)
)

CHATS: dict[str, list[Message]] = {
    "plain": [{"role": "user", "content": "Hello!"}],
    "unicode": [
        {"role": "system", "content": "Réponds en français, s'il te plaît."},
        {"role": "user", "content": "Grüße aus Köln — 東京タワー, Ελληνικά, русский, עברית"},
    ],
    "emoji": [{"role": "user", "content": "👩‍👩‍👧‍👦🏳️‍🌈🚀🔥 family, flag, rocket"}],
    "code": [
        {
            "role": "user",
            "content": "```python\ndef f(x):\n    return {k: v for k, v in x.items() if v}\n```\n"
            "Why does\tthis  \r\n work?",
        }
    ],
    "names": [
        {"role": "system", "content": "You translate.", "name": "example_user"},
        {"role": "user", "content": "hi", "name": "bob"},
        {"role": "assistant", "content": "salut", "name": "translator_2"},
    ],
    "empty": [{"role": "user", "content": ""}, {"role": "assistant", "content": None}],
    "special_text": [{"role": "user", "content": "<|endoftext|> and <|im_start|>user"}],
    "multi_turn": [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": "What is 2+2?"},
        {"role": "assistant", "content": "4."},
        {"role": "user", "content": "And times 10?"},
    ],
    "long": [{"role": "user", "content": LONG_TEXT}],
}
