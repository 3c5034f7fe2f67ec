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
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg

from shared.catalog import CatalogEntry
from shared.migrations import migrate
from shared.model_config import ModelConfig
from shared.store.postgres import PostgresStore

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
                    "tokenization_strategy": {"type": "rough_char_count", "chars_per_token": 4.0},
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
    label: str,
    store: PostgresStore,
    provider: str,
    entries: list[CatalogEntry],
    results: dict[str, float],
) -> Any:
    start = time.perf_counter()
    result = await store.apply_provider_models(provider, entries)
    results[label] = time.perf_counter() - start
    print(
        f"{label:<34} {results[label]:8.3f} s   "
        f"{result.model_dump(include={'inserted', 'updated', 'unchanged'})}"
    )
    return result


async def run(n: int) -> None:
    admin = f"postgresql://{USER}@{HOST}:{PORT}/postgres"
    dbname = f"bench_apply_{os.getpid()}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'create database "{dbname}"')
    url = f"postgresql://{USER}@{HOST}:{PORT}/{dbname}"
    try:
        migrate(url, SQL_DIR)
        store = await PostgresStore(url, max_size=1).open()
        first, changed = models(n, "0.0000025"), models(n, "0.000003")
        results: dict[str, float] = {}
        await timed(f"cold insert of {n}", store, "bench", first, results)
        await timed("no-op re-apply", store, "bench", first, results)
        await timed("every model changed", store, "bench", changed, results)
        await timed("every model changed back", store, "bench", first, results)
        await store.close()

        with psycopg.connect(url, autocommit=True) as conn:
            for label, entries in (
                ("seed way: cold insert", first),
                ("seed way: every model changed", changed),
            ):
                rows = [(e.api_identifier, e.name, json.dumps(e.config.to_json())) for e in entries]
                start = time.perf_counter()
                for model_id, name, config in rows:
                    conn.execute(SEED_UPSERT, ("seed", model_id, name, config))
                results[label] = time.perf_counter() - start
                print(f"{label:<34} {results[label]:8.3f} s")
            backend_kib = backend_peak_rss_kib(conn)
        speedup = results["seed way: every model changed"] / results["every model changed"]
        print(f"\nfull update vs seed way (per-row upserts): {speedup:.1f}x faster")
        print(
            f"targets: no-op <= 0.25 s ({results['no-op re-apply']:.3f}), "
            f"full update <= 1.0 s ({results['every model changed']:.3f}), >= 10x ({speedup:.1f}x)"
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
    asyncio.run(run(parser.parse_args().models))
