from __future__ import annotations

import threading

import pytest
import tiktoken

from ai_catalog.model_config import (
    ModelConfig,
    NoTokenization,
    ProviderApiStrategy,
    RoughCharCountStrategy,
    TiktokenStrategy,
)
from ai_catalog.tokens.chat import ChatMessage, parse_chat
from ai_catalog.tokens.chatml import MessageTokenCache, count_chat
from ai_catalog.tokens.counting import count_tokens, count_tokens_sync
from ai_catalog.tokens.errors import UnsupportedStrategyError
from ai_catalog.tokens.provider_api import ProviderApiSettings
from ai_catalog.tokens.ratio import estimate_by_ratio
from tests.support.chats import CHATS

TEN_CHARS = [{"role": "user", "content": "abcdefghij"}]


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [(4.0, 3), (2.5, 4), (0.7, 15), (10.0, 1), (3.0, 4)],
)
def test_rough_char_count_is_the_ceiling_of_chars_over_ratio(ratio: float, expected: int) -> None:
    result = count_tokens_sync(TEN_CHARS, RoughCharCountStrategy(chars_per_token=ratio))
    assert (result.tokens, result.method, result.estimated) == (expected, "chars_ratio", True)


def test_ratio_is_exact_where_floats_are_not() -> None:
    # 7 / 0.7 is 10.000000000000002 in floats, which would ceil to 11.
    assert estimate_by_ratio(parse_chat([{"role": "user", "content": "x" * 7}]), 0.7) == 10


def test_none_is_zero_and_unknown() -> None:
    result = count_tokens_sync(CHATS["plain"], NoTokenization())
    assert (result.tokens, result.unknown, result.estimated) == (0, True, True)


def test_tiktoken_strategy_is_exact_and_takes_a_whole_config() -> None:
    config = ModelConfig(tokenization_strategy=TiktokenStrategy(encoding="o200k_base"))
    result = count_tokens_sync(CHATS["multi_turn"], config)
    assert result.tokens == count_chat(parse_chat(CHATS["multi_turn"]), "o200k_base")
    assert (result.method, result.estimated, result.unknown) == ("tiktoken", False, False)


def test_provider_api_without_network_is_the_ratio_estimate() -> None:
    result = count_tokens_sync(TEN_CHARS, ProviderApiStrategy(fallback_chars_per_token=4.0))
    assert (result.tokens, result.estimated) == (3, True)
    assert result.note is not None and "offline" in result.note


def test_an_unknown_strategy_is_refused() -> None:
    config = ModelConfig.model_construct(
        tokenization_strategy={"type": "sentencepiece"}  # type: ignore[arg-type]  # deliberately invalid
    )
    with pytest.raises(UnsupportedStrategyError, match="sentencepiece"):
        count_tokens_sync(TEN_CHARS, config)


class ThreadRecordingCache(MessageTokenCache):
    def __init__(self) -> None:
        super().__init__()
        self.threads: set[int] = set()

    def count(self, encoding: tiktoken.Encoding, message: ChatMessage) -> int:
        self.threads.add(threading.get_ident())
        return super().count(encoding, message)


async def test_async_tiktoken_counts_off_the_event_loop_thread() -> None:
    cache = ThreadRecordingCache()
    strategy = TiktokenStrategy(encoding="cl100k_base")
    result = await count_tokens(CHATS["unicode"], strategy, cache=cache)
    assert result == count_tokens_sync(CHATS["unicode"], strategy, cache=MessageTokenCache())
    assert cache.threads and threading.get_ident() not in cache.threads


async def test_async_provider_api_falls_back_without_a_key() -> None:
    result = await count_tokens(
        TEN_CHARS,
        ProviderApiStrategy(fallback_chars_per_token=2.0),
        provider="anthropic",
        model_id="claude",
        settings=ProviderApiSettings(),
    )
    assert (result.tokens, result.estimated) == (5, True)


async def test_async_rough_and_none_match_sync() -> None:
    for strategy in (RoughCharCountStrategy(chars_per_token=3.0), NoTokenization()):
        assert await count_tokens(TEN_CHARS, strategy) == count_tokens_sync(TEN_CHARS, strategy)
