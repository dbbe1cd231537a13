"""The staff dashboard end to end in headless Chromium: a staff member signs in, reads the charts and tables,
filters by municipality and downloads a table; axe-core finds no WCAG 2.1 A/AA violation on the staff pages.
Screenshots go to test-artifacts/."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from api.company_data import follow, record_verdict
from api.routes.staff.charts import DESKTOP, PHONE, Layout
from api.security.accounts import Role, create_user
from app.daily import send_digests
from app.staff_reach import NOTHING_SENT
from tenders.settings import Settings
from tenders.store.engine import create_store_engine
from tenders.store.schema import upgrade_schema
from tests.api.conftest import axe_violations, screenshot
from tests.api.test_staff_dashboard import build_data_dir
from tests.matcher.alerting import add_company, make_tender, open_all, record_matches
from tests.services import SmtpServer

pytestmark = [pytest.mark.browser, pytest.mark.services]

STAFF_EMAIL = "bo@udd.se"
PASSWORD = "ett-långt-lösenord-för-test"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:  # the live server serves Dalarna award notices and UHM exports
    settings = build_data_dir(tmp_path / "data")
    engine = create_store_engine(settings.sqlalchemy_url)
    try:
        upgrade_schema(engine)
        with Session(engine) as db, db.begin():
            create_user(db, STAFF_EMAIL, PASSWORD, Role.STAFF, name="Bo")
    finally:
        engine.dispose()
    return settings


def sign_in_as_staff(page: Page, live_server: str, target: str) -> None:
    """Sign in through the staff form, then open ``target`` (a staff page)."""
    page.goto(live_server + "/personal/logga-in")
    page.get_by_label("E-postadress").fill(STAFF_EMAIL)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    # staff land on their own pages, not the public home page; password hashing is slow on purpose
    page.wait_for_url(re.compile(r"/personal(/statistik)?$"), timeout=30_000)
    # The sign-in's session row is committed by a yield dependency, which FastAPI closes after the 303 has
    # gone out: the redirected request can race it. Staff are signed in once the commit has landed.
    for _attempt in range(20):
        page.goto(live_server + target)
        if "/logga-in" not in page.url:
            break
        page.wait_for_timeout(250)
    expect(page.get_by_text(f"Inloggad som {STAFF_EMAIL}")).to_be_visible()


def charts_drawn(page: Page) -> int:
    """How many chart images the browser decoded; an SVG the page could not show has no natural width."""
    sizes: list[int] = page.eval_on_selector_all("figure.chart img", "imgs => imgs.map(i => i.naturalWidth)")
    assert sizes and all(width > 0 for width in sizes), sizes
    return len(sizes)


def cell(page: Page, table_key: str, row_header: str, column: str) -> str:
    table = page.locator(f"#tabell-{table_key}")
    headers = table.locator("thead th").all_inner_texts()
    row = table.locator("tbody tr", has=page.locator(f"th:text-is('{row_header}')"))
    return row.locator("th, td").nth(headers.index(column)).inner_text()


def test_staff_dashboard_filter_and_download(live_server: str, page: Page, axe_source: str) -> None:
    page.goto(live_server + "/personal/statistik")
    # not signed in: sent to sign in, with the way back to the page asked for
    expect(page).to_have_url(re.compile(r"/personal/logga-in\?tillbaka=%2Fpersonal%2Fstatistik$"))
    sign_in_as_staff(page, live_server, "/personal/statistik")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Deltagande i offentliga upphandlingar")
    nav = page.get_by_role("navigation", name="Huvudmeny")  # staff find their pages from every page
    expect(nav.get_by_role("link", name="Personalsidor")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="API-dokumentation")).to_be_visible()
    assert charts_drawn(page) >= 6
    assert cell(page, "jamforelse", "Dalarna – tilldelningsannonser", "Upphandlingar") == "5"
    assert axe_violations(page, axe_source) == []
    screenshot(page, "personal-statistik")

    page.get_by_label("Kommun", exact=True).select_option(label="Mora")
    page.get_by_role("button", name="Visa").click()
    assert parse_qs(urlparse(page.url).query)["municipality"] == ["2062"]
    assert cell(page, "jamforelse", "Dalarna – tilldelningsannonser", "Upphandlingar") == "2"
    expect(page.locator("#tabell-kommuner tr.chosen th")).to_contain_text("Mora")
    expect(page.get_by_label("Kommun", exact=True)).to_have_value("2062")
    assert axe_violations(page, axe_source) == []
    screenshot(page, "personal-statistik-mora")

    link = page.locator("#rubrik-kommuner ~ .downloads a", has_text="CSV")
    response = page.request.get(live_server + str(link.get_attribute("href")))
    assert response.ok and "Mora;2062;2;3;" in response.text()


def test_staff_reach_and_source_pages_are_accessible(live_server: str, page: Page, axe_source: str) -> None:
    sign_in_as_staff(page, live_server, "/personal/rackvidd")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tjänstens räckvidd")
    expect(page.get_by_text(NOTHING_SENT)).to_be_visible()  # nothing sent yet, and the page says why
    assert axe_violations(page, axe_source) == []
    screenshot(page, "personal-rackvidd")

    page.get_by_role("navigation", name="Personalsidor").get_by_role("link", name="Källor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Källornas hälsa")
    expect(page.get_by_role("row", name=re.compile("TED"))).to_contain_text("Larm")
    assert axe_violations(page, axe_source) == []
    screenshot(page, "personal-kallor")


def chart_text_px(page: Page, layout: Layout) -> list[float]:
    """The effective size in CSS px of each chart's axis labels: the drawing's type size times its scale."""
    widths: list[int] = page.eval_on_selector_all("figure.chart img", "imgs => imgs.map(i => i.clientWidth)")
    return [layout.label_px * width / layout.width for width in widths]


@pytest.mark.parametrize(("width", "layout", "name"), [(390, PHONE, "mobil"), (360, PHONE, "mobil-smal"),
                                                        (1280, DESKTOP, "dator")])
def test_staff_charts_are_readable_and_fit_at_phone_and_desktop_width(
        live_server: str, page: Page, axe_source: str, width: int, layout: Layout, name: str) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_as_staff(page, live_server, "/personal/statistik")
    assert charts_drawn(page) >= 6
    # The browser picked the drawing made for this width: the phone one below the breakpoint.
    sources: list[str] = page.eval_on_selector_all("figure.chart img", "imgs => imgs.map(i => i.currentSrc)")
    phone_drawings: list[str] = page.eval_on_selector_all("figure.chart source", "ss => ss.map(s => s.srcset)")
    assert (sources == phone_drawings) is (layout is PHONE)
    assert min(chart_text_px(page, layout)) >= 12
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow} px wider than the screen"
    widest: int = page.eval_on_selector_all("figure.chart img", "imgs => Math.max(...imgs.map(i => i.clientWidth))")
    assert widest <= width
    assert axe_violations(page, axe_source) == []
    screenshot(page, f"personal-statistik-{name}")


@pytest.mark.parametrize(("width", "name"), [(390, "mobil"), (1280, "dator")])
def test_staff_reach_shows_what_was_sent_and_said(live_server: str, page: Page, axe_source: str, settings: Settings,
                                                  smtp_server: SmtpServer, width: int, name: str) -> None:
    store, profiles = open_all(settings)
    try:
        roofer = add_company(profiles, 801, cpv=["45"])
        notices = [make_tender("cn-r1", title="Takarbeten på Mora skola"),
                   make_tender("cn-r2", title="Takbyte på Mora bibliotek")]
        for notice in notices:
            store.upsert_notice(notice, b"<xml/>")
        record_matches(store, roofer, [(notice, 0.9, ["CPV 45261210"]) for notice in notices])
        mailing = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": smtp_server.port})
        assert send_digests(mailing).sent == 1
        assert record_verdict(store, profiles, roofer.id, "proc-cn-r2", relevant=False)
        assert follow(store, profiles, roofer.id, "proc-cn-r1")
    finally:
        store.close()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_as_staff(page, live_server, "/personal/rackvidd")
    figures = page.locator(".key-figures").first
    expect(figures.locator("div", has_text="Skickade sammanställningar").locator("dd")).to_have_text("1")
    expect(figures.locator("div", has_text="Annonser i utskicken").locator("dd")).to_have_text("2")
    expect(page.locator(".key-figures").nth(1).locator("div", has_text="Inte relevant").locator("dd")).to_have_text("1")
    expect(page.locator("#tabell-utskick-per-vecka tbody tr").first).to_contain_text("v.")
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert axe_violations(page, axe_source) == []
    screenshot(page, f"personal-rackvidd-{name}")
