"""Lot results (eForms LotResult) as OCDS awards and bid statistics."""

from __future__ import annotations

from typing import Any

from tenders.model import LotResult, Tender
from tenders.ocds.parties import party_ref
from tenders.ocds.values import day_start, money, put

# BT-142 winner selection status → OCDS award status.
AWARD_STATUS = {"selec-w": "active", "clos-nw": "unsuccessful", "open-nw": "pending"}
# BT-760 received submission type → the bid extension's bidStatistics code (the counts are BT-759).
BID_MEASURES = {
    "tenders": "bids",
    "t-sme": "smeBids",
    "t-esubm": "electronicBids",
    "t-oth-eea": "foreignBidsFromEU",
    "t-no-eea": "foreignBidsFromNonEU",
    "t-verif-inad": "disqualifiedBids",
    "part-req": "requests",
}


def awards_of(tender: Tender) -> list[dict[str, Any]]:
    return [_award(result) for result in tender.results]


def _award(result: LotResult) -> dict[str, Any]:
    # One award per lot, with the lot's id: the same award in a later notice (a correction) then merges into it.
    award: dict[str, Any] = {"id": result.lot_id, "relatedLots": [result.lot_id]}
    status = AWARD_STATUS.get(result.status or "") or ("active" if result.winners else None)
    put(award, "status", status)
    put(award, "date", day_start(result.award_date) if result.award_date else None)
    put(award, "value", money(result.value))
    put(award, "suppliers", [party_ref(w.name, w.orgnr, w.country) for w in result.winners])
    return award


def bid_statistics(tender: Tender) -> list[dict[str, Any]]:
    """Per lot: bids received, SME bids and the other counts eForms gives, each with its lot."""
    statistics: list[dict[str, Any]] = []
    for result in tender.results:
        counts = {BID_MEASURES[code]: n for code, n in result.submissions_by_type.items() if code in BID_MEASURES}
        if result.tenders_received is not None:
            counts.setdefault("bids", result.tenders_received)
        if result.sme_tenders is not None:
            counts.setdefault("smeBids", result.sme_tenders)
        for measure, value in counts.items():
            statistics.append({
                "id": f"{result.lot_id}-{measure}",
                "measure": measure,
                "value": value,
                "relatedLot": result.lot_id,
            })
    return statistics
