"""Maintained catalogs read at run time, behind one small interface: what a catalog says about
one exact model (prices, limits), or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class SourceFacts:
    """What one maintained catalog says about one exact model: USD per token, token counts."""

    source: str
    input: Decimal | None = None
    output: Decimal | None = None
    cache_read: Decimal | None = None
    cache_write: Decimal | None = None
    context_window: int | None = None
    max_output: int | None = None


class CatalogSource(Protocol):
    name: str
    version: str
    """Changes whenever the data does (part of the config version that fingerprints entries)."""

    def facts(self, provider: str, model_id: str) -> SourceFacts | None:
        """The catalog's entry for exactly this model id, or None."""
        ...
