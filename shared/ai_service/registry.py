"""The vendors, in a plain dict: provider id -> adapter class."""

from __future__ import annotations

from collections.abc import Mapping

from shared.ai_service.base import ProviderAdapter
from shared.ai_service.vendors.anthropic import AnthropicAdapter
from shared.ai_service.vendors.cohere import CohereAdapter
from shared.ai_service.vendors.deepseek import DeepSeekAdapter
from shared.ai_service.vendors.fireworks import FireworksAdapter
from shared.ai_service.vendors.google import GoogleAdapter
from shared.ai_service.vendors.groq import GroqAdapter
from shared.ai_service.vendors.mistral import MistralAdapter
from shared.ai_service.vendors.ollama import OllamaAdapter
from shared.ai_service.vendors.openai import OpenAIAdapter
from shared.ai_service.vendors.openrouter import OpenRouterAdapter
from shared.ai_service.vendors.together import TogetherAdapter
from shared.ai_service.vendors.xai import XAIAdapter

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
