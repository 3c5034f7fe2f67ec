"""A short-lived cache of the status answer, so a burst of `GET`s costs one query per TTL.

Concurrent misses share one query (single flight). A POST handled by this process clears it, so
a caller sees its own run at once; another replica's run shows within the TTL.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

Fetch = Callable[[], Awaitable[dict[str, Any]]]


class StatusCache:
    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._value: dict[str, Any] | None = None
        self._expires = 0.0
        self._pending: asyncio.Future[dict[str, Any]] | None = None
        self._generation = 0

    def clear(self) -> None:
        """Forget the answer, and any query already in flight (it may predate a change)."""
        self._value = None
        self._pending = None
        self._generation += 1

    async def get(self, fetch: Fetch) -> dict[str, Any]:
        if self._value is not None and self._clock() < self._expires:
            return self._value
        if self._pending is None:
            self._pending = asyncio.ensure_future(self._refresh(fetch, self._generation))
            self._pending.add_done_callback(self._forget)
        return await asyncio.shield(self._pending)

    async def _refresh(self, fetch: Fetch, generation: int) -> dict[str, Any]:
        value = await fetch()
        if generation == self._generation and self.ttl > 0:
            self._value, self._expires = value, self._clock() + self.ttl
        return value

    def _forget(self, future: asyncio.Future[dict[str, Any]]) -> None:
        if self._pending is future:
            self._pending = None
        if not future.cancelled():
            future.exception()  # retrieved, so a failure is not reported as never awaited
