"""The coverage ledger on the recorded statistics of Dalarna's neighbours (tests/fixtures/uhm), with a store that
holds some of their procurements: found by the database's own id, by buyer org.nr and title, or missing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import build_app
from tenders.model import Buyer, FormType, Tender
from tenders.settings import Settings
from tenders.stats.coverage import buyers_procurements, coverage_ledger, read_buyers, store_coverage, stored_index
from tenders.store import TenderStore

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NEIGHBOURS = FIXTURES / "uhm" / "service-2021-dalarna-neighbours"
LJUSDAL, HOFORS = "2120002320", "2120002296"


def notice(notice_id: str, title: str, orgnr: str, url: str) -> Tender:
    return Tender(
        notice_id=notice_id, language="swe", form_type=FormType.COMPETITION, title={"swe": title},
        buyers=[Buyer(name="Köparen", orgnr=orgnr, country="SWE")], source=notice_id.split(":")[0],
        source_url=url, source_urls=[url], retrieved_at=datetime(2021, 3, 1, tzinfo=UTC), raw_format="html",
    )


STORED = [
    # the KommersAnnons id in its address (KA1098 → ProcurementId=1098), under a title the buyer edited later
    notice("kommersannons:1098", "Arbetskläder 2021", LJUSDAL,
           "https://www.kommersannons.se/eLite/Notice/NoticeOverview.aspx?ProcurementId=1098"),
    # no id of the database's own, but the same buyer and title (case and punctuation differ)
    notice("mercell:1841500099", "BYGGARBETEN.", LJUSDAL, "https://app.mercell.com/tender/1841500099"),
    # the same title from another buyer is not Ljusdal's procurement
    notice("mercell:1841500100", "Mattransporter", HOFORS, "https://app.mercell.com/tender/1841500100"),
]


@pytest.fixture
def buyers_csv(tmp_path: Path) -> Path:
    path = tmp_path / "buyers.csv"
    path.write_text(f"name,orgnr\nLJUSDALS KOMMUN,212000-2320\nHOFORS KOMMUN,{HOFORS}\n", encoding="utf-8")
    return path


def test_ledger_counts_expected_found_and_missing_per_notice_database(buyers_csv: Path):
    year, rows = buyers_procurements(NEIGHBOURS, read_buyers(buyers_csv), None)
    ledger = coverage_ledger(rows, stored_index(STORED), year).as_json()
    assert year == "2021"
    assert ledger["by_database"] == {
        "KommersAnnons.se": {"expected": 15, "found": 1, "share": round(1 / 15, 4)},
        "Mercell Annonsdatabas": {"expected": 5, "found": 1, "share": 0.2},
    }
    assert ledger["overall"] == {"expected": 20, "found": 2, "share": 0.1}
    missing = {item["id"]: item for item in ledger["missing"]}
    assert len(missing) == 18 and "KA1098" not in missing and "MT4452" not in missing
    assert missing["KA1089"]["title"] == "Mattransporter" and missing["KA1089"]["buyer"] == "LJUSDALS KOMMUN"


def test_a_year_the_export_does_not_have_expects_nothing(buyers_csv: Path):
    year, rows = buyers_procurements(NEIGHBOURS, read_buyers(buyers_csv), "2020")
    ledger = coverage_ledger(rows, stored_index(STORED), year)
    assert (ledger.overall.expected, ledger.overall.share, ledger.by_database) == (0, None, {})


def test_cli_prints_the_ledger_of_the_store_as_json(tmp_path: Path, buyers_csv: Path, monkeypatch):
    data_dir = tmp_path / "data"
    store = TenderStore.from_settings(Settings(data_dir=data_dir))
    try:
        for tender in STORED:
            store.upsert_notice(tender, b"<html></html>")
        direct = store_coverage(NEIGHBOURS, store, read_buyers(buyers_csv), "2021").as_json()
    finally:
        store.close()
    monkeypatch.setenv("ANBUDSVAKT_DATA_DIR", str(data_dir))
    args = ["sources", "coverage", "--uhm-dir", str(NEIGHBOURS), "--year", "2021", "--format", "json",
            "--buyers", str(buyers_csv)]
    result = CliRunner().invoke(build_app(), args)
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed == direct and set(printed) == {"overall", "by_database", "missing"}
    assert printed["overall"]["found"] == 2


def test_cli_table_and_a_missing_directory(tmp_path: Path, buyers_csv: Path, monkeypatch):
    monkeypatch.setenv("ANBUDSVAKT_DATA_DIR", str(tmp_path / "data"))
    table = CliRunner().invoke(build_app(), ["sources", "coverage", "--uhm-dir", str(NEIGHBOURS), "--buyers",
                                             str(buyers_csv), "--top", "2"])
    assert table.exit_code == 0, table.output
    assert "KommersAnnons.se" in table.stdout and "Saknas i lagret (20" in table.stdout
    gone = CliRunner().invoke(build_app(), ["sources", "coverage", "--uhm-dir", str(tmp_path / "nej")])
    assert gone.exit_code == 2 and "UHM-katalogen finns inte" in gone.stderr
