"""The e-Avrop spider on a local copy of the global list: WebForms postback paging, Dalarna's buyers only,
notices keyed by kind and id, the row's own buyer, no login-walled detail page, an idempotent second run and
the structure alarm."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

import pytest

from tenders.dedup import match_keys
from tenders.health import source_health
from tenders.model import Tender
from tenders.settings import Settings
from tenders.store import TenderStore
from tests.crawlers.sites import (
    ROBOTS,
    SOURCES,
    Postback,
    Seen,
    Site,
    SiteCrawl,
    SiteServer,
    crawl_against,
    html,
    run_crawl,
)

EAVROP = SOURCES / "eavrop"
LIST = "/e-Upphandling/Default.aspx"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
STORED = {"eavrop:upphandling-58001", "eavrop:rfi-58001", "eavrop:upphandling-58002", "eavrop:upphandling-58004",
          "eavrop:upphandling-58006", "eavrop:upphandling-58007"}


def hidden(path: Path, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', path.read_text())
    assert found, f"{path.name} has no {name}"
    return found.group(1)


def eavrop_site(first_page: Path = EAVROP / "global_page1.html", robots: str = ROBOTS) -> Site:
    page1 = EAVROP / "global_page1.html"
    site = Site(pages={LIST: html(first_page)}, robots=robots)
    # Page 2 is only served to a postback that carries page 1's state, as ASP.NET requires.
    state = {name: hidden(page1, name) for name in ("__VIEWSTATE", "__VIEWSTATEGENERATOR", "__EVENTVALIDATION")}
    requires = {**state, "__EVENTTARGET": "ctl00$mainContent$tenderGridView"}
    site.postbacks[(LIST, "Page$2")] = Postback(requires, html(EAVROP / "global_page2.html"))
    return site


def gets(seen: list[Seen]) -> list[str]:
    return [s.path for s in seen if s.method == "GET"]


@contextmanager
def crawl_site(data_dir: Path, site: Site) -> Iterator[SiteCrawl]:
    server = SiteServer(site)
    with server:
        yield crawl_against(data_dir, server, "eavrop", f"EAVROP_BASE_URL={server.base_url}")


@pytest.fixture(scope="module")
def first_crawl(tmp_path_factory) -> Iterator[SiteCrawl]:
    with crawl_site(tmp_path_factory.mktemp("eavrop"), eavrop_site()) as crawl:
        yield crawl


def open_store(data_dir: Path) -> TenderStore:
    return TenderStore.from_settings(Settings(data_dir=data_dir))


def test_crawl_pages_the_global_list_by_postback_and_never_fetches_the_login_walled_pages(first_crawl: SiteCrawl):
    assert first_crawl.result.returncode == 0, first_crawl.result.stderr[-3000:]
    posts = [s for s in first_crawl.seen if s.method == "POST"]
    assert len(posts) == 1 and not first_crawl.server.refused_postbacks
    form = parse_qs(posts[0].body.decode())
    page1 = EAVROP / "global_page1.html"
    assert form["__EVENTARGUMENT"] == ["Page$2"]
    assert form["__VIEWSTATE"] == [hidden(page1, "__VIEWSTATE")]
    assert form["__EVENTVALIDATION"] == [hidden(page1, "__EVENTVALIDATION")]
    assert gets(first_crawl.seen) == ["/robots.txt", LIST]  # no /visa/ page: they show a login to anonymous clients


def test_only_dalarnas_buyers_are_stored_keyed_by_kind_and_id(first_crawl: SiteCrawl):
    store = open_store(first_crawl.data_dir)
    try:
        stored = {t.notice_id for t in store.iter_tenders()}
        runs = store.runs("eavrop")
    finally:
        store.close()
    # not Lidingö nor Järfälla; the RFI and the procurement numbered 58001 are two notices
    assert stored == STORED
    assert runs[0].complete and runs[0].items == 6 and runs[0].errors == 0 and "struktur" not in runs[0].note


def test_notices_are_normalised_from_the_row_with_the_rows_buyer(first_crawl: SiteCrawl):
    store = open_store(first_crawl.data_dir)
    try:
        snow, rfi = store.tender("eavrop:upphandling-58001"), store.tender("eavrop:rfi-58001")
        falun, hedemora = store.tender("eavrop:upphandling-58002"), store.tender("eavrop:upphandling-58007")
        raw = store.raw_document("eavrop:upphandling-58001", "01")
    finally:
        store.close()
    assert snow is not None and rfi is not None and falun is not None and hedemora is not None
    assert snow.title["swe"].startswith("Snöröjning och halkbekämpning")
    assert (snow.buyers[0].name, snow.buyers[0].orgnr, snow.buyers[0].municipality_code) == (
        "Ludvika kommun", "2120002270", "2085")
    assert str(snow.publication_date) == "2026-11-20"
    assert snow.submission_deadline == datetime(2027, 1, 15, 23, 59, tzinfo=STOCKHOLM)  # "| Om 6 veckor" dropped
    assert (snow.main_cpv, snow.additional_cpv) == ("90620000", ["90630000"])
    assert snow.source_url and snow.source_url.endswith("/ludvika/visa/upphandling.aspx?id=58001")
    assert snow.place_of_performance == ["SE312"] and snow.form_type == "competition"
    assert snow.raw_format == "html" and raw is not None and b"rowline" in raw
    assert rfi.form_type == "consultation" and rfi.buyers[0].name == "Mora kommun"
    # the joint UpphandlingsCenter's notices sit in Ludvika's portal but name their own buyer
    assert (falun.buyers[0].name, falun.buyers[0].orgnr, falun.buyers[0].municipality_code) == (
        "Falu kommun", "2120002221", "2080")
    assert falun.submission_deadline == datetime(2027, 1, 20, 23, 59, tzinfo=STOCKHOLM)
    assert hedemora.buyers[0].name == "Hedemora kommun" and hedemora.buyers[0].municipality_code == "2083"


def test_a_second_crawl_stores_nothing_twice(first_crawl: SiteCrawl, tmp_path: Path):
    data_dir = Path(shutil.copytree(first_crawl.data_dir, tmp_path / "data"))
    # the same server (same address): the notices' links are part of what is compared
    again = run_crawl(data_dir, "eavrop", f"EAVROP_BASE_URL={first_crawl.server.base_url}")
    assert again.returncode == 0, again.stderr[-3000:]
    assert "0 nya, 0 ändrade, 6 oförändrade" in again.stdout
    store = open_store(data_dir)
    try:
        assert store.count_tenders() == 6 and store.count_notices() == 6
    finally:
        store.close()


def test_a_changed_page_structure_trips_the_health_alarm(tmp_path: Path):
    with crawl_site(tmp_path, eavrop_site(first_page=EAVROP / "changed_layout.html")) as crawl:
        pass
    assert crawl.result.returncode == 2
    assert "struktur ändrad: inga träffar för listselektorn" in crawl.result.stderr
    store = open_store(tmp_path)
    try:
        run = store.runs("eavrop")[0]
    finally:
        store.close()
    assert not run.complete and run.errors >= 1 and "struktur ändrad" in run.note
    health = source_health("eavrop", [run], now=run.started_at)
    assert any("struktur ändrad" in warning for warning in health.warnings)


def test_a_request_for_information_never_joins_the_procurement_with_the_same_number():
    def keys(url: str) -> set[str]:
        tender = Tender(notice_id="x", title={"swe": "t"}, source="eavrop", source_url=url, raw_format="html")
        return {key for key in match_keys(tender) if key.startswith("site:")}

    procurement = keys("https://www.e-avrop.com/ludvika/visa/upphandling.aspx?id=58001")
    rfi = keys("https://www.e-avrop.com/mora/visa/RFI.aspx?id=58001")
    assert procurement == {"site:e-avrop.com:58001"} and rfi == {"site:e-avrop.com:rfi-58001"}


def test_a_robots_txt_that_disallows_everything_ends_the_run_blockerad(tmp_path: Path):
    with crawl_site(tmp_path, eavrop_site(robots="User-agent: *\nDisallow: /\n")) as crawl:
        pass
    assert crawl.result.returncode == 2
    assert "e-Avrop är blockerad: robots.txt förbjuder" in crawl.result.stderr
    assert gets(crawl.seen) == ["/robots.txt"]
    store = open_store(tmp_path)
    try:
        run = store.runs("eavrop")[0]
    finally:
        store.close()
    assert not run.complete and run.items == 0 and "inte nåbar" not in run.note
    health = source_health("eavrop", [run], now=run.started_at)
    assert health.blocked.startswith("robots.txt förbjuder") and health.blocked.endswith(LIST)
