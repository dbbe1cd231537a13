"""Award results of TED_EXPORT R2.0.9 forms (F03, F06, ...): one AWARD_CONTRACT per awarded contract."""

from __future__ import annotations

from tenders.model import CompanySize, LotResult, Winner
from tenders.orgnr import normalise_orgnr
from tenders.parse import r209_reader as ted
from tenders.parse.r209_codes import SUBMISSION_COUNTERS, country_alpha3
from tenders.parse.reader import Element, local_name
from tenders.parse.values import money, parse_date, parse_int


def _winner(contractor: Element) -> Winner | None:
    address = ted.find(contractor, "ADDRESS_CONTRACTOR")
    name = ted.text(address, "OFFICIALNAME")
    if not name:
        return None
    country = country_alpha3(ted.attr(address, "COUNTRY", "VALUE"))
    # R2.0.9 only says SME or not: <SME/> → "sme", <NO_SME/> → large.
    size = None
    if ted.has(contractor, "SME"):
        size = CompanySize.SME
    elif ted.has(contractor, "NO_SME"):
        size = CompanySize.LARGE
    orgnr = normalise_orgnr(ted.text(address, "NATIONALID"), country)
    return Winner(name=name, orgnr=orgnr, country=country, size=size)


def _counts(awarded: Element | None) -> dict[str, int]:
    counts: dict[str, int] = {}
    for counter in ted.find_all(awarded, "TENDERS/*"):
        code = SUBMISSION_COUNTERS.get(local_name(counter))
        number = parse_int(counter.text)
        if code and number is not None:
            counts[code] = number
    return counts


def _status(award: Element, awarded: Element | None) -> str | None:
    """BT-142 in eForms terms: awarded → selec-w; discontinued or unsuccessful → clos-nw."""
    if awarded is not None:
        return "selec-w"
    return "clos-nw" if ted.has(award, "NO_AWARDED_CONTRACT") else None


def award_results(form: Element, lot_ids: list[str]) -> list[LotResult]:
    """One LotResult per AWARD_CONTRACT; its lot is LOT_NO, or the only lot when there is one."""
    results = []
    for award in ted.find_all(form, "AWARD_CONTRACT"):
        lot_id = ted.text(award, "LOT_NO") or (lot_ids[0] if len(lot_ids) == 1 else award.get("ITEM", ""))
        awarded = ted.find(award, "AWARDED_CONTRACT")
        counts = _counts(awarded)
        winners = [w for c in ted.find_all(awarded, ".//CONTRACTOR") if (w := _winner(c)) is not None]
        total = ted.find(awarded, "VALUES/VAL_TOTAL")
        results.append(
            LotResult(
                lot_id=lot_id,
                status=_status(award, awarded),
                tenders_received=counts.get("tenders"),
                submissions_by_type=counts,
                sme_tenders=counts.get("t-sme"),
                winners=winners,
                value=money(total.text, total.get("CURRENCY")) if total is not None else None,
                award_date=parse_date(ted.text(awarded, "DATE_CONCLUSION_CONTRACT")),
            )
        )
    return results
