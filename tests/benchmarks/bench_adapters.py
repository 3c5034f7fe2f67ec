# ruff: noqa: E501
"""Benchmark (not part of the unit run): `python tests/benchmarks/bench_adapters.py`.

1. All 12 vendors listed concurrently from a local server (127.0.0.1) that adds 200 ms per
   request; the paged vendors (anthropic, google, cohere, openrouter) serve 3 pages. Reports the
   wall time against the slowest vendor's chain of sequential requests (goal <= 1.2x).
   The local server is a separate process (uvicorn), as a remote vendor would be. `--cold` also counts loading genai-prices and the
   limits catalog inside the timed run.
2. Default configs for 10,000 distinct model ids (time per model).
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ai_catalog.vendors import PROVIDERS, ProviderModel, fetch_catalog
from ai_catalog.vendors.defaults import build_default_config
from sync_ai_models.http.local_server import free_port

DELAY = 0.2
PAGED = {"anthropic", "google", "cohere", "openrouter"}
CHAIN = {p: 3 if p in PAGED else 1 for p in PROVIDERS} | {"xai": 2, "ollama": 2}
"""Sequential requests per vendor: xai = /language-models then /models; ollama = tags then show."""


def _page(provider: str, page: int, nxt: str | None) -> Any:
    ids = [f"{provider}-model-{page}-{i}" for i in range(20)]
    if provider == "anthropic":
        return {"data": [{"id": i} for i in ids], "has_more": nxt is not None, "last_id": ids[-1]}
    if provider == "google":
        body: dict[str, Any] = {
            "models": [
                {"name": f"models/{i}", "supportedGenerationMethods": ["generateContent"]}
                for i in ids
            ]
        }
        return body | ({"nextPageToken": nxt} if nxt else {})
    if provider == "cohere":
        return {"models": [{"name": i, "endpoints": ["chat"]} for i in ids], "next_page_token": nxt}
    if provider == "openrouter":
        links = {"links": {"next": f"/api/v1/models?offset={page + 1}"}} if nxt else {}
        return {"data": [{"id": i} for i in ids]} | links
    if provider == "together":
        return [{"id": i, "type": "chat"} for i in ids]
    if provider == "xai":
        return {"models": [{"id": i} for i in ids], "data": [{"id": i} for i in ids]}
    if provider == "ollama":
        return {"models": [{"name": "llama3:8b"}]}
    return {"object": "list", "data": [{"id": i} for i in ids]}


async def handler(request: Request) -> JSONResponse:
    await asyncio.sleep(DELAY)
    provider = request.path_params["provider"]
    rest = request.path_params["rest"]
    if provider == "ollama" and rest.endswith("show"):
        return JSONResponse({"capabilities": ["completion"], "model_info": {}})
    q = request.query_params
    token = q.get("after_id") or q.get("pageToken") or q.get("page_token") or q.get("offset")
    if token is None:
        page = 0
    elif token.isdigit():  # pageToken / page_token / offset carry the next page number
        page = int(token)
    else:  # anthropic after_id is the last id of the previous page
        page = int(token.split("-")[-2]) + 1
    nxt = str(page + 1) if provider in PAGED and page < 2 else None
    if provider == "xai":
        body = _page(provider, page, None)
        return JSONResponse(
            {"models": body["models"]} if "language" in rest else {"data": body["data"]}
        )
    return JSONResponse(_page(provider, page, nxt))


def make_app() -> Starlette:
    return Starlette(routes=[Route("/{provider}/{rest:path}", handler, methods=["GET", "POST"])])


@contextmanager
def vendor_server_process() -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "tests.benchmarks.bench_adapters:make_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/ready/check", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the benchmark's vendor server did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)


async def bench_listing(warm: bool) -> None:
    if warm:  # load genai-prices' snapshot and the limits catalog before the clock starts
        build_default_config("openai", ProviderModel(provider="openai", id="gpt-4o"), env={})
    # the vendors' server is another process, as a remote server would be
    with vendor_server_process() as base:
        env = {"OPENROUTER_ENABLED": "1", "OLLAMA_ENABLED": "1"}
        for p in PROVIDERS:
            env[f"{p.upper()}_BASE_URL"] = f"{base}/{p}"
            env[f"{p.upper()}_API_KEY"] = "bench-key"
        env["GOOGLE_API_KEY"] = "bench-key"
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=50)) as client:
            started = time.perf_counter()
            results = await asyncio.gather(*(fetch_catalog(p, client, env) for p in PROVIDERS))
            wall = time.perf_counter() - started
    slowest = max(CHAIN.values()) * DELAY
    print(f"listing ({'warm' if warm else 'cold'}): 12 vendors concurrently, 200 ms per request")
    for r in results:
        print(
            f"  {r.provider:<10} {len(r.entries):>3} entries  {r.requests} requests  {r.fetch_seconds:.3f}s"
        )
    print(
        f"  wall {wall:.3f}s vs slowest chain {slowest:.3f}s -> {wall / slowest:.2f}x (goal <= 1.2x)"
    )


def bench_configs(n: int = 10_000) -> None:
    families = [
        ("openai", "gpt-4o-{i}"),
        ("anthropic", "claude-3-5-sonnet-{i}"),
        ("google", "gemini-2.5-pro-{i}"),
        ("groq", "llama-3.3-70b-{i}"),
        ("mistral", "mistral-large-{i}"),
        ("openrouter", "openai/gpt-4o-{i}"),
        ("together", "meta-llama/Llama-3.3-70B-{i}"),
        ("ollama", "qwen3:{i}b"),
    ]
    models = [
        ProviderModel(provider=p, id=pattern.format(i=i))
        for i in range(n // len(families))
        for p, pattern in families
    ]
    build_default_config("openai", models[0], env={})  # load genai-prices and the catalog once
    started = time.perf_counter()
    for model in models:
        build_default_config(model.provider, model, env={})
    elapsed = time.perf_counter() - started
    print(
        f"default configs: {len(models)} distinct ids in {elapsed:.2f}s "
        f"= {elapsed / len(models) * 1e6:.0f} us per model"
    )


if __name__ == "__main__":
    import sys

    asyncio.run(bench_listing(warm="--cold" not in sys.argv))
    bench_configs()
