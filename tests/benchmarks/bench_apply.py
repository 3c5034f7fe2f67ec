"""Benchmark: apply one vendor list of 10,000 models (issue: catalog database).

Scenarios: cold insert, no-op re-apply, every model changed, and the seed's way (one upsert
statement per model, each its own round trip and commit) on the same data.
Runs against a scratch database on the server in TEST_PG_* (default 127.0.0.1:5432, postgres).

    .venv/bin/python tests/benchmarks/bench_apply.py [--models 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import time
from decimal import Decimal
from pathlib import Path

import psycopg

from ai_catalog.model_config import ModelConfig
from ai_catalog.store.migrations import migrate
from ai_catalog.store.postgres import PostgresStore
from ai_catalog.types import CatalogEntry

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"
HOST = os.environ.get("TEST_PG_HOST", "127.0.0.1")
PORT = os.environ.get("TEST_PG_PORT", "5432")
USER = os.environ.get("TEST_PG_USER", "postgres")
SEED_UPSERT = """
insert into ai_providers (provider, api_identifier, name, config, is_active, last_seen_at)
values (%s, %s, %s, %s::jsonb, true, now())
on conflict (provider, api_identifier) do update
  set config = excluded.config, name = excluded.name, is_active = true, last_seen_at = now()
"""


def models(n: int, price: str) -> list[CatalogEntry]:
    return [
        CatalogEntry(
            api_identifier=f"vendor-model-{i:05d}",
            name=f"Vendor Model {i}",
            description="A model used for benchmarking the catalog apply.",
            config=ModelConfig.model_validate(
                {
                    "input_token_cost_rate": Decimal(price),
                    "output_token_cost_rate": Decimal("0.00001"),
                    "context_window_tokens": 128000,
                    "provider_max_output_tokens": 16384,
                    "hard_cap_output_tokens": 16384,
                    "tokenization_strategy": {
                        "type": "rough_char_count",
                        "chars_per_token_ratio": 4.0,
                    },
                }
            ),
            config_sources={"input_token_cost_rate": "vendor_api"},
            raw={"id": f"vendor-model-{i:05d}", "object": "model", "owned_by": "bench"},
        )
        for i in range(n)
    ]


def backend_peak_rss_kib(conn: psycopg.Connection) -> int | None:
    pid = conn.execute("select pg_backend_pid()").fetchone()[0]  # type: ignore[index]
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


async def timed(
    store: PostgresStore, provider: str, entries: list[CatalogEntry]
) -> tuple[float, dict[str, int]]:
    start = time.perf_counter()
    result = await store.apply_provider_models(provider, entries)
    elapsed = time.perf_counter() - start
    return elapsed, result.model_dump(include={"inserted", "updated", "unchanged"})


def report(label: str, times: list[float], counts: dict[str, int]) -> float:
    median = statistics.median(times)
    print(
        f"{label:<34} median {median:6.3f} s  min {min(times):6.3f} s  (n={len(times)})  {counts}"
    )
    return median


async def run(n: int, repeat: int) -> None:
    admin = f"postgresql://{USER}@{HOST}:{PORT}/postgres"
    dbname = f"bench_apply_{os.getpid()}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'create database "{dbname}"')
    url = f"postgresql://{USER}@{HOST}:{PORT}/{dbname}"
    try:
        migrate(url, SQL_DIR)
        store = await PostgresStore(url, max_size=1).open()
        prices = ("0.0000025", "0.000003")
        lists = [models(n, price) for price in prices]
        results: dict[str, float] = {}
        cold, counts = await timed(store, "bench", lists[0])
        results["cold"] = report(f"cold insert of {n}", [cold], counts)
        noop = [await timed(store, "bench", lists[0]) for _ in range(repeat)]
        results["noop"] = report("no-op re-apply", [t for t, _ in noop], noop[-1][1])
        # each round flips every model's price (fresh entries each time, as a real sync builds)
        full = []
        for i in range(repeat):
            full.append(await timed(store, "bench", models(n, prices[(i + 1) % 2])))
        results["full"] = report("every model changed", [t for t, _ in full], full[-1][1])
        await store.close()

        with psycopg.connect(url, autocommit=True) as conn:
            seed: list[float] = []
            for entries in lists:
                rows = [(e.api_identifier, e.name, json.dumps(e.config.to_json())) for e in entries]
                start = time.perf_counter()
                for model_id, name, config in rows:
                    conn.execute(SEED_UPSERT, ("seed", model_id, name, config))
                seed.append(time.perf_counter() - start)
            print(f"{'seed way: cold insert':<34} {seed[0]:6.3f} s")
            print(f"{'seed way: every model changed':<34} {seed[1]:6.3f} s")
            backend_kib = backend_peak_rss_kib(conn)
        speedup = seed[1] / results["full"]
        print(f"\nfull update vs seed way (one upsert per model): {speedup:.1f}x faster")
        print(
            f"targets: no-op <= 0.25 s ({results['noop']:.3f}), "
            f"full update <= 1.0 s ({results['full']:.3f}), >= 10x ({speedup:.1f}x)"
        )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(
            f"peak RSS: this process {peak / 1024:.0f} MiB"
            + (f", a Postgres backend {backend_kib / 1024:.0f} MiB" if backend_kib else "")
        )
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'drop database if exists "{dbname}" with (force)')


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(run(args.models, args.repeat))
