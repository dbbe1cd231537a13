"""eForms (SDK 1.x) notices → Tender.

Where each value lives is documented in tenders/data/eforms/fields_xpath.tsv (field id, BT, XPath).
Lookups are relative and namespace-tolerant (see reader.py) and every part but the notice id is
optional, so notices from SDK versions, countries or notice types not seen here still give their
key fields.

Decisions (also in the README):
- ``main_cpv`` / ``contract_nature``: the procedure's; if absent, the first lot's.
- ``estimated_value``: BT-27 of the procedure; if absent, the sum of the lots' BT-27 when they share
  one currency (a single lot's value when there is one lot); else None.
- ``place_of_performance``: the procedure's NUTS codes followed by every lot's, without duplicates.
- ``submission_deadline``: the earliest lot BT-131; ``participation_deadline`` likewise for BT-1311.
- ``form_type``: BT-03 (``NoticeTypeCode/@listName``). A change notice keeps the form type of the
  notice it changes, as in eForms; ``changes_notice`` (BT-758) marks it as a change.
"""

from __future__ import annotations

from datetime import datetime

from tenders.model import Lot, Money, Tender
from tenders.parse.eforms_lots import (
    cpv_codes,
    documents_url,
    estimated_value,
    framework_agreement,
    lot_elements,
    nuts_codes,
    parse_lot,
    submission_url,
)
from tenders.parse.eforms_orgs import buyers, organisations
from tenders.parse.eforms_results import results
from tenders.parse.errors import NoticeParseError
from tenders.parse.form_types import form_type
from tenders.parse.reader import Element, Reader
from tenders.parse.values import language_code, parse_date, publication_number, sum_money, zone_for_country

EFORMS_ROOTS = frozenset(
    {"ContractNotice", "ContractAwardNotice", "PriorInformationNotice", "BusinessRegistrationInformationNotice"}
)
_EXTENSION = "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/efext:EformsExtension"


def _procedure_value(reader: Reader, project: Element | None, lots: list[Lot]) -> Money | None:
    value = estimated_value(reader, project)
    if value is not None:
        return value
    lot_values = [lot.estimated_value for lot in lots if lot.estimated_value is not None]
    return sum_money(lot_values)


def _earliest(values: list[datetime | None]) -> datetime | None:
    present = [value for value in values if value is not None]
    return min(present) if present else None


def _identity(reader: Reader, root: Element, extension: Element | None) -> dict[str, object]:
    """Notice id, version, type and dates: what identifies this notice version."""
    notice_id = reader.text(root, "cbc:ID[@schemeName='notice-id']") or reader.text(root, "cbc:ID")
    if not notice_id:
        raise NoticeParseError("eForms notice without a notice identifier (BT-701 cbc:ID)")
    notice_type = reader.text(root, "cbc:NoticeTypeCode")
    subtype = reader.text(extension, "efac:NoticeSubType/cbc:SubTypeCode")
    return {
        "notice_id": notice_id,
        "version": reader.text(root, "cbc:VersionID") or "01",
        "procedure_id": reader.text(root, "cbc:ContractFolderID"),
        "publication_number": publication_number(reader.text(extension, "efac:Publication/efbc:NoticePublicationID")),
        "publication_date": parse_date(reader.text(extension, "efac:Publication/efbc:PublicationDate")),
        "issue_date": parse_date(reader.text(root, "cbc:IssueDate")),
        "language": reader.default_language,
        "form_type": form_type(reader.attr(root, "cbc:NoticeTypeCode", "listName"), notice_type, subtype),
        "notice_type": notice_type,
        "notice_subtype": subtype,
        "procedure_type": reader.text(root, "cac:TenderingProcess/cbc:ProcedureCode"),
        "changes_notice": reader.text(extension, "efac:Changes/efbc:ChangedNoticeIdentifier"),
    }


def _procurement(reader: Reader, root: Element, lots: list[Lot], lot_nodes: list[Element]) -> dict[str, object]:
    """What is bought, where, for how much and by when (procedure level, completed from the lots)."""
    project = reader.first(root, "cac:ProcurementProject")
    main_cpv = cpv_codes(reader, project, "cac:MainCommodityClassification/cbc:ItemClassificationCode")
    first_lot_cpv = next((lot.main_cpv for lot in lots if lot.main_cpv), None)
    main = main_cpv[0] if main_cpv else first_lot_cpv
    additional = cpv_codes(reader, project, "cac:AdditionalCommodityClassification/cbc:ItemClassificationCode")
    natures = [reader.text(project, "cbc:ProcurementTypeCode")] + [
        reader.text(node, "cac:ProcurementProject/cbc:ProcurementTypeCode") for node in lot_nodes
    ]
    places = nuts_codes(reader, project) + [code for lot in lots for code in lot.place_of_performance]
    return {
        "title": reader.lang_text(project, "cbc:Name"),
        "description": reader.lang_text(project, "cbc:Description"),
        "main_cpv": main,
        "additional_cpv": [code for code in additional if code != main],
        "contract_nature": next((nature for nature in natures if nature), None),
        "place_of_performance": list(dict.fromkeys(places)),
        "estimated_value": _procedure_value(reader, project, lots),
        "framework_agreement": framework_agreement(reader, lot_nodes),
        "submission_deadline": _earliest([lot.submission_deadline for lot in lots]),
        "participation_deadline": _earliest([lot.participation_deadline for lot in lots]),
        "documents_url": documents_url(reader, lot_nodes),
        "submission_url": submission_url(reader, lot_nodes),
    }


def parse_eforms(
    root: Element, *, source: str = "ted", source_url: str | None = None, retrieved_at: datetime | None = None
) -> Tender:
    """The Tender of one eForms notice (ContractNotice, ContractAwardNotice or PriorInformationNotice)."""
    reader = Reader(root)
    reader.default_language = language_code(reader.text(root, "cbc:NoticeLanguageCode"))
    extension = reader.first(root, _EXTENSION)
    identity = _identity(reader, root, extension)
    orgs = organisations(reader, extension)
    notice_buyers = buyers(reader, root, orgs)
    zone = zone_for_country(notice_buyers[0].country if notice_buyers else None)
    lot_nodes = lot_elements(reader, root)
    lots = [parse_lot(reader, node, zone) for node in lot_nodes]
    return Tender.model_validate(
        {
            **identity,
            **_procurement(reader, root, lots, lot_nodes),
            "buyers": notice_buyers,
            "lots": lots,
            "results": results(reader, extension, orgs),
            "source": source,
            "source_url": source_url,
            "source_urls": [source_url] if source_url else [],
            "retrieved_at": retrieved_at,
            "raw_format": "eforms",
        }
    )
