"""The admin page at /admin: sign-in, the catalog, one model, the runs and "Sync now".

Every page but the sign-in form needs a session; every POST carries the session's CSRF token.
Nothing here accepts or shows the key after sign-in; vendor strings reach the page only through
autoescaped templates.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote
from uuid import UUID

import httpx
import jinja2
from starlette.applications import Starlette
from starlette.datastructures import FormData
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ai_catalog.errors import DatabaseUnavailable, StoreError
from ai_catalog.store.base import CatalogStore
from ai_catalog.vendors import PROVIDERS, enabled_providers
from sync_ai_models.http.admin import forms, queries
from sync_ai_models.http.admin.headers import SecurityHeaders
from sync_ai_models.http.admin.session import (
    LOGIN_CSRF_COOKIE,
    Session,
    SessionCodec,
    clear,
    new_login_token,
    same_token,
    session_lifetime,
    set_login_token,
)
from sync_ai_models.http.admin.sync_jobs import SyncJobs
from sync_ai_models.http.auth import Authenticator, AuthError
from sync_ai_models.runner import UnknownProvider
from sync_ai_models.settings import Settings

log = logging.getLogger("sync_ai_models.http.admin")
HERE = Path(__file__).parent
KINDS = ("chat", "embedding", "image", "audio", "moderation", "other")


class AdminServices(Protocol):
    """What the page needs from the app (its Services)."""

    settings: Settings
    env: Mapping[str, str]
    authenticate: Authenticator

    def ready(self) -> tuple[CatalogStore, httpx.AsyncClient]: ...


@dataclass
class Admin:
    services: AdminServices
    codec: SessionCodec
    jobs: SyncJobs
    templates: Jinja2Templates


Handler = Callable[[Request, Session], Awaitable[Response]]


def _admin(request: Request) -> Admin:
    admin: Admin = request.app.state.admin
    return admin


def _url(request: Request, path: str) -> str:
    return f"{request.scope.get('root_path', '')}{path}"


def _redirect(request: Request, path: str) -> RedirectResponse:
    return RedirectResponse(_url(request, path), status_code=303)


def signed_in(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """The handler with the request's session; without one, a redirect to sign-in (or 401 for
    JSON); a POST whose CSRF token is not the session's is refused (403)."""

    @functools.wraps(handler)
    async def guarded(request: Request) -> Response:
        admin = _admin(request)
        if not admin.services.authenticate.configured:
            return _refuse_unconfigured(request)
        session = admin.codec.read(request)
        if session is None:
            if request.url.path.endswith(".json"):
                return JSONResponse({"error": "sign in first"}, status_code=401)
            return _redirect(request, "/login")
        if request.method == "POST":
            form = await forms.read_form(request)
            if not same_token(form.get("csrf"), session.csrf):
                return _message(request, 403, "This form has expired: reload the page and retry.")
        try:
            return await handler(request, session)
        except DatabaseUnavailable:
            return _message(request, 503, "The database is not answering; try again shortly.")

    return guarded


def _refuse_unconfigured(request: Request) -> Response:
    return _message(
        request,
        503,
        "Authentication is not configured: set SUPABASE_SERVICE_ROLE_KEY or SUPABASE_JWT_SECRET. "
        "The admin page stays closed until then.",
    )


def _message(request: Request, status: int, message: str) -> Response:
    return _admin(request).templates.TemplateResponse(
        request, "message.html", {"message": message, "session": None}, status_code=status
    )


async def render(
    request: Request, session: Session, name: str, context: dict[str, Any], status: int = 200
) -> Response:
    store, _ = _admin(request).services.ready()
    new = await queries.new_models(store, session.seen_until, limit=0)
    return _admin(request).templates.TemplateResponse(
        request,
        name,
        {"session": session, "new_count": new["count"], **context},
        status_code=status,
    )


# --- sign-in ---


async def login_form(request: Request, error: str | None = None, status: int = 200) -> Response:
    admin = _admin(request)
    if not admin.services.authenticate.configured:
        return _refuse_unconfigured(request)
    if error is None and admin.codec.read(request) is not None:
        return _redirect(request, "/")
    token = new_login_token()
    response = admin.templates.TemplateResponse(
        request,
        "login.html",
        {"login_csrf": token, "error": error, "session": None},
        status_code=status,
    )
    set_login_token(response, request, token)
    return response


async def login(request: Request) -> Response:
    admin = _admin(request)
    if not admin.services.authenticate.configured:
        return _refuse_unconfigured(request)
    form = await forms.read_form(request)
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not same_token(form.get("csrf"), expected):
        return _message(request, 403, "The sign-in form has expired: reload the page and retry.")
    key = form.get("key")
    try:
        caller = admin.services.authenticate(f"Bearer {key}" if isinstance(key, str) else None)
    except AuthError as exc:
        log.warning("admin sign-in refused: %s", exc.message)
        return await login_form(request, f"Sign-in refused: {exc.message}.", 401)
    store, _ = admin.services.ready()
    seen = (await queries.new_models(store, None, limit=0))["latest_run_at"]
    session = admin.codec.new(caller.subject).seen(seen)
    log.info("admin signed in", extra={"caller": caller.subject})
    response = _redirect(request, "/")
    admin.codec.write(response, request, session)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/admin")
    return response


@signed_in
async def logout(request: Request, session: Session) -> Response:
    response = _redirect(request, "/login")
    clear(response, request)
    return response


# --- catalog and models ---


@signed_in
async def catalog(request: Request, session: Session) -> Response:
    params = request.query_params
    store, _ = _admin(request).services.ready()
    result = await queries.catalog(
        store,
        search=forms.text(params, "q"),
        provider=forms.text(params, "vendor"),
        kind=forms.text(params, "kind"),
        flags={name: forms.yes_no(params, name) for name in queries.FILTERS},
    )
    sort = params.get("sort", "")
    descending = params.get("dir") == "desc"
    models = forms.sort_rows(result["models"], sort, descending)
    return await render(
        request,
        session,
        "catalog.html",
        {
            "models": models,
            "matched": result["matched"],
            "vendors": result["vendors"],
            "params": params,
            "filters": queries.FILTERS,
            "kinds": KINDS,
            "sort": sort,
            "descending": descending,
        },
    )


@signed_in
async def model_page(request: Request, session: Session) -> Response:
    return await _model_response(
        request,
        session,
        request.path_params["provider"],
        request.path_params["api_identifier"],
        notice=request.query_params.get("done"),
    )


async def _model_response(
    request: Request,
    session: Session,
    provider: str,
    api_identifier: str,
    *,
    notice: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    store, _ = _admin(request).services.ready()
    found = await queries.model(store, provider, api_identifier)
    if found is None:
        return await render(
            request, session, "message.html", {"message": "No such model."}, status=404
        )
    return await render(
        request,
        session,
        "model.html",
        {"m": found, "fields": _field_rows(found), "notice": notice, "error": error},
        status=status,
    )


def _field_rows(found: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per config field (whatever keys the config has), edited ones marked."""
    config: dict[str, Any] = found["config"] or {}
    baseline: dict[str, Any] | None = found["sync_baseline"]
    sources: dict[str, Any] = found["config_sources"] or {}
    edited = set(found["overridden_fields"])
    rows = []
    for name in sorted(set(config) | edited):
        rows.append(
            {
                "name": name,
                "value": config.get(name),
                "source": "manual" if name in edited else sources.get(name, "—"),
                "edited": name in edited,
                "synced": (baseline or {}).get(name),
                "upstream": found["upstream"].get(name),
                "has_upstream": name in found["upstream"],
                "price": forms.is_price(name),
            }
        )
    return rows


ACTIONS = ("edit", "release", "release_all", "enable", "disable")


@signed_in
async def model_action(request: Request, session: Session) -> Response:
    form = await forms.read_form(request)
    provider, api_identifier = _form_text(form, "provider"), _form_text(form, "api_identifier")
    action, field = _form_text(form, "action"), _form_text(form, "field")
    store, _ = _admin(request).services.ready()
    try:
        if action == "edit":
            value = forms.edited_value(field, _form_text(form, "value"))
            await queries.set_config_field(store, provider, api_identifier, field, value)
        elif action in ("release", "release_all"):
            await store.reset_override(provider, api_identifier, field or None)
        elif action in ("enable", "disable"):
            await queries.set_enabled(store, provider, api_identifier, action == "enable")
        else:
            return _message(request, 400, f"Unknown action; expected one of {', '.join(ACTIONS)}.")
    except DatabaseUnavailable:
        raise
    except StoreError as exc:
        return await _model_response(
            request, session, provider, api_identifier, error=str(exc), status=422
        )
    log.info(
        "admin %s %s/%s %s",
        action,
        provider,
        api_identifier,
        field,
        extra={"caller": session.subject},
    )
    path = f"/models/{quote(provider, safe='')}/{quote(api_identifier, safe='/')}"
    return _redirect(request, f"{path}?done={action}")


def _form_text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


# --- runs and sync now ---


@signed_in
async def runs_page(request: Request, session: Session) -> Response:
    store, _ = _admin(request).services.ready()
    return await render(request, session, "runs.html", {"runs": await queries.runs(store)})


@signed_in
async def run_page(request: Request, session: Session) -> Response:
    run_id = _run_id(request)
    store, _ = _admin(request).services.ready()
    run = await queries.run(store, run_id) if run_id else None
    if run is None or run_id is None:
        return await render(request, session, "message.html", {"message": "No such run."}, 404)
    job = _admin(request).jobs.get(run_id)
    progress = job.progress() if job else None
    return await render(request, session, "run.html", {"run": run, "progress": progress})


@signed_in
async def run_progress(request: Request, session: Session) -> Response:
    run_id = _run_id(request)
    job = _admin(request).jobs.get(run_id) if run_id else None
    if job is not None:
        body = job.progress()
    else:
        store, _ = _admin(request).services.ready()
        run = await queries.run(store, run_id) if run_id else None
        if run is None:
            return JSONResponse({"error": "no such run"}, status_code=404)
        body = {
            "run_id": run["id"],
            "status": run["status"],
            "finished": run["finished_at"] is not None,
            "dry_run": run["dry_run"],
            "error": run["error"],
            "providers": run["results"],
        }
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


def _run_id(request: Request) -> UUID | None:
    try:
        return UUID(request.path_params["run_id"])
    except ValueError:
        return None


@signed_in
async def sync_form(request: Request, session: Session) -> Response:
    return await _sync_page(request, session)


async def _sync_page(
    request: Request,
    session: Session,
    *,
    error: str | None = None,
    running: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    configured = set(enabled_providers(_admin(request).services.env))
    return await render(
        request,
        session,
        "sync.html",
        {
            "vendors": [(p, p in configured) for p in PROVIDERS],
            "error": error,
            "running": running,
        },
        status=status,
    )


@signed_in
async def sync_now(request: Request, session: Session) -> Response:
    admin = _admin(request)
    store, client = admin.services.ready()
    form = await forms.read_form(request)
    chosen = [v for v in form.getlist("vendor") if isinstance(v, str)]
    running = next((r for r in await queries.runs(store, 20) if r["status"] == "running"), None)
    if running is not None:
        return await _sync_page(request, session, running=running, status=409)
    try:
        job = await admin.jobs.start(
            store,
            client,
            admin.services.env,
            providers=chosen or None,
            dry_run=form.get("dry_run") == "on",
            requested_by=session.subject,
            max_deactivate_share=admin.services.settings.sync_max_deactivate_share,
        )
    except UnknownProvider as exc:
        return await _sync_page(request, session, error=str(exc), status=400)
    return _redirect(request, f"/runs/{job.run_id}")


@signed_in
async def new_models(request: Request, session: Session) -> Response:
    """The models added since the last run the admin saw; seeing them clears the badge."""
    store, _ = _admin(request).services.ready()
    new = await queries.new_models(store, session.seen_until)
    seen = session.seen(new["latest_run_at"] or session.seen_until)
    context = {"models": new["models"], "count": new["count"]}
    response = await render(request, seen, "new.html", context)
    _admin(request).codec.write(response, request, seen)
    return response


def _links(request: Request) -> dict[str, Any]:
    return {"root": request.scope.get("root_path", "")}


def admin_app(services: AdminServices) -> Starlette:
    """The page as an ASGI app, mounted by the function's app at /admin."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True, enable_async=False
    )
    env.filters["per_million"] = forms.per_million
    env.filters["json_text"] = forms.json_text
    env.filters["when"] = forms.when
    templates = Jinja2Templates(env=env, context_processors=[_links])
    routes = [
        Route("/", catalog, methods=["GET"]),
        Route("/login", login_form, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/models/action", model_action, methods=["POST"]),
        Route("/models/{provider}/{api_identifier:path}", model_page, methods=["GET"]),
        Route("/runs", runs_page, methods=["GET"]),
        Route("/runs/{run_id}", run_page, methods=["GET"]),
        Route("/runs/{run_id}/progress.json", run_progress, methods=["GET"]),
        Route("/sync", sync_form, methods=["GET"]),
        Route("/sync", sync_now, methods=["POST"]),
        Route("/new", new_models, methods=["GET"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)])
    app.state.admin = Admin(
        services,
        SessionCodec(services.authenticate, session_lifetime(services.env)),
        SyncJobs(),
        templates,
    )
    return app


def admin_mount(services: AdminServices) -> Mount:
    return Mount("/admin", app=admin_app(services))
