"""Award results of the eForms examples: tenders received, SME tenders, winners with size, awarded value."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenders.model import CompanySize, LotResult, Money
from tenders.parse import parse_notice

EFORMS = Path(__file__).parents[1] / "fixtures" / "eforms"


def _results(name: str) -> list[LotResult]:
    return parse_notice((EFORMS / name).read_bytes()).results


# notice → per lot: (lot, BT-142 status, tenders, SME tenders, [(winner, size)], awarded value)
LEMIRE = [("Espaces Verts Lemire", CompanySize.MICRO)]
AWARDS = {
    "can_24_minimal.xml": [("LOT-0000", "selec-w", 3, 1, LEMIRE, Money(amount=95414, currency="EUR"))],
    "can_24_FRA_comments.xml": [
        ("LOT-0001", "selec-w", 3, 3, LEMIRE, Money(amount=95414, currency="EUR")),
        ("LOT-0002", "selec-w", 2, 2, [("ID Verde SASU", CompanySize.MEDIUM)], Money(amount=26500, currency="EUR")),
    ],
    "can_25_ENG.xml": [
        ("LOT-0000", "selec-w", 3, 1, [("Deloitte — Main Account LLP", CompanySize.LARGE)],
         Money(amount=9.99, currency="GBP")),
    ],
    "can_24_no_tenders.xml": [("LOT-0001", "clos-nw", None, None, [], None)],
    "E4_minimal.xml": [("LOT-0001", "selec-w", None, None, [("Société Espaces Verts", None)], None)],
    "veat_24.xml": [
        ("LOT-0000", None, None, None,
         [("Direct Healthcare Services Ltd", CompanySize.SMALL), ("Harvest Healthcare Ltd", CompanySize.SMALL),
          ("Invacare Ltd", CompanySize.LARGE)], None),
    ],
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(AWARDS))
def test_award_results(name: str) -> None:
    got = [
        (r.lot_id, r.status, r.tenders_received, r.sme_tenders, [(w.name, w.size) for w in r.winners], r.value)
        for r in _results(name)
    ]
    assert got == AWARDS[name]


def test_submissions_are_kept_by_type() -> None:
    (result,) = _results("can_24_minimal.xml")

    assert result.submissions_by_type == {"tenders": 3, "t-sme": 1, "t-no-eea": 1, "t-oth-eea": 0, "t-esubm": 1}
    assert result.award_date is not None and result.award_date.isoformat() == "2019-09-03"


def test_framework_with_two_winning_parties_and_a_lot_closed_without_winner() -> None:
    first, second = _results("can_24_maximal.xml")

    # LOT-0001: two contracts; the first went to a group of two companies, the second to one company.
    assert (first.lot_id, first.status, first.tenders_received, first.sme_tenders) == ("LOT-0001", "selec-w", 9, 1)
    assert [(w.name, w.size, w.country) for w in first.winners] == [
        ("Gyro Soft SA", CompanySize.LARGE, "LUX"),
        ("The best App Ltd.", CompanySize.MICRO, "DEU"),
        ("Competitor", CompanySize.LARGE, "FRA"),
    ]
    assert first.value == Money(amount=19999999.98, currency="EUR")
    # LOT-0002 lists a tender, but the lot was closed without a winner: no winners, no value.
    assert (second.lot_id, second.status, second.winners, second.value) == ("LOT-0002", "clos-nw", [], None)
    assert second.tenders_received == 1


def test_notices_without_results_have_none() -> None:
    for name in ("cn_24_minimal.xml", "pin-only_24.xml", "E3_minimal.xml"):
        assert _results(name) == []
