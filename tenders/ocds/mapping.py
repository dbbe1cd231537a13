"""One stored notice version (a :class:`Tender`) as an OCDS 1.1 release.

The field choices follow the Publications Office's and the Open Contracting Partnership's guidance "OCDS for
eForms" (the eForms business term is named beside each field): ocid from the procedure identifier (BT-04), release
id from the notice identifier and version (BT-701, BT-757), one award per lot result, the winners as suppliers with
their size (BT-165 → ``details.scale``), and the received submissions (BT-759/BT-760) as bid statistics, SME bids
included. Lots, bids, suitability and party scale come from OCDS extensions (:data:`EXTENSIONS`); the core schema
allows such extra fields.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tenders.model import Duration, FormType, Lot, Tender, pick_language
from tenders.ocds.awards import awards_of, bid_statistics
from tenders.ocds.parties import build_parties, party_ref
from tenders.ocds.values import day_start, money, put

EXTENSIONS = [
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_partyDetails_scale_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_suitability_extension/master/extension.json",
]

# eForms form type (BT-03) → OCDS release tag. A change notice updates the stage it changes.
RELEASE_TAGS = {
    FormType.PLANNING: "planning",
    FormType.CONSULTATION: "planning",
    FormType.COMPETITION: "tender",
    FormType.RESULT: "award",
    FormType.DIR_AWARD_PRE: "award",
    FormType.CONT_MODIF: "contractAmendment",
    FormType.COMPLETION: "contractTermination",
}
TENDER_STATUS = {"planning": "planned", "tender": "active", "award": "complete"}
# eForms procedure type (BT-105) → OCDS procurementMethod; the eForms code itself goes in procurementMethodDetails.
PROCUREMENT_METHODS = {
    "open": "open", "restricted": "selective", "neg-w-call": "selective", "comp-dial": "selective",
    "innovation": "selective", "comp-tend": "selective", "neg-wo-call": "limited", "oth-single": "limited",
    "oth-mult": "selective",
}
CATEGORIES = {"works": "works", "supplies": "goods", "services": "services"}
# Duration units (BT-36) in days, as OCDS for eForms counts them.
DAYS_PER_UNIT = {"DAY": 1, "WEEK": 7, "MONTH": 30, "YEAR": 365}


def ocid_for(prefix: str, tender: Tender) -> str:
    """The contracting process: the procedure (BT-04), else the notice when it names none."""
    return f"{prefix}-{tender.procedure_id or tender.notice_id}"


def release_date(tender: Tender) -> str:
    """The notice's issue date (BT-05), else its publication date, as an RFC 3339 date-time in UTC."""
    return day_start(tender.issue_date or tender.publication_date or date(1970, 1, 1))


def release_tag(tender: Tender) -> str:
    if tender.form_type is FormType.CHANGE:
        return "awardUpdate" if tender.results else "tenderUpdate"
    return RELEASE_TAGS.get(tender.form_type or FormType.COMPETITION, "tender")


def to_release(tender: Tender, prefix: str) -> dict[str, Any]:
    """The release for one notice version."""
    tag = release_tag(tender)
    release: dict[str, Any] = {
        "ocid": ocid_for(prefix, tender),
        "id": f"{tender.notice_id}-{tender.version}",
        "date": release_date(tender),
        "tag": [tag],
        "initiationType": "tender",
        "parties": build_parties(tender),
        "tender": _tender(tender, tag),
    }
    if tender.language:
        release["language"] = _two_letter(tender.language)
    if tender.buyers:
        release["buyer"] = party_ref(tender.buyers[0].name, tender.buyers[0].orgnr, tender.buyers[0].country)
    if tender.results:
        release["awards"] = awards_of(tender)
        statistics = bid_statistics(tender)
        if statistics:
            release["bids"] = {"statistics": statistics}
    return release


def _tender(tender: Tender, tag: str) -> dict[str, Any]:
    section: dict[str, Any] = {"id": tender.procedure_id or tender.notice_id}
    put(section, "title", pick_language(tender.title) or None)
    put(section, "description", pick_language(tender.description) or None)
    put(section, "status", TENDER_STATUS.get(tag))
    put(section, "mainProcurementCategory", CATEGORIES.get(tender.contract_nature or ""))
    put(section, "procurementMethod", PROCUREMENT_METHODS.get(tender.procedure_type or ""))
    put(section, "procurementMethodDetails", tender.procedure_type)
    put(section, "value", money(tender.estimated_value))
    put(section, "items", _items(tender))
    if tender.submission_deadline:
        section["tenderPeriod"] = {"endDate": tender.submission_deadline.isoformat()}
    if tender.documents_url:
        section["documents"] = [{"id": "1", "documentType": "biddingDocuments", "url": tender.documents_url}]
    put(section, "lots", [_lot(lot) for lot in tender.lots])
    return section


def _lot(lot: Lot) -> dict[str, Any]:
    section: dict[str, Any] = {"id": lot.id}
    put(section, "title", pick_language(lot.title) or None)
    put(section, "description", pick_language(lot.description) or None)
    put(section, "value", money(lot.estimated_value))
    put(section, "contractPeriod", _period(lot.start_date, lot.end_date, lot.duration))
    if lot.submission_deadline:
        section["tenderPeriod"] = {"endDate": lot.submission_deadline.isoformat()}
    if lot.sme_suitable is not None:
        section["suitability"] = {"sme": lot.sme_suitable}  # BT-726
    return section


def _items(tender: Tender) -> list[dict[str, Any]]:
    """One item per lot with its CPV codes (BT-262, BT-263); the procedure's codes when no lot has any."""
    items = [_item(lot.id, lot.main_cpv, lot.additional_cpv, lot.id) for lot in tender.lots if lot.main_cpv]
    if not items and tender.main_cpv:
        items.append(_item("1", tender.main_cpv, tender.additional_cpv, None))
    return items


def _item(item_id: str, main: str | None, additional: list[str], lot_id: str | None) -> dict[str, Any]:
    item: dict[str, Any] = {"id": item_id, "classification": {"scheme": "CPV", "id": main}}
    put(item, "additionalClassifications", [{"scheme": "CPV", "id": code} for code in additional])
    put(item, "relatedLot", lot_id)
    return item


def _period(start: date | None, end: date | None, duration: Duration | None) -> dict[str, Any] | None:
    period: dict[str, Any] = {}
    if start:
        period["startDate"] = day_start(start)
    if end:
        period["endDate"] = day_start(end)
    if duration and duration.unit.upper() in DAYS_PER_UNIT:
        period["durationInDays"] = round(duration.value * DAYS_PER_UNIT[duration.unit.upper()])
    return period or None


def _two_letter(language: str) -> str:
    """eForms languages are ISO 639-2/B (SWE); OCDS wants ISO 639-1 (sv) where one exists."""
    return {"swe": "sv", "eng": "en", "fin": "fi", "nor": "no", "dan": "da", "ger": "de", "deu": "de",
            "fre": "fr", "fra": "fr"}.get(language.lower(), language.lower())

