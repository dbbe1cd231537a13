"""The KommersAnnons spider on a local copy of the eLite list: "Nästa" postback paging, rows performed in Dalarna
only, award notices skipped, buyer, deadline and CPV from each overview page, an idempotent second run."""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

import pytest

from tenders.settings import Settings
from tenders.store import TenderStore
from tests.crawlers.sites import SOURCES, Postback, Site, SiteCrawl, SiteServer, crawl_against, html

KOMMERS = SOURCES / "kommersannons"
LIST = "/elite/notice/noticelist.aspx"
OVERVIEW = "/elite/notice/NoticeOverview.aspx?ProcurementId={}"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
ENABLED = "SOURCES_ENABLED=kommersannons"  # off by default: the owner's terms are reported to forbid robots


def hidden(path: Path, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', path.read_text())
    assert found, f"{path.name} has no {name}"
    return found.group(1)


def kommers_site(first_page: Path = KOMMERS / "noticelist_page1.html") -> Site:
    page1 = KOMMERS / "noticelist_page1.html"
    site = Site(
        pages={LIST: html(first_page), **{OVERVIEW.format(n): html(KOMMERS / f"overview_{n}.html")
                                        for n in ("1201", "1203", "1204")}},
        robots="User-agent: *\nallow: /\n",
    )
    requires = {"__VIEWSTATE": hidden(page1, "__VIEWSTATE"), "__EVENTVALIDATION": hidden(page1, "__EVENTVALIDATION"),
                "ctl00$ctl00$content$Content$btnNext": "Nästa"}
    site.postbacks[(LIST, "")] = Postback(requires, html(KOMMERS / "noticelist_page2.html"))
    return site


def crawl(data_dir: Path, server: SiteServer, *settings: str) -> SiteCrawl:
    return crawl_against(data_dir, server, "kommersannons", f"KOMMERSANNONS_BASE_URL={server.base_url}", *settings)


@pytest.fixture(scope="module")
def server():
    site_server = SiteServer(kommers_site())
    with site_server:
        yield site_server


@pytest.fixture(scope="module")
def first_crawl(tmp_path_factory, server: SiteServer) -> SiteCrawl:
    return crawl(tmp_path_factory.mktemp("kommers"), server, ENABLED)


def open_store(data_dir: Path) -> TenderStore:
    return TenderStore.from_settings(Settings(data_dir=data_dir))


def test_pages_by_the_next_button_and_reads_only_dalarnas_overview_pages(first_crawl: SiteCrawl):
    assert first_crawl.result.returncode == 0, first_crawl.result.stderr[-3000:]
    posts = [s for s in first_crawl.seen if s.method == "POST"]
    assert len(posts) == 1 and not first_crawl.server.refused_postbacks
    assert parse_qs(posts[0].body.decode())["ctl00$ctl00$content$Content$btnNext"] == ["Nästa"]
    overviews = sorted(s.path for s in first_crawl.seen if "NoticeOverview" in s.path)
    # not Uppsala's nor Ockelbo's notice, not the award notice
    assert overviews == [OVERVIEW.format(n) for n in ("1201", "1203", "1204")]


def test_notices_carry_buyer_deadline_cpv_and_link_from_the_overview_page(first_crawl: SiteCrawl):
    store = open_store(first_crawl.data_dir)
    try:
        bath, roof, iuc = (store.tender(f"kommersannons:{n}") for n in ("1201", "1203", "1204"))
        run = store.runs("kommersannons")[0]
        count = store.count_notices()
    finally:
        store.close()
    assert count == 3 and run.complete and run.errors == 0
    assert bath is not None and roof is not None and iuc is not None
    assert bath.title == {"swe": "Ombyggnad av Rättviks badhus"}
    assert (bath.buyers[0].name, bath.buyers[0].orgnr, bath.buyers[0].municipality_code) == (
        "Rättviks kommun", "2120002171", "2031")
    assert bath.submission_deadline == datetime(2027, 1, 10, 23, 59, tzinfo=STOCKHOLM)
    assert (bath.main_cpv, bath.additional_cpv) == ("45212212", ["45262700"])
    assert str(bath.publication_date) == "2026-11-20" and bath.place_of_performance == ["SE312"]
    assert bath.description["swe"].startswith("Rättviks kommun bygger om badhuset")
    assert bath.source_url and bath.source_url.endswith(OVERVIEW.format("1201"))
    assert roof.form_type == "consultation" and roof.buyers[0].orgnr == "5566921119"
    assert (iuc.buyers[0].name, iuc.buyers[0].orgnr) == ("IUC Dalarna", "5565425575")  # short name, known org.nr


def test_a_second_run_stores_nothing_twice(first_crawl: SiteCrawl, server: SiteServer, tmp_path: Path):
    data_dir = Path(shutil.copytree(first_crawl.data_dir, tmp_path / "data"))
    again = crawl(data_dir, server, ENABLED)
    assert again.result.returncode == 0, again.result.stderr[-3000:]
    assert "0 nya, 0 ändrade, 3 oförändrade" in again.result.stdout


def test_an_honestly_empty_list_is_no_alarm(tmp_path: Path):
    site_server = SiteServer(kommers_site(first_page=KOMMERS / "list_empty.html"))
    with site_server:
        empty = crawl(tmp_path, site_server, ENABLED)
    assert empty.result.returncode == 0, empty.result.stderr[-3000:]
    store = open_store(tmp_path)
    try:
        run = store.runs("kommersannons")[0]
    finally:
        store.close()
    assert run.complete and run.items == 0


def test_terms_that_forbid_robots_block_the_source_until_udd_decides(tmp_path: Path, server: SiteServer):
    blocked = crawl(tmp_path, server)  # no SOURCES_ENABLED
    assert blocked.result.returncode == 2 and blocked.seen == []
    assert "KommersAnnons är blockerad: användarvillkoren förbjuder automatisk hämtning" in blocked.result.stderr
    store = open_store(tmp_path)
    try:
        run = store.runs("kommersannons")[0]
    finally:
        store.close()
    assert not run.complete and "blockerad" in run.note
