"""Participation figures from award notices (eForms LotResult / R2.0.9 AWARD_CONTRACT, in the Tender model).

Per lot: tenders received (BT-759 with BT-760 "tenders"), tenders from SMEs ("t-sme", or micro + small +
medium), winners and their size (BT-165), winner selection status (BT-142). Per procurement: its lots.
Aggregated: the same figures as the UHM report where the data allow (tenders per lot, single-tender share),
plus what only eForms has — the SME share of *bids*, not just of winners.

Every notice of a procurement may carry results (one award notice per lot, or a corrected version), so the
notices are folded per procurement first: a later notice's result for a lot replaces an earlier one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel

from tenders.model import CompanySize, LotResult, Tender, Winner
from tenders.stats.groups import MISSING_CPV_DIVISION, SME_SIZES, Breakdown, Dimensions, breakdown_rows, share
from tenders.stats.participation import BuyerIdentity, CpvDivisionIdentity

UNKNOWN = "unknown"
_SME_PARTS = ("t-micro", "t-small", "t-med")


class LotParticipation(BaseModel):
    lot_id: str
    status: str | None  # BT-142: selec-w (winner chosen), clos-nw (closed, no winner), open-nw (still open)
    tenders_received: int | None
    sme_tenders: int | None
    single_tender: bool | None  # None when the number of tenders is not stated
    winners: int
    winners_known_size: int
    sme_winners: int
    winners_by_size: dict[str, int]
    awarded_value_sek: float | None  # only when the notice states the value in SEK


class ProcurementParticipation(BaseModel):
    tender_id: str  # procedure id (BT-04), else the notice id
    buyer_orgnr: str
    buyer_name: str
    cpv_division: str  # of the procurement's main CPV code; "00" when missing
    year: str  # of the latest award notice's publication (or issue) date; "" when neither is known
    lots: list[LotParticipation]


class AwardFigures(BaseModel):
    procurements: int  # procurements with at least one lot result
    lots: int  # lot results
    lots_by_status: dict[str, int]
    lots_with_tender_count: int
    tenders: int
    avg_tenders_per_lot: float | None
    avg_tenders_per_procurement: float | None  # over procurements whose every lot states its tenders
    single_tender_lots: int
    single_tender_lot_share: float | None
    tenders_with_sme_count: int  # tenders in lots that state both the total and the SME count
    sme_tenders: int
    sme_tender_share: float | None  # SME share of bids
    winners: int
    winners_known_size: int
    sme_winners: int
    sme_share_of_winners: float | None
    winners_by_size: dict[str, int]
    awarded_value_sek: float


class AwardBuyerFigures(AwardFigures, BuyerIdentity):
    pass


class AwardCpvDivisionFigures(AwardFigures, CpvDivisionIdentity):
    pass


class AwardYearFigures(AwardFigures):
    year: str


class AwardReport(BaseModel):
    overall: AwardFigures
    by_buyer: list[AwardBuyerFigures]
    by_cpv_division: list[AwardCpvDivisionFigures]
    by_year: list[AwardYearFigures]


def tender_id(tender: Tender) -> str:
    return tender.procedure_id or tender.notice_id


def lot_tenders(result: LotResult) -> int | None:
    """BT-759 for "tenders", from the parsed field or, failing that, the raw counts."""
    if result.tenders_received is not None:
        return result.tenders_received
    return result.submissions_by_type.get("tenders")


def lot_sme_tenders(result: LotResult) -> int | None:
    if result.sme_tenders is not None:
        return result.sme_tenders
    counts = result.submissions_by_type
    if "t-sme" in counts:
        return counts["t-sme"]
    parts = [counts[code] for code in _SME_PARTS if code in counts]
    return sum(parts) if parts else None


def lot_participation(result: LotResult) -> LotParticipation:
    tenders = lot_tenders(result)
    sizes = Counter(_size(winner) for winner in _distinct_winners(result.winners))
    known = sum(n for size, n in sizes.items() if size != UNKNOWN)
    value = result.value
    return LotParticipation(
        lot_id=result.lot_id,
        status=result.status,
        tenders_received=tenders,
        sme_tenders=lot_sme_tenders(result),
        single_tender=None if tenders is None else tenders == 1,
        winners=sum(sizes.values()),
        winners_known_size=known,
        sme_winners=sum(n for size, n in sizes.items() if size in SME_SIZES),
        winners_by_size=dict(sizes),
        awarded_value_sek=value.amount if value is not None and value.currency == "SEK" else None,
    )


def procurement_participation(notices: Iterable[Tender]) -> ProcurementParticipation | None:
    """The participation of one procurement from all its notices; None when none carries a lot result."""
    ordered = sorted(notices, key=_notice_order)
    results: dict[str, LotResult] = {}
    for notice in ordered:
        for lot_id, result in _results_by_lot(notice).items():
            results[lot_id] = result  # a later notice's result for a lot replaces an earlier one
    if not results:
        return None
    latest = next(n for n in reversed(ordered) if n.results)
    buyer = latest.buyers[0] if latest.buyers else None
    when = latest.publication_date or latest.issue_date
    return ProcurementParticipation(
        tender_id=tender_id(latest),
        buyer_orgnr=(buyer.orgnr or "") if buyer else "",
        buyer_name=buyer.name if buyer else "",
        cpv_division=_cpv_division(latest),
        year=str(when.year) if when else "",
        lots=[lot_participation(result) for result in results.values()],
    )


def procurements_from_notices(tenders: Iterable[Tender]) -> list[ProcurementParticipation]:
    """One ProcurementParticipation per procurement that has award results, in first-seen order."""
    by_procurement: dict[str, list[Tender]] = {}
    for tender in tenders:
        by_procurement.setdefault(tender_id(tender), []).append(tender)
    found = (procurement_participation(notices) for notices in by_procurement.values())
    return [p for p in found if p is not None]


def award_report(tenders: Iterable[Tender]) -> AwardReport:
    """Award figures over notices (e.g. ``TenderStore.iter_tenders()``), overall and broken down."""
    breakdown: Breakdown[_AwardTally] = Breakdown(_AwardTally)
    for procurement in procurements_from_notices(tenders):
        dims = Dimensions(procurement.buyer_orgnr, procurement.buyer_name, procurement.cpv_division, procurement.year)
        for tally in breakdown.tallies(dims):
            tally.add(procurement)
    buyers, divisions, years = breakdown_rows(breakdown, AwardBuyerFigures, AwardCpvDivisionFigures, AwardYearFigures)
    return AwardReport(overall=breakdown.overall.figures(), by_buyer=buyers, by_cpv_division=divisions, by_year=years)


@dataclass
class _AwardTally:
    procurement_ids: set[str] = field(default_factory=set)
    lots: list[LotParticipation] = field(default_factory=list)
    # Tenders of procurements whose every lot states a count, and how many such procurements there are.
    complete_procurement_tenders: int = 0
    complete_procurements: int = 0

    def add(self, procurement: ProcurementParticipation) -> None:
        self.procurement_ids.add(procurement.tender_id)
        self.lots.extend(procurement.lots)
        counts = [lot.tenders_received for lot in procurement.lots]
        if all(count is not None for count in counts):
            self.complete_procurement_tenders += sum(count or 0 for count in counts)
            self.complete_procurements += 1

    def figures(self) -> AwardFigures:
        counted = [lot for lot in self.lots if lot.tenders_received is not None]
        tenders = sum(lot.tenders_received or 0 for lot in counted)
        single = sum(1 for lot in counted if lot.single_tender)
        with_sme = [lot for lot in counted if lot.sme_tenders is not None]
        tenders_with_sme = sum(lot.tenders_received or 0 for lot in with_sme)
        sme_tenders = sum(lot.sme_tenders or 0 for lot in with_sme)
        sizes: Counter[str] = Counter()
        for lot in self.lots:
            sizes.update(lot.winners_by_size)
        known = sum(lot.winners_known_size for lot in self.lots)
        sme_winners = sum(lot.sme_winners for lot in self.lots)
        return AwardFigures(
            procurements=len(self.procurement_ids),
            lots=len(self.lots),
            lots_by_status=dict(Counter(lot.status or UNKNOWN for lot in self.lots)),
            lots_with_tender_count=len(counted),
            tenders=tenders,
            avg_tenders_per_lot=share(tenders, len(counted)),
            avg_tenders_per_procurement=share(self.complete_procurement_tenders, self.complete_procurements),
            single_tender_lots=single,
            single_tender_lot_share=share(single, len(counted)),
            tenders_with_sme_count=tenders_with_sme,
            sme_tenders=sme_tenders,
            sme_tender_share=share(sme_tenders, tenders_with_sme),
            winners=sum(sizes.values()),
            winners_known_size=known,
            sme_winners=sme_winners,
            sme_share_of_winners=share(sme_winners, known),
            winners_by_size={size: sizes[size] for size in (*CompanySize, UNKNOWN)},
            awarded_value_sek=sum(lot.awarded_value_sek or 0.0 for lot in self.lots),
        )


def _notice_order(notice: Tender) -> tuple[date, str]:
    return (notice.publication_date or notice.issue_date or date.min, notice.version)


def _results_by_lot(notice: Tender) -> dict[str, LotResult]:
    """A notice's results by lot; two results for one lot (several contracts) become one with all winners."""
    merged: dict[str, LotResult] = {}
    for result in notice.results:
        earlier = merged.get(result.lot_id)
        if earlier is None:
            merged[result.lot_id] = result.model_copy(deep=True)
            continue
        earlier.winners.extend(result.winners)
        for name in ("tenders_received", "sme_tenders", "status", "value"):
            if getattr(earlier, name) is None:
                setattr(earlier, name, getattr(result, name))
        earlier.submissions_by_type = result.submissions_by_type | earlier.submissions_by_type
    return merged


def _distinct_winners(winners: list[Winner]) -> list[Winner]:
    """A company named twice for one lot (two contracts) is one winner."""
    seen: dict[str, Winner] = {}
    for winner in winners:
        seen.setdefault(winner.orgnr or winner.name.casefold().strip(), winner)
    return list(seen.values())


def _size(winner: Winner) -> str:
    return winner.size.value if winner.size is not None else UNKNOWN


def _cpv_division(tender: Tender) -> str:
    code = tender.main_cpv or next((lot.main_cpv for lot in tender.lots if lot.main_cpv), None)
    return code[:2] if code and code[:2].isdigit() and code[:2] != "00" else MISSING_CPV_DIVISION
