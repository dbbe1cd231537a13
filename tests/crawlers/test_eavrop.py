"""The e-Avrop spider on a local copy of the portals: WebForms postback paging, detail pages, robots.txt,
normalisation into Tenders, an idempotent second run, and the structure-change alarm."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

import pytest

from tenders.health import source_health
from tenders.settings import Settings
from tenders.store import TenderStore
from tests.crawlers.sites import SOURCES, Postback, Seen, Site, SiteServer, html, run_crawl

EAVROP = SOURCES / "eavrop"
LIST = "/{}/e-Upphandling/Default.aspx"
DETAIL = "/{}/e-Upphandling/Visa/Upphandling.aspx?UppId={}"
EMPTY_PORTALS = ("mora", "smedjebacken", "hogskolandalarna", "faluenergivatten")
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def hidden(path: Path, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', path.read_text())
    assert found, f"{path.name} has no {name}"
    return found.group(1)


def eavrop_site(ludvika_list: Path = EAVROP / "ludvika_page1.html") -> Site:
    page1 = EAVROP / "ludvika_page1.html"
    site = Site(pages={
        LIST.format("ludvika"): html(ludvika_list),
        LIST.format("regiondalarna"): html(EAVROP / "regiondalarna.html"),
        **{LIST.format(portal): html(EAVROP / "empty.html") for portal in EMPTY_PORTALS},
        **{DETAIL.format("ludvika", n): html(EAVROP / f"detail_{n}.html") for n in ("40101", "40102", "40103")},
        DETAIL.format("regiondalarna", "50201"): html(EAVROP / "detail_50201.html"),
    })
    # Page 2 is only served to a postback that carries page 1's state, as ASP.NET requires.
    state = {name: hidden(page1, name) for name in ("__VIEWSTATE", "__VIEWSTATEGENERATOR", "__EVENTVALIDATION")}
    requires = {**state, "__EVENTTARGET": "ctl00$mainContent$tenderGridView"}
    site.postbacks[(LIST.format("ludvika"), "Page$2")] = Postback(requires, html(EAVROP / "ludvika_page2.html"))
    return site


@dataclass
class Crawl:
    data_dir: Path
    server: SiteServer
    result: subprocess.CompletedProcess[str]
    seen: list[Seen]  # the requests of this crawl only


def gets(seen: list[Seen]) -> list[str]:
    return [s.path for s in seen if s.method == "GET"]


@contextmanager
def crawl_site(data_dir: Path, site: Site) -> Iterator[Crawl]:
    server = SiteServer(site)
    with server:
        result = run_crawl(data_dir, "eavrop", f"EAVROP_BASE_URL={server.base_url}")
        yield Crawl(data_dir, server, result, list(server.seen))


@pytest.fixture(scope="module")
def first_crawl(tmp_path_factory) -> Iterator[Crawl]:
    with crawl_site(tmp_path_factory.mktemp("eavrop"), eavrop_site()) as crawl:
        yield crawl


def open_store(data_dir: Path) -> TenderStore:
    return TenderStore.from_settings(Settings(data_dir=data_dir))


def test_crawl_pages_by_postback_carrying_the_page_state(first_crawl: Crawl):
    assert first_crawl.result.returncode == 0, first_crawl.result.stderr[-3000:]
    posts = [s for s in first_crawl.seen if s.method == "POST"]
    assert len(posts) == 1 and not first_crawl.server.refused_postbacks
    form = parse_qs(posts[0].body.decode())
    page1 = EAVROP / "ludvika_page1.html"
    assert form["__EVENTARGUMENT"] == ["Page$2"]
    assert form["__VIEWSTATE"] == [hidden(page1, "__VIEWSTATE")]
    assert form["__EVENTVALIDATION"] == [hidden(page1, "__EVENTVALIDATION")]
    assert posts[0].headers["content-type"].startswith("application/x-www-form-urlencoded")
    # every portal's list was read once, every detail page once, and page 2 offered no page 3
    lists = [p for p in gets(first_crawl.seen) if p.endswith("Default.aspx")]
    assert len(lists) == 6 and len(set(lists)) == 6


def test_crawl_obeys_robots_txt_and_keeps_the_list_facts_of_a_forbidden_page(first_crawl: Crawl):
    paths = gets(first_crawl.seen)
    assert paths[0] == "/robots.txt"
    assert not [p for p in paths if "/privat/" in p]
    store = open_store(first_crawl.data_dir)
    try:
        tolk = store.tender("eavrop:50202")
    finally:
        store.close()
    assert tolk is not None and tolk.title == {"swe": "Tolktjänster Region Dalarna"}
    assert tolk.submission_deadline == datetime(2026, 10, 5, 23, 59, tzinfo=STOCKHOLM)
    assert tolk.main_cpv == "79540000" and tolk.buyers[0].orgnr == "2321000180"


def test_notices_are_normalised_from_list_and_detail_page(first_crawl: Crawl):
    store = open_store(first_crawl.data_dir)
    try:
        snow = store.tender("eavrop:40101")
        paint, food = store.tender("eavrop:40102"), store.tender("eavrop:40103")
        raw = store.raw_document("eavrop:40101", "01")
        runs = store.runs("eavrop")
        count = store.count_tenders()
    finally:
        store.close()
    assert count == 5 and runs[0].complete and runs[0].items == 5 and runs[0].errors == 0
    assert snow is not None and paint is not None and food is not None
    assert snow.title["swe"].startswith("Snöröjning och halkbekämpning")
    assert (snow.buyers[0].name, snow.buyers[0].orgnr, snow.buyers[0].municipality_code) == (
        "Ludvika kommun", "2120002270", "2085")
    assert str(snow.publication_date) == "2026-09-01"
    assert snow.submission_deadline == datetime(2026, 10, 15, 12, 0, tzinfo=STOCKHOLM)
    assert (snow.main_cpv, snow.additional_cpv) == ("90620000", ["90630000"])
    assert "egen traktor" in snow.description["swe"]
    documents = "/ludvika/e-Upphandling/Dokument/Upphandlingsdokument.aspx?UppId=40101"
    assert snow.documents_url and snow.documents_url.endswith(documents)
    assert snow.source_url and snow.source_url.endswith(DETAIL.format("ludvika", "40101"))
    assert snow.raw_format == "html" and raw == (EAVROP / "detail_40101.html").read_bytes()
    assert paint.submission_deadline == datetime(2026, 10, 15, 23, 59, tzinfo=STOCKHOLM)  # "15 oktober 2026 kl. 23.59"
    assert food.submission_deadline == datetime(2026, 11, 1, 12, 0, tzinfo=STOCKHOLM)  # "01.11.2026 kl 12:00"


def test_a_second_crawl_stores_nothing_twice(first_crawl: Crawl, tmp_path: Path):
    data_dir = Path(shutil.copytree(first_crawl.data_dir, tmp_path / "data"))
    # the same server (same address): the notices' links are part of what is compared
    again = run_crawl(data_dir, "eavrop", f"EAVROP_BASE_URL={first_crawl.server.base_url}")
    assert again.returncode == 0, again.stderr[-3000:]
    assert "0 nya, 0 ändrade, 5 oförändrade" in again.stdout
    store = open_store(data_dir)
    try:
        assert store.count_tenders() == 5 and store.count_notices() == 5
    finally:
        store.close()


def test_a_changed_page_structure_trips_the_health_alarm(tmp_path: Path):
    with crawl_site(tmp_path, eavrop_site(ludvika_list=EAVROP / "changed_layout.html")) as crawl:
        pass
    assert crawl.result.returncode == 2
    assert "struktur ändrad: inga träffar för listselektorn" in crawl.result.stderr
    store = open_store(tmp_path)
    try:
        run = store.runs("eavrop")[0]
        stored = store.count_tenders()
    finally:
        store.close()
    assert not run.complete and run.errors >= 1
    assert "Ludvika kommun: struktur ändrad: inga träffar för listselektorn" in run.note
    assert stored == 2  # the other portals' notices are still stored
    health = source_health("eavrop", [run], now=run.started_at)
    assert any("struktur ändrad" in warning for warning in health.warnings)
