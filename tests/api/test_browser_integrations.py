"""The integration pages as a person meets them, in headless Chromium against the app under uvicorn, at desktop
and phone width: a company adds a webhook (its receiver on loopback), copies the secret shown once, sends a test
event, and creates an API key; a business developer signs in, finds "API-nycklar" in the menu and creates a key.
axe-core finds no WCAG 2.1 AA violation; nothing sideways-scrolls on a phone; screenshots go to test-artifacts/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy.orm import Session

from api.security.accounts import Role, create_user
from api.security.sessions import SESSION_COOKIE, create_session
from profiles.model import Channel, CompanyProfile
from profiles.repository import ProfileRepository
from profiles.saved_searches import SavedSearches
from tenders.settings import Settings
from tenders.store.engine import create_store_engine
from tests.alerts.webhook_receiver import Receiver, loopback_receiver
from tests.api.company_fixtures import orgnr
from tests.api.conftest import WIDTHS, axe_violations, context_at, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.services]
EMAIL = "info@dalatak.se"
DEVELOPER = "eva@mora.se"
PASSWORD = "ett-långt-lösenord-för-test"


@pytest.fixture
def company_cookie(company_settings: Settings) -> str:
    """A registered, consenting company and a signed-in session of it (the sign-in itself is tested elsewhere)."""
    engine = create_store_engine(company_settings.sqlalchemy_url)
    try:
        profiles = ProfileRepository(engine, company_settings.secret_key.get_secret_value())
        company = profiles.save(CompanyProfile(orgnr=orgnr(90), name="Dala Tak AB", channels=[Channel(address=EMAIL)],
                                               consent_at=datetime.now(UTC)))
        SavedSearches(engine).add(company.id, "Tak i Mora", "q=tak&municipality=2062")
        with Session(engine) as db, db.begin():
            create_user(db, DEVELOPER, PASSWORD, Role.DEVELOPER, name="Eva")
            token, _ = create_session(db, "company", company.id, EMAIL)
        return token
    finally:
        engine.dispose()


@pytest.fixture(params=list(WIDTHS))
def context(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[str, BrowserContext]]:
    width = request.param
    made = context_at(browser, width)
    try:
        yield width, made
    finally:
        made.close()


def looked_at(page: Page, axe_source: str, name: str) -> None:
    assert axe_violations(page, axe_source) == [], name
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= page.viewport_size["width"] if page.viewport_size else True, f"{name} scrolls sideways"
    screenshot(page, name)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with loopback_receiver() as running:
        yield running


def test_a_company_puts_a_saved_search_in_its_digest(company_live_server: str, company_cookie: str,
                                                     context: tuple[str, BrowserContext], axe_source: str) -> None:
    width, browser_context = context
    browser_context.add_cookies([{"name": SESSION_COOKIE, "value": company_cookie, "url": company_live_server}])
    page = browser_context.new_page()
    page.goto(company_live_server + "/mina-uppgifter")
    page.get_by_role("link", name="Sparade sökningar").first.click()
    expect(page.get_by_text("kommer inte med i den dagliga sammanställningen")).to_be_visible()
    page.get_by_role("button", name="Ta med i sammanställningen Tak i Mora").click()
    expect(page.get_by_text("Från era sparade sökningar")).to_be_visible()
    looked_at(page, axe_source, f"sparade-sokningar-sammanstallning-{width}")


def test_a_company_adds_a_webhook_tests_it_and_creates_an_api_key(
        company_live_server: str, company_cookie: str, context: tuple[str, BrowserContext], receiver: Receiver,
        axe_source: str) -> None:
    width, browser_context = context
    browser_context.add_cookies([{"name": SESSION_COOKIE, "value": company_cookie, "url": company_live_server}])
    page = browser_context.new_page()
    page.goto(company_live_server + "/mina-uppgifter")
    page.get_by_role("link", name="Webhook").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skicka träffarna till ert eget system")
    looked_at(page, axe_source, f"webhook-1-tom-{width}")

    page.get_by_label("Adress som börjar med https://").fill("exempel.se/anbudsvakt")
    page.get_by_role("button", name="Spara adressen").click()
    expect(page.get_by_role("alert")).to_contain_text("måste börja med https://")
    looked_at(page, axe_source, f"webhook-2-fel-{width}")

    page.get_by_label("Adress som börjar med https://").fill(receiver.url)
    page.get_by_role("button", name="Spara adressen").click()
    secret = page.get_by_role("textbox", name="Hemlighet").input_value()
    assert secret.startswith("whsec_")
    expect(page.get_by_text("bara den här gången")).to_be_visible()
    looked_at(page, axe_source, f"webhook-3-hemlighet-{width}")

    receiver.secret = secret
    page.get_by_role("button", name="Skicka testhändelse").click()
    expect(page.get_by_role("status")).to_have_text("Testhändelsen skickades och togs emot av er adress.")
    assert [body["event"] for body in receiver.bodies] == ["test"]
    expect(page.get_by_role("textbox", name="Hemlighet")).to_have_count(0)  # shown once, never again
    looked_at(page, axe_source, f"webhook-4-testad-{width}")

    page.goto(company_live_server + "/mina-uppgifter/api-nyckel")
    looked_at(page, axe_source, f"api-nyckel-foretag-1-{width}")
    page.get_by_role("button", name="Skapa en ny nyckel").click()
    assert page.get_by_role("textbox", name="API-nyckel").input_value().startswith("avc_")
    looked_at(page, axe_source, f"api-nyckel-foretag-2-ny-{width}")


def test_a_developer_finds_the_api_key_page_in_the_menu(company_live_server: str, company_cookie: str,
                                                        context: tuple[str, BrowserContext], axe_source: str) -> None:
    width, browser_context = context
    page = browser_context.new_page()
    page.goto(company_live_server + "/personal/logga-in")
    page.get_by_label("E-postadress").fill(DEVELOPER)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(re.compile(r"/sok$"), timeout=30_000)  # password hashing is slow on purpose
    for _attempt in range(20):  # the session row's commit can race the redirect (see test_staff_browser.py)
        if page.get_by_role("link", name="API-nycklar").count():
            break
        page.wait_for_timeout(250)
        page.reload()
    page.get_by_role("link", name="API-nycklar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API-nycklar")
    looked_at(page, axe_source, f"api-nycklar-utvecklare-1-{width}")
    page.get_by_label(re.compile("Vad ska nyckeln användas till")).fill("Kommunens intranät")
    page.get_by_role("button", name="Skapa nyckel").click()
    assert page.get_by_role("textbox", name="API-nyckel").input_value().startswith("avk_")
    expect(page.get_by_role("heading", name=re.compile("Kommunens intranät"))).to_be_visible()
    looked_at(page, axe_source, f"api-nycklar-utvecklare-2-ny-{width}")
