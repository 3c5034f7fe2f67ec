"""Render tool definitions the way OpenAI puts them in the prompt, to count their tokens.

OpenAI does not document this. The format below ("namespace functions { ... }" with TypeScript-like
types) is the one reverse-engineered by hmarr/openai-chat-tokens and used by jtokkit and litellm:
its token count + 9, minus 4 when the chat has a system message (the definitions then share it),
matched the API's `usage.prompt_tokens` on gpt-3.5-turbo/gpt-4 (cl100k_base) for flat schemas of
strings, numbers, booleans, enums, arrays and nested objects. Treat it as exact for such schemas on
those models and as a close estimate (within a few tokens) otherwise: o200k_base models were not
re-verified, and JSON Schema features it does not render (anyOf, $ref, defaults, formats) are left
out. We could not check it against the live API here (no network).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ai_catalog.tokens.chat import ToolDefinition

TOOLS_OVERHEAD = 9
"""Tokens the tool block adds beyond its rendered text."""
SHARED_SYSTEM_DISCOUNT = 4
"""Tokens saved when the chat has its own system message for the definitions to join."""


def render_tools(tools: Iterable[ToolDefinition]) -> str:
    lines = ["namespace functions {", ""]
    for tool in tools:
        if tool.description:
            lines.append(f"// {tool.description}")
        properties = tool.parameters.get("properties")
        if isinstance(properties, Mapping) and properties:
            lines.append(f"type {tool.name} = (_: {{")
            lines.append(_render_object(tool.parameters, 0))
            lines.append("}) => any;")
        else:
            lines.append(f"type {tool.name} = () => any;")
        lines.append("")
    lines.append("} // namespace functions")
    return "\n".join(lines)


def _render_object(schema: Mapping[str, Any], indent: int) -> str:
    properties = schema.get("properties") or {}
    required = schema.get("required") or ()
    lines: list[str] = []
    for key, prop in properties.items():
        prop = prop if isinstance(prop, Mapping) else {}
        if prop.get("description"):
            lines.append(f"// {prop['description']}")
        optional = "" if key in required else "?"
        lines.append(f"{key}{optional}: {_render_type(prop, indent)},")
    return "\n".join(" " * indent + line for line in lines)


def _render_type(prop: Mapping[str, Any], indent: int) -> str:
    kind = prop.get("type")
    enum = prop.get("enum")
    if kind == "string":
        return " | ".join(f'"{v}"' for v in enum) if enum else "string"
    if kind in ("integer", "number"):
        # OpenAI writes numeric enums as TypeScript number literals (litellm quotes them).
        return " | ".join(str(v) for v in enum) if enum else "number"
    if kind == "array":
        items = prop.get("items")
        return f"{_render_type(items, indent)}[]" if isinstance(items, Mapping) else "any[]"
    if kind == "object":
        return "{\n" + _render_object(prop, indent + 2) + "\n}"
    if kind in ("boolean", "null"):
        return str(kind)
    return "any"
