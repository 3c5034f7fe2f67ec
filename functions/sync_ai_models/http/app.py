"""The HTTP face of the function (Starlette), served at `/` and at `/functions/v1/sync-ai-models`.

    POST  <path>         run a sync (service role); 200/207/502 by outcome, 409 already running
    GET   <path>         last run and needs_sync (service role)
    GET   /health        the database answers (no auth)
    GET   /openapi.json  this API (no auth)

The app holds one store and one httpx client for its lifetime; either can be injected (tests),
and then the app neither opens nor closes it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ai_catalog.errors import AlreadyRunning, DatabaseUnavailable, StoreError
from ai_catalog.store.base import CatalogStore
from sync_ai_models.context import open_store
from sync_ai_models.http.auth import Authenticator, AuthError, Caller
from sync_ai_models.http.body import parse_sync_body, read_capped
from sync_ai_models.http.http_models import RunResponse, SyncBody
from sync_ai_models.http.openapi import FUNCTION_PATHS, build_openapi
from sync_ai_models.http.responses import JSONResponse, error_response
from sync_ai_models.http.status_cache import StatusCache
from sync_ai_models.notify import notify_run
from sync_ai_models.runner import UnknownProvider, choose_providers, run_sync
from sync_ai_models.settings import Settings, load_settings

log = logging.getLogger("sync_ai_models.http")

HEALTH_TIMEOUT = 5.0
STATUS_TTL = 1.0
"""Seconds a GET status answer is reused; SYNC_STATUS_CACHE_SECONDS overrides (0: no cache)."""


@dataclass
class Services:
    settings: Settings
    env: Mapping[str, str]
    authenticate: Authenticator
    store: CatalogStore | None = None
    client: httpx.AsyncClient | None = None
    status: StatusCache = field(default_factory=lambda: StatusCache(STATUS_TTL))
    openapi: dict[str, Any] = field(default_factory=build_openapi)

    def ready(self) -> tuple[CatalogStore, httpx.AsyncClient]:
        if self.store is None or self.client is None:
            raise HTTPException(503, "the server is starting or stopping")
        return self.store, self.client


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def _caller(request: Request, services: Services) -> Caller:
    return services.authenticate(request.headers.get("authorization"))


async def sync_endpoint(request: Request) -> Response:
    if request.method == "POST":
        return await post_sync(request)
    return await get_status(request)


async def post_sync(request: Request) -> Response:
    started = time.perf_counter()
    services = _services(request)
    caller = _caller(request, services)
    body = parse_sync_body(await read_capped(request))
    store, client = services.ready()
    try:
        choose_providers(body.providers)
        outcome = await run_sync(
            store,
            body.to_request(),
            env=services.env,
            client=client,
            trigger="http",
            requested_by=caller.subject,
            max_deactivate_share=services.settings.sync_max_deactivate_share,
        )
    except UnknownProvider as exc:
        raise HTTPException(400, str(exc)) from None
    except AlreadyRunning as exc:
        _log_request(request, 409, started, caller, run_id=body.run_id)
        return error_response(409, str(exc), run_id=body.run_id)
    except StoreError as exc:
        return _store_failure(request, exc, body, started, caller)
    finally:
        services.status.clear()
    _log_request(request, outcome.http_status, started, caller, run_id=outcome.run_id)
    return JSONResponse(
        RunResponse.from_outcome(outcome).model_dump(mode="json"),
        status_code=outcome.http_status,
        # the webhook (if any) after the answer: a slow receiver never delays the caller
        background=BackgroundTask(notify_run, outcome, services.env, client),
    )


def _store_failure(
    request: Request, exc: StoreError, body: SyncBody, started: float, caller: Caller
) -> Response:
    if isinstance(exc, DatabaseUnavailable):
        status, message = 503, "database unavailable"
    elif body.run_id is not None and "does not exist" in str(exc):
        status, message = 400, f"run_id {body.run_id} does not name a run"
    else:
        status, message = 500, "database error"
    log.log(
        logging.ERROR if status >= 500 else logging.WARNING,
        "sync request failed: %s",
        exc,
        extra={"http_status": status},
    )
    _log_request(request, status, started, caller, run_id=body.run_id)
    return error_response(status, message, run_id=body.run_id)


async def get_status(request: Request) -> Response:
    services = _services(request)
    _caller(request, services)
    store, _ = services.ready()
    max_age = services.settings.sync_max_age_days
    try:
        status = await services.status.get(lambda: store.status(max_age))
    except DatabaseUnavailable:
        return error_response(503, "database unavailable")
    return JSONResponse(status, headers={"Cache-Control": "no-store"})


async def health(request: Request) -> Response:
    services = _services(request)
    database = "unavailable"
    if services.store is not None:
        try:
            await asyncio.wait_for(services.store.ping(), HEALTH_TIMEOUT)
            database = "ok"
        except Exception as exc:  # any failure means "not healthy"; the reason goes to the log
            log.warning("health check: database did not answer: %s", type(exc).__name__)
    body = {
        "status": database,
        "database": database,
        "auth_configured": services.authenticate.configured,
    }
    return JSONResponse(body, status_code=200 if database == "ok" else 503)


async def openapi(request: Request) -> Response:
    return JSONResponse(_services(request).openapi)


def _log_request(
    request: Request, status: int, started: float, caller: Caller, *, run_id: object
) -> None:
    log.info(
        "%s %s -> %s",
        request.method,
        request.url.path,
        status,
        extra={
            "http_status": status,
            "run_id": str(run_id) if run_id else None,
            "caller": caller.subject,
            "seconds": round(time.perf_counter() - started, 3),
        },
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_response(exc.status_code, str(exc.detail), headers=exc.headers)


async def _auth_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AuthError)
    return error_response(exc.status, exc.message, headers=exc.headers)


async def _server_error(request: Request, exc: Exception) -> Response:
    return error_response(500, "internal error")


def _status_ttl(env: Mapping[str, str]) -> float:
    value = env.get("SYNC_STATUS_CACHE_SECONDS")
    try:
        return max(0.0, float(value)) if value else STATUS_TTL
    except ValueError:
        raise ValueError(f"SYNC_STATUS_CACHE_SECONDS must be a number, not {value!r}") from None


def create_app(
    settings: Settings | None = None,
    store: CatalogStore | None = None,
    env: Mapping[str, str] | None = None,
    http_client: httpx.AsyncClient | None = None,
) -> Starlette:
    settings = settings or load_settings()
    env = os.environ if env is None else env
    services = Services(
        settings=settings,
        env=env,
        authenticate=Authenticator(
            settings.supabase_service_role_key, settings.supabase_jwt_secret
        ),
        store=store,
        client=http_client,
        status=StatusCache(_status_ttl(env)),
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            if services.client is None:
                services.client = await stack.enter_async_context(httpx.AsyncClient())
                stack.callback(setattr, services, "client", None)
            if services.store is None:
                opened = await open_store(settings)
                stack.push_async_callback(opened.close)
                stack.callback(setattr, services, "store", None)
                services.store = opened
            if not services.authenticate.configured:
                log.warning(
                    "no SUPABASE_SERVICE_ROLE_KEY or SUPABASE_JWT_SECRET: every sync and "
                    "status request will be refused (503)"
                )
            yield

    routes = [
        *(Route(path, sync_endpoint, methods=["GET", "POST"]) for path in FUNCTION_PATHS),
        Route("/health", health, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={
            HTTPException: _http_error,
            AuthError: _auth_error,
            Exception: _server_error,
        },
    )
    app.state.services = services
    return app
