"""Small converters for vendor fields: missing or nonsense values become None, never 0."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from ai_catalog.vendors.errors import ProviderResponseError

MAX_COUNT = 1_000_000_000
"""A token count above this is nonsense (the largest context windows are ~10M)."""


class MalformedEntry(ValueError):
    """One list entry cannot be read; it is skipped and counted, the rest go on. The message is
    the reason counted in the vendor's result: fixed words, never a value from the entry."""


def require_str(entry: dict[str, Any], key: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise MalformedEntry(f"entry has no string {key!r}")
    return value


def opt_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def opt_count(value: Any) -> int | None:
    """A positive token count; JSON doubles like 4096.0 are accepted, 0/negatives/bools are not.
    An absurd count (above MAX_COUNT, 1e300) makes the entry malformed."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        if value > MAX_COUNT:
            raise MalformedEntry("number out of range")
        value = int(value)
    if not isinstance(value, int) or value <= 0:
        return None
    if value > MAX_COUNT:
        raise MalformedEntry("number out of range")
    return value


def opt_bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def unix_time(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return None
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError):  # 1e300, 2**70: no such time
        raise MalformedEntry("number out of range") from None


def iso_time(value: Any) -> datetime | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return unix_time(value)
    if not isinstance(value, str) or not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    # Ollama sends nanoseconds; Python parses at most microseconds.
    if "." in text:
        head, _, tail = text.partition(".")
        digits = "".join(ch for ch in tail if ch.isdigit())
        text = f"{head}.{digits[:6]}{tail[len(digits) :]}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def iso_date(value: Any) -> date | None:
    parsed = iso_time(value)
    return parsed.date() if parsed else None


def str_list(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def envelope_list(provider: str, payload: Any, key: str | None) -> list[Any]:
    """The entry list of a page: `payload[key]`, or the payload itself when key is None."""
    items = payload if key is None else (payload.get(key) if isinstance(payload, dict) else None)
    if not isinstance(items, list):
        where = "a JSON array" if key is None else f"an object with a {key!r} list"
        raise ProviderResponseError(provider, f"unexpected response shape: expected {where}")
    return items


def opt_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
