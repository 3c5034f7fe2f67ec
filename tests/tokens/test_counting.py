from __future__ import annotations

import json
import math
import threading

import httpx
import pytest
import respx
import tiktoken

from ai_catalog.model_config import (
    AnthropicTokenizerStrategy,
    GoogleGeminiTokenizerStrategy,
    ModelConfig,
    NoTokenization,
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
    result = count_tokens_sync(TEN_CHARS, RoughCharCountStrategy(chars_per_token_ratio=ratio))
    assert (result.tokens, result.method, result.estimated) == (expected, "chars_ratio", True)


def test_ratio_is_exact_where_floats_are_not() -> None:
    # 7 / 0.7 is 10.000000000000002 in floats, which would ceil to 11.
    assert estimate_by_ratio(parse_chat([{"role": "user", "content": "x" * 7}]), 0.7) == 10


def test_none_is_zero_and_unknown() -> None:
    result = count_tokens_sync(CHATS["plain"], NoTokenization())
    assert (result.tokens, result.unknown, result.estimated) == (0, True, True)


def test_tiktoken_strategy_is_exact_and_takes_a_whole_config() -> None:
    config = ModelConfig(
        tokenization_strategy=TiktokenStrategy(tiktoken_encoding_name="o200k_base")
    )
    result = count_tokens_sync(CHATS["multi_turn"], config)
    assert result.tokens == count_chat(parse_chat(CHATS["multi_turn"]), "o200k_base")
    assert (result.method, result.estimated, result.unknown) == ("tiktoken", False, False)


def test_provider_api_without_network_is_the_ratio_estimate() -> None:
    result = count_tokens_sync(TEN_CHARS, GoogleGeminiTokenizerStrategy(chars_per_token_ratio=4.0))
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
    strategy = TiktokenStrategy(tiktoken_encoding_name="cl100k_base")
    result = await count_tokens(CHATS["unicode"], strategy, cache=cache)
    assert result == count_tokens_sync(CHATS["unicode"], strategy, cache=MessageTokenCache())
    assert cache.threads and threading.get_ident() not in cache.threads


async def test_async_vendor_tokenizers_fall_back_without_a_key() -> None:
    gemini = await count_tokens(
        TEN_CHARS,
        GoogleGeminiTokenizerStrategy(chars_per_token_ratio=2.0),
        provider="google",
        model_id="gemini-2.0-flash",
        settings=ProviderApiSettings(),
    )
    claude = await count_tokens(
        TEN_CHARS,
        AnthropicTokenizerStrategy(model="claude-3-haiku"),
        provider="anthropic",
        model_id="claude-3-haiku",
        settings=ProviderApiSettings(),
    )
    assert (gemini.tokens, gemini.estimated) == (5, True)
    assert (claude.tokens, claude.estimated) == (math.ceil(10 / 3.5), True)


VENDORS = ProviderApiSettings(
    anthropic_base_url="http://anthropic.test/v1",
    anthropic_api_key="ak",
    google_base_url="http://google.test/v1beta",
    google_api_key="gk",
)


@respx.mock
async def test_anthropic_tokenizer_asks_anthropic_for_its_model() -> None:
    route = respx.post("http://anthropic.test/v1/messages/count_tokens").respond(
        json={"input_tokens": 12}
    )
    result = await count_tokens(
        TEN_CHARS,
        AnthropicTokenizerStrategy(model="claude-sonnet-4-5"),
        provider="anthropic",
        model_id="claude-sonnet-4-5-20250929",
        settings=VENDORS,
    )
    assert (result.tokens, result.method, result.estimated) == (12, "provider_api", False)
    assert json.loads(route.calls.last.request.content)["model"] == "claude-sonnet-4-5"


@respx.mock
async def test_gemini_tokenizer_asks_gemini_and_falls_back_to_its_ratio() -> None:
    url = "http://google.test/v1beta/models/gemini-2.0-flash:countTokens"
    respx.post(url).mock(
        side_effect=[httpx.Response(200, json={"totalTokens": 9}), httpx.Response(503)]
    )
    strategy = GoogleGeminiTokenizerStrategy(chars_per_token_ratio=2.5)
    counted = await count_tokens(
        TEN_CHARS, strategy, provider="google", model_id="gemini-2.0-flash", settings=VENDORS
    )
    fallback = await count_tokens(
        TEN_CHARS, strategy, provider="google", model_id="gemini-2.0-flash", settings=VENDORS
    )
    assert (counted.tokens, counted.estimated) == (9, False)
    assert (fallback.tokens, fallback.estimated) == (4, True)
    assert "2.5 chars/token" in (fallback.note or "")


def test_every_strategy_variant_counts_offline() -> None:
    variants = {
        "tiktoken": TiktokenStrategy(tiktoken_encoding_name="o200k_base", is_chatml_model=False),
        "rough_char_count": RoughCharCountStrategy(chars_per_token_ratio=2.0),
        "anthropic_tokenizer": AnthropicTokenizerStrategy(model="claude-3-haiku"),
        "google_gemini_tokenizer": GoogleGeminiTokenizerStrategy(chars_per_token_ratio=5.0),
        "none": NoTokenization(),
    }
    counts = {kind: count_tokens_sync(TEN_CHARS, s).tokens for kind, s in variants.items()}
    expected_tiktoken = len(tiktoken.get_encoding("o200k_base").encode("abcdefghij"))
    assert counts == {
        "tiktoken": expected_tiktoken,
        "rough_char_count": 5,
        "anthropic_tokenizer": 3,
        "google_gemini_tokenizer": 2,
        "none": 0,
    }


async def test_async_rough_and_none_match_sync() -> None:
    for strategy in (RoughCharCountStrategy(chars_per_token_ratio=3.0), NoTokenization()):
        assert await count_tokens(TEN_CHARS, strategy) == count_tokens_sync(TEN_CHARS, strategy)
