"""Benchmark: the HTTP handler (issue 4). Not part of the unit run.

1. Overhead of a no-op sync: `run_sync` called directly, vs POST through the app in process
   (httpx ASGITransport), vs POST to a real `serve` process over loopback. Two cases: no vendor
   configured; one local vendor (127.0.0.1) listing a tiny list that is already applied.
2. `GET` status throughput and latency against a real `serve` process on loopback, with `wrk`
   (apt-get install -y wrk) or, without it, a bounded asyncio httpx load loop in its own
   process. With the default 1 s status cache and without it (SYNC_STATUS_CACHE_SECONDS=0).

Uses a scratch database on the server in TEST_PG_* (default 127.0.0.1:5432, postgres), dropped
at the end. Everything stays on loopback and is bounded in count and time.

    .venv/bin/python tests/benchmarks/bench_http.py [--syncs 200] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from ai_catalog.store.migrations import migrate
from ai_catalog.store.postgres import PostgresStore
from sync_ai_models.http.app import create_app
from sync_ai_models.runner import SyncRequest, run_sync
from sync_ai_models.settings import Settings
from tests.support.http_doubles import JWT_SECRET, SERVICE_KEY, bearer, make_jwt
from tests.support.local_vendor import local_vendor
from tests.support.serve_process import serve

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"
HOST = os.environ.get("TEST_PG_HOST", "127.0.0.1")
PORT = os.environ.get("TEST_PG_PORT", "5432")
USER = os.environ.get("TEST_PG_USER", "postgres")
ADMIN_URL = f"postgresql://{USER}@{HOST}:{PORT}/postgres"


def summary(seconds: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in seconds)
    return {
        "median_ms": round(statistics.median(ms), 3),
        "p95_ms": round(ms[int(len(ms) * 0.95) - 1], 3),
        "mean_ms": round(statistics.fmean(ms), 3),
    }


async def timed(n: int, call: Callable[[], Awaitable[Any]]) -> dict[str, float]:
    for _ in range(min(10, n)):  # warm up: pool connections, imports, caches
        await call()
    seconds = []
    for _ in range(n):
        started = time.perf_counter()
        await call()
        seconds.append(time.perf_counter() - started)
    return summary(seconds)


async def overhead(db_url: str, env: dict[str, str], n: int) -> dict[str, Any]:
    """One no-op sync three ways, on the same database and vendor environment."""
    settings = Settings(database_url=db_url, supabase_service_role_key=SERVICE_KEY)
    request = SyncRequest(providers=["openai"])
    auth = bearer(SERVICE_KEY)
    body = {"providers": ["openai"]}
    store = await PostgresStore(db_url).open()
    try:
        async with httpx.AsyncClient() as vendor_client:

            async def direct() -> None:
                outcome = await run_sync(
                    store, request, env=env, client=vendor_client, trigger="http"
                )
                assert outcome.status == "succeeded", outcome

            app = create_app(settings=settings, store=store, env=env, http_client=vendor_client)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as asgi:

                async def in_process() -> None:
                    response = await asgi.post("/", json=body, headers=auth)
                    assert response.status_code == 200, response.text

                results = {
                    "run_sync_direct": await timed(n, direct),
                    "post_in_process": await timed(n, in_process),
                }
    finally:
        await store.close()
    server_env = {"DATABASE_URL": db_url, "SUPABASE_SERVICE_ROLE_KEY": SERVICE_KEY, **env}
    with serve(server_env) as server:
        async with httpx.AsyncClient(base_url=server.url) as client:

            async def over_loopback() -> None:
                response = await client.post("/", json=body, headers=auth)
                assert response.status_code == 200, response.text

            results["post_serve_loopback"] = await timed(n, over_loopback)
    direct_ms = results["run_sync_direct"]["median_ms"]
    for key in ("post_in_process", "post_serve_loopback"):
        results[key]["overhead_median_ms"] = round(results[key]["median_ms"] - direct_ms, 3)
    return results


def wrk(url: str, token: str, seconds: int, connections: int) -> dict[str, Any]:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Authorization: Bearer {token}",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    latency = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)", out, re.MULTILINE))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "tool": "wrk",
        "connections": connections,
        "req_per_s": rate,
        "p50": latency.get("50"),
        "p90": latency.get("90"),
        "p99": latency.get("99"),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": errors.group(1) if errors else None,
    }


LOAD_LOOP = """
import asyncio, json, sys, time
import httpx
url, token = sys.argv[1], sys.argv[2]
seconds, conns, cap = float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
lat, bad = [], 0
async def worker(client, deadline):
    global bad
    while time.monotonic() < deadline and len(lat) < cap:
        t = time.perf_counter()
        r = await client.get(url, headers={"Authorization": f"Bearer {token}"})
        lat.append(time.perf_counter() - t)
        bad += r.status_code != 200
async def main():
    limits = httpx.Limits(max_connections=conns, max_keepalive_connections=conns)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:
        start = time.monotonic()
        await asyncio.gather(*(worker(client, start + seconds) for _ in range(conns)))
        took = time.monotonic() - start
    lat.sort()
    print(json.dumps({"tool": "httpx-loop", "connections": conns, "req_per_s": len(lat) / took,
        "p50": f"{lat[len(lat)//2]*1000:.2f}ms", "p99": f"{lat[int(len(lat)*0.99)-1]*1000:.2f}ms",
        "non_2xx": bad}))
asyncio.run(main())
"""


def load_loop(url: str, token: str, seconds: int, connections: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-c", LOAD_LOOP, url, token, str(seconds), str(connections), "200000"],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    ).stdout
    result: dict[str, Any] = json.loads(out)
    return result


def throughput(db_url: str, seconds: int, connections: int) -> dict[str, Any]:
    load = wrk if shutil.which("wrk") else load_loop
    results: dict[str, Any] = {}
    no_cache = {"SYNC_STATUS_CACHE_SECONDS": "0"}
    jwt_token = make_jwt("service_role")
    cases: list[tuple[str, dict[str, str], str, tuple[str, ...], int]] = [
        ("cache_1s_key", {}, SERVICE_KEY, (), connections),
        ("cache_1s_jwt", {}, jwt_token, (), connections),
        ("no_cache_key", no_cache, SERVICE_KEY, (), connections),
        ("cache_1s_key_c8", {}, SERVICE_KEY, (), 8),
        ("no_cache_key_c8", no_cache, SERVICE_KEY, (), 8),
        ("no_cache_key_2_workers", no_cache, SERVICE_KEY, ("--workers", "2"), connections),
    ]
    for name, extra, token, args, conns in cases:
        env = {
            "DATABASE_URL": db_url,
            "SUPABASE_SERVICE_ROLE_KEY": SERVICE_KEY,
            "SUPABASE_JWT_SECRET": JWT_SECRET,
            **extra,
        }
        with serve(env, *args) as server:
            url = server.url + "/functions/v1/sync-ai-models"
            check = httpx.get(url, headers=bearer(token))
            assert check.status_code == 200, check.text
            load(url, token, 2, conns)  # warm up
            results[name] = load(url, token, seconds, conns)
        print(f"  {name}: {results[name]}", flush=True)
    return results


def scratch_database() -> tuple[str, str]:
    name = f"bench_http_{os.getpid()}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')
        conn.execute(f'create database "{name}"')
    url = f"postgresql://{USER}@{HOST}:{PORT}/{name}"
    migrate(url, SQL_DIR)
    return name, url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--syncs", type=int, default=200, help="no-op syncs timed per way")
    parser.add_argument("--seconds", type=int, default=10, help="load duration per GET case")
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    name, db_url = scratch_database()
    report: dict[str, Any] = {"cpus": os.cpu_count()}
    try:
        print("no-op sync, no vendor configured", flush=True)
        report["noop_no_vendor"] = asyncio.run(overhead(db_url, {}, args.syncs))
        print(json.dumps(report["noop_no_vendor"], indent=1), flush=True)
        with local_vendor("gpt-4o", "gpt-4o-mini", "o3-mini") as vendor:
            print("no-op sync, one local vendor, 3 models already applied", flush=True)
            report["noop_local_vendor"] = asyncio.run(overhead(db_url, vendor.env(), args.syncs))
            print(json.dumps(report["noop_local_vendor"], indent=1), flush=True)
        print(f"GET status, {args.connections} connections, {args.seconds}s per case", flush=True)
        report["get_status"] = throughput(db_url, args.seconds, args.connections)
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'drop database if exists "{name}" with (force)')
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
