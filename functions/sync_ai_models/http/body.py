"""Reading the POST body: size-capped (Content-Length and the bytes actually streamed), then
parsed into a SyncBody. Errors are Starlette HTTPExceptions the app renders as JSON."""

from __future__ import annotations

import orjson
from pydantic import ValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request

from sync_ai_models.http.http_models import SyncBody, validation_message

MAX_BODY_BYTES = 64 * 1024


async def read_capped(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    too_large = HTTPException(413, f"body larger than {limit} bytes")
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            length = int(declared)
        except ValueError:
            raise HTTPException(400, "Content-Length is not a number") from None
        if length > limit:
            raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_large
    return bytes(body)


def parse_sync_body(raw: bytes) -> SyncBody:
    """An empty body means the defaults; otherwise a JSON object with only the known keys."""
    if not raw.strip():
        return SyncBody()
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise HTTPException(400, "body is not valid JSON") from None
    if not isinstance(data, dict):
        raise HTTPException(400, f"body must be a JSON object, not {type(data).__name__}")
    try:
        return SyncBody.model_validate(data)
    except ValidationError as exc:
        raise HTTPException(400, f"invalid body: {validation_message(exc)}") from None
