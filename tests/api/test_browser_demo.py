"""A new user's first look, in headless Chromium on the example data (tenders/demo.py): every page says
"Exempeldata", Swedish words find notices, facets show names, detail pages show words not codes, the API docs
render under the real Content-Security-Policy. Screenshots at desktop and phone width go to test-artifacts/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from rich.console import Console

from api.app import create_app
from cli.demo import load_demo
from tenders.settings import Settings
from tests.api.company_fixtures import orgnr
from tests.api.conftest import TEST_SECRET, WIDTHS, axe_violations, free_loopback_port, screenshot, serving

pytestmark = [pytest.mark.browser, pytest.mark.services]

RAW_CODES = re.compile(r"\b(open|oth-single|oth-mult|neg-w-call|restricted|competition|result|SE312|\d{10})\b")


def demo_settings(data_dir: Path) -> Settings:
    """Settings of a store in ``data_dir`` holding the example data, loaded as ``anbudsvakt load --demo`` does."""
    settings = Settings(environment="test", data_dir=data_dir, secret_key=TEST_SECRET)
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("ANBUDSVAKT_DATA_DIR", str(data_dir))
    monkeypatch.setenv("ANBUDSVAKT_DATABASE_URL", "")
    monkeypatch.setenv("ANBUDSVAKT_INDEX_BACKEND", "sqlite")
    try:
        assert load_demo(Console(quiet=True))["inserted"] >= 250
    finally:
        monkeypatch.undo()
    return settings


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = demo_settings(tmp_path_factory.mktemp("demo"))
    port = free_loopback_port()
    with serving(create_app(settings.model_copy(update={"base_url": f"http://127.0.0.1:{port}"})), port) as url:
        yield url


@pytest.mark.parametrize("word", ["snöröjning", "skola", "bygg", "städ", "livsmedel", "tak"])
def test_swedish_words_find_example_notices(demo_server: str, page: Page, word: str) -> None:
    page.goto(f"{demo_server}/sok?q={word}")
    heading = page.locator("#traffar").inner_text()
    assert int(heading.split()[0]) > 0, heading
    expect(page.locator(".demo-banner")).to_contain_text("Exempeldata")


def test_search_detail_and_award_read_as_words(demo_server: str, sized: tuple[Page, str], axe_source: str) -> None:
    page, width = sized
    page.goto(demo_server + "/")
    expect(page.locator(".demo-banner")).to_contain_text("Exempeldata")
    screenshot(page, f"demo-startsida-{width}")
    page.goto(demo_server + "/sok?q=tak")
    buyers = page.get_by_role("group", name="Beställare").locator("label").all_inner_texts()
    assert buyers and not any(re.search(r"\d{6}-?\d{4}", b.split(" (")[0]) for b in buyers), buyers
    assert axe_violations(page, axe_source) == []
    screenshot(page, f"demo-sok-{width}")
    page.locator(".tender-card .tender-title a").first.click()
    _assert_words_not_codes(page)
    assert axe_violations(page, axe_source) == []
    screenshot(page, f"demo-upphandling-{width}")
    page.goto(demo_server + "/sok?form_type=result")
    page.locator(".tender-card .tender-title a").first.click()
    expect(page.get_by_role("heading", name="Tilldelning")).to_be_visible()
    expect(page.locator(".results")).to_contain_text("Vinnare:")
    _assert_words_not_codes(page)
    screenshot(page, f"demo-tilldelning-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]


def _assert_words_not_codes(page: Page) -> None:
    expect(page.locator(".demo-banner")).to_contain_text("Exempeldata")
    facts = page.locator(".facts").inner_text()
    # A code may follow its name in brackets ("Dalarnas län (SE312)"); it must never stand in for it.
    assert not RAW_CODES.search(re.sub(r"\([^)]*\)", "", facts)), facts
    assert "org.nr" not in facts or re.search(r"org\.nr \d{6}-\d{4}", facts), facts


def test_api_docs_render_offline_under_the_csp(demo_server: str, browser: Browser, tmp_path: Path) -> None:
    context = browser.new_context(locale="sv-SE", viewport=WIDTHS["dator"])  # the real CSP, not bypassed
    try:
        page = context.new_page()
        blocked: list[str] = []
        page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(demo_server + "/docs")
        expect(page.locator(".swagger-ui .info .title")).to_contain_text("Anbudsvakt", timeout=15000)
        screenshot(page, "api-docs-dator")
        page.goto(demo_server + "/redoc")
        expect(page.locator("#redoc h1").first).to_contain_text("Anbudsvakt", timeout=15000)
        screenshot(page, "api-redoc-dator")
        # ReDoc's "powered by" badge points at its CDN; blocked, so nothing leaves the machine, and nothing else is.
        assert [m for m in blocked if "cdn.redoc.ly" not in m] == []
    finally:
        context.close()


def test_a_window_cleaner_sees_example_notices_in_the_wizard_preview(demo_server: str, sized: tuple[Page, str],
                                                                     axe_source: str) -> None:
    page, width = sized
    page.goto(demo_server + "/registrera")
    page.get_by_label("Organisationsnummer").fill(orgnr(71))
    page.get_by_label("Företagets namn").fill("Dala Fönsterputs AB")
    page.get_by_label("E-postadress").fill("info@dalafonster.example")
    page.get_by_role("button", name="Nästa: verksamheten").click()
    page.get_by_label("Beskriv med en mening vad företaget gör (frivilligt)").fill("Vi putsar fönster och städar")
    page.get_by_label("Nej", exact=True).check()
    page.get_by_role("button", name="Nästa: föreslå intressen").click()
    suggestions = page.get_by_role("group", name="Vad vill ni sälja till det offentliga?")
    expect(suggestions.get_by_label(re.compile("^Fönsterputsning"))).to_be_checked()
    expect(suggestions.locator("#antal-valda")).to_have_text(re.compile(r"\d+ branscher? vald"))
    screenshot(page, f"demo-guide-3-{width}")
    page.get_by_role("button", name="Nästa: visa vad vi hade hittat").click()
    preview = page.locator("#forhandsvisning")
    expect(preview).to_contain_text("annonser de senaste 90 dagarna hade passat er")
    assert not re.search(r"\b0 annonser", preview.inner_text())
    expect(page.locator(".tender-card a", has_text=re.compile("Fönsterputs|Lokalvård|Städ")).first).to_be_visible()
    assert axe_violations(page, axe_source) == []
    screenshot(page, f"demo-guide-4-{width}")


def test_on_a_phone_the_filters_are_one_tap_away(demo_server: str, browser: Browser) -> None:
    context = browser.new_context(locale="sv-SE", viewport=WIDTHS["mobil"], is_mobile=True)
    try:
        page = context.new_page()
        page.goto(demo_server + "/sok?q=skola")
        page.get_by_role("link", name="Filtrera resultatet").click()
        expect(page.get_by_role("heading", name="Filtrera")).to_be_in_viewport()
        screenshot(page, "demo-sok-filterlank-mobil")
    finally:
        context.close()
