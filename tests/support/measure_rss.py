"""Peak memory of listing one vendor whose list is ~20 MB: prints one JSON line.

The list is served by `python -m http.server` in another process (so its memory is not counted);
this process fetches, parses and builds every entry's config, as a sync does before its apply.

    python -m tests.support.measure_rss [MEGABYTES]
"""

from __future__ import annotations

import asyncio
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from ai_catalog.vendors import fetch_catalog

DESCRIPTION = "A model description of realistic length, repeated to fill the listing. " * 25


def write_listing(root: Path, megabytes: float) -> int:
    """Writes the listing entry by entry (so writing it does not raise this process's peak)."""
    (root / "openrouter").mkdir()
    count = 0
    with (root / "openrouter" / "models").open("w") as out:
        out.write('{"data": [')
        while out.tell() < megabytes * 1_000_000:
            entry = {
                "id": f"vendor/model-{count:05d}",
                "name": f"Model {count}",
                "created": 1715367049,
                "description": DESCRIPTION,
                "context_length": 131072,
                "architecture": {"output_modalities": ["text"], "tokenizer": "Other"},
                "pricing": {"prompt": "0.000001", "completion": "0.000002"},
                "top_provider": {"context_length": 131072, "max_completion_tokens": 8192},
            }
            out.write(("," if count else "") + json.dumps(entry))
            count += 1
        out.write("]}")
    return count


def peak_mib() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries ru_maxrss over
    from the parent across fork and exec, so a child of a big process would report its size."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: KiB


async def measure(base_url: str) -> tuple[int, float]:
    env = {"OPENROUTER_ENABLED": "1", "OPENROUTER_BASE_URL": base_url}
    started = time.perf_counter()
    async with httpx.AsyncClient() as client:
        catalog = await fetch_catalog("openrouter", client, env)
    return len(catalog.entries), time.perf_counter() - started


def main(megabytes: float = 20.0) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        count = write_listing(Path(tmp), megabytes)
        size = (Path(tmp) / "openrouter" / "models").stat().st_size
        server = subprocess.Popen(
            [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1"],
            cwd=tmp,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert server.stdout is not None
            match = re.search(r"port (\d+)", server.stdout.readline())
            assert match, "http.server did not say its port"
            before = peak_mib()
            listed, seconds = asyncio.run(measure(f"http://127.0.0.1:{match.group(1)}/openrouter"))
        finally:
            server.terminate()
            server.wait(10)
    assert listed == count, f"listed {listed} of {count}"
    return {
        "list_mb": round(size / 1_000_000, 1),
        "entries": count,
        "rss_before_mib": round(before, 1),
        "peak_rss_mib": round(peak_mib(), 1),
        "seconds": round(seconds, 1),
    }


if __name__ == "__main__":
    print(json.dumps(main(float(sys.argv[1]) if len(sys.argv) > 1 else 20.0)))
