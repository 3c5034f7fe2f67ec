"""What one catalog entry must satisfy before it goes to the database. An entry that fails is
skipped and counted with the reason; the rest of its vendor's list goes on."""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from ai_catalog.types import CatalogEntry
from ai_catalog.vendors._parse import MalformedEntry

MAX_ID_LENGTH = 512
"""`ai_providers.api_identifier` is checked to be 1..512 characters (sql/0002)."""
MAX_DEPTH = 64
"""Nesting of the raw entry; deeper is no model description (and no serialiser takes it)."""
_INT64 = 2**63


def check_entry(entry: CatalogEntry) -> None:
    """Raises MalformedEntry(reason) when the database (or its JSON) could not take the entry."""
    if len(entry.api_identifier) > MAX_ID_LENGTH:
        raise MalformedEntry(f"id longer than {MAX_ID_LENGTH} characters")
    for value in _leaves(entry.to_json()):
        if isinstance(value, str):
            _check_text(value)
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int):
            if not -_INT64 <= value < _INT64:
                raise MalformedEntry("number out of range")
        elif isinstance(value, float | Decimal) and not _finite(value):
            raise MalformedEntry("number out of range")


def _finite(value: float | Decimal) -> bool:
    return math.isfinite(value) if isinstance(value, float) else value.is_finite()


def _check_text(text: str) -> None:
    if "\x00" in text:  # Postgres text and jsonb refuse NUL
        raise MalformedEntry("NUL byte")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, as JSON's \ud800 allows
        raise MalformedEntry("invalid unicode") from None


def _leaves(value: Any) -> Iterator[Any]:
    """Every key and scalar of a JSON value, without recursion (depth is checked, not risked)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                raise MalformedEntry("nested too deeply")
            if isinstance(item, dict):
                for key, child in item.items():
                    yield key
                    stack.append((child, depth + 1))
            else:
                stack.extend((child, depth + 1) for child in item)
        else:
            yield item
