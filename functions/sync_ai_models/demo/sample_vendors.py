"""Sample list-models answers for five vendors, shaped on the vendors' real responses, in two
versions: `v1` as first seen, `v2` after upstream changes (a new model, a dropped model, a
price change). Rows are data, not code: add a vendor by adding its lists."""

from __future__ import annotations

from typing import Any

OPENAI_V1: list[dict[str, Any]] = [
    {"id": "gpt-4o", "object": "model", "created": 1715367049, "owned_by": "system"},
    {"id": "gpt-4o-mini", "object": "model", "created": 1721172741, "owned_by": "system"},
    {"id": "gpt-4.1", "object": "model", "created": 1744316542, "owned_by": "system"},
    {"id": "o3-mini", "object": "model", "created": 1737146383, "owned_by": "system"},
    {"id": "gpt-3.5-turbo", "object": "model", "created": 1677610602, "owned_by": "openai"},
    {
        "id": "text-embedding-3-small",
        "object": "model",
        "created": 1705948997,
        "owned_by": "system",
    },
    {"id": "whisper-1", "object": "model", "created": 1677532384, "owned_by": "openai-internal"},
]
OPENAI_V2: list[dict[str, Any]] = [
    *OPENAI_V1,
    {"id": "gpt-4.1-nano", "object": "model", "created": 1744321707, "owned_by": "system"},
]

ANTHROPIC: list[dict[str, Any]] = [
    {
        "type": "model",
        "id": "claude-sonnet-4-20250514",
        "display_name": "Claude Sonnet 4",
        "created_at": "2025-05-22T00:00:00Z",
        "max_input_tokens": 200000,
        "max_tokens": 64000,
    },
    {
        "type": "model",
        "id": "claude-3-5-haiku-20241022",
        "display_name": "Claude Haiku 3.5",
        "created_at": "2024-10-22T00:00:00Z",
    },
    {
        "type": "model",
        "id": "claude-3-haiku-20240307",
        "display_name": "Claude Haiku 3",
        "created_at": "2024-03-07T00:00:00Z",
    },
]

GOOGLE: list[dict[str, Any]] = [
    {
        "name": "models/gemini-2.5-pro",
        "version": "2.5",
        "displayName": "Gemini 2.5 Pro",
        "description": "Stable release of Gemini 2.5 Pro",
        "inputTokenLimit": 1048576,
        "outputTokenLimit": 65536,
        "thinking": True,
        "supportedGenerationMethods": ["generateContent", "countTokens", "createCachedContent"],
    },
    {
        "name": "models/gemini-2.0-flash",
        "version": "2.0",
        "displayName": "Gemini 2.0 Flash",
        "inputTokenLimit": 1048576,
        "outputTokenLimit": 8192,
        "supportedGenerationMethods": ["generateContent", "countTokens"],
    },
    {
        "name": "models/text-embedding-004",
        "version": "004",
        "displayName": "Text Embedding 004",
        "inputTokenLimit": 2048,
        "outputTokenLimit": 1,
        "supportedGenerationMethods": ["embedContent"],
    },
]

GROQ_V1: list[dict[str, Any]] = [
    {
        "id": "llama-3.3-70b-versatile",
        "object": "model",
        "created": 1733447754,
        "owned_by": "Meta",
        "active": True,
        "context_window": 131072,
        "max_completion_tokens": 32768,
    },
    {
        "id": "llama-3.1-8b-instant",
        "object": "model",
        "created": 1693721698,
        "owned_by": "Meta",
        "active": True,
        "context_window": 131072,
        "max_completion_tokens": 131072,
    },
    {
        "id": "gemma2-9b-it",
        "object": "model",
        "created": 1693721698,
        "owned_by": "Google",
        "active": True,
        "context_window": 8192,
        "max_completion_tokens": 8192,
    },
    {
        "id": "whisper-large-v3",
        "object": "model",
        "created": 1693721698,
        "owned_by": "OpenAI",
        "active": True,
        "context_window": 448,
        "max_completion_tokens": 448,
    },
]
GROQ_V2: list[dict[str, Any]] = [m for m in GROQ_V1 if m["id"] != "gemma2-9b-it"]

OPENROUTER_V1: list[dict[str, Any]] = [
    {
        "id": "anthropic/claude-3.5-haiku",
        "name": "Anthropic: Claude 3.5 Haiku",
        "created": 1730678400,
        "context_length": 200000,
        "architecture": {
            "modality": "text+image->text",
            "input_modalities": ["text", "image"],
            "output_modalities": ["text"],
            "tokenizer": "Claude",
        },
        "pricing": {
            "prompt": "0.0000008",
            "completion": "0.000004",
            "input_cache_read": "0.00000008",
            "input_cache_write": "0.000001",
        },
        "top_provider": {
            "context_length": 200000,
            "max_completion_tokens": 8192,
            "is_moderated": True,
        },
        "supported_parameters": ["tools", "tool_choice", "max_tokens"],
    },
    {
        "id": "mistralai/mistral-small-3.1-24b-instruct:free",
        "name": "Mistral: Mistral Small 3.1 24B (free)",
        "created": 1742238937,
        "context_length": 128000,
        "architecture": {
            "modality": "text->text",
            "input_modalities": ["text"],
            "output_modalities": ["text"],
            "tokenizer": "Mistral",
        },
        "pricing": {"prompt": "0", "completion": "0"},
        "top_provider": {
            "context_length": 128000,
            "max_completion_tokens": None,
            "is_moderated": False,
        },
        "supported_parameters": ["max_tokens", "temperature"],
    },
    {
        "id": "openrouter/auto",
        "name": "Auto Router",
        "created": 1699401600,
        "context_length": 2000000,
        "architecture": {
            "modality": "text->text",
            "input_modalities": ["text"],
            "output_modalities": ["text"],
            "tokenizer": "Router",
        },
        "pricing": {"prompt": "-1", "completion": "-1"},
        "top_provider": {
            "context_length": None,
            "max_completion_tokens": None,
            "is_moderated": False,
        },
        "supported_parameters": [],
    },
]
OPENROUTER_V2: list[dict[str, Any]] = [
    {**m, "pricing": {**m["pricing"], "prompt": "0.000001", "completion": "0.000005"}}
    if m["id"] == "anthropic/claude-3.5-haiku"
    else m
    for m in OPENROUTER_V1
]

LISTS: dict[str, dict[int, list[dict[str, Any]]]] = {
    "openai": {1: OPENAI_V1, 2: OPENAI_V2},
    "anthropic": {1: ANTHROPIC, 2: ANTHROPIC},
    "google": {1: GOOGLE, 2: GOOGLE},
    "groq": {1: GROQ_V1, 2: GROQ_V2},
    "openrouter": {1: OPENROUTER_V1, 2: OPENROUTER_V2},
}
