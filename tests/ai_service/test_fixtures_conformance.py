"""Parse every recorded vendor response in `<repo>/../shared/provider-fixtures` (skipped when
absent) and check kinds and limits on real entries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ai_catalog.vendors import PROVIDERS, ProviderModel
from ai_catalog.vendors import parse_page as parse_body

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "provider-fixtures"
pytestmark = pytest.mark.skipif(not FIXTURES.is_dir(), reason="../shared/provider-fixtures absent")

FILE_PROVIDER = {"gemini": "google"}


CATALOG_FILES = ("models-dev__",)  # a maintained catalog's sample, not a vendor listing


def _files() -> list[Path]:
    if not FIXTURES.is_dir():
        return []
    return [f for f in sorted(FIXTURES.glob("*.json")) if not f.name.startswith(CATALOG_FILES)]


def _load(prefix: str) -> dict[str, ProviderModel]:
    matches = [f for f in _files() if f.name.startswith(prefix)]
    assert matches, prefix
    provider = FILE_PROVIDER.get(prefix.split("__")[0], prefix.split("__")[0])
    models, _ = parse_body(provider, json.loads(matches[0].read_text()))
    return {m.id: m for m in models}


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_every_fixture_parses_without_skips(path: Path) -> None:
    provider = path.name.split("__")[0]
    provider = FILE_PROVIDER.get(provider, provider)
    assert provider in PROVIDERS
    body: Any = json.loads(path.read_text())
    if "api_show" in path.name:
        body = {"models": [{"name": "qwen3-2to16:latest", "show": body}]}
    models, skipped = parse_body(provider, body)
    assert skipped == 0
    assert models


def test_openai_2025_kinds() -> None:
    m = _load("openai__ruby_llm")
    expected = {
        "gpt-4o": "chat",
        "gpt-4.5-preview": "chat",
        "o1-mini": "chat",
        "chatgpt-4o-latest": "chat",
        "gpt-3.5-turbo-instruct": "other",
        "text-embedding-3-large": "embedding",
        "whisper-1": "audio",
        "tts-1-hd": "audio",
        "dall-e-3": "image",
        "omni-moderation-latest": "moderation",
        "gpt-4o-realtime-preview": "audio",
        "gpt-4o-search-preview": "other",
        "babbage-002": "other",
    }
    assert {k: m[k].kind for k in expected} == expected


def test_openai_2023_legacy_shape_is_parsed_and_classified() -> None:
    m = _load("openai__ruby-openai")
    assert len(m) > 400  # 488 entries, many fine-tunes with a repeated id are kept once each
    assert m["gpt-4"].kind == "chat"
    assert m["text-davinci-003"].kind == "other"
    assert m["text-similarity-babbage-001"].kind == "embedding"
    fine_tunes = [v for v in m.values() if v.base_model]
    assert fine_tunes and all(v.base_model for v in fine_tunes)


def test_anthropic_all_chat() -> None:
    m = _load("anthropic__ruby_llm")
    assert len(m) == 9 and {v.kind for v in m.values()} == {"chat"}
    assert all(v.created is not None for v in m.values())


def test_anthropic_docs_example_placeholders_are_unknown() -> None:
    m = _load("anthropic__docs")
    (only,) = m.values()
    assert only.context_window is None and only.max_output is None  # 0 placeholders


def test_gemini_kinds_and_limits() -> None:
    m = _load("gemini__")
    assert m["gemini-1.5-pro"].kind == "chat"
    assert m["gemini-1.5-pro"].context_window == 2000000
    assert m["gemini-1.5-pro"].max_output == 8192
    assert m["text-embedding-004"].kind == "embedding"
    assert m["chat-bison-001"].kind == "other"
    assert m["aqa"].kind == "other"


def test_groq_old_shape() -> None:
    m = _load("groq__")
    assert {v.kind for v in m.values()} == {"chat"}
    assert all(v.context_window for v in m.values())
    assert all(v.max_output is None for v in m.values())


def test_mistral_kinds() -> None:
    m = _load("mistral__")
    assert m["mistral-large-latest"].kind == "chat"
    assert m["mistral-large-latest"].context_window == 131072
    assert m["mistral-embed"].kind == "embedding"
    assert m["mistral-moderation-latest"].kind == "moderation"
    assert m["mistral-ocr-latest"].kind == "other"
    assert m["voxtral-mini-transcribe-2507"].kind == "audio"
    assert m["ministral-3b-latest"].kind == "other"
    assert m["voxtral-small-latest"].kind == "chat"


def test_openrouter_real_entries() -> None:
    m = _load("openrouter__")
    assert len(m) == 113
    gpt = m["openai/gpt-4o"]
    assert gpt.kind == "chat" and gpt.prices is not None and gpt.prices.input is not None
    assert gpt.context_window == 128000
    # this older shape has no supported_parameters: tools is unknown, not False
    assert all(v.capabilities.tools is None for v in m.values())
    assert all(v.kind == "chat" for v in m.values())


def test_ollama_tags_and_show() -> None:
    m = _load("ollama__ruby_llm")
    assert m["snowflake-arctic-embed:22m"].kind == "embedding"
    assert m["smollm:135m"].kind == "chat"
    show = json.loads(next(f for f in _files() if "api_show" in f.name).read_text())
    models, _ = parse_body("ollama", {"models": [{"name": "qwen3", "show": show}]})
    assert models[0].context_window == 40960


def test_xai_together_cohere_doc_examples() -> None:
    xai = _load("xai__")
    assert all(v.kind == "chat" for v in xai.values())
    assert all(v.prices is not None for v in xai.values())
    together = _load("together__")
    assert len(together) == 1
    cohere = _load("cohere__")
    assert list(cohere) == ["command-xlarge-nightly"]
