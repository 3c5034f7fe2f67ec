"""The admin page over HTTP: sign-in, session cookie, CSRF, headers, escaping, expiry."""

from __future__ import annotations

import logging
import time
from typing import Any

import httpx
import pytest

from sync_ai_models.http.admin.session import COOKIE
from tests.support.admin import HOSTILE_DESCRIPTION, HOSTILE_NAME, ClientFactory, csrf_of, sign_in
from tests.support.http_doubles import SERVICE_KEY, make_jwt

PAGES = ["/admin/", "/admin/runs", "/admin/sync", "/admin/new", "/admin/models/openai/gpt-4o"]


async def test_pages_without_a_session_redirect_to_sign_in(client: httpx.AsyncClient) -> None:
    for path in PAGES:
        response = await client.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"] == "/admin/login"


async def test_progress_json_without_a_session_is_401(client: httpx.AsyncClient) -> None:
    response = await client.get("/admin/runs/00000000-0000-0000-0000-000000000000/progress.json")
    assert response.status_code == 401


async def test_a_wrong_key_is_refused_and_not_echoed(client: httpx.AsyncClient) -> None:
    wrong = "not-the-key-" + SERVICE_KEY[::-1]
    response = await sign_in(client, wrong)
    assert response.status_code == 401
    assert "Sign-in refused" in response.text
    assert wrong not in response.text
    assert COOKIE not in response.headers.get("set-cookie", "")
    assert (await client.get("/admin/")).status_code == 303


async def test_a_jwt_of_another_role_is_refused(client: httpx.AsyncClient) -> None:
    response = await sign_in(client, make_jwt("authenticated"))
    assert response.status_code == 401
    assert "service_role" in response.text


async def test_a_service_role_jwt_signs_in(client: httpx.AsyncClient) -> None:
    response = await sign_in(client, make_jwt("service_role"))
    assert response.status_code == 303
    assert (await client.get("/admin/")).status_code == 200


async def test_session_cookie_flags(client: httpx.AsyncClient) -> None:
    response = await sign_in(client)
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(COOKIE))
    flags = [part.strip().lower() for part in cookie.split(";")]
    assert "httponly" in flags
    assert "samesite=strict" in flags
    assert "path=/admin" in flags
    assert any(f.startswith("max-age=") and int(f.split("=")[1]) > 0 for f in flags)
    assert "secure" not in flags  # plain http (tests): a Secure cookie would never come back


async def test_session_cookie_is_secure_behind_https(client_for: ClientFactory) -> None:
    client = await client_for(base_url="https://testserver")
    response = await sign_in(client)
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(COOKIE))
    assert "secure" in [part.strip().lower() for part in cookie.split(";")]


async def test_the_key_appears_in_no_response(client: httpx.AsyncClient) -> None:
    seen: list[str] = []
    form = await client.get("/admin/login")
    data = {"csrf": csrf_of(form.text), "key": SERVICE_KEY}
    signed = await client.post("/admin/login", data=data)
    seen += [form.text, str(form.headers), signed.text, str(signed.headers)]
    for path in PAGES:
        page = await client.get(path)
        assert page.status_code == 200, path
        seen += [page.text, str(page.headers)]
    assert all(SERVICE_KEY not in text for text in seen)


async def test_the_sign_in_form_needs_its_csrf_token(client: httpx.AsyncClient) -> None:
    await client.get("/admin/login")
    response = await client.post("/admin/login", data={"key": SERVICE_KEY})
    assert response.status_code == 403
    assert (await client.get("/admin/")).status_code == 303


def _action(csrf: str | None, **fields: str) -> dict[str, Any]:
    data = {"provider": "openai", "api_identifier": "gpt-4o", "action": "disable", **fields}
    if csrf is not None:
        data["csrf"] = csrf
    return data


@pytest.mark.parametrize("csrf", [None, "", "forged-token"])
async def test_actions_without_the_sessions_csrf_token_are_refused(
    signed_in: httpx.AsyncClient, db: Any, csrf: str | None
) -> None:
    db.execute("update ai_providers set is_enabled = true where api_identifier = 'gpt-4o'")
    for path, data in [
        ("/admin/models/action", _action(csrf)),
        ("/admin/sync", {"csrf": csrf} if csrf is not None else {}),
        ("/admin/logout", {"csrf": csrf} if csrf is not None else {}),
    ]:
        response = await signed_in.post(path, data=data)
        assert response.status_code == 403, path
    enabled = db.execute("select is_enabled from ai_providers where api_identifier = 'gpt-4o'")
    assert enabled.fetchone() == (True,)
    assert db.execute("select count(*) from ai_sync_runs").fetchone() == (1,)  # the seed's only
    assert (await signed_in.get("/admin/")).status_code == 200  # still signed in


async def test_an_action_with_the_csrf_token_works(signed_in: httpx.AsyncClient, db: Any) -> None:
    csrf = csrf_of((await signed_in.get("/admin/models/openai/gpt-4o")).text)
    response = await signed_in.post("/admin/models/action", data=_action(csrf, action="disable"))
    assert response.status_code == 303
    row = db.execute("select is_enabled from ai_providers where api_identifier = 'gpt-4o'")
    assert row.fetchone() == (False,)


async def test_every_page_has_a_content_security_policy(signed_in: httpx.AsyncClient) -> None:
    for path in ["/admin/login", *PAGES]:
        response = await signed_in.get(path)
        csp = response.headers["content-security-policy"]
        assert "default-src 'none'" in csp, path
        assert "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["cache-control"] == "no-store"


async def test_vendor_strings_are_escaped(signed_in: httpx.AsyncClient) -> None:
    for path in ["/admin/", "/admin/models/openai/gpt-evil", "/admin/new"]:
        html = (await signed_in.get(path)).text
        assert "<script>alert" not in html, path
        assert "<img src=x" not in html, path
    catalog = (await signed_in.get("/admin/")).text
    assert "&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;" in catalog
    model = (await signed_in.get("/admin/models/openai/gpt-evil")).text
    assert "&lt;img src=x onerror=alert(1)&gt;" in model
    assert HOSTILE_NAME not in model and HOSTILE_DESCRIPTION not in model


async def test_a_session_expires(
    client_for: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = await client_for(env={"ADMIN_SESSION_SECONDS": "60"})
    assert (await sign_in(client)).status_code == 303
    assert (await client.get("/admin/")).status_code == 200
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 61)
    response = await client.get("/admin/")
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/login"


async def test_a_tampered_cookie_is_no_session(signed_in: httpx.AsyncClient) -> None:
    token = signed_in.cookies[COOKIE]
    forged = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    signed_in.cookies.set(COOKIE, forged, path="/admin")
    assert (await signed_in.get("/admin/")).status_code == 303


async def test_sign_out_ends_the_session(signed_in: httpx.AsyncClient) -> None:
    csrf = csrf_of((await signed_in.get("/admin/")).text)
    response = await signed_in.post("/admin/logout", data={"csrf": csrf})
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/login"
    assert (await signed_in.get("/admin/")).status_code == 303


async def test_without_a_configured_secret_the_page_refuses(client_for: ClientFactory) -> None:
    client = await client_for(supabase_service_role_key=None, supabase_jwt_secret=None)
    for path in ["/admin/login", "/admin/"]:
        response = await client.get(path)
        assert response.status_code == 503
        assert "not configured" in response.text
    assert (await client.post("/admin/login", data={"key": "x", "csrf": "y"})).status_code == 503


async def test_a_rejected_edit_shows_the_databases_message(
    signed_in: httpx.AsyncClient, db: Any
) -> None:
    csrf = csrf_of((await signed_in.get("/admin/models/openai/gpt-4o")).text)
    data = _action(csrf, action="edit", field="context_window_tokens", value="-5")
    response = await signed_in.post("/admin/models/action", data=data)
    assert response.status_code == 422
    assert "config.context_window_tokens must be a positive whole number" in response.text
    row = db.execute(
        "select config->'context_window_tokens' from ai_providers where api_identifier = 'gpt-4o'"
    )
    assert row.fetchone() == (128000,)


async def test_a_price_is_entered_per_million_tokens(signed_in: httpx.AsyncClient, db: Any) -> None:
    csrf = csrf_of((await signed_in.get("/admin/models/openai/gpt-4o")).text)
    data = _action(csrf, action="edit", field="input_token_cost_rate", value="3.75")
    response = await signed_in.post("/admin/models/action", data=data)
    assert response.status_code == 303
    row = db.execute(
        "select (config->>'input_token_cost_rate')::numeric from ai_providers "
        "where api_identifier = 'gpt-4o'"
    )
    assert float(row.fetchone()[0]) == pytest.approx(3.75e-6)
    page = (await signed_in.get("/admin/models/openai/gpt-4o")).text
    assert "$3.75" in page and "hand-edited" in page


async def test_the_key_reaches_no_log(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await sign_in(client, SERVICE_KEY + "-wrong")
    await sign_in(client)
    await client.get("/admin/")
    assert "admin signed in" in caplog.text
    assert SERVICE_KEY not in caplog.text


async def test_an_oversized_form_is_refused_unread(client: httpx.AsyncClient) -> None:
    form = await client.get("/admin/login")
    data = {"csrf": csrf_of(form.text), "key": "k" * 100_000}
    assert (await client.post("/admin/login", data=data)).status_code == 413
