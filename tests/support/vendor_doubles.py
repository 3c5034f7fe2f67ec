"""Shared test helpers: a retry policy without real waits, an env pointing every vendor at a
fake host, and one sample body per vendor."""

from __future__ import annotations

from typing import Any

import httpx

from ai_catalog.vendors import RetryPolicy

KEY = "sk-test-SECRET-0123456789abcdef"
BASES: dict[str, str] = {
    "openai": "https://openai.test/v1",
    "anthropic": "https://anthropic.test/v1",
    "google": "https://google.test/v1beta",
    "groq": "https://groq.test/openai/v1",
    "mistral": "https://mistral.test/v1",
    "deepseek": "https://deepseek.test",
    "xai": "https://xai.test/v1",
    "together": "https://together.test/v1",
    "openrouter": "https://openrouter.test/api/v1",
    "fireworks": "https://fireworks.test/inference/v1",
    "cohere": "https://cohere.test/v1",
    "ollama": "http://ollama.test:11434",
}


class SleepRecorder:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def fast_policy(sleep: SleepRecorder | None = None, attempts: int = 3) -> RetryPolicy:
    return RetryPolicy(
        attempts=attempts,
        initial_wait=0.0,
        max_wait=0.0,
        timeout=httpx.Timeout(2.0),
        sleep=sleep or SleepRecorder(),
    )


def env_for(provider: str, **extra: str) -> dict[str, str]:
    env = {
        f"{provider.upper()}_BASE_URL": BASES[provider],
        "SYNC_MODELS_DEV_URL": "off",  # tests never reach the network
        **extra,
    }
    if provider == "google":
        env["GOOGLE_API_KEY"] = KEY
    elif provider != "ollama":
        env[f"{provider.upper()}_API_KEY"] = KEY
    return env


def oa_list(*entries: dict[str, Any]) -> dict[str, Any]:
    return {"object": "list", "data": list(entries)}
