"""Nothing secret leaves the app: no key, no token, no raw vendor payload in bodies or logs."""

from __future__ import annotations

import json

import httpx

from tests.support.http_app import LogLines
from tests.support.http_doubles import (
    RAW_MARKER,
    SERVICE_KEY,
    VENDOR_KEY,
    FakeVendors,
    bearer,
    make_jwt,
)

TOKEN = make_jwt("service_role")
SECRETS = (SERVICE_KEY, VENDOR_KEY, TOKEN, RAW_MARKER)


def assert_clean(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


async def test_bodies_and_logs_carry_no_secret_or_raw_payload(
    client: httpx.AsyncClient, vendors: FakeVendors, json_logs: LogLines
) -> None:
    vendors.lists("openai", "gpt-4o")
    vendors.fails("groq", 401)  # the vendor's error quotes the key and carries the marker
    responses = [
        await client.post("/", headers=bearer(SERVICE_KEY)),
        await client.post("/", headers=bearer(TOKEN)),
        await client.get("/", headers=bearer(TOKEN)),
        await client.post("/", headers=bearer(SERVICE_KEY + "-wrong")),
        await client.post("/", content=f'{{"x": "{VENDOR_KEY}"}}', headers=bearer(TOKEN)),
    ]
    assert [r.status_code for r in responses] == [207, 207, 200, 401, 400]
    for response in responses:
        assert_clean(response.text)
    groq = next(r for r in responses[0].json()["results"] if r["provider"] == "groq")
    assert groq["error"].startswith("groq: HTTP 401 bad key ")
    assert_clean(json_logs.text)


async def test_one_log_line_per_run_and_per_vendor_with_counts(
    client: httpx.AsyncClient, vendors: FakeVendors, json_logs: LogLines
) -> None:
    vendors.lists("openai", "gpt-4o", "gpt-4o-mini")
    vendors.lists("groq", "llama")
    response = await client.post("/", headers=bearer(TOKEN))
    run_id = response.json()["run_id"]
    lines = [json.loads(line) for line in json_logs.lines]
    runs = [line for line in lines if line["message"] == "run finished"]
    assert len(runs) == 1
    assert (runs[0]["run_id"], runs[0]["trigger"], runs[0]["totals"]["inserted"]) == (
        run_id,
        "http",
        3,
    )
    vendor_lines = {line["provider"]: line for line in lines if "provider" in line}
    assert len(vendor_lines) == 12
    assert (vendor_lines["openai"]["inserted"], vendor_lines["openai"]["listed"]) == (2, 2)
    assert "seconds" in vendor_lines["openai"]
    requests = [line for line in lines if line["logger"] == "sync_ai_models.http"]
    assert [(r["http_status"], r["run_id"], r["caller"]) for r in requests] == [
        (200, run_id, "user-service_role")
    ]
