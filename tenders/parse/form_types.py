"""Which form type (BT-03) a notice has when it does not say so itself.

eForms notices state the form type in ``cbc:NoticeTypeCode/@listName``. When that is missing or not
a known code, the notice type (BT-02) or the subtype (OPP-070) decides, following the eForms SDK's
``notice-types.json`` (the code list files shipped in tenders/data/eforms do not carry this relation).
"""

from __future__ import annotations

from functools import cache

from tenders.codelists import data_path
from tenders.model import FormType

_NOTICE_TYPE_FORM = {
    "pmc": FormType.CONSULTATION,
    "pin-only": FormType.PLANNING,
    "pin-buyer": FormType.PLANNING,
    "pin-rtl": FormType.PLANNING,
    "pin-tran": FormType.PLANNING,
    "pin-cfc-standard": FormType.COMPETITION,
    "pin-cfc-social": FormType.COMPETITION,
    "qu-sy": FormType.COMPETITION,
    "cn-standard": FormType.COMPETITION,
    "cn-social": FormType.COMPETITION,
    "cn-desg": FormType.COMPETITION,
    "subco": FormType.COMPETITION,
    "can-standard": FormType.RESULT,
    "can-social": FormType.RESULT,
    "can-desg": FormType.RESULT,
    "can-tran": FormType.RESULT,
    "veat": FormType.DIR_AWARD_PRE,
    "can-modif": FormType.CONT_MODIF,
    "compl": FormType.COMPLETION,
    "brin-ecs": FormType.BRI,
    "brin-eeig": FormType.BRI,
}


def _subtype_form(subtype: str) -> FormType | None:
    special = {
        "E1": FormType.CONSULTATION,
        "E2": FormType.PLANNING,
        "E3": FormType.COMPETITION,
        "E4": FormType.RESULT,
        "E5": FormType.COMPLETION,
        "E6": FormType.CONT_MODIF,
        "CEI": FormType.COMPETITION,
        "T01": FormType.PLANNING,
        "T02": FormType.RESULT,
        "X01": FormType.BRI,
        "X02": FormType.BRI,
    }
    if subtype.upper() in special:
        return special[subtype.upper()]
    if not subtype.isdigit():
        return None
    number = int(subtype)
    ranges = (
        (1, 9, FormType.PLANNING),
        (10, 24, FormType.COMPETITION),
        (25, 28, FormType.DIR_AWARD_PRE),
        (29, 37, FormType.RESULT),
        (38, 40, FormType.CONT_MODIF),
    )
    return next((form for low, high, form in ranges if low <= number <= high), None)


@cache
def known_form_types() -> frozenset[str]:
    """The codes of the eForms ``form-type`` code list (tenders/data/eforms/form-type.tsv)."""
    with data_path("eforms/form-type.tsv").open(encoding="utf-8") as handle:
        return frozenset(line.split("\t", 1)[0] for line in handle.read().splitlines()[1:] if line.strip())


def form_type(list_name: str | None, notice_type: str | None, subtype: str | None) -> FormType | None:
    """BT-03 from ``@listName`` when it is a form-type code, else derived from BT-02, else from OPP-070."""
    if list_name and list_name in known_form_types():
        try:
            return FormType(list_name)
        except ValueError:
            pass
    if notice_type and notice_type in _NOTICE_TYPE_FORM:
        return _NOTICE_TYPE_FORM[notice_type]
    return _subtype_form(subtype) if subtype else None
