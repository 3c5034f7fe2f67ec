"""Benchmark of the token counter (not part of the unit run).

    .venv/bin/python tests/benchmarks/bench_tokens.py [--repeat 7]

(a) one cold 20-message chat: our count vs raw `encode` of the same strings (goal <= 1.1x) and
    vs litellm's token_counter;
(b) a growing 50-turn conversation, counting the whole history before every call (what a chat
    app does): ours vs litellm's token_counter (goal >= 5x faster) with identical counts, and vs
    raw encoding of the whole history each time.

Offline: uses TIKTOKEN_CACHE_DIR when set, else the genuine files litellm's wheel ships.
Messages stay under 1024 characters so that litellm's chunked encoding is exact too.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
if "TIKTOKEN_CACHE_DIR" not in os.environ:
    import importlib.util

    spec = importlib.util.find_spec("litellm")
    assert spec is not None and spec.submodule_search_locations, "litellm is needed (test extra)"
    bundled = Path(next(iter(spec.submodule_search_locations))) / "litellm_core_utils/tokenizers"
    os.environ["TIKTOKEN_CACHE_DIR"] = os.environ["CUSTOM_TIKTOKEN_CACHE_DIR"] = str(bundled)

from litellm import token_counter

from ai_catalog.model_config import TiktokenStrategy
from ai_catalog.tokens import MessageTokenCache, count_tokens_sync, get_encoding

ENCODING = "o200k_base"
MODEL = "gpt-4o"
STRATEGY = TiktokenStrategy(tiktoken_encoding_name=ENCODING)

SAMPLE = (
    "the model returns a JSON object with fields for each token count and the cost in USD "
    "naïve café Köln 東京 データ 🚀 ✓ — déjà vu; def f(x): return x ** 2  # comment "
    'SELECT id, name FROM ai_providers WHERE is_active; {"role": "user"} 1234 56.78'
)
WORDS = SAMPLE.split()


def text(rng: random.Random, low: int, high: int) -> str:
    out: list[str] = []
    size = rng.randint(low, high)
    while sum(len(w) + 1 for w in out) < size:
        out.append(rng.choice(WORDS))
        if rng.random() < 0.08:
            out.append("\n")
    return " ".join(out)[:1000]


def chat(rng: random.Random, n: int) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = [{"role": "system", "content": text(rng, 200, 400)}]
    for i in range(n - 1):
        role = "user" if i % 2 == 0 else "assistant"
        message: dict[str, Any] = {"role": role, "content": text(rng, 100, 1000)}
        if i % 7 == 0:
            message["name"] = f"person_{i}"
        messages.append(message)
    return messages


def raw_strings(enc: Any, messages: list[dict[str, Any]]) -> int:
    total = 0
    for m in messages:
        for value in m.values():
            total += len(enc.encode_ordinary(value or ""))
    return total


LABELS = {
    "raw": "raw encode, per string",
    "raw_joined": "raw encode, one joined text",
    "ours": "ours (count_tokens_sync)",
    "litellm": "litellm token_counter",
    "ours_cached": "ours (per-message cache)",
    "raw_history": "raw encode of every history",
}


def ratios(results: dict[str, tuple[float, float]], a: str, b: str) -> str:
    (best_a, median_a), (best_b, median_b) = results[a], results[b]
    return f"{best_a / best_b:.3f}x on best, {median_a / median_b:.3f}x on median"


def measure(runs: dict[str, Callable[[], object]], repeat: int) -> dict[str, tuple[float, float]]:
    """(best, median) CPU seconds of each run; runs are interleaved, in a rotating order, so that
    load on the machine and cache effects fall on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    names = list(runs)
    for i in range(repeat):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            run = runs[name]
            gc.collect()
            start = time.process_time()
            run()
            times[name].append(time.process_time() - start)
    return {name: (min(t), statistics.median(t)) for name, t in times.items()}


def bench_cold(repeat: int) -> None:
    enc = get_encoding(ENCODING)
    rng = random.Random(1)
    chats = [chat(rng, 20) for _ in range(200)]  # each counted once per run, with a fresh cache
    chars = sum(len(m["content"]) for m in chats[0])

    def ours() -> list[int]:
        return [count_tokens_sync(c, STRATEGY, cache=MessageTokenCache()).tokens for c in chats]

    def raw() -> list[int]:
        return [raw_strings(enc, c) for c in chats]

    def raw_joined() -> list[int]:
        return [len(enc.encode_ordinary("".join(m["content"] for m in c))) for c in chats]

    def litellm() -> list[int]:
        return [token_counter(model=MODEL, messages=c) for c in chats]

    assert ours() == litellm(), "counts differ from litellm"
    print(f"(a) one cold 20-message chat ({chars} chars in the first), per chat,")
    print(f"    CPU time best / median of {repeat}:")
    results = measure(
        {"raw": raw, "raw_joined": raw_joined, "ours": ours, "litellm": litellm}, repeat
    )
    for name, (best, median) in results.items():
        per_chat = (best / len(chats) * 1e6, median / len(chats) * 1e6)
        print(f"    {LABELS[name]:30s} {per_chat[0]:9.1f} us  {per_chat[1]:9.1f} us")
    print(f"    ours / raw per-string encode:  {ratios(results, 'ours', 'raw')} (goal <= 1.1x)")
    print(f"    ours / raw one joined encode:  {ratios(results, 'ours', 'raw_joined')}")
    print(f"    litellm / ours:                {ratios(results, 'litellm', 'ours')}")


def bench_growing(repeat: int, turns: int = 50) -> None:
    enc = get_encoding(ENCODING)
    rng = random.Random(2)
    system = {"role": "system", "content": text(rng, 300, 600)}
    exchanges = [
        ({"role": "user", "content": text(rng, 50, 400)},
         {"role": "assistant", "content": text(rng, 200, 1000)})
        for _ in range(turns)
    ]  # fmt: skip

    def requests() -> list[list[dict[str, Any]]]:
        history: list[dict[str, Any]] = [system]
        out = []
        for user, assistant in exchanges:
            history.append(user)
            out.append(list(history))  # the request sent at this turn
            history.append(assistant)
        return out

    workload = requests()

    def ours() -> list[int]:
        cache = MessageTokenCache()  # cold at the start of the conversation
        return [count_tokens_sync(r, STRATEGY, cache=cache).tokens for r in workload]

    def litellm() -> list[int]:
        return [token_counter(model=MODEL, messages=r) for r in workload]

    def raw() -> list[int]:
        return [raw_strings(enc, r) for r in workload]

    assert ours() == litellm(), "counts differ from litellm"
    messages = sum(len(r) for r in workload)
    print(f"(b) growing conversation: {turns} turns, {messages} messages counted in all,")
    print(f"    {len(workload[-1])} in the last request; the whole workload, CPU time")
    print(f"    best / median of {repeat}:")
    results = measure({"ours_cached": ours, "raw_history": raw, "litellm": litellm}, repeat)
    for name, (best, median) in results.items():
        print(f"    {LABELS[name]:30s} {best * 1e3:9.2f} ms  {median * 1e3:9.2f} ms")
    print(f"    litellm / ours: {ratios(results, 'litellm', 'ours_cached')} (goal >= 5x)")
    print(f"    raw / ours:     {ratios(results, 'raw_history', 'ours_cached')}")
    print("    counts identical to litellm's at every turn")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    start = time.perf_counter()
    get_encoding(ENCODING)
    token_counter(model=MODEL, messages=[{"role": "user", "content": "warm up"}])
    print(
        f"encoding {ENCODING} loaded (ours + litellm warm-up) in {time.perf_counter() - start:.2f}s"
    )
    bench_cold(args.repeat)
    bench_growing(args.repeat)


if __name__ == "__main__":
    main()
