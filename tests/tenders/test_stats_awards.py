"""Participation figures from award results in the Tender model: hand-built notices and real eForms examples."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tenders.model import Buyer, CompanySize, FormType, Lot, LotResult, Money, Tender, Winner
from tenders.parse import parse_notice
from tenders.stats.awards import award_report, lot_participation, procurements_from_notices

EFORMS = Path(__file__).resolve().parents[1] / "fixtures" / "eforms"
MORA = Buyer(name="Mora kommun", orgnr="2120002262")
FALUN = Buyer(name="Falu kommun", orgnr="2120002080")


def _winner(name: str, size: CompanySize | None, orgnr: str | None = None) -> Winner:
    return Winner(name=name, size=size, orgnr=orgnr)


def _can(notice_id: str, procedure: str, published: date, results: list[LotResult], **fields: object) -> Tender:
    return Tender.model_validate({
        "notice_id": notice_id, "procedure_id": procedure, "publication_date": published,
        "form_type": FormType.RESULT, "results": results, **fields,
    })


# P-1 (Mora, CPV 45) has three award notices; P-2 (Falun, CPV only on its lot) one; P-3 no result at all.
NOTICES = [
    # A corrected version of the first award notice: LOT-2 now has 2 tenders and a value in SEK.
    _can("can-1", "P-1", date(2024, 6, 1), [
        LotResult(lot_id="LOT-2", status="selec-w", tenders_received=2, sme_tenders=1,
                  winners=[_winner("Bravo AB", CompanySize.SMALL)], value=Money(amount=120_000)),
    ], version="02", buyers=[MORA], main_cpv="45233140"),
    _can("can-1", "P-1", date(2024, 3, 1), [
        LotResult(lot_id="LOT-1", status="selec-w", tenders_received=4, sme_tenders=3,
                  winners=[_winner("Alfa AB", CompanySize.MICRO)]),
        LotResult(lot_id="LOT-2", status="selec-w", tenders_received=1, sme_tenders=1,
                  winners=[_winner("Bravo AB", CompanySize.SMALL)], value=Money(amount=100_000)),
    ], buyers=[MORA], main_cpv="45233140"),
    # A second award notice for a lot awarded later; the SME count only as micro/small/medium parts, and the
    # same company named for two contracts.
    _can("can-2", "P-1", date(2024, 5, 1), [
        LotResult(lot_id="LOT-3", status="selec-w",
                  submissions_by_type={"tenders": 2, "t-micro": 1, "t-small": 0, "t-med": 0},
                  winners=[_winner("Charlie GmbH", CompanySize.LARGE, "DE1"),
                           _winner("Charlie GmbH", CompanySize.LARGE, "DE1")],
                  value=Money(amount=50_000, currency="EUR")),
    ], buyers=[MORA], main_cpv="45233140"),
    _can("can-3", "P-2", date(2025, 1, 10), [
        LotResult(lot_id="LOT-1", status="clos-nw", tenders_received=1),
    ], buyers=[FALUN], lots=[Lot(id="LOT-1", main_cpv="79624000")]),
    Tender(notice_id="cn-4", procedure_id="P-3", form_type=FormType.COMPETITION, buyers=[FALUN]),
]


def test_procurements_fold_their_notices() -> None:
    procurements = {p.tender_id: p for p in procurements_from_notices(NOTICES)}
    assert list(procurements) == ["P-1", "P-2"]  # P-3 has no result
    lots = {lot.lot_id: lot for lot in procurements["P-1"].lots}
    assert lots["LOT-2"].tenders_received == 2  # version 02 replaces version 01's result
    assert lots["LOT-3"].sme_tenders == 1  # t-micro 1 + t-small 0 + t-med 0
    assert lots["LOT-3"].winners == 1  # one company, two contracts
    assert procurements["P-1"].year == "2024"
    assert procurements["P-2"].cpv_division == "79"  # from its lot, the notice has no main CPV


def test_overall_award_figures() -> None:
    overall = award_report(NOTICES).overall
    lot_tenders = [4, 2, 2, 1]  # P-1 LOT-1, LOT-2 (corrected), LOT-3; P-2 LOT-1
    assert (overall.procurements, overall.lots, overall.tenders) == (2, 4, sum(lot_tenders))
    assert overall.avg_tenders_per_lot == pytest.approx(sum(lot_tenders) / 4)
    assert overall.avg_tenders_per_procurement == pytest.approx((4 + 2 + 2 + 1) / 2)
    assert (overall.single_tender_lots, overall.single_tender_lot_share) == (1, 1 / 4)
    # SME share of bids only over lots that state both counts (P-2's lot states no SME count).
    assert (overall.sme_tenders, overall.tenders_with_sme_count) == (3 + 1 + 1, 4 + 2 + 2)
    assert overall.sme_tender_share == pytest.approx(5 / 8)
    assert (overall.winners, overall.sme_winners, overall.winners_known_size) == (3, 2, 3)
    assert overall.sme_share_of_winners == pytest.approx(2 / 3)
    assert overall.winners_by_size == {"micro": 1, "small": 1, "medium": 0, "large": 1, "sme": 0, "unknown": 0}
    assert overall.lots_by_status == {"selec-w": 3, "clos-nw": 1}
    assert overall.awarded_value_sek == 120_000  # the EUR value is not added to SEK


def test_award_breakdowns() -> None:
    report = award_report(NOTICES)
    # Buyers with most procurements first, then most lots.
    assert [(b.name, b.procurements, b.lots) for b in report.by_buyer] == [("Mora kommun", 1, 3), ("Falu kommun", 1, 1)]
    assert [(d.division, d.procurements) for d in report.by_cpv_division] == [("45", 1), ("79", 1)]
    assert [(y.year, y.single_tender_lots) for y in report.by_year] == [("2024", 0), ("2025", 1)]


def test_sme_size_code_counts_as_sme_winner() -> None:
    lot = lot_participation(LotResult(lot_id="L", winners=[_winner("X", CompanySize.SME), _winner("Y", None)]))
    assert (lot.winners, lot.winners_known_size, lot.sme_winners) == (2, 1, 1)
    assert lot.single_tender is None


def test_real_eforms_award_notices() -> None:
    names = ("can_24_maximal.xml", "can_24_FRA_comments.xml", "can_24_no_tenders.xml")
    report = award_report(parse_notice((EFORMS / name).read_bytes()) for name in names)
    overall = report.overall
    # From the XML (BT-759 per BT-760 code): maximal LOT-0001 tenders 9 / t-sme 1, LOT-0002 1 / 0 (clos-nw);
    # FRA_comments LOT-0001 3 / 3, LOT-0002 2 / 2; no_tenders LOT-0001 clos-nw with no statistics.
    assert (overall.procurements, overall.lots, overall.lots_with_tender_count) == (3, 5, 4)
    assert overall.tenders == 9 + 1 + 3 + 2
    assert overall.single_tender_lots == 1
    assert overall.sme_tender_share == pytest.approx((1 + 0 + 3 + 2) / 15)
    assert overall.lots_by_status == {"selec-w": 3, "clos-nw": 2}
    fra = award_report([parse_notice((EFORMS / "can_24_FRA_comments.xml").read_bytes())]).overall
    # BT-165 of its two winners: micro and medium.
    assert (fra.winners, fra.sme_winners, fra.sme_share_of_winners) == (2, 2, 1.0)
