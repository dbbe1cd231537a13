"""A company as a person would meet the service, in headless Chromium against the app under uvicorn: register
through the wizard, get the magic link at the loopback SMTP server, sign in, follow a tender, judge a match,
unsubscribe. axe-core checks WCAG 2.1 AA on every wizard step and company page; screenshots go to test-artifacts/."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Browser, Page, expect

from profiles.repository import ProfileRepository
from tenders.settings import Settings
from tenders.store.engine import create_store_engine
from tests.api.company_fixtures import orgnr
from tests.api.conftest import axe_violations, screenshot
from tests.services import SmtpServer

pytestmark = [pytest.mark.browser, pytest.mark.services]
EMAIL = "info@moratak.se"


def accessible(page: Page, axe_source: str, name: str) -> None:
    assert axe_violations(page, axe_source) == [], name
    screenshot(page, name)


def magic_link(smtp_server: SmtpServer) -> str:
    deadline = time.monotonic() + 15
    while not smtp_server.messages and time.monotonic() < deadline:
        time.sleep(0.1)
    assert smtp_server.messages, "no sign-in e-mail arrived at the loopback SMTP server"
    message = smtp_server.messages[-1]
    assert message["To"] == EMAIL
    found = re.search(r"http://127\.0\.0\.1:\d+/logga-in/lank\?token=\S+", message.get_content())
    assert found, message.get_content()
    return found.group(0)


def walk_the_wizard(page: Page, base: str, axe_source: str | None) -> None:
    page.goto(base + "/registrera")
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera ert företag")
    if axe_source:
        accessible(page, axe_source, "registrera-1-foretaget")
    page.get_by_label("Organisationsnummer").fill(orgnr(70))
    page.get_by_label("Företagets namn").fill("Mora Tak AB")
    page.get_by_label("E-postadress").fill(EMAIL)
    page.get_by_label("Kommun där företaget finns (frivilligt)").select_option(label="Mora")
    page.get_by_role("button", name="Nästa: verksamheten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vad gör Mora Tak AB?")
    if axe_source:
        accessible(page, axe_source, "registrera-2-verksamheten")
    page.get_by_label("Beskriv med en mening vad företaget gör (frivilligt)").fill(
        "Vi utför takläggning och plåtarbeten på skolor och bostadshus")
    page.get_by_label("Nej", exact=True).check()
    page.get_by_role("button", name="Nästa: föreslå intressen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vad vill Mora Tak AB bevaka?")
    expect(page.get_by_role("group", name="Var vill ni arbeta?").get_by_label("Mora", exact=True)).to_be_checked()
    page.get_by_role("group", name="Var vill ni arbeta?").get_by_label("Falun", exact=True).check()
    if axe_source:
        accessible(page, axe_source, "registrera-3-intressen")
    page.get_by_role("button", name="Nästa: visa vad vi hade hittat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Så här hade er bevakning sett ut")
    expect(page.locator("#forhandsvisning")).to_contain_text("annonser de senaste 90 dagarna hade passat er")
    expect(page.get_by_role("link", name="Takarbeten på Mora gymnasium")).to_be_visible()


def test_register_sign_in_follow_judge_and_unsubscribe(company_live_server: str, page: Page, axe_source: str,
                                                       smtp_server: SmtpServer, company_settings: Settings) -> None:
    walk_the_wizard(page, company_live_server, axe_source)
    page.get_by_label(re.compile("Ja, skicka en sammanställning")).check()
    accessible(page, axe_source, "registrera-4-forhandsvisning")
    page.get_by_role("button", name="Spara och skicka inloggningslänk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Klart – kolla er e-post")
    accessible(page, axe_source, "registrera-klart")

    page.goto(magic_link(smtp_server))
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_text(f"Inloggad som {EMAIL}")).to_be_visible()

    page.get_by_role("link", name="Mina bevakningar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina bevakningar")
    card = page.locator("article", has=page.get_by_role("link", name="Takarbeten på Mora gymnasium"))
    expect(card.get_by_text("Takläggningsarbete ingår i era intressen")).to_be_visible()
    accessible(page, axe_source, "mina-bevakningar")
    card.get_by_role("button", name=re.compile("^Följ upphandlingen")).click()
    following = page.get_by_role("region", name="Upphandlingar ni följer")
    expect(following.get_by_role("link", name="Takarbeten på Mora gymnasium")).to_be_visible()
    other = page.locator("article", has=page.get_by_role("link", name=re.compile("Takläggning och plåtarbeten")))
    other.get_by_role("button", name=re.compile("^Inte relevant")).click()
    expect(page.locator("article", has=page.get_by_role("link", name=re.compile("Takläggning och plåtarbeten"))))\
        .to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="är dold")).to_be_visible()  # said, with the way back
    accessible(page, axe_source, "mina-bevakningar-foljer")
    page.get_by_role("button", name="Ångra").click()
    expect(page.locator("article", has=page.get_by_role("link", name=re.compile("Takläggning och plåtarbeten"))))\
        .to_have_count(1)

    page.get_by_role("link", name="Mina uppgifter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina uppgifter")
    accessible(page, axe_source, "mina-uppgifter")

    # The unsubscribe link is the one the daily digest carries (profiles issues the token).
    secret = company_settings.secret_key.get_secret_value()
    repository = ProfileRepository(create_store_engine(company_settings.sqlalchemy_url), secret)
    company = repository.by_orgnr(orgnr(70))
    assert company is not None and repository.channels(company.id)
    page.goto(f"{company_live_server}/avregistrera/{repository.unsubscribe_token(company.id, 'email')}")
    accessible(page, axe_source, "avregistrera")
    page.get_by_role("button", name="Avsluta utskicken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Utskicken är avslutade")
    assert repository.channels(company.id) == []
    page.goto(company_live_server + "/mina-uppgifter")
    expect(page.locator("dd", has_text="Avregistrerade")).to_be_visible()


def test_the_wizard_works_on_a_phone_without_javascript(company_live_server: str, browser: Browser) -> None:
    context = browser.new_context(locale="sv-SE", java_script_enabled=False, viewport={"width": 390, "height": 844},
                                  is_mobile=True)
    try:
        phone = context.new_page()
        walk_the_wizard(phone, company_live_server, None)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the preview scrolls sideways on a phone ({width}px)"
        screenshot(phone, "registrera-mobil-utan-js")
    finally:
        context.close()
