"""The price index answers exactly what genai-prices' own rule-by-rule matching answers."""

from __future__ import annotations

import random

import pytest
from genai_prices import data_snapshot
from genai_prices import types as gp

from ai_catalog.config.price_index import price_index

SNAPSHOT = data_snapshot.get_snapshot()
SUFFIXES = ("", "-latest", "-2024-08-06", "-20251211", "-preview", ":free", "-mini", "x", "-0")


def _strings(match: object) -> list[str]:
    """Every literal a rule mentions (equals, prefixes, contains, ...)."""
    if isinstance(match, gp.ClauseOr):
        return [text for clause in match.or_ for text in _strings(clause)]
    if isinstance(match, gp.ClauseAnd):
        return [text for clause in match.and_ for text in _strings(clause)]
    for attribute in ("equals", "starts_with", "ends_with", "contains"):
        if isinstance(value := getattr(match, attribute, None), str):
            return [value]
    return []


def _library(provider_id: str, ref: str) -> gp.ModelInfo | None:
    try:
        return SNAPSHOT.find_provider_model(ref, None, provider_id, None)[1]
    except LookupError:
        return None


def _refs(provider: gp.Provider) -> list[str]:
    rng = random.Random(provider.id)
    literals = sorted({text for model in provider.models for text in _strings(model.match)})
    refs = {model.id for model in provider.models} | set(literals)
    for literal in rng.sample(literals, min(len(literals), 150)):
        refs.update(literal + suffix for suffix in SUFFIXES)
        refs.add(literal.upper())
        refs.add(literal[: max(1, len(literal) // 2)])
        refs.add("acme/" + literal)
    return sorted(refs)


@pytest.mark.parametrize("provider", SNAPSHOT.providers, ids=lambda p: p.id)
def test_same_model_as_the_library(provider: gp.Provider) -> None:
    refs = _refs(provider)
    index = price_index()
    differences = [
        ref for ref in refs if index.find(provider.id, ref) is not _library(provider.id, ref)
    ]
    assert not differences, differences[:10]


def test_the_comparison_covers_thousands_of_ids() -> None:
    assert sum(len(_refs(provider)) for provider in SNAPSHOT.providers) > 5000


def test_unknown_provider_and_model() -> None:
    assert price_index().find("no-such-provider", "gpt-4o") is None
    assert price_index().find("openai", "certainly-not-a-model") is None
