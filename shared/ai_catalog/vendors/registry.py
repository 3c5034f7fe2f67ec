"""The vendors, in a plain dict: provider id -> adapter class."""

from __future__ import annotations

from collections.abc import Mapping

from ai_catalog.vendors.anthropic import AnthropicAdapter
from ai_catalog.vendors.base import ProviderAdapter
from ai_catalog.vendors.cohere import CohereAdapter
from ai_catalog.vendors.deepseek import DeepSeekAdapter
from ai_catalog.vendors.fireworks import FireworksAdapter
from ai_catalog.vendors.google import GoogleAdapter
from ai_catalog.vendors.groq import GroqAdapter
from ai_catalog.vendors.mistral import MistralAdapter
from ai_catalog.vendors.ollama import OllamaAdapter
from ai_catalog.vendors.openai import OpenAIAdapter
from ai_catalog.vendors.openrouter import OpenRouterAdapter
from ai_catalog.vendors.together import TogetherAdapter
from ai_catalog.vendors.xai import XAIAdapter

PROVIDERS: dict[str, type[ProviderAdapter]] = {
    "openai": OpenAIAdapter,
    "anthropic": AnthropicAdapter,
    "google": GoogleAdapter,
    "groq": GroqAdapter,
    "mistral": MistralAdapter,
    "deepseek": DeepSeekAdapter,
    "xai": XAIAdapter,
    "together": TogetherAdapter,
    "openrouter": OpenRouterAdapter,
    "fireworks": FireworksAdapter,
    "cohere": CohereAdapter,
    "ollama": OllamaAdapter,
}


def enabled_providers(env: Mapping[str, str]) -> list[str]:
    """The providers a sync would run with these environment variables, in PROVIDERS order."""
    return [pid for pid, adapter in PROVIDERS.items() if adapter.is_enabled(env)]
