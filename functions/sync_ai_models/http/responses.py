"""JSON answers: orjson (the database hands back Decimals and datetimes), and one error shape."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from uuid import UUID

import orjson
from starlette.responses import Response


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


class JSONResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, default=_default)


def error_response(
    status: int,
    message: str,
    *,
    run_id: UUID | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"error": message}
    if run_id is not None:
        body["run_id"] = str(run_id)
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))
