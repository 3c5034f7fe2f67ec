"""The admin page in a real browser (Debian's Chromium, driven by Playwright): sign in, filter,
open a model, edit a price, a rejected edit, sync now against local vendors and watch it finish,
the new-models badge, the edit surviving the sync, releasing it, signing out.

Screenshots go to $ADMIN_SCREENSHOTS (a directory), or to the test's tmp_path.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from sync_ai_models.demo.scenario import DEMO_KEY, demo_env
from sync_ai_models.demo.vendor_server import VendorState, vendor_app
from sync_ai_models.http.app import create_app
from sync_ai_models.http.local_server import serve_in_thread
from tests.support.http_app import make_settings
from tests.support.http_doubles import SERVICE_KEY, bearer

CHROMIUM = "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip(
        f"no Chromium at {CHROMIUM}: `apt-get install -y chromium` (tests/run.sh does)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api")

TIMEOUT_MS = 30_000  # generous: the machine is shared


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    # module scope: Playwright's sync API keeps an event loop running in this thread, which
    # the async tests of other modules must not meet
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    directory = Path(os.environ.get("ADMIN_SCREENSHOTS") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _unexpected(message: Any) -> bool:
    # the 404 of /favicon.ico and the 409/422 pages the test provokes are meant
    return bool(message.type == "error" and "Failed to load resource" not in message.text)


def _first_sync(base: str) -> None:
    """Through the function's own API (Playwright's loop forbids asyncio.run here)."""
    response = httpx.post(f"{base}/", json={}, headers=bearer(SERVICE_KEY), timeout=60)
    assert response.status_code == 200, response.text


def test_an_admin_session(browser: Any, db_url: str, db: Any, shots: Path) -> None:
    expect = sync_api.expect
    expect.set_options(timeout=TIMEOUT_MS)
    vendors = VendorState(DEMO_KEY)
    with serve_in_thread(vendor_app(vendors)) as vendor_url:
        env = demo_env(vendor_url)
        app = create_app(settings=make_settings(db_url), env=env)
        with serve_in_thread(app, lifespan="on", start_timeout=30) as base:
            _first_sync(base)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            errors: list[str] = []  # a CSP violation ("Refused to ...") or a script error
            page.on("console", lambda m: errors.append(m.text) if _unexpected(m) else None)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            try:
                _session(page, base, vendors, shots, expect, db)
                assert errors == []
            except Exception:
                page.screenshot(path=str(shots / "failure.png"), full_page=True)
                raise
            finally:
                context.close()
    # the edit was a person's: logged as such, then handed back to the sync
    kinds = db.execute(
        "select kind from ai_model_changes where api_identifier = 'anthropic/claude-3.5-haiku' "
        "order by id"
    ).fetchall()
    order = [k for (k,) in kinds]
    assert order.index("manual_edit") < order.index("override_kept") < order.index("override_reset")


def _session(page: Any, base: str, vendors: VendorState, shots: Path, expect: Any, db: Any) -> None:
    # sign in: the page sends us to the form first
    page.goto(f"{base}/admin/")
    expect(page).to_have_url(f"{base}/admin/login")
    page.fill("#key", SERVICE_KEY)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Catalog")
    expect(page.locator("#new-badge")).to_have_text("0 new")
    all_rows = page.locator("#catalog tbody tr").count()

    # filter: openrouter's priced models
    page.select_option("select[name=vendor]", "openrouter")
    page.select_option("select[name=priced]", "yes")
    page.click("#filters button[type=submit]")
    rows = page.locator("#catalog tbody tr")
    expect(rows.first).to_be_visible()
    assert 0 < rows.count() < all_rows
    assert set(rows.locator("td:first-child").all_inner_texts()) == {"openrouter"}
    page.screenshot(path=str(shots / "catalog.png"), full_page=True)

    # open a model and edit its input price (entered per 1M tokens)
    page.click("text=anthropic/claude-3.5-haiku")
    expect(page.locator("h1")).to_contain_text("anthropic/claude-3.5-haiku")
    price = page.locator("#field-input_token_cost_rate")
    expect(price.locator(".value")).to_have_text("$0.8")
    price.locator("input[name=value]").fill("0.5")
    price.locator("button", has_text="Save").click()
    expect(page.locator("#notice")).to_have_text("Done: edit.")
    expect(price.locator(".value")).to_have_text("$0.5")
    expect(price).to_contain_text("hand-edited")

    # a value the database refuses: its message, naming the field
    window = page.locator("#field-context_window_tokens")
    window.locator("input[name=value]").fill("-5")
    window.locator("button", has_text="Save").click()
    expect(page.locator("#error")).to_contain_text(
        "config.context_window_tokens must be a positive whole number"
    )

    # upstream moves on (a new OpenAI model, a new price); sync now and watch it finish
    vendors.version = 2
    page.click("text=Sync now")
    page.click("#sync-start")
    expect(page.locator("#run-status")).to_have_text("succeeded", timeout=60_000)
    openai = page.locator("#vendor-results tr[data-provider=openai]")
    expect(openai.locator(".status")).to_have_text("succeeded")
    expect(page.locator("#run-new-models")).to_contain_text("openai/gpt-4.1-nano")
    page.screenshot(path=str(shots / "run.png"), full_page=True)

    # the badge counts the new model; opening it lists the model and clears the badge
    expect(page.locator("#new-badge")).to_have_text("1 new")
    page.click("#new-badge")
    expect(page.locator("#new-models")).to_contain_text("openai/gpt-4.1-nano")
    expect(page.locator("#new-badge")).to_have_text("0 new")

    # the edit survived the sync, which says what upstream now asks
    page.goto(f"{base}/admin/models/openrouter/anthropic/claude-3.5-haiku")
    price = page.locator("#field-input_token_cost_rate")
    expect(price.locator(".value")).to_have_text("$0.5")
    expect(price.locator(".upstream")).to_have_text("upstream now $1/1M")
    page.screenshot(path=str(shots / "model.png"), full_page=True)

    # release it: the sync's value comes back
    price.locator("button.release").click()
    expect(page.locator("#notice")).to_have_text("Done: release.")
    expect(price).not_to_contain_text("hand-edited")

    # a run started elsewhere (cron): "Sync now" says it is already running; its page follows it
    # (the script polls) and shows the result once it is over
    other = db.execute(
        "insert into ai_sync_runs (trigger, status, started_at) values ('cron', 'running', now()) "
        "returning id"
    ).fetchone()[0]
    page.click("text=Sync now")
    page.click("#sync-start")
    expect(page.locator("#already-running")).to_contain_text("already running")
    page.click("#already-running a")
    expect(page.locator("#progress")).to_be_visible()
    db.execute(
        'select sync_finish_run(%s, \'[{"provider": "groq", "status": "failed", '
        '"error": "HTTP 503 from groq"}]\'::jsonb, null)',
        (other,),
    )
    expect(page.locator("#run-status")).to_have_text("failed")
    expect(page.locator("#vendor-results tr[data-provider=groq] .error")).to_have_text(
        "HTTP 503 from groq"
    )

    # a phone-sized window still shows the catalog
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/admin/")
    expect(page.locator("#catalog")).to_be_visible()
    page.screenshot(path=str(shots / "phone.png"), full_page=False)

    # sign out: the session is gone
    page.click("#sign-out")
    expect(page).to_have_url(f"{base}/admin/login")
    page.goto(f"{base}/admin/runs")
    expect(page).to_have_url(f"{base}/admin/login")
