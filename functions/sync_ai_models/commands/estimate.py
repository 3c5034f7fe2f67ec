"""`sync-ai-models estimate`: count, price and cap a chat request before it is sent.

The config comes from the database when `sync_ai_models.context.fetch_model_config` is
importable and reachable, else from the default builder (with a one-line note on stderr).
"""

from __future__ import annotations

import asyncio
import importlib
import json
from collections.abc import Awaitable, Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import click
import httpx
import pydantic

from ai_catalog.model_config import ModelConfig
from ai_catalog.tokens.errors import TokenCostError
from ai_catalog.tokens.estimate import Estimate
from ai_catalog.tokens.estimate import estimate as estimate_request
from ai_catalog.tokens.lookup import BuildDefault, ResolvedConfig, default_builder, resolve_config

FetchConfig = Callable[[str, str], Awaitable[ModelConfig | None]]


def load_db_fetch() -> FetchConfig | None:
    """The database lookup, or None when it is not available in this installation."""
    try:
        context = importlib.import_module("sync_ai_models.context")
    except ImportError:
        return None
    fetch: FetchConfig | None = getattr(context, "fetch_model_config", None)
    return fetch


def load_default_builder() -> BuildDefault:
    return default_builder()


def _connection_errors() -> tuple[type[BaseException], ...]:
    """What "the database cannot be reached" looks like from the store and its drivers."""
    errors: list[type[BaseException]] = [OSError, httpx.TransportError]
    for module, name in (
        ("ai_catalog.errors", "DatabaseUnavailable"),
        ("psycopg", "OperationalError"),
    ):
        try:
            error = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            continue
        if isinstance(error, type) and issubclass(error, BaseException):
            errors.append(error)
    return tuple(errors)


def _note(message: str) -> None:
    click.echo(f"note: {message}", err=True)


def _read_chat(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(
            f"cannot read messages file {str(path)!r}: {exc.strerror}"
        ) from None
    except UnicodeDecodeError as exc:
        raise click.ClickException(
            f"messages file {str(path)!r} is not UTF-8: {exc.reason}"
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise click.ClickException(
            f"messages file {str(path)!r} is not valid JSON: {exc.msg} at line {exc.lineno}"
        ) from None


def _parse_budget(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        budget = Decimal(value)
    except InvalidOperation:
        raise click.BadParameter(f"not a decimal number: {value!r}") from None
    if not budget.is_finite() or budget < 0:
        raise click.BadParameter(f"must be a finite amount >= 0, got {value!r}")
    return budget


async def _resolve(provider: str, model_id: str) -> ResolvedConfig:
    fetch = load_db_fetch()
    if fetch is None:
        _note("no model database in this installation; using the default config")

    async def fetch_or_none(p: str, m: str) -> ModelConfig | None:
        assert fetch is not None
        try:
            return await fetch(p, m)
        except _connection_errors() as exc:
            _note(f"model database unreachable ({type(exc).__name__}); using the default config")
            return None

    return await resolve_config(
        provider,
        model_id,
        fetch_from_db=fetch_or_none if fetch is not None else None,
        build_default=load_default_builder(),
    )


async def _run(
    provider: str, model_id: str, chat: Any, max_output: int | None, budget: Decimal | None
) -> Estimate:
    resolved = await _resolve(provider, model_id)
    return await estimate_request(
        chat, resolved, max_output_tokens_requested=max_output, budget_usd=budget
    )


def _human(result: Estimate) -> str:
    data = result.to_json()
    tokens = "unknown" if data["tokens_unknown"] else str(data["input_tokens"])
    how = "estimate" if data["estimated"] else "exact"
    note = f"; {data['note']}" if data["note"] else ""

    def usd(value: str | None) -> str:
        return "unknown" if value is None else f"${value}"

    max_output = data["max_output_tokens"]
    return "\n".join(
        [
            f"model          {data['provider']}/{data['model']} (config: {data['config_source']})",
            f"input tokens   {tokens} ({how}, {data['count_method']}{note})",
            f"input cost     {usd(data['input_cost_usd'])}",
            f"max output     {'no limit known' if max_output is None else max_output}"
            f" ({data['limited_by']})",
            f"total cost     {usd(data['total_cost_usd'])} (input + max output)",
        ]
    )


@click.command("estimate")
@click.option("--provider", required=True, help="Provider id, e.g. openai, anthropic, google.")
@click.option("--model", "model_id", required=True, help="The vendor's model id.")
@click.option(
    "--messages",
    "messages_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="JSON file: a list of messages, or {system?, messages, tools?}.",
)
@click.option(
    "--max-output-tokens",
    type=click.IntRange(min=0),
    default=None,
    help="The max_tokens the request will ask for.",
)
@click.option("--budget-usd", default=None, help="Budget for the whole request, in USD.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def estimate(
    provider: str,
    model_id: str,
    messages_path: Path,
    max_output_tokens: int | None,
    budget_usd: str | None,
    as_json: bool,
) -> None:
    """Estimate a chat request: input tokens, cost and the largest affordable output."""
    budget = _parse_budget(budget_usd)
    chat = _read_chat(messages_path)
    try:
        result = asyncio.run(_run(provider, model_id, chat, max_output_tokens, budget))
    except TokenCostError as exc:
        raise click.ClickException(str(exc)) from exc
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise click.ClickException(f"invalid model config: {where}: {first['msg']}") from exc
    if as_json:
        click.echo(json.dumps(result.to_json()))
    else:
        click.echo(_human(result))


__all__ = ["estimate"]
