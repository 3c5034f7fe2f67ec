"""The admin session: a signed, expiring cookie made when the service-role key (or a
service_role JWT) is entered once, and the CSRF token every form carries.

The cookie holds who signed in, the CSRF token, when the session ends and the last run whose new
models the admin has seen; never the key. It is signed (itsdangerous) with a secret derived from
the configured credentials, so rotating the key ends every session.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from sync_ai_models.http.auth import Authenticator

COOKIE = "sync_admin_session"
LOGIN_CSRF_COOKIE = "sync_admin_login_csrf"
COOKIE_PATH = "/admin"
DEFAULT_LIFETIME = 8 * 3600
LIFETIME_ENV = "ADMIN_SESSION_SECONDS"
"""Seconds a session lasts after sign-in (default 8 hours)."""


@dataclass(frozen=True)
class Session:
    subject: str
    csrf: str
    expires_at: float
    seen_until: str | None = None
    """finished_at of the latest run whose new models the admin has seen (ISO), or None."""

    def seen(self, until: str | None) -> Session:
        return replace(self, seen_until=until)


def session_lifetime(env: Mapping[str, str]) -> int:
    value = env.get(LIFETIME_ENV)
    if not value:
        return DEFAULT_LIFETIME
    try:
        seconds = int(value)
    except ValueError:
        raise ValueError(
            f"{LIFETIME_ENV} must be a whole number of seconds, not {value!r}"
        ) from None
    if seconds <= 0:
        raise ValueError(f"{LIFETIME_ENV} must be positive, not {seconds}")
    return seconds


class SessionCodec:
    def __init__(self, authenticate: Authenticator, lifetime: int) -> None:
        material = f"{authenticate.service_role_key or ''}\0{authenticate.jwt_secret or ''}"
        secret = hmac.new(material.encode(), b"sync-ai-models admin session", hashlib.sha256)
        self._serializer = URLSafeTimedSerializer(secret.hexdigest(), salt="admin-session")
        self.lifetime = lifetime

    def new(self, subject: str) -> Session:
        return Session(subject, secrets.token_urlsafe(32), time.time() + self.lifetime)

    def read(self, request: Request) -> Session | None:
        """The request's valid, unexpired session, or None."""
        token = request.cookies.get(COOKIE)
        if not token:
            return None
        try:
            data: Any = self._serializer.loads(token, max_age=self.lifetime)
            session = Session(**data)
        except (BadSignature, TypeError):
            return None
        return session if session.expires_at > time.time() else None

    def write(self, response: Response, request: Request, session: Session) -> None:
        remaining = max(0, int(session.expires_at - time.time()))
        response.set_cookie(
            COOKIE,
            self._serializer.dumps(asdict(session)),
            max_age=remaining,
            path=COOKIE_PATH,
            httponly=True,
            samesite="strict",
            secure=is_https(request),
        )


def clear(response: Response, request: Request) -> None:
    response.delete_cookie(
        COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict", secure=is_https(request)
    )


def is_https(request: Request) -> bool:
    # behind a proxy, uvicorn's --proxy-headers turns X-Forwarded-Proto into the scheme
    return request.url.scheme == "https"


def same_token(given: object, expected: str) -> bool:
    return isinstance(given, str) and bool(given) and hmac.compare_digest(given, expected)


def new_login_token() -> str:
    """A double-submit token for the sign-in form (there is no session yet to hold one)."""
    return secrets.token_urlsafe(32)


def set_login_token(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        max_age=3600,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=is_https(request),
    )
