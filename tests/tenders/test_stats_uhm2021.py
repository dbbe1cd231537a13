"""Participation figures on the real 2021 exports (Sweden outside Dalarna), checked independently.

Every expected number below was computed separately with zcat and gawk on the raw files (CSV fields split
with FPAT, the measure in the last column), e.g.

    zcat tenders_per_lot.csv.gz | tail -n +2 | awk -F, '{n++; s+=$NF; if ($NF==1) one++} END {print n, s, one}'
    → 10925 60070 2207
    zcat contracted_suppliers.csv.gz | tail -n +2 | gawk -v FPAT='([^,]*)|("([^"]|"")*")' '{w[$36]+=$NF} END …'
    → Mikroföretag 4506, Små företag 5787, Medelstora företag 5482, Stora företag 6495, blank 790
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tenders.stats import ParticipationReport, participation_report

UHM_2021 = Path(__file__).resolve().parents[2] / "datasets" / "uhm-2021"


@pytest.fixture(scope="module")
def report() -> ParticipationReport:
    return participation_report(UHM_2021)


def test_overall_2021(report: ParticipationReport) -> None:
    overall = report.overall
    assert overall.procurements == 17_919  # 17,920 rows; MT4532 appears twice
    assert (overall.lots, overall.tenders, overall.single_tender_lots) == (10_925, 60_070, 2_207)
    assert overall.avg_tenders_per_lot == pytest.approx(60_070 / 10_925)  # 5.498
    assert overall.single_tender_lot_share == pytest.approx(2_207 / 10_925)  # 20.2 %
    sme = 4_506 + 5_787 + 5_482
    assert (overall.sme_contracted_tenders, overall.contracted_tenders_known_size) == (sme, sme + 6_495)
    assert overall.sme_share_of_contracts == pytest.approx(15_775 / 22_270)  # 70.8 %
    assert overall.contracted_tenders_by_size["unknown"] == 790
    assert overall.contracted_value_sek == 239_625_860_819


def test_every_row_read_none_dropped(report: ParticipationReport) -> None:
    rows = {i.name: (i.rows, i.duplicate_rows, i.blank_values, i.repeated_lot_rows) for i in report.inputs}
    assert rows == {
        "procurements": (17_920, 0, 0, 0),
        "tenders_per_lot": (10_925, 0, 0, 0),
        "contracted_value": (9_504, 0, 0, 0),
        "contracted_suppliers": (22_481, 0, 0, 0),
    }


def test_cpv_divisions_2021(report: ParticipationReport) -> None:
    divisions = {d.division: d for d in report.by_cpv_division}
    assert len(divisions) == 46
    works = divisions["45"]
    assert (works.procurements, works.lots, works.tenders, works.single_tender_lots) == (4_601, 1_947, 10_233, 230)
    assert (works.sme_contracted_tenders, works.contracted_tenders_known_size) == (2_222, 3_269)
    assert works.contracted_value_sek == 66_296_795_887
    missing = divisions["00"]
    assert missing.missing
    assert (missing.procurements, missing.lots, missing.tenders, missing.contracted_value_sek) == (31, 1, 2, 2_163_100)
    assert sum(d.lots for d in divisions.values()) == report.overall.lots


def test_buyers_2021(report: ParticipationReport) -> None:
    assert len(report.by_buyer) == 1_137
    top = report.by_buyer[0]
    assert (top.orgnr, top.name, top.procurements, top.lots, top.tenders) == (
        "2021006297", "TRAFIKVERKET", 510, 333, 1_196)
    assert top.single_tender_lots == 53
    assert top.contracted_value_sek == 5_227_506_095
    assert sum(b.contracted_value_sek for b in report.by_buyer) == report.overall.contracted_value_sek
