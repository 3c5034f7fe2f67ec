from __future__ import annotations

import ai_catalog.tokens


def test_every_exported_name_exists_and_is_listed_once() -> None:
    assert len(set(ai_catalog.tokens.__all__)) == len(ai_catalog.tokens.__all__)
    for name in ai_catalog.tokens.__all__:
        assert hasattr(ai_catalog.tokens, name), name


def test_the_public_surface() -> None:
    expected = {
        "count_tokens", "count_tokens_sync", "cost_of", "max_output_tokens", "resolve_config",
        "estimate", "parse_chat", "get_encoding", "prefetch", "TokenCount", "Usage", "Cost",
        "OutputAllowance", "ResolvedConfig", "EncodingUnavailableError",
    }  # fmt: skip
    assert expected <= set(ai_catalog.tokens.__all__)
