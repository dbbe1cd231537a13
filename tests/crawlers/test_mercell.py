"""The Mercell spider against a local copy of its search API: Dalarna only, TED copies skipped, keyed on
repsNoticeId, the human link, polite paging with a descriptive User-Agent, idempotent and incremental runs."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from crawlers import mercell_record
from tenders.dedup import match_keys
from tenders.settings import Settings
from tenders.store import TenderStore
from tests.crawlers.conftest import ROOT, Reply, crawl_env
from tests.crawlers.sites import SOURCES, Site, SiteCrawl, SiteServer, crawl_against

MERCELL = SOURCES / "mercell"
SEARCH = "/public/api/v1/search"
SINCE = "2026-11-01"
STORED = ("mercell:1841523165", "mercell:1841600002", "mercell:1841600003", "mercell:1841600004")


def mercell_site() -> Site:
    pages = {
        f"{SEARCH}?pageSize=100&page={n}": Reply(
            200, (MERCELL / f"search_page_{n}.json").read_bytes(), {"Content-Type": "application/json"}
        )
        for n in (1, 2, 3)
    }
    return Site(pages=pages, robots="User-agent: *\nAllow: /\n")


def crawl(data_dir: Path, server: SiteServer, *args: str) -> SiteCrawl:
    return crawl_against(data_dir, server, "mercell", f"MERCELL_API_URL={server.base_url}{SEARCH}", args=args)


@pytest.fixture(scope="module")
def server() -> Iterator[SiteServer]:
    site_server = SiteServer(mercell_site())
    with site_server:
        yield site_server


@pytest.fixture(scope="module")
def first_crawl(tmp_path_factory, server: SiteServer) -> SiteCrawl:
    return crawl(tmp_path_factory.mktemp("mercell"), server, "--since", SINCE)


def open_store(data_dir: Path) -> TenderStore:
    return TenderStore.from_settings(Settings(data_dir=data_dir))


def test_walks_every_page_politely_with_a_descriptive_user_agent(first_crawl: SiteCrawl):
    assert first_crawl.result.returncode == 0, first_crawl.result.stderr[-3000:]
    searches = [s for s in first_crawl.seen if s.path.startswith(SEARCH)]
    assert [parse_qs(urlsplit(s.path).query)["page"] for s in searches] == [["1"], ["2"], ["3"]]
    assert all(s.method == "GET" for s in searches)
    assert all("Anbudsvakt" in s.headers["user-agent"] for s in first_crawl.seen)
    assert first_crawl.seen[0].path == "/robots.txt"


def test_stores_the_dalarna_notices_only_keyed_on_reps_notice_id(first_crawl: SiteCrawl):
    store = open_store(first_crawl.data_dir)
    try:
        stored = {t.notice_id for t in store.iter_tenders()}
        energy = store.tender("mercell:1841523165")
        salen = store.tender("mercell:1841600004")
        run = store.runs("mercell")[0]
    finally:
        store.close()
    # not the TED copy, not Stockholm's own notice, not the Norwegian Mora, not the one before --since
    assert stored == set(STORED)
    assert run.complete and run.items == 4 and run.errors == 0
    assert energy is not None and salen is not None
    assert (energy.buyers[0].name, energy.buyers[0].orgnr, energy.buyers[0].municipality_code) == (
        "Aktiebolaget Borlänge Energi", "5560055385", "2081")
    assert energy.title == {"swe": "Ramavtal markentreprenad för fjärrvärmeledningar"}
    description = energy.description["swe"]
    assert description.startswith("Borlänge Energi upphandlar") and "&lt;" not in description
    assert (energy.main_cpv, energy.additional_cpv) == ("45232140", ["45112000"])
    assert energy.submission_deadline == datetime(2027, 1, 15, 22, 59, tzinfo=UTC)
    assert str(energy.publication_date) == "2026-11-20"
    assert energy.source_url == "https://app.mercell.com/tender/1841523165"
    assert salen.buyers[0].municipality_code == "2023"  # "Sälen" is a locality of Malung-Sälen


def test_a_second_run_stores_nothing_twice(first_crawl: SiteCrawl, server: SiteServer, tmp_path: Path):
    data_dir = Path(shutil.copytree(first_crawl.data_dir, tmp_path / "data"))
    again = crawl(data_dir, server, "--since", SINCE)
    assert again.result.returncode == 0, again.result.stderr[-3000:]
    assert "0 nya, 0 ändrade, 4 oförändrade" in again.result.stdout
    store = open_store(data_dir)
    try:
        assert store.count_notices() == 4
    finally:
        store.close()


def test_an_incremental_run_stops_at_the_first_page_older_than_its_window(first_crawl: SiteCrawl, server: SiteServer,
                                                                            tmp_path: Path):
    data_dir = Path(shutil.copytree(first_crawl.data_dir, tmp_path / "data"))
    later = crawl(data_dir, server, "--since", "2026-12-01")  # everything listed is older
    assert later.result.returncode == 0, later.result.stderr[-3000:]
    assert [s.path for s in later.seen if s.path.startswith(SEARCH)] == [f"{SEARCH}?pageSize=100&page=1"]


def test_a_mercell_record_carries_the_keys_that_join_it_to_its_ted_or_database_twin():
    record = {"repsNoticeId": 1841600042, "title": "Snöröjning Leksand", "authorityName": "Leksands kommun",
              "authorityTown": "Leksand", "deadline": "2027-01-08T22:59:00Z", "cpvCodes": ["90620000-9"],
              "description": "Se även TED 712345-2026."}
    tender = mercell_record.record_to_tender(
        record, human_url="https://app.mercell.com/tender/1841600042", retrieved_at=datetime.now(UTC))
    keys = match_keys(tender)
    assert "ted:712345-2026" in keys and "site:app.mercell.com:1841600042" in keys
    assert "otd:2120002163:snöröjning leksand:2027-01-08" in keys


@pytest.mark.parametrize(("record", "dalarna"), [
    ({"authorityTown": "Falun"}, True),
    ({"authorityTown": "Uppsala", "deliveryPlaceNames": ["Dalarnas län"]}, True),
    ({"authorityTown": "Uppsala", "deliveryPlaceNames": ["Avesta"]}, True),
    ({"authorityTown": "Uppsala", "authorityNationalId": "212000-2163"}, True),
    ({"authorityTown": "Uppsala", "deliveryPlaceNames": ["Uppsala län"]}, False),
    ({"authorityTown": "Mora", "authorityCountryCode": "NO"}, False),
])
def test_dalarna_is_the_buyer_its_town_or_the_place_of_delivery(record: dict[str, object], dalarna: bool):
    assert mercell_record.is_dalarna(record) is dalarna


def test_anbudsvakt_crawl_mercell_stores_the_notices_and_saves_the_responses_as_fixtures(server: SiteServer,
                                                                                          tmp_path: Path):
    executable = shutil.which("anbudsvakt", path=str(ROOT / ".venv" / "bin"))
    assert executable, "the anbudsvakt console script is not installed in .venv"
    saved = tmp_path / "recorded"
    result = subprocess.run(
        [executable, "crawl", "mercell", "--since", SINCE, "--save-fixtures", str(saved),
         "-s", f"MERCELL_API_URL={server.base_url}{SEARCH}", "-s", "DOWNLOAD_DELAY=0"],
        cwd=tmp_path, env=crawl_env(tmp_path, "http://127.0.0.1:9/ted-is-not-used"),
        capture_output=True, text=True, timeout=180, check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Mercell: 4 notiser (4 nya, 0 ändrade, 0 oförändrade)" in result.stdout
    manifest = (saved / "mercell" / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(manifest) == 4  # robots.txt and three search pages
