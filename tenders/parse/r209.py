"""TED_EXPORT R2.0.9 notices (the standard forms TED published before eForms, 2014–2023) → Tender.

Mapped to the same model as eForms, following the Publications Office's converter where it makes a
choice: the notice id is the TED publication number (DOC_ID, e.g. "352907-2021"), the version "01";
lots are OBJECT_DESCR items (id LOT_NO, else the item number "1"); a lot without its own title or
main CPV takes the procedure's; times without a zone are the buyer country's local time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, tzinfo

from tenders.codelists import municipality_code, normalise_cpv
from tenders.model import Buyer, FormType, Lot, Tender
from tenders.orgnr import normalise_orgnr
from tenders.parse import r209_reader as ted
from tenders.parse.errors import NoticeParseError
from tenders.parse.r209_award import award_results
from tenders.parse.r209_codes import CONTRACT_NATURES, FORMS, PROCEDURES, country_alpha3, social_form_type
from tenders.parse.reader import Element, local_name
from tenders.parse.values import duration, language_code, money, parse_date, parse_deadline, zone_for_country

_OJS_NUMBER = re.compile(r"(\d{4})/S\s*\d+-0*(\d+)")


def _notice_id(root: Element) -> str:
    doc_id = (root.get("DOC_ID") or "").strip()
    if doc_id:
        return doc_id
    match = _OJS_NUMBER.search(ted.text(root, "CODED_DATA_SECTION/NOTICE_DATA/NO_DOC_OJS") or "")
    if match:
        return f"{match.group(2)}-{match.group(1)}"
    raise NoticeParseError("TED notice without a publication number (DOC_ID or NO_DOC_OJS)")


def _original_form(root: Element) -> Element:
    forms = ted.find_all(root, "FORM_SECTION/*")
    if not forms:
        raise NoticeParseError("TED notice without a form (FORM_SECTION is empty)")
    return next((form for form in forms if form.get("CATEGORY") == "ORIGINAL"), forms[0])


def _in_languages(root: Element, path: str) -> dict[str, str]:
    """A form text in every language the notice carries it in (original and translated forms)."""
    texts: dict[str, str] = {}
    for form in ted.find_all(root, "FORM_SECTION/*"):
        lang = language_code(form.get("LG"))
        value = ted.text(form, path)
        if lang and value and lang not in texts:
            texts[lang] = value
    return texts


def _buyer(address: Element) -> Buyer | None:
    name = ted.text(address, "OFFICIALNAME")
    if not name:
        return None
    country = country_alpha3(ted.attr(address, "COUNTRY", "VALUE"))
    city = ted.text(address, "TOWN")
    return Buyer(
        name=name,
        orgnr=normalise_orgnr(ted.text(address, "NATIONALID"), country),
        country=country,
        city=city,
        nuts=ted.attr(address, "NUTS", "CODE"),
        municipality_code=municipality_code(city, name) if country == "SWE" else None,
        url=ted.text(address, "URL_GENERAL"),
    )


def _buyers(form: Element) -> list[Buyer]:
    addresses = ted.find_all(form, "CONTRACTING_BODY/ADDRESS_CONTRACTING_BODY") + ted.find_all(
        form, "CONTRACTING_BODY/ADDRESS_CONTRACTING_BODY_ADDITIONAL"
    )
    return [buyer for address in addresses if (buyer := _buyer(address)) is not None]


@dataclass(frozen=True)
class _LotDefaults:
    """What a lot takes from its notice: R2.0.9 lots often state no title, main CPV or deadline of their own."""

    language: str
    title: dict[str, str]
    main_cpv: str | None
    deadline: datetime | None
    reserved: bool | None


def _lot(item: Element, defaults: _LotDefaults) -> Lot:
    value = ted.find(item, "VAL_OBJECT")
    period = ted.find(item, "DURATION")
    title = ted.text(item, "TITLE")
    description = ted.text(item, "SHORT_DESCR")
    return Lot(
        id=ted.text(item, "LOT_NO") or item.get("ITEM") or "1",
        title={defaults.language: title} if title else dict(defaults.title),
        description={defaults.language: description} if description else {},
        main_cpv=normalise_cpv(ted.attr(item, "CPV_MAIN/CPV_CODE", "CODE")) or defaults.main_cpv,
        additional_cpv=[c for code in ted.attrs(item, "CPV_ADDITIONAL/CPV_CODE", "CODE") if (c := normalise_cpv(code))],
        place_of_performance=ted.attrs(item, "NUTS", "CODE"),
        estimated_value=money(value.text, value.get("CURRENCY")) if value is not None else None,
        submission_deadline=defaults.deadline,
        duration=duration(period.text, period.get("TYPE")) if period is not None else None,
        start_date=parse_date(ted.text(item, "DATE_START")),
        end_date=parse_date(ted.text(item, "DATE_END")),
        reserved=defaults.reserved,
    )


def _reserved(form: Element) -> bool | None:
    """Reserved for sheltered workshops or programmes (III.1.5); R2.0.9 only ever says yes."""
    sheltered = ("LEFTI/RESTRICTED_SHELTERED_WORKSHOP", "LEFTI/RESTRICTED_SHELTERED_PROGRAM")
    return True if any(ted.has(form, path) for path in sheltered) else None


def _procedure_type(form: Element) -> str | None:
    for choice in ted.find_all(form, "PROCEDURE/*"):
        if (name := local_name(choice)) in PROCEDURES:
            return PROCEDURES[name]
    return None


def _classification(form: Element) -> tuple[FormType | None, str | None, str | None]:
    form_code = (form.get("FORM") or "").upper()
    form_type, notice_type, subtype = FORMS.get(form_code, (None, None, None))
    if form_code in {"F21", "F22", "F23"}:
        form_type = social_form_type(ted.attr(form, "NOTICE", "TYPE"))
        notice_type = "can-social" if form_type is FormType.RESULT else notice_type
    return form_type, notice_type, subtype


def _deadline(form: Element, zone: tzinfo) -> datetime | None:
    day = ted.text(form, "PROCEDURE/DATE_RECEIPT_TENDERS")
    return parse_deadline(day, ted.text(form, "PROCEDURE/TIME_RECEIPT_TENDERS"), zone) if day else None


def _notice_fields(root: Element, form: Element, language: str | None) -> dict[str, object]:
    """Identity, classification and dates of the notice."""
    notice_id = _notice_id(root)
    form_type, notice_type, subtype = _classification(form)
    return {
        "notice_id": notice_id,
        "version": "01",
        "publication_number": notice_id,
        "language": language,
        "publication_date": parse_date(ted.text(root, "CODED_DATA_SECTION/REF_OJS/DATE_PUB")),
        "issue_date": parse_date(ted.text(form, "COMPLEMENTARY_INFO/DATE_DISPATCH_NOTICE"))
        or parse_date(ted.text(root, "CODED_DATA_SECTION/CODIF_DATA/DS_DATE_DISPATCH")),
        "form_type": form_type,
        "notice_type": notice_type,
        "notice_subtype": subtype,
        "procedure_type": _procedure_type(form),
    }


def _procurement_fields(root: Element, form: Element, language: str | None, buyers: list[Buyer]) -> dict[str, object]:
    """What is bought (OBJECT_CONTRACT and its OBJECT_DESCR lots), by when and where to find the documents."""
    contract = ted.find(form, "OBJECT_CONTRACT")
    title = _in_languages(root, "OBJECT_CONTRACT/TITLE")
    main_cpv = normalise_cpv(ted.attr(contract, "CPV_MAIN/CPV_CODE", "CODE"))
    deadline = _deadline(form, zone_for_country(buyers[0].country if buyers else None))
    defaults = _LotDefaults(language or "und", title, main_cpv, deadline, _reserved(form))
    lots = [_lot(item, defaults) for item in ted.find_all(contract, "OBJECT_DESCR")]
    estimate = ted.find(contract, "VAL_ESTIMATED_TOTAL")
    return {
        "title": title,
        "description": _in_languages(root, "OBJECT_CONTRACT/SHORT_DESCR"),
        "main_cpv": main_cpv,
        "contract_nature": CONTRACT_NATURES.get((ted.attr(contract, "TYPE_CONTRACT", "CTYPE") or "").upper()),
        "place_of_performance": list(dict.fromkeys(code for lot in lots for code in lot.place_of_performance)),
        "estimated_value": money(estimate.text, estimate.get("CURRENCY")) if estimate is not None else None,
        "framework_agreement": ted.has(form, "PROCEDURE/FRAMEWORK") if ted.has(form, "PROCEDURE") else None,
        "lots": lots,
        "submission_deadline": deadline,
        "documents_url": ted.text(form, "CONTRACTING_BODY/URL_DOCUMENT"),
        "submission_url": ted.text(form, "CONTRACTING_BODY/URL_PARTICIPATION"),
        "results": award_results(form, [lot.id for lot in lots]),
    }


def parse_r209(
    root: Element, *, source: str = "ted", source_url: str | None = None, retrieved_at: datetime | None = None
) -> Tender:
    """The Tender of one TED_EXPORT (R2.0.9) notice."""
    form = _original_form(root)
    buyers = _buyers(form)
    language = language_code(form.get("LG")) or language_code(ted.text(root, "CODED_DATA_SECTION/NOTICE_DATA/LG_ORIG"))
    return Tender.model_validate(
        {
            **_notice_fields(root, form, language),
            **_procurement_fields(root, form, language, buyers),
            "buyers": buyers,
            "source": source,
            "source_url": source_url,
            "source_urls": [source_url] if source_url else [],
            "retrieved_at": retrieved_at,
            "raw_format": "ted-r209",
        }
    )
