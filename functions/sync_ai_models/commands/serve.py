"""`sync-ai-models serve`: the HTTP function under uvicorn, logging JSON lines on stderr."""

from __future__ import annotations

from typing import Any

import click

APP_FACTORY = "sync_ai_models.http.app:create_app"


def log_config(level: str) -> dict[str, Any]:
    """JSON lines for our loggers and uvicorn's; no access log (it would add a line per GET).
    Nothing here logs request headers, so an Authorization header never reaches the log."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    quiet = {"handlers": ["stderr"], "level": "WARNING", "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "sync_ai_models.logs.JsonFormatter"}},
        "handlers": {"stderr": handler},
        "loggers": {
            "sync_ai_models": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.access": quiet,
        },
    }


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--workers", default=1, show_default=True, type=click.IntRange(1), help="Server processes."
)
@click.option(
    "--log-level",
    default="info",
    show_default=True,
    type=click.Choice(["debug", "info", "warning", "error"]),
)
def serve(host: str, port: int, workers: int, log_level: str) -> None:
    """Serve the sync function over HTTP (POST to sync, GET for status, /health, /openapi.json).

    Callers need SUPABASE_SERVICE_ROLE_KEY as a bearer token, or a JWT signed with
    SUPABASE_JWT_SECRET whose role is service_role; with neither set, syncs are refused."""
    import uvicorn

    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=log_config(log_level.upper()),
        access_log=False,
        lifespan="on",
        server_header=False,
    )
