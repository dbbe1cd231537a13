"""The KommersAnnons spider on a local copy of per-buyer lists, with a real TED notice of the same
procurement already stored: the procurement is stored once, with both sources' notices and links."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.ingest import ingest
from tenders.index import open_index
from tenders.index.base import SearchQuery
from tenders.parse import parse_notice
from tenders.settings import Settings
from tenders.store import TenderStore
from tests.crawlers.sites import FIXTURES, SOURCES, Reply, Seen, Site, SiteServer, html, run_crawl

KOMMERS = SOURCES / "kommersannons"
TED_NOTICE = FIXTURES / "ted" / "r209" / "21-364236-001-EXP.xml"  # Uppsala universitet, also on KommersAnnons
TED_URL = "https://ted.europa.eu/en/notice/352907-2021/xml"
LIST = "/eLite/Notice/NoticeList.aspx?ProcuringEntityId={}"
BUYERS = "KOMMERSANNONS_BUYERS=uu:Uppsala universitet:202100-2932,tom:Tom köpare:"


def kommers_site() -> Site:
    return Site(
        pages={
            LIST.format("uu"): html(KOMMERS / "list_uu.html"),
            LIST.format("tom"): html(KOMMERS / "list_empty.html"),
            "/Notices/TenderNotice/22282": html(KOMMERS / "detail_22282.html"),
            # national notices have no detail page: the site redirects to its error page
            "/Notices/TenderNotice/22301": Reply(302, b"", {"Location": "/StatusCode/400"}),
            "/StatusCode/400": Reply(400, b"<html><body><h1>Statuscode 400</h1></body></html>"),
        },
        robots="User-agent: *\nallow: /\n",
    )


@dataclass
class Crawl:
    data_dir: Path
    result: subprocess.CompletedProcess[str]
    seen: list[Seen]


def open_store(data_dir: Path) -> TenderStore:
    return TenderStore.from_settings(Settings(data_dir=data_dir))


@pytest.fixture(scope="module")
def crawl_after_ted(tmp_path_factory) -> Iterator[Crawl]:
    data_dir = tmp_path_factory.mktemp("kommers")
    settings = Settings(data_dir=data_dir)
    store, index = TenderStore.from_settings(settings), open_index(settings)
    try:
        raw = TED_NOTICE.read_bytes()
        ingest(parse_notice(raw, source="ted", source_url=TED_URL), raw, store, index)
    finally:
        index.close()
        store.close()
    server = SiteServer(kommers_site())
    with server:
        result = run_crawl(data_dir, "kommersannons", f"KOMMERSANNONS_BASE_URL={server.base_url}", BUYERS)
        yield Crawl(data_dir, result, list(server.seen))


def test_crawl_reads_each_buyer_list_and_the_detail_pages(crawl_after_ted: Crawl):
    assert crawl_after_ted.result.returncode == 0, crawl_after_ted.result.stderr[-3000:]
    paths = [s.path for s in crawl_after_ted.seen]
    assert paths[0] == "/robots.txt"
    assert {LIST.format("uu"), LIST.format("tom"), "/Notices/TenderNotice/22282", "/StatusCode/400"} <= set(paths)
    store = open_store(crawl_after_ted.data_dir)
    try:
        run = store.runs("kommersannons")[0]
    finally:
        store.close()
    assert run.complete and run.items == 2 and run.errors == 0  # an honestly empty list is no alarm


def test_the_procurement_on_ted_and_kommersannons_is_stored_once_with_both_links(crawl_after_ted: Crawl):
    settings = Settings(data_dir=crawl_after_ted.data_dir)
    store, index = TenderStore.from_settings(settings), open_index(settings)
    try:
        tender = store.tender("352907-2021")
        history = store.tender_history("352907-2021")
        count = store.count_tenders()
        hits = index.search(SearchQuery(text="laboratorieinredning")).hits
        web_copy = store.tender("kommersannons:22282")
    finally:
        index.close()
        store.close()
    assert count == 2 and web_copy is None  # the lab furniture once (TED + Kommers), the cleaning notice once
    assert tender is not None
    assert sorted(n.source for n in history) == ["kommersannons", "ted"]
    assert TED_URL in tender.source_urls
    assert any(url.endswith("/Notices/TenderNotice/22282") for url in tender.source_urls)
    assert [h.document.tender_id for h in hits] == ["352907-2021"]


def test_a_notice_without_detail_page_keeps_the_list_facts(crawl_after_ted: Crawl):
    store = open_store(crawl_after_ted.data_dir)
    try:
        cleaning = store.tender("kommersannons:22301")
    finally:
        store.close()
    assert cleaning is not None
    assert cleaning.title == {"swe": "Städtjänster Campus Gotland"}
    assert cleaning.main_cpv == "90910000" and cleaning.place_of_performance == ["SE214"]
    assert str(cleaning.publication_date) == "2021-07-20"
    assert cleaning.buyers[0].orgnr == "2021002932"
