"""How much one vendor may cost a run: a total deadline, a per-request timeout, a response size
cap and a page cap. Read from the environment; a bad value fails every vendor with its name."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from ai_catalog.vendors.errors import ProviderError


@dataclass(frozen=True)
class ProviderLimits:
    deadline_seconds: float = 120.0
    """Listing one vendor (every page and retry, and building its configs) ends by then."""
    timeout_seconds: float = 30.0
    """One request: connect, and each read of the body."""
    max_response_bytes: int = 32 * 1024 * 1024
    """One response body, counted as it streams in (after decompression)."""
    max_pages: int = 100
    """Pages of one listing; a listing that wants more fails."""


ENV_NAMES: dict[str, str] = {
    "deadline_seconds": "SYNC_VENDOR_DEADLINE_SECONDS",
    "timeout_seconds": "SYNC_VENDOR_TIMEOUT_SECONDS",
    "max_response_bytes": "SYNC_VENDOR_MAX_BYTES",
    "max_pages": "SYNC_VENDOR_MAX_PAGES",
}


def limits_from_env(env: Mapping[str, str], provider: str) -> ProviderLimits:
    values: dict[str, float | int] = {}
    for spec in fields(ProviderLimits):
        name = ENV_NAMES[spec.name]
        text = env.get(name, "").strip()
        if not text:
            continue
        kind = float if spec.type == "float" else int
        try:
            value = kind(text)
        except ValueError:
            value = 0
        if not value > 0 or value == float("inf"):
            raise ProviderError(provider, f"{name} must be a positive {kind.__name__}")
        values[spec.name] = value
    return ProviderLimits(**values)  # type: ignore[arg-type]
