"""SIGTERM and SIGINT for a command that runs a sync: cancel it (the runner marks its run failed
on the way out), then exit 128 + the signal number."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Coroutine
from typing import Any, TypeVar

import click

T = TypeVar("T")
SIGNALS = (signal.SIGTERM, signal.SIGINT)


async def until_signal(coroutine: Coroutine[Any, Any, T]) -> T:
    """Runs the coroutine; SIGTERM or SIGINT cancels it and exits non-zero."""
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(coroutine)
    received: list[signal.Signals] = []

    def interrupt(signum: signal.Signals) -> None:
        received.append(signum)
        task.cancel(f"interrupted by {signum.name}")

    for signum in SIGNALS:
        loop.add_signal_handler(signum, interrupt, signum)
    try:
        return await task
    except asyncio.CancelledError:
        if not received:
            raise
        click.echo(f"interrupted by {received[0].name}; the run was marked failed", err=True)
        sys.exit(128 + received[0])
    finally:
        for signum in SIGNALS:
            loop.remove_signal_handler(signum)
