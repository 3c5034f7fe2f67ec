"""The encodings shipped in ai_catalog/tokens/bpe/ are tiktoken's own, and load with no cache."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import tiktoken_ext.openai_public as openai_public

from ai_catalog.tokens import encodings
from ai_catalog.tokens.errors import EncodingUnavailableError


@pytest.mark.parametrize("name", sorted(encodings.SHIPPED))
def test_shipped_encoding_equals_tiktokens_own(name: str) -> None:
    # tiktoken's constructor reads the genuine file from the test cache and checks its own hash
    theirs = openai_public.ENCODING_CONSTRUCTORS[name]()
    ours = encodings._load_shipped(name, encodings.SHIPPED[name])
    assert ours.name == theirs["name"]
    assert ours._pat_str == theirs["pat_str"]
    assert ours._special_tokens == theirs["special_tokens"]
    assert ours._mergeable_ranks == theirs["mergeable_ranks"]


@pytest.mark.parametrize("name", sorted(encodings.SHIPPED))
def test_shipped_encoding_needs_no_cache_dir(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    encoding = encodings._load_shipped(name, encodings.SHIPPED[name])
    assert encoding.decode(encoding.encode("hello world")) == "hello world"
    assert list(tmp_path.iterdir()) == []


def test_a_file_with_the_wrong_hash_is_refused() -> None:
    tampered = replace(encodings.SHIPPED["cl100k_base"], sha256="0" * 64)
    with pytest.raises(EncodingUnavailableError, match="does not have tiktoken's SHA-256"):
        encodings._load_shipped("cl100k_base", tampered)
