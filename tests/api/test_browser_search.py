"""The search page in headless Chromium at desktop and phone width (issue 14): a search with OR, and a search whose
amount and date cannot be read — the visitor's input stays in the form, each field says what is wrong, the error
summary links to the fields, axe-core finds nothing. Screenshots go to test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from api.search_form import AMOUNT_UNREADABLE
from tests.api.conftest import ARTIFACTS, WIDTHS, axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.services]



def heading_count(page: Page) -> int:
    return int(page.locator("#traffar").inner_text().split()[0])


def test_or_finds_either_word(live_server: str, sized: tuple[Page, str], axe_source: str) -> None:
    page, width = sized
    page.goto(live_server + "/sok")
    counts = []
    for words in ("supplies", "works", "supplies eller works"):
        page.get_by_label("Sökord").fill(words)
        page.get_by_role("button", name="Sök", exact=True).click()
        counts.append(heading_count(page))
    assert max(counts[:2]) < counts[2] <= counts[0] + counts[1], counts
    expect(page.locator("#q-tips")).to_contain_text("eller")
    assert axe_violations(page, axe_source) == []
    screenshot(page, f"sok-eller-{width}")


def test_unreadable_fields_keep_the_input_and_say_why(live_server: str, sized: tuple[Page, str],
                                                      axe_source: str) -> None:
    page, width = sized
    page.goto(live_server + "/sok?q=services&value_min=abc&value_max=1+000+kr+xyz&deadline_after=2026-13-45")
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link")).to_have_count(3)
    value_min = page.get_by_label("Från", exact=True)
    expect(value_min).to_have_value("abc")
    expect(value_min).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#value_min-fel")).to_have_text(AMOUNT_UNREADABLE.format(bound="från"))
    expect(page.get_by_label("Till", exact=True)).to_have_value("1 000 kr xyz")
    expect(page.get_by_label("Sista anbudsdag, tidigast")).to_have_value("2026-13-45")
    expect(page.locator("#deadline_after-fel")).to_contain_text("2026-13-45")
    expect(page.get_by_label("Sökord")).to_have_value("services")
    assert heading_count(page) > 0  # the rest of the search is made
    summary.get_by_role("link").first.click()
    expect(value_min).to_be_in_viewport()  # on a phone the filters sit below the results: the link goes there
    page.screenshot(path=str(ARTIFACTS / f"sok-fel-faltet-{width}.png"))  # what the link shows: the field, its message
    assert axe_violations(page, axe_source) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / f"sok-fel-overst-{width}.png"))
    screenshot(page, f"sok-fel-{width}")
