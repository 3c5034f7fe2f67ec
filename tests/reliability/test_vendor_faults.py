"""The vendor fault matrix: every adapter x every way a vendor (or the network) can misbehave.

Each case syncs the faulty vendor together with a healthy one against a catalog seeded with both,
through the real runner, a real local HTTP server and real Postgres, and asserts: the faulty
vendor's status and reason, the healthy vendor unaffected, the catalog unchanged where nothing
may change, no key (and no raw payload) in the results, the run row or the logs, no run left
running, and the vendor's wall time bounded by its deadline.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import count
from typing import Any

import pytest

from ai_catalog.types import ProviderResult
from ai_catalog.vendors import PROVIDERS
from tests.support.vendor_harness import (  # noqa: F401 (fixtures)
    MAX_PAGES,
    SHORT_DEADLINE,
    Harness,
    harness_fixture,
    seeded_fixture,
)
from tests.support.vendor_server import Handler, Reply, Request, json_reply
from tests.support.vendor_shapes import PAYLOAD_MARK, SHAPES, Shape, key_of, model_ids

pytestmark = pytest.mark.asyncio(loop_scope="module")

Serve = Callable[[Shape, Harness], Handler]
Check = Callable[[Shape, Harness, ProviderResult], None]


@dataclass(frozen=True)
class Fault:
    name: str
    serve: Serve
    status: str
    reasons: tuple[str, ...] = ()
    """The error names one of these (empty: no error expected)."""
    unchanged: bool = True
    """The vendor's catalog rows must be exactly as before (every column)."""
    check: Check | None = None
    only: Callable[[Shape], bool] = lambda shape: True
    env: Callable[[Harness], dict[str, str]] = lambda harness: {}
    tags: tuple[str, ...] = field(default_factory=tuple)


def healthy(shape: Shape) -> list[dict[str, Any]]:
    return [shape.entry(m) for m in model_ids(shape.provider)]


def listing_of(extra: Callable[[Shape], list[Any]], keep: int = 10) -> Serve:
    return lambda shape, _h: shape.single(healthy(shape)[:keep] + extra(shape))


def first_then_healthy(reply: Reply) -> Serve:
    def serve(shape: Shape, _h: Harness) -> Handler:
        ok = shape.single(healthy(shape))
        calls = count()
        return lambda request: reply if next(calls) == 0 else ok(request)

    return serve


def always(make: Callable[[Shape], Reply]) -> Serve:
    def serve(shape: Shape, _h: Harness) -> Handler:
        reply = make(shape)
        return lambda _request: reply

    return serve


def error_body(shape: Shape, status: int, message: str) -> Reply:
    """An error that echoes the key, as real vendors do on 401."""
    text = f"{message}: {key_of(shape.provider)}"
    return json_reply({"error": {"message": text}, "request": PAYLOAD_MARK}, status=status)


def deep(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def endless_paging(shape: Shape, _h: Harness) -> Handler:
    def handle(request: Request) -> Reply:
        cursor = shape.cursor_of(request)
        number = 0 if cursor is None else int(cursor[1:])
        pages = {cursor: ([shape.entry(f"page-{number}")], f"c{number + 1}")}
        return shape.listing(pages)(request)

    return handle


def looping_paging(shape: Shape, _h: Harness) -> Handler:
    entries = healthy(shape)
    return shape.listing(
        {None: (entries[:4], "c1"), "c1": (entries[4:8], "c2"), "c2": (entries[8:], "c1")}
    )


def foreign_link(shape: Shape, harness: Harness) -> Handler:
    foreign = harness.server.url(shape.provider).replace("127.0.0.1", "localhost")
    entries = healthy(shape)
    return shape.listing(
        {None: (entries[:4], f"{foreign}/models?page=c1"), "c1": (entries[4:], None)}
    )


def redirect_elsewhere(shape: Shape, harness: Harness) -> Handler:
    foreign = harness.server.url(shape.provider).replace("127.0.0.1", "localhost")
    reply = Reply(302, b"", {"Location": f"{foreign}/stolen"})
    return lambda _request: reply


def short_deadline(_h: Harness) -> dict[str, str]:
    return {"SYNC_VENDOR_DEADLINE_SECONDS": str(SHORT_DEADLINE)}


def closed_port(_h: Harness) -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def refused_env(provider: str) -> Callable[[Harness], dict[str, str]]:
    prefix = provider.upper()
    return lambda harness: {f"{prefix}_BASE_URL": closed_port(harness)}


ODD_OK = ("modèle-ü-🙂-中文", 'it\'s a "quoted" model')
BAD_ENTRIES: dict[str, Callable[[Shape], dict[str, Any]]] = {
    "NUL in id": lambda s: s.entry("nul\x00id"),
    "NUL in name": lambda s: s.with_name("nul-name", "bad\x00name"),
    "NUL in description": lambda s: s.with_description("nul-desc", "bad\x00text"),
    "overlong id": lambda s: s.entry("x" * 600),
    "lone surrogate": lambda s: s.entry("surrogate-\ud800"),
}


def odd_ids(shape: Shape) -> list[Any]:
    return [shape.entry(m) for m in ODD_OK] + [make(shape) for make in BAD_ENTRIES.values()]


def check_odd_ids(shape: Shape, harness: Harness, result: ProviderResult) -> None:
    assert result.skipped_malformed == len(BAD_ENTRIES), result.skip_reasons
    assert set(result.skip_reasons) <= {
        "NUL byte",
        "id longer than 512 characters",
        "invalid unicode",
        "invalid id",
    }
    active = harness.active_ids(shape.provider)
    assert set(ODD_OK) <= set(active)
    assert set(model_ids(shape.provider)) <= set(active)


def bad_prices(shape: Shape) -> list[Any]:
    prices = {
        "pricing": {"prompt": "-1", "completion": "free", "input": "cheap", "output": -5},
        "prompt_text_token_price": -100,
        "completion_text_token_price": "abc",
    }
    return [shape.entry(f"bad-price-{n}", **prices) for n in range(2)]


def check_bad_prices(shape: Shape, harness: Harness, result: ProviderResult) -> None:
    assert result.skipped_malformed == 0, result.skip_reasons
    for model_id in ("bad-price-0", "bad-price-1"):
        found = harness.db.execute(
            "select config from public.ai_providers where provider = %s and api_identifier = %s",
            (shape.provider, model_id),
        ).fetchone()
        assert found is not None
        config = found[0]
        for rate in ("input_token_cost_rate", "output_token_cost_rate"):
            assert config.get(rate) is None or float(config[rate]) >= 0


ABSURD: dict[str, dict[str, Any]] = {
    "created 1e300": {"created": 1e300, "created_at": 1e300, "modified_at": 1e300},
    "counts 2**70": {
        "context_length": 2**70,
        "context_window": 2**70,
        "inputTokenLimit": 2**70,
        "max_tokens": 2**70,
    },
    "counts 1e300": {"context_length": 1e300, "inputTokenLimit": 1e300, "max_input_tokens": 1e300},
    "20-digit prices": {
        "pricing": {"prompt": "12345678901234567890", "completion": "12345678901234567890"},
        "prompt_text_token_price": 12345678901234567890,
    },
    "NaN": {"x_value": float("nan")},
    "nested 200 deep": {"x_nested": json.loads(deep(200))},
}
ALWAYS_SKIPPED = ("counts 2**70", "NaN", "nested 200 deep")
"""Whatever the adapter reads, these cannot be stored (raw keeps them), so they are skipped."""


def absurd(shape: Shape) -> list[Any]:
    return [shape.entry(f"absurd-{n}", **fields) for n, fields in enumerate(ABSURD.values())]


def check_absurd(shape: Shape, harness: Harness, result: ProviderResult) -> None:
    assert result.listed + result.skipped_malformed == 10 + len(ABSURD)
    assert result.skipped_malformed >= len(ALWAYS_SKIPPED), result.skip_reasons
    assert set(model_ids(shape.provider)) <= set(harness.active_ids(shape.provider))
    for (config,) in harness.db.execute(
        "select config from public.ai_providers where provider = %s", (shape.provider,)
    ):
        for key in ("context_window_tokens", "provider_max_input_tokens"):
            assert config.get(key) is None or config[key] <= 1_000_000_000


def check_duplicates(shape: Shape, harness: Harness, result: ProviderResult) -> None:
    assert result.duplicates == 3
    for model_id in model_ids(shape.provider)[:3]:
        found = harness.db.execute(
            "select raw_entry ->> 'x_variant' from public.ai_providers "
            "where provider = %s and api_identifier = %s",
            (shape.provider, model_id),
        ).fetchone()
        assert found == ("last",), "the last entry of a duplicated id wins"


def check_retried(shape: Shape, harness: Harness, result: ProviderResult) -> None:
    assert harness.sleeps.waits, "the failed call was retried after a wait"


def check_retry_after(shape: Shape, harness: Harness, result: ProviderResult) -> None:
    assert 7.0 in harness.sleeps.waits, harness.sleeps.waits


def check_not_retried(shape: Shape, harness: Harness, result: ProviderResult) -> None:
    assert len(harness.server.requests_of(shape.provider)) == 1


def check_nothing_elsewhere(shape: Shape, harness: Harness, result: ProviderResult) -> None:
    foreign = [
        r
        for r in harness.server.requests_of(shape.provider)
        if r.headers["host"].startswith("localhost")
    ]
    assert foreign == [], "no request (and so no key) went to another origin"


def check_guard(shape: Shape, harness: Harness, result: ProviderResult) -> None:
    assert result.deactivated == 0
    assert harness.active_ids(shape.provider) == sorted(model_ids(shape.provider))


def paged(shape: Shape) -> bool:
    return shape.paged


FAULTS: tuple[Fault, ...] = (
    Fault(
        "500 then ok",
        first_then_healthy(json_reply({"error": "busy"}, status=500)),
        "succeeded",
        unchanged=False,
        check=check_retried,
    ),
    Fault("500 forever", always(lambda s: error_body(s, 500, "boom")), "failed", ("HTTP 500",)),
    Fault(
        "401",
        always(lambda s: error_body(s, 401, "Incorrect API key")),
        "failed",
        ("HTTP 401",),
        check=check_not_retried,
    ),
    Fault(
        "403",
        always(lambda s: error_body(s, 403, "Forbidden")),
        "failed",
        ("HTTP 403",),
        check=check_not_retried,
    ),
    Fault(
        "429 retry-after",
        first_then_healthy(json_reply({"error": "slow down"}, status=429, **{"Retry-After": "7"})),
        "succeeded",
        unchanged=False,
        check=check_retry_after,
    ),
    Fault("refused", always(lambda s: Reply()), "failed", ("connection failed",)),
    Fault(
        "hang",
        always(lambda s: Reply(hang=True)),
        "failed",
        ("timed out", "deadline"),
        env=short_deadline,
    ),
    Fault(
        "slowloris",
        always(lambda s: Reply(trickle_seconds=0.05)),
        "failed",
        ("deadline",),
        env=short_deadline,
    ),
    Fault(
        "non-JSON",
        always(
            lambda s: Reply(
                200, f"<html>{PAYLOAD_MARK}</html>".encode(), {"Content-Type": "text/html"}
            )
        ),
        "failed",
        ("not JSON",),
    ),
    Fault(
        "deeply nested body",
        always(lambda s: Reply(200, deep(100_000), {"Content-Type": "application/json"})),
        "failed",
        ("nested too deeply",),
    ),
    Fault(
        "deeply nested error body",
        always(lambda s: Reply(500, deep(100_000), {"Content-Type": "application/json"})),
        "failed",
        ("HTTP 500",),
    ),
    Fault(
        "wrong envelope",
        always(lambda s: json_reply({"unexpected": [PAYLOAD_MARK]})),
        "failed",
        ("unexpected response shape",),
    ),
    Fault("empty list", listing_of(lambda s: [], keep=0), "guarded", check=check_guard),
    Fault("80% dropped", listing_of(lambda s: [], keep=2), "guarded", check=check_guard),
    Fault(
        "duplicates",
        listing_of(lambda s: [s.entry(m, x_variant="last") for m in model_ids(s.provider)[:3]]),
        "succeeded",
        unchanged=False,
        check=check_duplicates,
    ),
    Fault("huge body", always(lambda s: Reply(endless=True)), "failed", ("larger than",)),
    Fault(
        "huge declared body",
        always(lambda s: Reply(endless=True, headers={"Content-Length": str(200 * 2**20)})),
        "failed",
        ("larger than",),
    ),
    Fault(
        "odd and bad ids",
        listing_of(odd_ids),
        "succeeded",
        unchanged=False,
        check=check_odd_ids,
    ),
    Fault(
        "string and negative prices",
        listing_of(bad_prices),
        "succeeded",
        unchanged=False,
        check=check_bad_prices,
    ),
    Fault(
        "absurd numbers",
        listing_of(absurd),
        "succeeded",
        unchanged=False,
        check=check_absurd,
    ),
    Fault(
        "endless paging",
        endless_paging,
        "failed",
        (f"more than {MAX_PAGES} pages",),
        only=paged,
    ),
    Fault("looping paging", looping_paging, "failed", ("paging loops",), only=paged),
    Fault(
        "foreign-host link",
        foreign_link,
        "failed",
        ("another host",),
        only=lambda s: s.provider == "openrouter",
        check=check_nothing_elsewhere,
    ),
    Fault(
        "redirect to another host",
        redirect_elsewhere,
        "failed",
        ("not JSON",),
        check=check_nothing_elsewhere,
    ),
)


def cases() -> Iterator[Any]:
    for provider in PROVIDERS:
        for fault in FAULTS:
            if fault.only(SHAPES[provider]):
                yield pytest.param(provider, fault, id=f"{provider}-{fault.name.replace(' ', '_')}")


def fault_env(fault: Fault, provider: str, harness: Harness, other: str) -> dict[str, str]:
    env = harness.env(provider, other)
    if fault.name == "refused":
        env.update(refused_env("GOOGLE" if provider == "google" else provider)(harness))
    return {**env, **fault.env(harness)}


@pytest.mark.parametrize(("provider", "fault"), list(cases()))
async def test_vendor_fault(
    harness: Harness, provider: str, fault: Fault, record_property: Callable[[str, Any], None]
) -> None:
    shape = SHAPES[provider]
    other = "groq" if provider == "openai" else "openai"
    harness.server.handlers[provider] = fault.serve(shape, harness)
    harness.server.handlers[other] = SHAPES[other].single(healthy(SHAPES[other]))
    before, other_before = harness.rows(provider), harness.active_ids(other)

    env = fault_env(fault, provider, harness, other)
    deadline = float(env["SYNC_VENDOR_DEADLINE_SECONDS"])
    outcome = await harness.run(provider, other, env=env)

    results = {r.provider: r for r in outcome.results}
    result, healthy_result = results[provider], results[other]
    outputs = [outcome.model_dump_json(), harness.run_row_text(), *harness.logs.lines]
    leaked = sum(key_of(p) in text for p in (provider, other) for text in outputs)
    payload_shown = sum(PAYLOAD_MARK in text for text in outputs)
    wrongful = len(set(model_ids(provider)) - set(harness.active_ids(provider)))
    record_property("figure:keys_leaked", leaked)
    record_property("figure:raw_payloads_shown", payload_shown)
    record_property("figure:wrongful_deactivations", wrongful)
    record_property("figure:runs_aborted_by_one_vendor", int(healthy_result.status != "succeeded"))
    record_property("figure:http_500s", int(outcome.http_status == 500))
    record_property("figure:runs_left_running", harness.runs_left_running())
    record_property("figure:hangs", int(result.seconds > deadline + 2.0))
    record_property("worst:vendor_seconds", result.seconds)

    assert (result.status, result.error) == (fault.status, result.error)
    if fault.reasons:
        assert result.error and any(r in result.error for r in fault.reasons), result.error
    else:
        assert result.error is None
    assert (healthy_result.status, healthy_result.unchanged) == ("succeeded", 10)
    assert harness.active_ids(other) == other_before
    if fault.unchanged:
        assert harness.rows(provider) == before, "a failed or guarded vendor wrote nothing"
    if fault.check is not None:
        fault.check(shape, harness, result)
    assert (leaked, payload_shown, wrongful) == (0, 0, 0)
    assert outcome.http_status == (207 if fault.status == "failed" else 200)
    assert harness.runs_left_running() == 0
    assert result.seconds <= deadline + 2.0, "a vendor is bounded by its deadline"
