"""Our errors become one line on stderr and exit 1: click shows a ClickException that way."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import click

from ai_catalog.errors import SyncError
from sync_ai_models.runner import UnknownProvider

T = TypeVar("T")


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Runs a command's coroutine; turns our errors into a one-line reason and exit 1."""
    try:
        return asyncio.run(coroutine)
    except (SyncError, UnknownProvider) as exc:
        raise click.ClickException(str(exc)) from exc


def guarded(action: Callable[[], T]) -> T:
    try:
        return action()
    except SyncError as exc:
        raise click.ClickException(str(exc)) from exc
