"""eForms award results (efac:NoticeResult): per lot, what was received and who won.

The chain, by technical ids: LotResult (RES-) → SettledContract (CON-) → LotTender (TEN-) →
TenderingParty (TPA-) → Tenderer → Organization (ORG-). A LotResult may also list tenders that did
not win (e.g. in a lot closed without a winner), so winners come from the settled contracts, and only
from the LotResult's own tender list when it has no contracts.
"""

from __future__ import annotations

from datetime import date

from tenders.model import LotResult, Money, Winner
from tenders.parse.eforms_orgs import Organisation, to_winner
from tenders.parse.reader import Element, Reader
from tenders.parse.values import money, parse_date, parse_int, sum_money

_SME_PARTS = ("t-micro", "t-small", "t-med")
_NO_WINNER = {"clos-nw", "open-nw"}
# Mandatory dates some eSenders fill when they have none (e.g. Portugal's gateway): not a real award date.
_PLACEHOLDER_DATE = date(2000, 1, 1)


class _ResultIndex:
    """The NoticeResult's tenders, contracts and tendering parties by technical id."""

    def __init__(self, reader: Reader, notice_result: Element) -> None:
        self.reader = reader
        self.tenders = self._by_id(notice_result, "efac:LotTender")
        self.contracts = self._by_id(notice_result, "efac:SettledContract")
        self.parties = self._by_id(notice_result, "efac:TenderingParty")

    def _by_id(self, parent: Element, path: str) -> dict[str, Element]:
        index: dict[str, Element] = {}
        for element in self.reader.all(parent, path):
            element_id = self.reader.text(element, "cbc:ID")
            if element_id and element_id not in index:
                index[element_id] = element
        return index


def submissions(reader: Reader, lot_result: Element) -> dict[str, int]:
    """BT-760 type → BT-759 count, e.g. {"tenders": 3, "t-sme": 1}."""
    counts: dict[str, int] = {}
    for statistics in reader.all(lot_result, "efac:ReceivedSubmissionsStatistics"):
        code = reader.text(statistics, "efbc:StatisticsCode")
        number = parse_int(reader.text(statistics, "efbc:StatisticsNumeric"))
        if code and number is not None and code not in counts:
            counts[code] = number
    return counts


def sme_tenders(counts: dict[str, int]) -> int | None:
    """Tenders from SMEs: "t-sme" as stated, else the sum of micro, small and medium when those are given."""
    if "t-sme" in counts:
        return counts["t-sme"]
    parts = [counts[code] for code in _SME_PARTS if code in counts]
    return sum(parts) if parts else None


def _winning_tenders(index: _ResultIndex, lot_result: Element, status: str | None) -> list[Element]:
    if status in _NO_WINNER:
        return []
    reader = index.reader
    contract_ids = reader.texts(lot_result, "efac:SettledContract/cbc:ID")
    tender_ids = [
        tender_id
        for contract_id in contract_ids
        if contract_id in index.contracts
        for tender_id in reader.texts(index.contracts[contract_id], "efac:LotTender/cbc:ID")
    ]
    if not tender_ids:
        tender_ids = reader.texts(lot_result, "efac:LotTender/cbc:ID")
    return [index.tenders[t] for t in dict.fromkeys(tender_ids) if t in index.tenders]


def _winners(index: _ResultIndex, tenders: list[Element], orgs: dict[str, Organisation]) -> list[Winner]:
    reader = index.reader
    org_ids: list[str] = []
    for tender in tenders:
        party = index.parties.get(reader.text(tender, "efac:TenderingParty/cbc:ID") or "")
        org_ids.extend(reader.texts(party, "efac:Tenderer/cbc:ID"))
    return [to_winner(orgs[org_id]) for org_id in dict.fromkeys(org_ids) if org_id in orgs]


def _awarded_value(reader: Reader, tenders: list[Element]) -> Money | None:
    values: list[Money] = []
    for tender in tenders:
        amount = reader.first(tender, "cac:LegalMonetaryTotal/cbc:PayableAmount")
        if amount is not None and (value := money(amount.text, amount.get("currencyID"))):
            values.append(value)
    return sum_money(values)


def _award_date(index: _ResultIndex, lot_result: Element) -> date | None:
    """BT-1451 of the lot's contracts (else their conclusion date BT-145), placeholders skipped. The root's
    cac:TenderResult/cbc:AwardDate is not used: UBL requires it, so notices fill it with 2000-01-01."""
    reader = index.reader
    dates = []
    for contract_id in reader.texts(lot_result, "efac:SettledContract/cbc:ID"):
        contract = index.contracts.get(contract_id)
        for path in ("cbc:AwardDate", "cbc:IssueDate"):
            found = parse_date(reader.text(contract, path))
            if found and found != _PLACEHOLDER_DATE:
                dates.append(found)
                break
    return min(dates) if dates else None


def _lot_id(index: _ResultIndex, lot_result: Element, tenders: list[Element]) -> str:
    reader = index.reader
    lot_id = reader.text(lot_result, "efac:TenderLot/cbc:ID")
    if lot_id is None and tenders:
        lot_id = reader.text(tenders[0], "efac:TenderLot/cbc:ID")
    return lot_id or reader.text(lot_result, "cbc:ID") or ""


def results(reader: Reader, extension: Element | None, orgs: dict[str, Organisation]) -> list[LotResult]:
    """One LotResult per efac:LotResult, in notice order."""
    notice_result = reader.first(extension, "efac:NoticeResult")
    if notice_result is None:
        return []
    index = _ResultIndex(reader, notice_result)
    found = []
    for lot_result in reader.all(notice_result, "efac:LotResult"):
        status = reader.text(lot_result, "cbc:TenderResultCode")
        tenders = _winning_tenders(index, lot_result, status)
        counts = submissions(reader, lot_result)
        found.append(
            LotResult(
                lot_id=_lot_id(index, lot_result, tenders),
                status=status,
                tenders_received=counts.get("tenders"),
                submissions_by_type=counts,
                sme_tenders=sme_tenders(counts),
                winners=_winners(index, tenders, orgs),
                value=_awarded_value(reader, tenders),
                award_date=_award_date(index, lot_result),
            )
        )
    return found
