"""Reading the page's forms and query strings: filters, sorting and an edited field's value."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

PER_MILLION = Decimal(1_000_000)
PRICE_SUFFIX = "_cost_rate"
"""Config fields in USD per token; the page shows and takes them per 1M tokens."""

YES_NO = {"yes": True, "no": False}
MAX_FORM_BYTES = 64 * 1024
"""The page's forms are a few short fields; a bigger body is refused before it is read whole."""

SORT_KEYS: dict[str, str] = {
    "provider": "provider",
    "model": "api_identifier",
    "name": "name",
    "kind": "kind",
    "input": "input_token_cost_rate",
    "output": "output_token_cost_rate",
    "context": "context_window_tokens",
    "first_seen": "first_seen_at",
}
"""?sort= value -> the catalog row key it sorts by."""


async def read_form(request: Request) -> FormData:
    """The request's url-encoded form (read once, capped); any other body reads as empty."""
    cached: FormData | None = getattr(request.state, "admin_form", None)
    if cached is not None:
        return cached
    form = FormData()
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_FORM_BYTES:
                raise HTTPException(413, f"form larger than {MAX_FORM_BYTES} bytes")
        fields: list[tuple[str, str | UploadFile]] = list(
            parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        )
        form = FormData(fields)
    request.state.admin_form = form
    return form


def yes_no(params: Mapping[str, str], name: str) -> bool | None:
    return YES_NO.get(params.get(name, ""))


def text(params: Mapping[str, str], name: str) -> str | None:
    value = params.get(name, "").strip()
    return value or None


def sort_rows(rows: list[dict[str, Any]], sort: str, descending: bool) -> list[dict[str, Any]]:
    """Rows by one column; rows without a value last, whichever the direction."""
    key = SORT_KEYS.get(sort)
    if key is None:
        return rows
    present = [r for r in rows if r.get(key) is not None]
    missing = [r for r in rows if r.get(key) is None]
    present.sort(key=lambda r: (r[key], r["provider"], r["api_identifier"]), reverse=descending)
    return present + missing


def is_price(field: str) -> bool:
    return field.endswith(PRICE_SUFFIX)


def per_million(rate: Any) -> str | None:
    """A USD-per-token rate as USD per 1M tokens ("2.5"), or None if it is not a number."""
    if isinstance(rate, bool) or not isinstance(rate, int | float | Decimal):
        return None
    return f"{(Decimal(str(rate)) * PER_MILLION).normalize():f}"


def when(value: Any) -> str:
    """A database timestamp (ISO text) as "2026-12-07 14:59:35 UTC"; anything else as given."""
    if not isinstance(value, str):
        return "—" if value is None else str(value)
    try:
        moment = datetime.fromisoformat(value).astimezone(UTC)
    except ValueError:
        return value
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def json_default(value: Any) -> Any:
    """The database's numbers arrive as Decimal; JSON shown on the page writes them as numbers."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot show {type(value).__name__} as JSON")


def json_text(value: Any) -> str:
    """A value as JSON text (plain text: the template escapes it like any other string)."""
    return json.dumps(value, sort_keys=True, default=json_default)


def edited_value(field: str, entered: str) -> Any:
    """What a typed value means as JSON. Empty removes the field; a price is typed per 1M tokens.
    Text that is not JSON goes as a string, so the database (the one validator) names the
    field and the rule it breaks."""
    entered = entered.strip()
    if not entered:
        return None
    try:
        value = json.loads(entered)
    except ValueError:
        return entered
    if is_price(field) and isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return float(Decimal(entered) / PER_MILLION)
        except InvalidOperation:
            return value
    return value
