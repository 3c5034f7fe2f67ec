"""The status cache: one query per TTL, shared by concurrent callers, forgotten on clear()."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from sync_ai_models.http.status_cache import StatusCache


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Source:
    def __init__(self) -> None:
        self.calls = 0
        self.gate: asyncio.Event | None = None

    async def __call__(self) -> dict[str, Any]:
        self.calls += 1
        call = self.calls
        if self.gate is not None:
            await self.gate.wait()
        return {"call": call}


async def test_answers_from_cache_until_the_ttl_passes() -> None:
    clock, source = Clock(), Source()
    cache = StatusCache(1.0, clock)
    assert await cache.get(source) == {"call": 1}
    clock.now += 0.9
    assert await cache.get(source) == {"call": 1}
    clock.now += 0.2
    assert await cache.get(source) == {"call": 2}


async def test_a_zero_ttl_always_asks() -> None:
    source = Source()
    cache = StatusCache(0.0, Clock())
    assert [await cache.get(source) for _ in range(3)] == [{"call": 1}, {"call": 2}, {"call": 3}]


async def test_concurrent_misses_share_one_query() -> None:
    source = Source()
    source.gate = asyncio.Event()
    cache = StatusCache(1.0, Clock())
    waiting = [asyncio.ensure_future(cache.get(source)) for _ in range(5)]
    await asyncio.sleep(0)
    source.gate.set()
    assert await asyncio.gather(*waiting) == [{"call": 1}] * 5
    assert source.calls == 1


async def test_clear_forgets_the_answer_and_a_query_in_flight() -> None:
    source = Source()
    cache = StatusCache(1.0, Clock())
    await cache.get(source)
    cache.clear()
    assert await cache.get(source) == {"call": 2}

    source.gate = asyncio.Event()
    cache.clear()
    before = asyncio.ensure_future(cache.get(source))  # a query that predates a change
    await asyncio.sleep(0)
    cache.clear()
    after = asyncio.ensure_future(cache.get(source))
    await asyncio.sleep(0)
    source.gate.set()
    assert (await before, await after) == ({"call": 3}, {"call": 4})
    source.gate = None
    assert await cache.get(source) == {"call": 4}  # only the newer answer was kept


async def test_a_failure_is_raised_to_every_waiter_and_not_kept() -> None:
    calls = 0

    async def failing() -> dict[str, Any]:
        nonlocal calls
        calls += 1
        raise RuntimeError("database down")

    cache = StatusCache(1.0, Clock())
    for _ in range(2):
        with pytest.raises(RuntimeError, match="database down"):
            await cache.get(failing)
    assert calls == 2
