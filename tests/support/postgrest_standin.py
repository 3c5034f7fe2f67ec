"""A stand-in for PostgREST's RPC endpoint, for testing the Supabase store without Supabase.

It speaks the part of PostgREST's protocol that supabase-py's `rpc()` uses:
`POST /rest/v1/rpc/<function>` with a JSON object of named arguments, `apikey` and
`Authorization: Bearer <JWT>` headers. Like PostgREST it verifies the JWT (HS256), runs the call
in one transaction as the JWT's `role` with `request.jwt.claims` set, casts each argument to the
function's declared type, and answers errors as `{"code": <SQLSTATE>, "message", "details",
"hint"}`. Only RPC is served; table endpoints are not.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import jwt
import psycopg
from psycopg import sql
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sync_ai_models.http.local_server import serve_in_thread

# PostgREST's mapping of SQLSTATE classes to HTTP status, the part we exercise
JWT_SECRET = "test-jwt-secret-with-at-least-32-characters"
"""The secret the stand-in verifies JWTs with (tests sign their keys with it)."""
HTTP_STATUS = {"42501": 403, "42883": 404, "P0002": 404, "55P03": 409, "23514": 400, "22023": 400}


def make_app(conninfo: str, jwt_secret: str) -> Starlette:
    def error(status: int, code: str, message: str, hint: str | None = None) -> JSONResponse:
        body = {"code": code, "message": message, "details": None, "hint": hint}
        return JSONResponse(body, status_code=status)

    async def rpc(request: Request) -> Response:
        token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        try:
            claims = jwt.decode(
                token, jwt_secret, algorithms=["HS256"], options={"verify_aud": False}
            )
        except jwt.PyJWTError as exc:
            return error(401, "PGRST301", f"JWT invalid: {exc}")
        function = request.path_params["function"]
        args: dict[str, Any] = await request.json()
        with psycopg.connect(conninfo) as conn:
            types = dict(
                conn.execute(
                    """select unnest(p.proargnames), unnest(p.proargtypes::regtype[]::text[])
                   from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                   where n.nspname = 'public' and p.proname = %s""",
                    (function,),
                ).fetchall()
            )
            if not types:
                return error(404, "PGRST202", f"Could not find the function public.{function}")
            query = sql.SQL("select to_jsonb(public.{}({}))").format(
                sql.Identifier(function),
                sql.SQL(", ").join(
                    sql.SQL("{} => {}::{}").format(
                        sql.Identifier(name), sql.Placeholder(name), sql.SQL(types[name])
                    )
                    for name in args
                ),
            )
            params = {
                name: json.dumps(value) if types[name] in ("jsonb", "json") else value
                for name, value in args.items()
            }
            try:
                conn.execute(
                    sql.SQL("set local role {}").format(sql.Identifier(claims.get("role", "anon")))
                )
                conn.execute(
                    "select set_config('request.jwt.claims', %s, true)", (json.dumps(claims),)
                )
                row = conn.execute(query, params).fetchone()
                conn.commit()
            except psycopg.Error as exc:
                code = exc.sqlstate or "XX000"
                message = exc.diag.message_primary or str(exc)
                return error(HTTP_STATUS.get(code, 400), code, message, exc.diag.message_hint)
        return Response(json.dumps(row[0] if row else None), media_type="application/json")

    return Starlette(routes=[Route("/rest/v1/rpc/{function}", rpc, methods=["POST"])])


@contextmanager
def serve(conninfo: str, jwt_secret: str) -> Iterator[str]:
    """Runs the stand-in on 127.0.0.1 in a thread; yields its base URL."""
    with serve_in_thread(make_app(conninfo, jwt_secret)) as url:
        yield url


def role_key(jwt_secret: str, role: str, sub: str | None = None) -> str:
    claims: dict[str, Any] = {"role": role, "iss": "supabase", "exp": int(time.time()) + 3600}
    if sub:
        claims["sub"] = sub
    return jwt.encode(claims, jwt_secret, algorithm="HS256")
