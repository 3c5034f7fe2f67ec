from __future__ import annotations

import pytest

from ai_catalog.model_config import ModelConfig, RoughCharCountStrategy, TiktokenStrategy
from ai_catalog.tokens.lookup import ResolvedConfig, given, resolve_config

STORED = ModelConfig(context_window_tokens=1000)
DEFAULT = ModelConfig(tokenization_strategy=RoughCharCountStrategy(chars_per_token_ratio=4.0))


class Db:
    def __init__(self, rows: dict[tuple[str, str], ModelConfig]) -> None:
        self.rows = rows
        self.asked: list[tuple[str, str]] = []

    async def fetch(self, provider: str, model_id: str) -> ModelConfig | None:
        self.asked.append((provider, model_id))
        return self.rows.get((provider, model_id))


def build(provider: str, model_id: str) -> ModelConfig:
    return DEFAULT


async def test_the_database_wins() -> None:
    db = Db({("openai", "gpt-4o"): STORED})
    resolved = await resolve_config("openai", "gpt-4o", fetch_from_db=db.fetch, build_default=build)
    assert resolved == ResolvedConfig(STORED, "database", "openai", "gpt-4o")


async def test_a_model_missing_from_the_database_gets_the_default() -> None:
    db = Db({})
    resolved = await resolve_config(
        "openai", "new-model", fetch_from_db=db.fetch, build_default=build
    )
    assert (resolved.config, resolved.source) == (DEFAULT, "default")
    assert db.asked == [("openai", "new-model")]


async def test_without_a_database_the_default_is_used() -> None:
    resolved = await resolve_config("x", "y", build_default=build)
    assert (resolved.config, resolved.source) == (DEFAULT, "default")


async def test_the_builders_provenance_is_kept() -> None:
    def build_with_sources(provider: str, model_id: str) -> tuple[ModelConfig, dict[str, str]]:
        return DEFAULT, {"tokenization_strategy": "rule"}

    resolved = await resolve_config("x", "y", build_default=build_with_sources)
    assert resolved.provenance == {"tokenization_strategy": "rule"}


async def test_database_errors_propagate() -> None:
    async def down(provider: str, model_id: str) -> ModelConfig | None:
        raise ConnectionRefusedError("db down")

    with pytest.raises(ConnectionRefusedError):
        await resolve_config("x", "y", fetch_from_db=down, build_default=build)


def test_a_given_config_says_so() -> None:
    assert given(STORED, "p", "m") == ResolvedConfig(STORED, "given", "p", "m")


async def test_the_real_default_builder() -> None:
    resolved = await resolve_config("openai", "gpt-4o")
    assert resolved.source == "default"
    assert resolved.config.tokenization_strategy == TiktokenStrategy(
        tiktoken_encoding_name="o200k_base", api_identifier_for_tokenization="gpt-4o"
    )
    assert resolved.config.input_token_cost_rate is not None
