"""eForms lots (cac:ProcurementProjectLot): what is bought, when tenders are due, and lot-level terms.

A notice divides its procedure into Lots (``cbc:ID/@schemeName='Lot'``, LOT-0001); prior information
notices without lots use Parts (``'Part'``, PAR-0001) instead; LotsGroups (GLO-) only group lots and
are not lots themselves. Old or sloppy notices omit ``@schemeName``: then the id prefix decides.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from tenders.codelists import normalise_cpv
from tenders.model import Lot, Money
from tenders.parse.reader import Element, Reader
from tenders.parse.values import duration, money, parse_bool, parse_date, parse_deadline

_ID_PREFIX_KIND = {"LOT": "lot", "PAR": "part", "GLO": "lotsgroup"}
# BT-630: a prior information notice used as a call for competition asks for expressions of interest.
_INTEREST_EXPRESSION = (
    "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/efext:EformsExtension"
    "/efac:InterestExpressionReceptionPeriod"
)
_STRATEGIC_LISTS = {"strategic-procurement", "environmental-impact", "social-objective", "gpp-criteria"}


def _kind(reader: Reader, lot: Element) -> str:
    id_element = reader.first(lot, "cbc:ID")
    scheme = (id_element.get("schemeName") or "") if id_element is not None else ""
    if scheme:
        return scheme.strip().lower()
    lot_id = reader.text(lot, "cbc:ID") or ""
    return _ID_PREFIX_KIND.get(lot_id[:3].upper(), "lot")


def lot_elements(reader: Reader, root: Element) -> list[Element]:
    """The notice's lots; a planning notice's parts when it has no lots."""
    by_kind: dict[str, list[Element]] = {"lot": [], "part": []}
    for element in reader.all(root, "cac:ProcurementProjectLot"):
        by_kind.setdefault(_kind(reader, element), []).append(element)
    return by_kind["lot"] or by_kind["part"]


def cpv_codes(reader: Reader, project: Element | None, path: str) -> list[str]:
    """CPV codes at ``path`` (other classifications, e.g. supplementary codes, are skipped)."""
    codes: list[str] = []
    for element in reader.all(project, path):
        if (element.get("listName") or "cpv").lower() != "cpv":
            continue
        code = normalise_cpv(element.text)
        if code and code not in codes:
            codes.append(code)
    return codes


def nuts_codes(reader: Reader, project: Element | None) -> list[str]:
    return list(dict.fromkeys(reader.texts(project, "cac:RealizedLocation/cac:Address/cbc:CountrySubentityCode")))


def estimated_value(reader: Reader, project: Element | None) -> Money | None:
    amount = reader.first(project, "cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount")
    return money(amount.text, amount.get("currencyID")) if amount is not None else None


def _period_deadline(reader: Reader, process: Element | None, period: str, zone: tzinfo | None) -> datetime | None:
    end = reader.first(process, period)
    if end is None:
        return None
    return parse_deadline(reader.text(end, "cbc:EndDate"), reader.text(end, "cbc:EndTime"), zone)


def _strategic_flags(reader: Reader, project: Element | None) -> tuple[bool | None, bool | None]:
    """(environmental, social) from BT-06 / BT-774 / BT-775 / BT-805; None when the notice says nothing."""
    codes = [
        ((element.get("listName") or "").strip(), (element.text or "").strip())
        for element in reader.all(project, "cac:ProcurementAdditionalType/cbc:ProcurementTypeCode")
    ]
    if not any(list_name in _STRATEGIC_LISTS for list_name, _ in codes):
        return None, None
    environmental = any(
        name == "environmental-impact"
        or (name, code) == ("strategic-procurement", "env-imp")
        or (name == "gpp-criteria" and code not in ("", "none"))
        for name, code in codes
    )
    social = any(
        name == "social-objective" or (name, code) == ("strategic-procurement", "soc-obj") for name, code in codes
    )
    return environmental, social


def _reserved(reader: Reader, terms: Element | None) -> bool | None:
    """BT-71 reserved participation (sheltered workshops, ...) or BT-736 reserved execution."""
    participation = reader.texts(
        terms,
        "cac:TendererQualificationRequest/cac:SpecificTendererRequirement/"
        "cbc:TendererRequirementTypeCode[@listName='reserved-procurement']",
    )
    execution = reader.texts(
        terms, "cac:ContractExecutionRequirement/cbc:ExecutionRequirementCode[@listName='reserved-execution']"
    )
    if not participation and not execution:
        return None
    return any(code != "none" for code in participation) or "yes" in execution


def parse_lot(reader: Reader, lot: Element, zone: tzinfo | None = None) -> Lot:
    project = reader.first(lot, "cac:ProcurementProject")
    process = reader.first(lot, "cac:TenderingProcess")
    planned = reader.first(project, "cac:PlannedPeriod")
    period = reader.first(planned, "cbc:DurationMeasure")
    main_cpv = cpv_codes(reader, project, "cac:MainCommodityClassification/cbc:ItemClassificationCode")
    environmental, social = _strategic_flags(reader, project)
    return Lot(
        id=reader.text(lot, "cbc:ID") or "",
        title=reader.lang_text(project, "cbc:Name"),
        description=reader.lang_text(project, "cbc:Description"),
        main_cpv=main_cpv[0] if main_cpv else None,
        additional_cpv=cpv_codes(reader, project, "cac:AdditionalCommodityClassification/cbc:ItemClassificationCode"),
        place_of_performance=nuts_codes(reader, project),
        estimated_value=estimated_value(reader, project),
        sme_suitable=parse_bool(reader.text(project, "cbc:SMESuitableIndicator")),
        submission_deadline=_period_deadline(reader, process, "cac:TenderSubmissionDeadlinePeriod", zone),
        participation_deadline=_period_deadline(reader, process, "cac:ParticipationRequestReceptionPeriod", zone)
        or _period_deadline(reader, process, _INTEREST_EXPRESSION, zone),
        duration=duration(period.text, period.get("unitCode")) if period is not None else None,
        start_date=parse_date(reader.text(planned, "cbc:StartDate")),
        end_date=parse_date(reader.text(planned, "cbc:EndDate")),
        environmental_criteria=environmental,
        social_criteria=social,
        reserved=_reserved(reader, reader.first(lot, "cac:TenderingTerms")),
    )


def framework_agreement(reader: Reader, lots: list[Element]) -> bool | None:
    """BT-765 over all lots: True when any lot is (part of) a framework agreement, None when none says."""
    path = "cac:TenderingProcess/cac:ContractingSystem/cbc:ContractingSystemTypeCode[@listName='framework-agreement']"
    codes = [code for lot in lots for code in reader.texts(lot, path)]
    return any(code != "none" for code in codes) if codes else None


def documents_url(reader: Reader, lots: list[Element]) -> str | None:
    """BT-15 (non-restricted documents), else BT-615 (restricted documents' URL), of the first lot that has one."""
    reference = "cac:TenderingTerms/cac:CallForTendersDocumentReference"
    uri = "cac:Attachment/cac:ExternalReference/cbc:URI"
    for path in (f"{reference}[cbc:DocumentType='non-restricted-document']/{uri}", f"{reference}/{uri}"):
        for lot in lots:
            if found := reader.text(lot, path):
                return found
    return None


def submission_url(reader: Reader, lots: list[Element]) -> str | None:
    """BT-18: where tenders are submitted electronically."""
    for lot in lots:
        if found := reader.text(lot, "cac:TenderingTerms/cac:TenderRecipientParty/cbc:EndpointID"):
            return found
    return None
