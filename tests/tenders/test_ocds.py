"""OCDS out: every bundled example notice maps to releases and records that validate against the OCDS 1.1 schema
shipped in tenders/ocds/schema, and the eForms facts UDD needs (lots, awards, winner size, SME bids) are there."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from cli.notices import example_files
from tenders.ocds import iter_releases, process_record, process_releases, record_package, release_package
from tenders.ocds.packages import stream_release_package
from tenders.ocds.read import tender_id_of_ocid
from tenders.ocds.validate import package_errors
from tenders.parse import parse_notice
from tenders.store import TenderStore

PREFIX = "ocds-test01"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# The examples `anbudsvakt load --examples` loads, and the eForms conversions of the real Swedish TED notices.
NOTICE_FILES = [*example_files(), *sorted((FIXTURES / "ted" / "eforms-converted").glob("*.xml"))]


@pytest.fixture(scope="module")
def ocds_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TenderStore]:
    store = TenderStore.from_url(f"sqlite:///{tmp_path_factory.mktemp('ocds') / 'store.sqlite3'}")
    for path in NOTICE_FILES:
        raw = path.read_bytes()
        store.upsert_notice(parse_notice(raw, source="file"), raw)
    yield store
    store.close()


def test_a_release_package_of_every_example_notice_validates(ocds_store: TenderStore) -> None:
    releases = list(iter_releases(ocds_store, PREFIX))
    assert len(releases) == ocds_store.count_notices() >= 20
    assert package_errors(release_package(releases, "https://example.org/ocds")) == []
    assert len({(r["ocid"], r["id"]) for r in releases}) == len(releases)  # release ids unique within a process


def test_a_record_package_of_every_process_validates(ocds_store: TenderStore) -> None:
    records = [process_record(ocds_store, f"{PREFIX}-{tender.procedure_id or tender.notice_id}", PREFIX)
               for tender in ocds_store.iter_tenders()]
    assert all(records) and len(records) == ocds_store.count_tenders()
    package = record_package([r for r in records if r], "https://example.org/ocds/records")
    assert package_errors(package) == []
    for record in package["records"]:
        compiled = record["compiledRelease"]
        assert compiled["tag"] == ["compiled"] and compiled["ocid"] == record["ocid"]
        assert compiled["id"] == f"{record['ocid']}-{max(r['date'] for r in record['releases'])}"


def test_the_streamed_package_is_the_same_json(ocds_store: TenderStore) -> None:
    releases = list(iter_releases(ocds_store, PREFIX))
    streamed = json.loads("".join(stream_release_package(iter(releases), "u")))
    assert streamed["releases"] == releases
    assert package_errors(streamed) == []


def test_awards_carry_suppliers_with_their_size_and_lots_their_bid_statistics(ocds_store: TenderStore) -> None:
    releases = [r for r in iter_releases(ocds_store, PREFIX) if r.get("awards")]
    assert releases
    scales = {party["details"]["scale"] for r in releases for party in r["parties"] if "details" in party}
    assert scales <= {"micro", "sme", "large"} and scales
    measures = {s["measure"] for r in releases for s in r.get("bids", {}).get("statistics", [])}
    assert {"bids", "smeBids"} <= measures
    for release in releases:
        parties = {party["id"]: party for party in release["parties"]}
        lots = {lot["id"] for lot in release["tender"].get("lots", [])}
        for award in release["awards"]:
            assert set(award["relatedLots"]) <= lots
            for supplier in award.get("suppliers", []):
                assert "supplier" in parties[supplier["id"]]["roles"]
        for statistic in release.get("bids", {}).get("statistics", []):
            assert statistic["relatedLot"] in lots


def test_releases_of_one_process_are_its_notice_versions(ocds_store: TenderStore) -> None:
    tender = next(t for t in ocds_store.iter_tenders() if len(ocds_store.tender_history(t.procedure_id or "")) > 1)
    ocid = f"{PREFIX}-{tender.procedure_id}"
    releases = process_releases(ocds_store, ocid, PREFIX)
    assert [r["id"] for r in releases] == [f"{n.notice_id}-{n.version}" for n in ocds_store.tender_history(
        tender.procedure_id or "")]
    assert package_errors(release_package(releases, "u")) == []


def test_a_day_or_year_selects_by_publication_date_else_issue_date(ocds_store: TenderStore) -> None:
    days = sorted({day for t in ocds_store.iter_tenders()
                   for n in ocds_store.tender_history(t.procedure_id or t.notice_id)
                   if (day := n.publication_date or n.issue_date)})
    day = days[0]
    on_day = list(iter_releases(ocds_store, PREFIX, day, day))
    assert on_day and len(on_day) < ocds_store.count_notices()
    in_year = list(iter_releases(ocds_store, PREFIX, date(day.year, 1, 1), date(day.year, 12, 31)))
    assert len(in_year) >= len(on_day)


def test_an_ocid_of_another_publisher_is_not_ours() -> None:
    assert tender_id_of_ocid(f"{PREFIX}-abc-1", PREFIX) == "abc-1"
    assert tender_id_of_ocid("ocds-other1-abc", PREFIX) is None
    assert tender_id_of_ocid(f"{PREFIX}-", PREFIX) is None
