"""Fixtures for the web app: a real store and index holding the repository's example notices, the app, clients."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, sync_playwright

from api.app import create_app
from api.deps import get_companies, get_rate_limits
from api.security.ratelimit import RateLimits, SlidingWindowLimiter
from app.ingest import ingest
from tenders.index import open_index
from tenders.parse import parse_notice
from tenders.settings import Settings
from tenders.store import TenderStore
from tests.api.company_fixtures import load_dalarna_notices

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from tests.services import SmtpServer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EXAMPLE_NOTICES = sorted([*(FIXTURES / "eforms").glob("*.xml"), *(FIXTURES / "ted" / "eforms-converted").glob("*.xml")])
TEST_SECRET = "test-secret-key-for-anbudsvakt-tests-only"


@dataclass
class RegisteredCompanies:
    """Companies known to the sign-in, until profiles/ provides them: e-mail → company id."""

    by_email: dict[str, str] = field(default_factory=dict)

    def company_id_for_email(self, email: str) -> str | None:
        return self.by_email.get(email.casefold())

    def company_exists(self, company_id: str) -> bool:
        return company_id in self.by_email.values()


def load_examples(settings: Settings) -> int:
    store, index = TenderStore.from_settings(settings), open_index(settings)
    try:
        for path in EXAMPLE_NOTICES:
            raw = path.read_bytes()
            ingest(parse_notice(raw, source="file"), raw, store, index)
        return store.count_tenders()
    finally:
        index.close()
        store.close()


@pytest.fixture(scope="session")
def example_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example notices stored and indexed once; each test gets its own copy."""
    data_dir = tmp_path_factory.mktemp("examples")
    assert load_examples(Settings(environment="test", data_dir=data_dir, secret_key=TEST_SECRET)) > 10
    return data_dir


@pytest.fixture
def settings(example_data_dir: Path, tmp_path: Path) -> Settings:
    data_dir = tmp_path / "data"
    shutil.copytree(example_data_dir, data_dir)
    return Settings(environment="test", data_dir=data_dir, secret_key=TEST_SECRET, base_url="http://testserver")


@pytest.fixture
def companies() -> RegisteredCompanies:
    return RegisteredCompanies({"info@takab.se": "101", "kontakt@stadbolaget.se": "202"})


@pytest.fixture
def app(settings: Settings, companies: RegisteredCompanies) -> FastAPI:
    application = create_app(settings)
    application.dependency_overrides[get_companies] = lambda: companies
    return application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def csrf_token(client: TestClient, path: str = "/logga-in") -> str:
    """The form token a browser would get on ``path`` (the CSRF cookie is kept by the client)."""
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, "no CSRF field on " + path
    return found.group(1)


# ----- the real app over HTTP, and headless Chromium for the browser tests -----

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
WCAG_21_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(application: FastAPI, port: int) -> Iterator[str]:
    """``application`` served by uvicorn on loopback ``port``, in a thread; yields its base URL."""
    server = uvicorn.Server(uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the app did not start under uvicorn within 30 s", pytrace=False)
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@pytest.fixture
def live_server(settings: Settings, companies: RegisteredCompanies) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, in a thread; yields its base URL."""
    port = free_loopback_port()
    application = create_app(settings.model_copy(update={"base_url": f"http://127.0.0.1:{port}"}))
    application.dependency_overrides[get_companies] = lambda: companies
    with serving(application, port) as url:
        yield url


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, fetched once from the npm registry into a cache by scripts/services/fetch-axe."""
    done = subprocess.run([str(REPO_ROOT / "scripts" / "services" / "fetch-axe")], capture_output=True, text=True,
                          timeout=300, check=False)
    if done.returncode != 0:
        pytest.fail(f"axe-core could not be fetched: {done.stderr.strip()}", pytrace=False)
    return Path(done.stdout.strip()).read_text(encoding="utf-8")


# Package scope, not session: Playwright's sync API keeps an asyncio loop running in the main thread while it is
# open, and later packages' tests (e.g. Scrapy middlewares driven with asyncio.run) must not run inside it.
@pytest.fixture(scope="package")
def browser(chromium_executable: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    # bypass_csp: the page's CSP rightly forbids inline scripts, and axe is injected as one.
    context = browser.new_context(locale="sv-SE", bypass_csp=True, viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


# The two widths every page is looked at: a desktop and a phone.
WIDTHS: dict[str, ViewportSize] = {"dator": {"width": 1280, "height": 900}, "mobil": {"width": 390, "height": 844}}


def context_at(browser: Browser, width: str) -> BrowserContext:
    """A Swedish browser context at one of WIDTHS (a phone is a touch device); the CSP bypassed to inject axe."""
    return browser.new_context(locale="sv-SE", bypass_csp=True, viewport=WIDTHS[width], is_mobile=width == "mobil")


@pytest.fixture(params=list(WIDTHS))
def sized(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[Page, str]]:
    """A page at each width in turn, and the width's name (for screenshots)."""
    context = context_at(browser, request.param)
    try:
        yield context.new_page(), request.param
    finally:
        context.close()


def axe_violations(page: Page, axe_source: str) -> list[dict[str, object]]:
    """WCAG 2.1 A and AA violations axe-core finds on the page as it is now."""
    page.add_script_tag(content=axe_source)
    script = """async (tags) => {
        const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
    }"""
    violations: list[dict[str, object]] = page.evaluate(script, WCAG_21_AA_TAGS)
    return violations


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# ----- companies through the real profiles repository (no directory override) -----

@pytest.fixture
def company_settings(settings: Settings) -> Settings:
    """The example notices plus Dalarna notices published in the last weeks (and one long ago)."""
    load_dalarna_notices(settings)
    return settings


@pytest.fixture
def company_app(company_settings: Settings) -> FastAPI:
    application = create_app(company_settings)
    # Tests register many companies from one address; the limits themselves are tested on their own.
    generous = RateLimits(magic_link_per_client=SlidingWindowLimiter(1000, 3600.0),
                          magic_link_per_email=SlidingWindowLimiter(1000, 3600.0))
    application.dependency_overrides[get_rate_limits] = lambda: generous
    return application


@pytest.fixture
def company_client(company_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(company_app) as test_client:
        yield test_client


@pytest.fixture
def company_live_server(company_settings: Settings, smtp_server: SmtpServer) -> Iterator[str]:
    """The app with real companies (no directory override), mailing through the loopback SMTP server."""
    port = free_loopback_port()
    smtp_server.clear()
    application = create_app(company_settings.model_copy(update={
        "base_url": f"http://127.0.0.1:{port}", "smtp_host": smtp_server.host, "smtp_port": smtp_server.port}))
    with serving(application, port) as url:
        yield url
