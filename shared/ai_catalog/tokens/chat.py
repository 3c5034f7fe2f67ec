"""The chat request whose input tokens are counted: system prompt, messages, tool definitions.

`parse_chat` accepts what an application or a JSON file holds: either a list of OpenAI-style
messages, or an object `{"system"?: str, "messages": [...], "tools"?: [...]}`. Tools may be given
OpenAI-style (`{"type": "function", "function": {name, description, parameters}}`) or
Anthropic-style (`{name, description, input_schema}`); both become a `ToolDefinition`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeGuard

from ai_catalog.tokens.errors import ChatRequestError

_MESSAGE_KEYS = frozenset({"role", "content", "name"})


class ChatMessage(NamedTuple):
    """One message. A tuple, so that it is hashable and can key the per-message count cache."""

    role: str
    content: str = ""
    name: str | None = None


@dataclass(frozen=True, slots=True)
class ToolDefinition:
    name: str
    description: str | None = None
    parameters: Mapping[str, Any] = field(default_factory=dict)
    """JSON Schema of the arguments (an object schema)."""


@dataclass(frozen=True, slots=True)
class ChatRequest:
    messages: tuple[ChatMessage, ...]
    system: str | None = None
    tools: tuple[ToolDefinition, ...] = ()

    def texts(self) -> list[str]:
        """Every piece of text the model reads, for character-ratio estimates."""
        out = [self.system] if self.system else []
        for message in self.messages:
            out.append(message.content)
            if message.name:
                out.append(message.name)
        return out


def parse_message(raw: object, index: int = 0) -> ChatMessage:
    # Fast path for the common well-formed dict; anything else gets the full checks below.
    if type(raw) is dict and raw.keys() <= _MESSAGE_KEYS:
        role, content, name = raw.get("role"), raw.get("content"), raw.get("name")
        if (
            type(role) is str
            and role
            and type(content) is str
            and (name is None or type(name) is str)
        ):
            return ChatMessage(role, content, name or None)
    return _parse_message_checked(raw, index)


def _parse_message_checked(raw: object, index: int) -> ChatMessage:
    if isinstance(raw, ChatMessage):
        return raw
    if not isinstance(raw, Mapping):
        raise ChatRequestError(f"messages[{index}] must be an object, got {type(raw).__name__}")
    unknown = raw.keys() - _MESSAGE_KEYS
    if unknown:
        raise ChatRequestError(
            f"messages[{index}] has unsupported key(s) {sorted(unknown)}; "
            "only role, content and name are counted"
        )
    role = raw.get("role")
    if not isinstance(role, str) or not role:
        raise ChatRequestError(f"messages[{index}].role must be a non-empty string")
    content = raw.get("content")
    if content is None:
        content = ""
    if not isinstance(content, str):
        raise ChatRequestError(
            f"messages[{index}].content must be a string or null "
            f"(content parts are not supported), got {type(content).__name__}"
        )
    name = raw.get("name")
    if name is not None and not isinstance(name, str):
        raise ChatRequestError(f"messages[{index}].name must be a string")
    return ChatMessage(role, content, name or None)


def parse_tool(raw: object, index: int = 0) -> ToolDefinition:
    if isinstance(raw, ToolDefinition):
        return raw
    if not isinstance(raw, Mapping):
        raise ChatRequestError(f"tools[{index}] must be an object")
    spec = raw.get("function", raw)
    if not isinstance(spec, Mapping):
        raise ChatRequestError(f"tools[{index}].function must be an object")
    name = spec.get("name")
    if not isinstance(name, str) or not name:
        raise ChatRequestError(f"tools[{index}] needs a non-empty name")
    description = spec.get("description")
    if description is not None and not isinstance(description, str):
        raise ChatRequestError(f"tools[{index}].description must be a string")
    parameters = spec.get("parameters", spec.get("input_schema"))
    if parameters is None:
        parameters = {}
    if not isinstance(parameters, Mapping):
        raise ChatRequestError(f"tools[{index}].parameters must be an object")
    return ToolDefinition(name, description or None, parameters)


def parse_chat(raw: object) -> ChatRequest:
    """A `ChatRequest` from a list of messages or from `{system?, messages, tools?}`."""
    if isinstance(raw, ChatRequest):
        return raw
    system: object = None
    tools: object = ()
    if isinstance(raw, Mapping):
        unknown = raw.keys() - {"system", "messages", "tools"}
        if unknown:
            raise ChatRequestError(f"unsupported key(s) {sorted(unknown)} in the chat object")
        if "messages" not in raw:
            raise ChatRequestError("the chat object needs a 'messages' list")
        system, messages, tools = raw.get("system"), raw["messages"], raw.get("tools") or ()
    else:
        messages = raw
    if system is not None and not isinstance(system, str):
        raise ChatRequestError("system must be a string")
    if not _is_list(messages):
        raise ChatRequestError("messages must be a list")
    if not _is_list(tools):
        raise ChatRequestError("tools must be a list")
    return ChatRequest(
        messages=tuple(parse_message(m, i) for i, m in enumerate(messages)),
        system=system or None,
        tools=tuple(parse_tool(t, i) for i, t in enumerate(tools)),
    )


def _is_list(value: object) -> TypeGuard[Sequence[object]]:
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)
