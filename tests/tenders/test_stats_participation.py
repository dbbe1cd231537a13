"""Participation figures from a small hand-made UHM export directory; every expectation is derived here.

Two buyers, four procurements, six lots (one split over two rows, one blank), three values, six suppliers:

    procurement  buyer  CPV  lots (tenders)              value         suppliers (size × contracted tenders)
    AV1          Alfa   45   L1 (3), L2 (1)              "1 234 567"   L1 micro×1, L1 large×1, L2 small×2
    AV2          Alfa   79   L1 ("1.0")                  "500000.0"    L1 blank size×1
    BR3          Beta   45   L1 (12 + 2, two rows),      ""            L1 medium×3, L1 large×2
                             L2 (blank)
    BR4          Beta   00   L1 (0)                      "1000"        —
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tenders.stats import participation_report
from tenders.stats.participation import ParticipationReport, supplier_size
from tests.tenders.test_stats_uhm_files import (
    LOT_COLUMNS,
    PROCUREMENT_COLUMNS,
    SUPPLIER_COLUMNS,
    VALUE_COLUMNS,
    write_export,
)

ALFA = ("2021", "ALFA KOMMUN", "2120000001")
BETA = ("2021", "BETA REGION", "2320000002")
WORKS = ("45000000 Bygg- och anläggningsarbete", "45233140 Vägarbeten")
SERVICES = ("79000000 Företagstjänster", "79624000 Förmedling av vårdpersonal")
NO_CPV = ("00000000 Uppgift saknas", "00000000 Uppgift saknas")

PROCUREMENTS = [
    (*ALFA, *WORKS, "AV1", "Vägunderhåll"),
    (*ALFA, *SERVICES, "AV2", "Bemanning"),
    (*BETA, *WORKS, "BR3", "Ombyggnad"),
    (*BETA, *WORKS, "BR3", "Ombyggnad, etapp 2"),  # the same Upphandlings-ID twice: one procurement
    (*BETA, *NO_CPV, "BR4", "Konsulttjänster"),
]
LOTS = [
    (*ALFA, *WORKS, "AV1", "AV1_1", "3"),
    (*ALFA, *WORKS, "AV1", "AV1_2", "1"),
    (*ALFA, *SERVICES, "AV2", "AV2_1", "1.0"),
    (*BETA, *WORKS, "BR3", "BR3_1", "12"),
    (*BETA, "45000000 Bygg- och anläggningsarbete", "45000000 Bygg", "BR3", "BR3_1", "2"),  # same lot, 2nd row
    (*BETA, *WORKS, "BR3", "BR3_2", ""),  # unknown count: not a lot in the figures
    (*BETA, *NO_CPV, "BR4", "BR4_1", "0"),
]
VALUES = [
    (*ALFA, *WORKS, "AV1", "1 234 567"),
    (*ALFA, *SERVICES, "AV2", "500000.0"),
    (*BETA, *WORKS, "BR3", ""),
    (*BETA, *NO_CPV, "BR4", "1000"),
]
SUPPLIERS = [
    (*ALFA, *WORKS, "AV1", "AV1_1", "Ett AB", "Mikroföretag", "1"),
    (*ALFA, *WORKS, "AV1", "AV1_1", "Två AB", "Stora företag", "1"),
    (*ALFA, *WORKS, "AV1", "AV1_2", "Tre AB", "Små företag", "2"),
    (*ALFA, *SERVICES, "AV2", "AV2_1", "Fyra AB", "", "1"),
    (*BETA, *WORKS, "BR3", "BR3_1", "Fem AB", "Medelstora företag", "3"),
    (*BETA, *WORKS, "BR3", "BR3_1", "Sex AB", "Stora företag", "2"),
]


@pytest.fixture
def uhm_dir(tmp_path: Path) -> Path:
    write_export(tmp_path, "procurements", PROCUREMENT_COLUMNS, PROCUREMENTS, gz=True)
    write_export(tmp_path, "tenders_per_lot", LOT_COLUMNS, LOTS, bom=True)
    write_export(tmp_path, "contracted_value", VALUE_COLUMNS, VALUES)
    write_export(tmp_path, "contracted_suppliers", SUPPLIER_COLUMNS, SUPPLIERS, gz=True, bom=True)
    return tmp_path


@pytest.fixture
def report(uhm_dir: Path) -> ParticipationReport:
    return participation_report(uhm_dir)


def test_overall_figures(report: ParticipationReport) -> None:
    overall = report.overall
    assert overall.procurements == 4  # AV1, AV2, BR3, BR4
    lot_tenders = [3, 1, 1, 12 + 2, 0]  # BR3_1's two rows add up; BR3_2 is blank
    assert overall.lots == len(lot_tenders)
    assert overall.tenders == sum(lot_tenders)
    assert overall.avg_tenders_per_lot == pytest.approx(sum(lot_tenders) / len(lot_tenders))
    assert overall.avg_tenders_per_procurement == pytest.approx(sum(lot_tenders) / 4)
    assert overall.single_tender_lots == 2  # AV1_2 and AV2_1
    assert overall.single_tender_lot_share == pytest.approx(2 / 5)
    sme, large, unknown = 1 + 2 + 3, 1 + 2, 1
    assert overall.sme_contracted_tenders == sme
    assert overall.contracted_tenders_known_size == sme + large
    assert overall.contracted_tenders == sme + large + unknown
    assert overall.sme_share_of_contracts == pytest.approx(sme / (sme + large))
    assert overall.contracted_tenders_by_size == {"micro": 1, "small": 2, "medium": 3, "large": 3, "unknown": 1}
    assert overall.contracted_value_sek == 1_234_567 + 500_000 + 1_000
    assert overall.procurements_with_value == 3


def test_by_buyer(report: ParticipationReport) -> None:
    buyers = {b.orgnr: b for b in report.by_buyer}
    alfa, beta = buyers["2120000001"], buyers["2320000002"]
    assert (alfa.name, alfa.procurements, beta.procurements) == ("ALFA KOMMUN", 2, 2)
    assert (alfa.lots, alfa.tenders, alfa.single_tender_lots) == (3, 3 + 1 + 1, 2)
    assert alfa.single_tender_lot_share == pytest.approx(2 / 3)
    assert (beta.lots, beta.tenders, beta.single_tender_lots) == (2, 14 + 0, 0)
    assert beta.avg_tenders_per_lot == pytest.approx(7.0)
    assert alfa.sme_share_of_contracts == pytest.approx((1 + 2) / (1 + 1 + 2))  # the blank size is left out
    assert beta.sme_share_of_contracts == pytest.approx(3 / (3 + 2))
    assert (alfa.contracted_value_sek, beta.contracted_value_sek) == (1_734_567, 1_000)


def test_by_cpv_division_keeps_missing_cpv_as_its_own_row(report: ParticipationReport) -> None:
    divisions = {d.division: d for d in report.by_cpv_division}
    assert list(divisions) == ["00", "45", "79"]
    missing = divisions["00"]
    assert missing.missing and not divisions["45"].missing
    assert missing.label == "CPV-kod saknas"
    assert (missing.procurements, missing.lots, missing.tenders, missing.contracted_value_sek) == (1, 1, 0, 1000)
    works = divisions["45"]
    assert works.label == "Bygg- och anläggningsarbete"  # the export's own CPV-Huvudgrupp label
    assert (works.procurements, works.lots, works.tenders, works.single_tender_lots) == (2, 3, 3 + 1 + 14, 1)
    assert works.sme_share_of_contracts == pytest.approx((1 + 2 + 3) / (1 + 1 + 2 + 3 + 2))
    services = divisions["79"]
    assert services.sme_share_of_contracts is None  # its only supplier has no known size: no share, not 0 %


def test_inputs_account_for_every_row(report: ParticipationReport) -> None:
    inputs = {i.name: i for i in report.inputs}
    assert (inputs["procurements"].rows, inputs["procurements"].duplicate_rows) == (5, 0)
    assert inputs["tenders_per_lot"].repeated_lot_rows == 1
    assert inputs["tenders_per_lot"].blank_values == 1
    assert inputs["contracted_value"].blank_values == 1
    assert inputs["contracted_suppliers"].rows_used == len(SUPPLIERS)


def test_buyer_filter_gives_that_buyers_figures(uhm_dir: Path, report: ParticipationReport) -> None:
    only_alfa = participation_report(uhm_dir, buyer_orgnrs=["212000-0001"])
    alfa_row = next(b for b in report.by_buyer if b.orgnr == "2120000001")
    assert only_alfa.overall.model_dump() == alfa_row.model_dump(exclude={"orgnr", "name"})
    assert [b.orgnr for b in only_alfa.by_buyer] == ["2120000001"]


def test_year_filter_and_breakdown(tmp_path: Path) -> None:
    later = ("2022", "ALFA KOMMUN", "2120000001")
    write_export(tmp_path, "procurements", PROCUREMENT_COLUMNS, [*PROCUREMENTS, (*later, *WORKS, "AV9", "Nytt")])
    write_export(tmp_path, "tenders_per_lot", LOT_COLUMNS, [*LOTS, (*later, *WORKS, "AV9", "AV9_1", "1")])
    write_export(tmp_path, "contracted_value", VALUE_COLUMNS, VALUES)
    write_export(tmp_path, "contracted_suppliers", SUPPLIER_COLUMNS, SUPPLIERS)
    full = participation_report(tmp_path)
    assert [(y.year, y.procurements, y.lots) for y in full.by_year] == [("2021", 4, 5), ("2022", 1, 1)]
    only_2022 = participation_report(tmp_path, year=2022)
    assert (only_2022.overall.procurements, only_2022.overall.single_tender_lot_share) == (1, 1.0)
    assert only_2022.overall.sme_share_of_contracts is None


def test_report_serialises_numbers_as_numbers(report: ParticipationReport) -> None:
    data = json.loads(report.model_dump_json())
    assert {"overall", "by_buyer", "by_cpv_division"} <= data.keys()
    assert isinstance(data["overall"]["avg_tenders_per_lot"], float)
    assert isinstance(data["overall"]["procurements"], int)
    assert data["by_cpv_division"][0] | {"division": "00", "missing": True} == data["by_cpv_division"][0]


@pytest.mark.parametrize(
    ("label", "size"),
    [("Mikroföretag", "micro"), ("Små företag", "small"), ("Medelstora företag", "medium"),
     ("Stora företag", "large"), ("", "unknown"), ("Uppgift saknas", "unknown"), (" STORA FÖRETAG ", "large")],
)
def test_supplier_size_labels(label: str, size: str) -> None:
    assert supplier_size(label) == size


def test_missing_export_fails_before_reading_the_others(uhm_dir: Path) -> None:
    (uhm_dir / "contracted_suppliers.csv.gz").unlink()
    with pytest.raises(ValueError, match=r"contracted_suppliers\.csv"):
        participation_report(uhm_dir)
