"""Benchmark: a whole `sync-ai-models sync` of one vendor listing 10,000 models, as a user runs it.

One OpenRouter-shaped listing is served from a local process; `sync-ai-models sync` runs as a
subprocess (process start, listing over HTTP, configs, apply) cold and then as a no-op re-sync,
and the seed's way (one upsert statement per model: the database part alone) runs on the same
rows. Prints wall times, the ratios and each sync's peak RSS.

    .venv/bin/python tests/benchmarks/bench_sync.py [--models 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

HOST = os.environ.get("TEST_PG_HOST", "127.0.0.1")
PORT = os.environ.get("TEST_PG_PORT", "5432")
USER = os.environ.get("TEST_PG_USER", "postgres")
CLI = Path(sys.executable).with_name("sync-ai-models")
# the seed's table: plain columns, no triggers, no checks (what its sync writes to)
SEED_TABLE = """
create table seed_ai_providers (
  id uuid primary key default gen_random_uuid(),
  provider text not null,
  api_identifier text not null,
  name text,
  description text,
  config jsonb,
  is_active boolean not null default true,
  updated_at timestamptz not null default now(),
  unique (provider, api_identifier)
)
"""
SEED_UPSERT = """
insert into seed_ai_providers (provider, api_identifier, name, description, config, is_active)
values (%s, %s, %s, %s, %s::jsonb, true)
on conflict (provider, api_identifier) do update
  set config = excluded.config, name = excluded.name, description = excluded.description,
      is_active = true, updated_at = now()
"""
SERVER = """
import http.server, sys
body = open(sys.argv[1], "rb").read()
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


def listing(n: int) -> dict[str, object]:
    """OpenRouter's /models shape (prices in USD per token as decimal strings)."""
    return {
        "data": [
            {
                "id": f"bench-vendor/model-{i:05d}",
                "name": f"Bench Model {i}",
                "created": 1_700_000_000 + i,
                "description": "A model served for benchmarking a whole sync.",
                "context_length": 131072,
                "architecture": {
                    "input_modalities": ["text", "image"],
                    "output_modalities": ["text"],
                    "tokenizer": "Other",
                },
                "pricing": {"prompt": "0.0000025", "completion": "0.00001"},
                "top_provider": {"context_length": 131072, "max_completion_tokens": 16384},
                "supported_parameters": ["tools", "temperature"],
            }
            for i in range(n)
        ]
    }


def run_sync(env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of one `sync-ai-models sync` subprocess."""
    # output to files, not pipes: a full pipe would block the child while we wait for it
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [str(CLI), "sync", "--provider", "openrouter", "--json"],
            env=env,
            stdout=out,
            stderr=err,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        if status != 0:
            raise SystemExit(f"sync failed ({status}): {err.read().decode()[-2000:]}")
        result = json.loads(out.read())
    print(f"    {json.dumps(result.get('totals', result))[:160]}")
    return wall, usage.ru_maxrss / 1024


def seed_way(url: str) -> float:
    """One upsert per model, each its own round trip and commit, of the rows the sync wrote,
    into a plain table like the seed's."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(SEED_TABLE)
        rows = conn.execute(
            "select api_identifier, name, description, config::text from ai_providers"
            " where provider = 'openrouter'"
        ).fetchall()
        start = time.perf_counter()
        for model_id, name, description, config in rows:
            conn.execute(SEED_UPSERT, ("seed", model_id, name, description, config))
        return time.perf_counter() - start


def main(n: int) -> None:
    admin = f"postgresql://{USER}@{HOST}:{PORT}/postgres"
    dbname = f"bench_sync_{os.getpid()}"
    url = f"postgresql://{USER}@{HOST}:{PORT}/{dbname}"
    with tempfile.TemporaryDirectory() as tmp, psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'create database "{dbname}"')
        body = Path(tmp) / "models.json"
        body.write_text(json.dumps(listing(n)))
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(body)], stdout=subprocess.PIPE, text=True
        )
        try:
            port = int(server.stdout.readline()) if server.stdout else 0
            env = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_BASE_URL"))}
            env |= {
                "DATABASE_URL": url,
                "OPENROUTER_ENABLED": "1",
                "OPENROUTER_BASE_URL": f"http://127.0.0.1:{port}/api/v1",
            }
            subprocess.run([str(CLI), "migrate"], env=env, check=True, capture_output=True)
            print(f"{n} models of one OpenRouter-shaped vendor ({body.stat().st_size >> 20} MiB)")
            cold, cold_rss = run_sync(env)
            print(f"  cold sync   {cold:6.2f} s  peak RSS {cold_rss:5.0f} MiB")
            noop, noop_rss = run_sync(env)
            print(f"  no-op sync  {noop:6.2f} s  peak RSS {noop_rss:5.0f} MiB")
            seed = seed_way(url)
            print(f"  seed's way  {seed:6.2f} s  (one upsert per model, database part alone)")
            print(
                f"ratios to the seed's way: cold {cold / seed:.2f}x (goal <= 1.5x), "
                f"no-op {noop / seed:.2f}x (goal <= 0.5x); peak RSS goal <= 150 MB"
            )
        finally:
            server.terminate()
            server.wait()
            conn.execute(f'drop database if exists "{dbname}" with (force)')


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", type=int, default=10_000)
    main(parser.parse_args().models)
