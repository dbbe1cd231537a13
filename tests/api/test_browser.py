"""End to end in headless Chromium against the app served by uvicorn: search, filter, open a tender; axe-core checks
WCAG 2.1 AA on each public page; screenshots go to test-artifacts/."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.api.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.services]


def count_in_heading(page: Page) -> int:
    heading = page.locator("#traffar").inner_text()
    found = re.match(r"(\d+) upphandling", heading)
    assert found, heading
    return int(found.group(1))


def test_search_filter_and_open_a_tender(live_server: str, page: Page, axe_source: str) -> None:
    page.goto(live_server + "/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hitta offentliga upphandlingar i Dalarna")
    assert axe_violations(page, axe_source) == []
    screenshot(page, "startsida")

    page.get_by_label("Vad söker ni?").fill("")
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page).to_have_url(re.compile(r"/sok"))
    total = count_in_heading(page)
    assert total > 10
    assert axe_violations(page, axe_source) == []

    # Filter on a notice kind by ticking its facet and submitting the form, as a person would.
    option = page.get_by_role("group", name="Typ av annons").get_by_role("checkbox").first
    label = page.locator(f"label[for='{option.get_attribute('id')}']").inner_text()
    expected = int(re.search(r"\((\d+)\)", label).group(1))  # type: ignore[union-attr]
    option.check()
    page.get_by_role("button", name="Använd filter").click()
    assert parse_qs(urlparse(page.url).query)["form_type"] == [option.get_attribute("value")]
    filtered = count_in_heading(page)
    assert filtered == expected < total
    kind = label.rsplit(" (", 1)[0]
    for card_kind in page.locator(".tender-card .facts div:has(dt:text-is('Typ')) dd").all_inner_texts():
        assert card_kind == kind
    expect(page.get_by_role("group", name="Typ av annons").get_by_role("checkbox").first).to_be_checked()
    screenshot(page, "sok-filtrerad")

    first = page.locator(".tender-card .tender-title a").first
    title = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert axe_violations(page, axe_source) == []
    screenshot(page, "upphandling")


def test_search_works_on_a_phone_without_javascript(live_server: str, browser: Browser) -> None:
    context = browser.new_context(locale="sv-SE", bypass_csp=True, java_script_enabled=False,
                                  viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        phone = context.new_page()
        phone.goto(live_server + "/sok")
        phone.get_by_label("Sökord").fill("services")
        phone.get_by_role("button", name="Sök", exact=True).click()
        assert parse_qs(urlparse(phone.url).query)["q"] == ["services"]
        assert count_in_heading(phone) >= 0
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
        screenshot(phone, "sok-mobil")
    finally:
        context.close()


def test_sign_in_page_is_accessible(live_server: str, page: Page, axe_source: str) -> None:
    page.goto(live_server + "/logga-in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in som företag")
    assert axe_violations(page, axe_source) == []
    page.get_by_label("E-postadress").fill("info@takab.se")
    page.get_by_role("button", name="Skicka inloggningslänk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kolla er e-post")
    assert axe_violations(page, axe_source) == []
    screenshot(page, "logga-in-skickad")


def test_the_accessibility_check_does_find_violations(page: Page, axe_source: str) -> None:
    # Guards the guard: an axe that silently checked nothing would let every page above pass.
    page.set_content('<html><body><input type="text"><p style="color:#bbb">grå text</p></body></html>')
    found = {str(v["id"]) for v in axe_violations(page, axe_source)}
    assert {"label", "html-has-lang", "color-contrast", "document-title"} <= found
