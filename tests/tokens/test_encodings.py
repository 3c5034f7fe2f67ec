from __future__ import annotations

from pathlib import Path

import pytest
import tiktoken.registry

from ai_catalog.tokens import encodings
from ai_catalog.tokens.encodings import cache_file, get_encoding
from ai_catalog.tokens.errors import EncodingUnavailableError


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        # Known token ids from OpenAI's tokenizer for "hello world".
        ("cl100k_base", "hello world", [15339, 1917]),
        ("o200k_base", "hello world", [24912, 2375]),
    ],
)
def test_genuine_encodings_load_offline(name: str, text: str, expected: list[int]) -> None:
    assert get_encoding(name).encode(text) == expected


def test_an_encoding_is_loaded_once() -> None:
    assert get_encoding("o200k_base") is get_encoding("o200k_base")


def test_missing_encoding_file_names_the_directory_and_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if "r50k_base" in tiktoken.registry.ENCODINGS:
        pytest.skip("r50k_base already loaded in this process")
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    with pytest.raises(EncodingUnavailableError) as raised:
        get_encoding("r50k_base")
    message = str(raised.value)
    assert f"TIKTOKEN_CACHE_DIR={str(tmp_path)!r}" in message
    assert encodings.cache_key("r50k_base") in message
    assert "python -m ai_catalog.tokens" in message
    assert "\n" not in message
    assert "r50k_base" not in encodings._loaded


def test_unknown_encoding_is_refused() -> None:
    with pytest.raises(EncodingUnavailableError, match="Unknown tiktoken encoding 'nope'"):
        get_encoding("nope")


def test_cache_file_follows_tiktoken_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", "/opt/tiktoken")
    assert cache_file("cl100k_base") == Path(
        "/opt/tiktoken/9b5ad71b2ce5302211f9c61530b329a4922fc6a4"
    )
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", "")
    assert cache_file("cl100k_base") is None


def test_check_command_reports_present_files(capsys: pytest.CaptureFixture[str]) -> None:
    assert encodings.main(["--check", "cl100k_base", "o200k_base"]) == 0
    assert "o200k_base: ok" in capsys.readouterr().out


def test_check_command_fails_on_a_missing_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    assert encodings.main(["--check", "p50k_base"]) == 1
    assert "p50k_base: FAILED" in capsys.readouterr().err


def test_prefetch_needs_a_target_directory(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TIKTOKEN_CACHE_DIR", raising=False)
    assert encodings.main([]) == 2
    assert "Set TIKTOKEN_CACHE_DIR" in capsys.readouterr().err
