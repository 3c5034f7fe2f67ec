"""Who is calling: the service-role key itself, or a JWT signed with the project's JWT secret.

    no key and no secret configured     -> 503 (never open by default)
    no or malformed Authorization       -> 401
    the service-role key                -> service_role
    a valid HS256 JWT (exp required)    -> its `role`; anything but service_role -> 403
    anything else (bad signature, expired, other algorithm, no exp, a date claim that is not a
    JSON number, such as "exp": "1900000000") -> 401

The token is never logged nor echoed; messages name only the reason.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

import jwt

SERVICE_ROLE = "service_role"
REALM = 'Bearer realm="sync-ai-models"'
DATE_CLAIMS = ("exp", "nbf", "iat")
"""NumericDate claims (RFC 7519): a JSON number; PyJWT would also take a numeric string."""


@dataclass(frozen=True)
class Caller:
    role: str
    subject: str
    """Who to record as `requested_by`: the JWT's `sub`, or `service_role_key`."""


class AuthError(Exception):
    def __init__(self, status: int, message: str, *, challenge: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = {"WWW-Authenticate": challenge} if challenge else {}


@dataclass(frozen=True)
class Authenticator:
    service_role_key: str | None
    jwt_secret: str | None

    @property
    def configured(self) -> bool:
        return bool(self.service_role_key or self.jwt_secret)

    def __call__(self, authorization: str | None) -> Caller:
        """The caller with the service role, or AuthError (401, 403 or 503)."""
        if not self.configured:
            raise AuthError(
                503,
                "authentication is not configured: set SUPABASE_SERVICE_ROLE_KEY or "
                "SUPABASE_JWT_SECRET; sync requests are refused until then",
            )
        token = _bearer(authorization)
        if token is None:
            raise AuthError(401, "missing bearer token", challenge=REALM)
        if self.service_role_key and _same(token, self.service_role_key):
            return Caller(SERVICE_ROLE, "service_role_key")
        caller = self._from_jwt(token)
        if caller.role != SERVICE_ROLE:
            raise AuthError(
                403,
                f"role {caller.role!r} may not use this function; it needs {SERVICE_ROLE}",
                challenge=f'{REALM}, error="insufficient_scope"',
            )
        return caller

    def _from_jwt(self, token: str) -> Caller:
        invalid = f'{REALM}, error="invalid_token"'
        if not self.jwt_secret:
            raise AuthError(401, "invalid credentials", challenge=invalid)
        try:
            claims = jwt.decode(
                token,
                self.jwt_secret,
                algorithms=["HS256"],
                options={"require": ["exp"], "verify_aud": False},
            )
        except jwt.ExpiredSignatureError:
            raise AuthError(401, "token expired", challenge=invalid) from None
        except jwt.InvalidTokenError:
            raise AuthError(401, "invalid credentials", challenge=invalid) from None
        if not all(_is_number(claims[name]) for name in DATE_CLAIMS if name in claims):
            raise AuthError(401, "invalid credentials", challenge=invalid)
        role = claims.get("role")
        subject = claims.get("sub")
        return Caller(
            role=role if isinstance(role, str) else "none",
            subject=subject if isinstance(subject, str) and subject else f"jwt:{role}",
        )


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


def _same(given: str, expected: str) -> bool:
    """Constant-time equality that does not reveal the expected length either."""
    return hmac.compare_digest(
        hashlib.sha256(given.encode()).digest(), hashlib.sha256(expected.encode()).digest()
    )
