"""Every HTML page a person can reach, at desktop and phone width, in headless Chromium on the example data: public
pages, a company signed in through the magic link that arrives at the loopback SMTP server, UDD staff and a business
developer signed in with a password. Each page passes axe-core's WCAG 2.1 AA checks, says "Exempeldata", has an
h1 and ``lang="sv"``, and shows neither raw codes nor English UI words. Screenshots go to
test-artifacts/alla-<page>-<width>.png.

The pages are those of the routers (the HTML ones; ``test_every_html_route_is_visited`` fails when a router gains a
page that is not visited here); a page reached only through a form (a wizard step, an error, "Radera", the
unsubscribe receipt) is reached by filling that form."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy.orm import Session
from starlette.routing import BaseRoute

from api.app import create_app
from api.deps import get_rate_limits
from api.security.accounts import Role, create_user
from api.security.ratelimit import RateLimits, SlidingWindowLimiter
from api.security.sessions import SESSION_COOKIE, create_session
from profiles.model import Channel, CompanyProfile, Interests
from profiles.repository import ProfileRepository
from profiles.saved_searches import SavedSearches
from tenders.settings import Settings
from tenders.store.engine import create_store_engine
from tenders.store.schema import upgrade_schema
from tests.api.company_fixtures import orgnr
from tests.api.conftest import TEST_SECRET, WIDTHS, axe_violations, free_loopback_port, screenshot, serving
from tests.api.test_browser_company import EMAIL, magic_link
from tests.api.test_browser_demo import RAW_CODES, demo_settings
from tests.api.test_browser_docs import RENDERED
from tests.services import SmtpServer

pytestmark = [pytest.mark.browser, pytest.mark.services]

STAFF = "bo@udd.se"
DEVELOPER = "eva@mora.se"
PASSWORD = "ett-långt-lösenord-för-test"
# Beyond RAW_CODES: the other eForms procedure, form and contract-nature codes, and any NUTS code (LU000, SE321).
MORE_CODES = re.compile(r"\b(neg-wo-call|comp-dial|comp-tend|planning|cont-modif|dir-awa-pre|works|services|supplies"
                        r"|[A-Z]{2}(?=[0-9A-Z]{0,2}[0-9])[0-9A-Z]{1,3})\b")
ENGLISH_UI_WORDS = re.compile(
    r"\b(Search|Submit|Error|Not Found|Internal Server Error|None|null|undefined|True|False)\b")
# What a person reads besides the text: the tab title, names given to controls, hints in empty fields.
READ_TEXT = """() => [document.title, document.body.innerText,
    ...[...document.querySelectorAll('[aria-label], [placeholder], [title], img[alt]')].flatMap(
        e => ['aria-label', 'placeholder', 'title', 'alt'].map(a => e.getAttribute(a) || ''))].join('\\n')"""
_serials = itertools.count(300)  # org.nr for each company the wizard registers


@dataclass(frozen=True)
class Site:
    url: str
    smtp: SmtpServer
    profiles: ProfileRepository
    settings: Settings
    unsubscribe_token: str


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, smtp_server: SmtpServer) -> Iterator[Site]:
    """One server for the module: the example data, a company that follows tenders and saved a search, a company
    whose unsubscribe link is opened, a staff member and a business developer; mail goes to loopback SMTP."""
    settings = demo_settings(tmp_path_factory.mktemp("alla-sidor"))
    engine = create_store_engine(settings.sqlalchemy_url)
    upgrade_schema(engine)
    profiles = ProfileRepository(engine, settings.secret_key.get_secret_value())
    company = profiles.save(CompanyProfile(
        orgnr=orgnr(91), name="Mora Tak AB", municipality_code="2062", sni=["43910"], channels=[Channel(address=EMAIL)],
        interests=Interests(keywords=["tak"], municipalities=["2062", "2080"]), consent_at=datetime.now(UTC)))
    SavedSearches(engine).add(company.id, "Tak i Mora", "q=tak&municipality=2062")
    leaving = profiles.save(CompanyProfile(orgnr=orgnr(92), name="Siljans Städ AB",
                                           channels=[Channel(address="info@siljansstad.se")],
                                           consent_at=datetime.now(UTC)))
    with Session(engine) as db, db.begin():
        create_user(db, STAFF, PASSWORD, Role.STAFF, name="Bo")
        create_user(db, DEVELOPER, PASSWORD, Role.DEVELOPER, name="Eva")
    port = free_loopback_port()
    application = create_app(settings.model_copy(update={
        "base_url": f"http://127.0.0.1:{port}", "smtp_host": smtp_server.host, "smtp_port": smtp_server.port}))
    # Every width signs in and asks for links from one address; the limits themselves are tested on their own.
    generous = SlidingWindowLimiter(1000, 3600.0)
    application.dependency_overrides[get_rate_limits] = lambda: RateLimits(
        magic_link_per_client=generous, magic_link_per_email=generous, sign_in=generous)
    try:
        with serving(application, port) as url:
            yield Site(url, smtp_server, profiles, settings,
                       profiles.unsubscribe_token(leaving.id, profiles.channels(leaving.id)[0].key))
    finally:
        engine.dispose()


# ----- how each kind of visitor gets in: once per width -----

def _request_link(page: Page, site: Site, address: str) -> None:
    site.smtp.clear()
    page.goto(site.url + "/logga-in")
    page.get_by_label("E-postadress").fill(address)
    page.get_by_role("button", name="Skicka inloggningslänk").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def _signed_in(page: Page, site: Site, email: str, target: str) -> None:
    # The sign-in's session row is committed after the 303 has gone out; the next request can race it.
    for _attempt in range(20):
        page.goto(site.url + target)
        if "/logga-in" not in page.url:
            break
        page.wait_for_timeout(250)
    expect(page.get_by_text(f"Inloggad som {email}")).to_be_visible()


def _company_signs_in(page: Page, site: Site) -> None:
    _request_link(page, site, EMAIL)
    page.goto(magic_link(site.smtp))
    page.get_by_role("button", name="Logga in").click()
    _signed_in(page, site, EMAIL, "/mina-bevakningar")


def _password_sign_in(email: str, landing: str) -> Callable[[Page, Site], None]:
    def sign_in(page: Page, site: Site) -> None:
        page.goto(site.url + "/personal/logga-in")
        page.get_by_label("E-postadress").fill(email)
        page.get_by_label("Lösenord").fill(PASSWORD)
        page.get_by_role("button", name="Logga in").click()
        # Password hashing is slow on purpose. The landing page, or the sign-in form again when the redirect raced
        # the session's commit (see _signed_in).
        page.wait_for_url(re.compile(landing + r"|/personal/logga-in\?tillbaka="), timeout=30_000)
        _signed_in(page, site, email, "/personal/api-nycklar")
    return sign_in


def _company_to_erase(page: Page, site: Site) -> None:
    """A company of its own for each width, as its erasure ends it (signing in by link is the other company's)."""
    engine = site.profiles.engine
    company = site.profiles.save(CompanyProfile(orgnr=orgnr(next(_serials)), name="Avesta Måleri AB",
                                                channels=[Channel(address="info@avestamaleri.se")],
                                                consent_at=datetime.now(UTC)))
    with Session(engine) as db, db.begin():
        token, _ = create_session(db, "company", company.id, "info@avestamaleri.se")
    page.context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": site.url}])


SIGN_IN: dict[str, Callable[[Page, Site], None] | None] = {
    "alla": None, "foretag": _company_signs_in, "raderas": _company_to_erase,
    "personal": _password_sign_in(STAFF, r"/personal/statistik$"), "utvecklare": _password_sign_in(DEVELOPER, r"/sok$"),
}


@pytest.fixture(scope="module")
def contexts(browser: Browser, site: Site) -> Iterator[Callable[[str, str], BrowserContext]]:
    """A browser context per (visitor, width), signed in on first use and kept for the module."""
    made: dict[tuple[str, str], BrowserContext] = {}

    def context_for(visitor: str, width: str) -> BrowserContext:
        if (visitor, width) not in made:
            # bypass_csp: axe is injected as an inline script, which the pages' CSP rightly forbids
            made[visitor, width] = browser.new_context(locale="sv-SE", bypass_csp=True, viewport=WIDTHS[width],
                                                       is_mobile=width == "mobil")
            if (sign_in := SIGN_IN[visitor]) is not None:
                page = made[visitor, width].new_page()
                sign_in(page, site)
                page.close()
        return made[visitor, width]

    try:
        yield context_for
    finally:
        for context in made.values():
            context.close()


# ----- the pages, and how a person reaches each -----

def _first_result(query: str) -> Callable[[Page, Site], None]:
    def reach(page: Page, site: Site) -> None:
        page.goto(f"{site.url}/sok?{query}")
        page.locator(".tender-card .tender-title a").first.click()
        page.wait_for_url(re.compile(r"/upphandlingar/"))
    return reach


def _wizard(steps: int) -> Callable[[Page, Site], None]:
    def reach(page: Page, site: Site) -> None:
        page.goto(site.url + "/registrera")
        if steps > 1:
            page.get_by_label("Organisationsnummer").fill(orgnr(next(_serials)))
            page.get_by_label("Företagets namn").fill("Dala Fönsterputs AB")
            page.get_by_label("E-postadress").fill("info@dalafonster.se")
            page.get_by_role("button", name="Nästa: verksamheten").click()
        if steps > 2:
            page.get_by_label("Beskriv med en mening vad företaget gör (frivilligt)").fill("Vi putsar fönster")
            page.get_by_label("Nej", exact=True).check()
            page.get_by_role("button", name="Nästa: föreslå intressen").click()
        if steps > 3:
            page.get_by_role("button", name="Nästa: visa vad vi hade hittat").click()
        if steps > 4:
            page.get_by_label(re.compile("Ja, skicka en sammanställning")).check()
            page.get_by_role("button", name="Spara och skicka inloggningslänk").click()
        expect(page.locator("h1")).to_be_visible()
    return reach


def _wizard_refuses(page: Page, site: Site) -> None:
    page.goto(site.url + "/registrera")
    page.get_by_label("Organisationsnummer").fill("123")
    page.get_by_label("Företagets namn").fill("Dala Fönsterputs AB")
    page.get_by_label("E-postadress").fill("info@dalafonster.se")
    page.get_by_role("button", name="Nästa: verksamheten").click()
    expect(page.get_by_label("Organisationsnummer")).to_have_attribute("aria-invalid", "true")


def _wrong_password(page: Page, site: Site) -> None:
    page.goto(site.url + "/personal/logga-in")
    page.get_by_label("E-postadress").fill(STAFF)
    page.get_by_label("Lösenord").fill("fel-lösenord-för-test")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("alert")).to_be_visible(timeout=30_000)  # password hashing is slow on purpose


def _link_sent(page: Page, site: Site) -> None:
    _request_link(page, site, "okand@example.se")  # the same answer whether the address is known or not


def _link_opened(page: Page, site: Site) -> None:
    _request_link(page, site, EMAIL)
    page.goto(magic_link(site.smtp))


def _unsubscribed(page: Page, site: Site) -> None:
    page.goto(f"{site.url}/avregistrera/{site.unsubscribe_token}")
    page.get_by_role("button", name="Avsluta utskicken").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def _erased(page: Page, site: Site) -> None:
    page.goto(site.url + "/mina-uppgifter/radera")
    page.get_by_label("Ja, radera företaget och alla uppgifter").check()
    page.get_by_role("button", name="Radera för alltid").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def _api_docs(path: str) -> Callable[[Page, Site], None]:
    def reach(page: Page, site: Site) -> None:
        page.goto(site.url + path)
        expect(page.locator(RENDERED[path]).first).to_be_visible(timeout=30_000)
    return reach


class Visit(NamedTuple):
    visitor: str  # a key of SIGN_IN
    route: str  # the router's path of the page (see test_every_html_route_is_visited)
    reach: str | Callable[[Page, Site], None] | None = None  # an address, or how to get there; None: the route


WIZARD, SIGN_IN_LINK, UNSUBSCRIBE = "/registrera", "/logga-in/lank", "/avregistrera/{token}"
DETAIL = "/upphandlingar/{tender_id}"
PAGES: dict[str, Visit] = {
    "startsida": Visit("alla", "/"),
    "sok": Visit("alla", "/sok", "/sok?q=tak"),
    "sok-inga-traffar": Visit("alla", "/sok", "/sok?q=zxqvjk"),
    "sok-felaktigt-varde": Visit("alla", "/sok", "/sok?q=tak&value_min=abc"),
    "upphandling": Visit("alla", DETAIL, _first_result("q=skola&form_type=competition")),
    "tilldelning": Visit("alla", DETAIL, _first_result("form_type=result")),
    "logga-in": Visit("alla", "/logga-in"),
    "logga-in-skickad": Visit("alla", "/logga-in", _link_sent),
    "logga-in-lank": Visit("alla", SIGN_IN_LINK, _link_opened),
    "logga-in-lank-ogiltig": Visit("alla", SIGN_IN_LINK, "/logga-in/lank?token=ogiltig"),
    "registrera-1": Visit("alla", WIZARD, _wizard(1)),
    "registrera-1-fel": Visit("alla", WIZARD, _wizard_refuses),
    "registrera-2": Visit("alla", WIZARD, _wizard(2)),
    "registrera-3": Visit("alla", WIZARD, _wizard(3)),
    "registrera-4": Visit("alla", WIZARD, _wizard(4)),
    "registrera-klart": Visit("alla", WIZARD, _wizard(5)),
    "personal-logga-in": Visit("alla", "/personal/logga-in"),
    "personal-logga-in-fel": Visit("alla", "/personal/logga-in", _wrong_password),
    "docs": Visit("alla", "/docs", _api_docs("/docs")),
    "redoc": Visit("alla", "/redoc", _api_docs("/redoc")),
    "sidan-finns-inte": Visit("alla", "", "/finns-inte"),  # no route: the 404 page
    "avregistrera": Visit("alla", UNSUBSCRIBE, "/avregistrera/{unsubscribe}"),
    "avregistrerad": Visit("alla", UNSUBSCRIBE, _unsubscribed),
    "foretag-startsida": Visit("foretag", "/"),
    "foretag-sok": Visit("foretag", "/sok", "/sok?q=tak"),  # with "Spara sökningen"
    "foretag-upphandling": Visit("foretag", DETAIL, _first_result("q=tak&form_type=competition")),  # with "Följ"
    "mina-bevakningar": Visit("foretag", "/mina-bevakningar"),
    "mina-uppgifter": Visit("foretag", "/mina-uppgifter"),
    "mina-uppgifter-radera": Visit("foretag", "/mina-uppgifter/radera"),
    "sparade-sokningar": Visit("foretag", "/sparade-sokningar"),
    "webhook": Visit("foretag", "/mina-uppgifter/webhook"),
    "api-nyckel-foretag": Visit("foretag", "/mina-uppgifter/api-nyckel"),
    "raderad": Visit("raderas", "/mina-uppgifter/radera", _erased),
    "personal": Visit("personal", "/personal"),
    "personal-statistik": Visit("personal", "/personal/statistik"),
    "personal-rackvidd": Visit("personal", "/personal/rackvidd"),
    "personal-kallor": Visit("personal", "/personal/kallor"),
    "personal-api-nycklar": Visit("personal", "/personal/api-nycklar"),
    "utvecklare-sok": Visit("utvecklare", "/sok"),  # where a developer lands after signing in
    "utvecklare-api-nycklar": Visit("utvecklare", "/personal/api-nycklar"),
}
# The API reference shows the API's own vocabulary on purpose: codes ("open", "SE312") and JSON's null/true/false.
API_REFERENCE = {"docs", "redoc"}


def _problems(page: Page, name: str, width: str, axe_source: str) -> list[str]:
    found = []
    if page.locator("html").get_attribute("lang") != "sv":
        found.append('<html> has no lang="sv"')
    if page.locator("h1").count() == 0:
        found.append("no h1")
    if "Exempeldata" not in (page.locator(".demo-banner").all_inner_texts() or [""])[0]:
        found.append('no "Exempeldata" banner')
    if name not in API_REFERENCE:
        text = page.evaluate(READ_TEXT)
        # A code may follow its name in brackets ("Dalarnas län (SE312)"); it must never stand in for it.
        unbracketed = re.sub(r"\([^)]*\)", "", text)
        found += [f"raw code {m.group(0)!r}" for codes in (RAW_CODES, MORE_CODES) for m in codes.finditer(unbracketed)]
        found += [f"English {m.group(0)!r}" for m in ENGLISH_UI_WORDS.finditer(text)]
    if (scroll_width := page.evaluate("document.documentElement.scrollWidth")) > WIDTHS[width]["width"]:
        found.append(f"the page scrolls sideways ({scroll_width} px wide)")
    if violations := axe_violations(page, axe_source):
        found.append("axe: " + json.dumps(violations, ensure_ascii=False, indent=1))
    return found


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_reads_well_and_passes_axe(site: Site, contexts: Callable[[str, str], BrowserContext],
                                              axe_source: str, name: str, width: str) -> None:
    visitor, route, reach = PAGES[name]
    page = contexts(visitor, width).new_page()
    try:
        if callable(reach):
            reach(page, site)
        else:
            page.goto(site.url + (reach or route).format(unsubscribe=site.unsubscribe_token))
        assert "/logga-in" not in page.url or name.startswith(("logga-in", "personal-logga-in")), page.url
        screenshot(page, f"alla-{name}-{width}")
        problems = _problems(page, name, width, axe_source)
        assert not problems, f"{name} ({width}): " + "\n".join(problems)
    finally:
        page.close()


def _get_routes(routes: Sequence[BaseRoute], prefix: str = "") -> Iterator[str]:
    for route in routes:
        included, context = getattr(route, "original_router", None), getattr(route, "include_context", None)
        if included and context:  # an included router: FastAPI 0.165 keeps it as it was, with its prefix beside
            yield from _get_routes(included.routes, prefix + context.prefix)
        elif "GET" in (getattr(route, "methods", None) or ()):
            yield prefix + getattr(route, "path", "")


def test_every_html_route_is_visited(tmp_path: Path) -> None:
    """A page added to a router without a visit above fails here, so "every page" stays every page."""
    application = create_app(Settings(environment="test", data_dir=tmp_path, secret_key=TEST_SECRET))
    routes = set(_get_routes(application.routes))
    assert "/personal/statistik" in routes, "the routers could not be walked: see _get_routes"
    # The API and its schema, and downloads (export.json, statistik.xlsx, {table_key}.{extension}), are no pages.
    pages = {r for r in routes if not (r.startswith("/api/") or r == "/openapi.json" or re.search(r"\.[\w{}]+$", r))}
    assert pages - {visit.route for visit in PAGES.values()} == set()
