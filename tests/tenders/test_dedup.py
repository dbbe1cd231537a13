"""One tender, many sources: a procurement seen on TED and on Swedish notice databases is stored once,
whichever arrives first, with every notice and every source link; different procurements stay apart."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from app.ingest import ingest
from tenders.dedup import cited_ted_numbers, match_keys, normalised_title
from tenders.index.base import SearchQuery
from tenders.index.sqlite import SqliteIndex
from tenders.model import Buyer, FormType, Tender
from tenders.store import TenderStore, UpsertOutcome

STOCKHOLM = ZoneInfo("Europe/Stockholm")
REGION = Buyer(name="Region Dalarna", orgnr="2321000180", municipality_code=None, nuts="SE312")


def ted_notice(**fields) -> Tender:
    """A TED eForms contract notice (its own procedure id) for Region Dalarna's wheelchair framework."""
    defaults = dict(
        notice_id="8c2f-ted", procedure_id="proc-rollator", publication_number="512345-2026",
        publication_date=date(2026, 8, 21), form_type=FormType.COMPETITION, buyers=[REGION],
        title={"swe": "Hjälpmedel för rörelsehindrade – rollatorer"},
        submission_deadline=datetime(2026, 9, 30, 21, 59, tzinfo=UTC),  # 23:59 Swedish summer time
        documents_url="https://www.e-avrop.com/regiondalarna/e-Upphandling/Visa/Upphandling.aspx?UppId=50201",
        source="ted", source_url="https://ted.europa.eu/en/notice/512345-2026/xml", raw_format="eforms",
    )
    return Tender(**{**defaults, **fields})


def web_notice(notice_id: str = "eavrop:50201", **fields) -> Tender:
    """The same procurement as a notice database's page shows it (no procedure id of its own)."""
    defaults = dict(
        notice_id=notice_id, publication_date=date(2026, 8, 20), form_type=FormType.COMPETITION, buyers=[REGION],
        title={"swe": "Hjälpmedel för rörelsehindrade - Rollatorer"},
        submission_deadline=datetime(2026, 9, 30, 23, 59, tzinfo=STOCKHOLM),
        source="eavrop", source_url="https://www.e-avrop.com/regiondalarna/e-Upphandling/Visa/Upphandling.aspx?UppId=50201",
        raw_format="html",
    )
    return Tender(**{**defaults, **fields})


@pytest.fixture
def index(tmp_path) -> Iterator[SqliteIndex]:
    sqlite_index = SqliteIndex(tmp_path / "index.sqlite3")
    yield sqlite_index
    sqlite_index.close()


def indexed_ids(index: SqliteIndex) -> list[str]:
    return sorted(hit.document.tender_id for hit in index.search(SearchQuery(page_size=50)).hits)


def test_ted_first_then_the_database_page_joins_it(store: TenderStore, index: SqliteIndex) -> None:
    ingest(ted_notice(), b"<ted/>", store, index)
    assert ingest(web_notice(), b"<html/>", store, index) is UpsertOutcome.INSERTED
    assert store.count_tenders() == 1 and store.count_notices() == 2
    view = store.tender("proc-rollator")
    assert view is not None and len(view.source_urls) == 2
    assert {n.source for n in store.tender_history("proc-rollator")} == {"ted", "eavrop"}
    assert indexed_ids(index) == ["proc-rollator"]
    # the next crawl finds the page unchanged and still in TED's procurement
    assert ingest(web_notice(), b"<html/>", store, index) is UpsertOutcome.UNCHANGED
    assert store.count_tenders() == 1


def test_the_database_page_first_then_ted_pulls_it_in(store: TenderStore, index: SqliteIndex) -> None:
    ingest(web_notice(), b"<html/>", store, index)
    assert indexed_ids(index) == ["eavrop:50201"]
    ingest(ted_notice(), b"<ted/>", store, index)
    assert store.count_tenders() == 1 and store.tender("eavrop:50201") is None
    assert indexed_ids(index) == ["proc-rollator"]  # the web page's own entry left the index
    assert {n.notice_id for n in store.tender_history("proc-rollator")} == {"8c2f-ted", "eavrop:50201"}


def test_a_page_citing_the_ted_number_joins_without_title_or_deadline(store: TenderStore, index: SqliteIndex) -> None:
    ingest(ted_notice(documents_url=None), b"<ted/>", store, index)
    cited = web_notice(
        notice_id="leksand:abc", title={"swe": "Rollatorer, ramavtal"}, submission_deadline=None, source_url=None,
        description={"swe": "Annonserad i TED, 2026/S 163-512345."},
    )
    ingest(cited, b"<html/>", store, index)
    assert store.count_tenders() == 1


def test_mirrors_between_databases_and_ted_all_end_in_one_procurement(store: TenderStore, index: SqliteIndex) -> None:
    ingest(web_notice(), b"<html/>", store, index)
    mirror = web_notice(notice_id="kommersannons:9001", source="kommersannons",
                        source_url="https://www.kommersannons.se/Notices/TenderNotice/9001")
    ingest(mirror, b"<html/>", store, index)
    assert store.count_tenders() == 1  # joined by buyer org.nr + title + deadline day
    ingest(ted_notice(), b"<ted/>", store, index)
    assert store.count_tenders() == 1 and indexed_ids(index) == ["proc-rollator"]
    assert len(store.tender_history("proc-rollator")) == 3


def test_other_procurements_stay_apart(store: TenderStore, index: SqliteIndex) -> None:
    ingest(ted_notice(documents_url=None), b"<ted/>", store, index)
    later = web_notice(notice_id="eavrop:60001", source_url="https://www.e-avrop.com/x/Visa.aspx?UppId=60001",
                       submission_deadline=datetime(2027, 3, 1, 12, tzinfo=STOCKHOLM))
    other_buyer = web_notice(notice_id="eavrop:60002", source_url="https://www.e-avrop.com/x/Visa.aspx?UppId=60002",
                             buyers=[Buyer(name="Mora kommun", orgnr="2120002213")])
    ingest(later, b"<html/>", store, index)
    ingest(other_buyer, b"<html/>", store, index)
    assert store.count_tenders() == 3


def test_match_keys() -> None:
    assert cited_ted_numbers("TED: 2026/S 045-0123456 och TED-nummer 98765-2026") == {"123456-2026", "98765-2026"}
    title = "Hjälpmedel för rörelsehindrade – Rollatorer!"
    assert normalised_title(title) == "hjälpmedel för rörelsehindrade rollatorer"
    ted_keys, web_keys = match_keys(ted_notice()), match_keys(web_notice())
    assert "ted:512345-2026" in ted_keys and "site:e-avrop.com:50201" in ted_keys & web_keys
    assert "otd:2321000180:hjälpmedel för rörelsehindrade rollatorer:2026-09-30" in ted_keys & web_keys
