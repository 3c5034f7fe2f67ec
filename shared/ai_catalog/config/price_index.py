"""genai-prices' model matching through an index built once per process.

The library finds a model by trying each of its provider's models' match rules in order (the
first match wins), which costs ~0.1 ms an id. Most rules are exact ids and prefixes: those go into
dicts, and only the remaining rules (contains, regex, ends-with, and) that come before the best
dict answer are tried. Same answer as `Provider.find_model`, fallback providers and the compact
dated-id retry included (a test compares both over every id the library knows).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from genai_prices import data_snapshot
from genai_prices import types as gp

_NONE = 1 << 62  # "no index": larger than any model position
_DATE_SUFFIX = re.compile(r"-(\d{4}-\d{2}-\d{2}|\d{8}|\d{4}|\d{3})$")
"""A snapshot at the end of an id: -2024-08-06, -20241022, -0613 / -2411, Gemini's -001."""


def _simple_clauses(match: Any) -> Iterator[tuple[str, str]] | None:
    """("exact" | "prefix", text) for a rule made only of equals/starts-with alternatives."""
    if isinstance(match, gp.ClauseEquals):
        return iter([("exact", match.equals.lower())])
    if isinstance(match, gp.ClauseStartsWith):
        return iter([("prefix", match.starts_with.lower())])
    if isinstance(match, gp.ClauseOr):
        parts = [_simple_clauses(clause) for clause in match.or_]
        if any(part is None for part in parts):
            return None
        return (clause for part in parts if part is not None for clause in part)
    return None


def undated(model_ref: str) -> str:
    """The id without a trailing snapshot (`gpt-4o-2024-08-06` -> `gpt-4o`)."""
    return _DATE_SUFFIX.sub("", model_ref)


def listed_names(model: gp.ModelInfo) -> frozenset[str]:
    """The ids genai-prices writes out for a model: its own id and the text of each equals,
    starts-with, contains or ends-with alternative of its rule (an `and` or a regex names no id).
    """
    names = {model.id.lower()}
    pending = [model.match]
    while pending:
        clause = pending.pop()
        if isinstance(clause, gp.ClauseOr):
            pending.extend(clause.or_)
        elif isinstance(clause, gp.ClauseEquals):
            names.add(clause.equals.lower())
        elif isinstance(clause, gp.ClauseStartsWith):
            names.add(clause.starts_with.lower())
        elif isinstance(clause, gp.ClauseContains):
            names.add(clause.contains.lower())
        elif isinstance(clause, gp.ClauseEndsWith):
            names.add(clause.ends_with.lower())
    return frozenset(names)


def names_model(model: gp.ModelInfo, model_ref: str) -> bool:
    """True when genai-prices lists this id (or its undated form) for the model itself, not
    when a prefix, contains or regex rule only catches it as a sibling."""
    names = listed_names(model)
    ref = model_ref.lower()
    return ref in names or undated(ref) in names


def is_model_itself(model: gp.ModelInfo, model_ref: str) -> bool:
    """True when the entry is this model (its id, or a dated snapshot of it): only then are
    the entry's own facts (its context window) the model's. An id the entry merely lists at
    the same price (`gpt-5-chat-latest` under `gpt-5`) is not."""
    ref = model_ref.lower()
    return model.id.lower() in (ref, undated(ref))


@dataclass(frozen=True)
class ProviderIndex:
    models: tuple[gp.ModelInfo, ...]
    exact: dict[str, int]
    prefixes: dict[str, int]
    prefix_lengths: tuple[int, ...]
    scanned: tuple[int, ...]
    """Positions of models whose rule is not only exact ids and prefixes, in order."""

    @classmethod
    def build(cls, provider: gp.Provider) -> ProviderIndex:
        exact: dict[str, int] = {}
        prefixes: dict[str, int] = {}
        scanned: list[int] = []
        for position, model in enumerate(provider.models):
            clauses = _simple_clauses(model.match)
            if clauses is None:
                scanned.append(position)
                continue
            for kind, text in clauses:
                (exact if kind == "exact" else prefixes).setdefault(text, position)
        lengths = tuple(sorted({len(prefix) for prefix in prefixes}))
        return cls(tuple(provider.models), exact, prefixes, lengths, tuple(scanned))

    def find(self, ref: str) -> gp.ModelInfo | None:
        """The first model whose rule matches `ref` (already lower-cased)."""
        best = self.exact.get(ref, _NONE)
        for length in self.prefix_lengths:
            if length > len(ref):
                break
            best = min(best, self.prefixes.get(ref[:length], _NONE))
        for position in self.scanned:
            if position > best:
                break
            if self.models[position].is_match(ref):
                return self.models[position]
        return self.models[best] if best != _NONE else None


class PriceIndex:
    """Every provider of one genai-prices snapshot, indexed on first use."""

    def __init__(self, providers: list[gp.Provider]) -> None:
        self._providers = providers
        self._by_id: dict[str, gp.Provider | None] = {}
        self._indexes: dict[str, ProviderIndex] = {}

    def provider(self, provider_id: str) -> gp.Provider | None:
        if provider_id not in self._by_id:
            found = data_snapshot.find_provider_by_id(self._providers, provider_id)
            self._by_id[provider_id] = found
        return self._by_id[provider_id]

    def find(self, provider_id: str, model_ref: str) -> gp.ModelInfo | None:
        """The model genai-prices' `find_provider_model` finds for these ids, or None."""
        provider = self.provider(provider_id)
        if provider is None:
            return None
        ref = model_ref.lower()
        found = self._match(provider, ref, fallback=True)
        if found is None:
            normalized = gp._normalize_compact_dated_ref(ref)
            if normalized != ref:
                found = self._match(provider, normalized, fallback=True)
        return found

    def _match(self, provider: gp.Provider, ref: str, *, fallback: bool) -> gp.ModelInfo | None:
        if provider.id not in self._indexes:
            self._indexes[provider.id] = ProviderIndex.build(provider)
        found = self._indexes[provider.id].find(ref)
        if found is not None or not fallback:
            return found
        for fallback_id in provider.fallback_model_providers or ():
            other = next((p for p in self._providers if p.id == fallback_id), None)
            if other is not None and (found := self._match(other, ref, fallback=False)):
                return found
        return None


@cache
def price_index() -> PriceIndex:
    """The index over the bundled snapshot (built once per process)."""
    return PriceIndex(data_snapshot.get_snapshot().providers)
