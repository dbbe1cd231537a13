"""Code tables that translate TED_EXPORT R2.0.9 (pre-2023 standard forms) into eForms terms.

R2.0.9 names its forms F01..F25 and marks choices with empty elements (<PT_OPEN/>); the Tender model
speaks eForms (form type, notice type, subtype, procedure type), so each is mapped to its eForms
counterpart as the Publications Office's TED-XML-to-eForms converter does.
"""

from __future__ import annotations

from tenders.model import FormType

# FORM → (form type, notice type, subtype under the classic directive 2014/24/EU)
FORMS: dict[str, tuple[FormType, str | None, str | None]] = {
    "F01": (FormType.PLANNING, "pin-only", "4"),
    "F02": (FormType.COMPETITION, "cn-standard", "16"),
    "F03": (FormType.RESULT, "can-standard", "29"),
    "F04": (FormType.PLANNING, "pin-only", "5"),
    "F05": (FormType.COMPETITION, "cn-standard", "17"),
    "F06": (FormType.RESULT, "can-standard", "30"),
    "F07": (FormType.COMPETITION, "qu-sy", "15"),
    "F08": (FormType.PLANNING, "pin-buyer", "1"),
    "F12": (FormType.COMPETITION, "cn-desg", "23"),
    "F13": (FormType.RESULT, "can-desg", "36"),
    "F14": (FormType.CHANGE, None, None),
    "F15": (FormType.DIR_AWARD_PRE, "veat", "25"),
    "F16": (FormType.PLANNING, "pin-only", "6"),
    "F17": (FormType.COMPETITION, "cn-standard", "18"),
    "F18": (FormType.RESULT, "can-standard", "31"),
    "F19": (FormType.COMPETITION, "subco", "22"),
    "F20": (FormType.CONT_MODIF, "can-modif", "38"),
    "F21": (FormType.COMPETITION, "cn-social", "20"),
    "F22": (FormType.COMPETITION, "cn-social", "21"),
    "F23": (FormType.COMPETITION, "cn-social", None),
    "F24": (FormType.COMPETITION, "cn-standard", "19"),
    "F25": (FormType.RESULT, "can-standard", "32"),
}

PROCEDURES = {
    "PT_OPEN": "open",
    "PT_RESTRICTED": "restricted",
    "PT_COMPETITIVE_NEGOTIATION": "neg-w-call",
    "PT_NEGOTIATED_WITH_PRIOR_CALL": "neg-w-call",
    "PT_COMPETITIVE_DIALOGUE": "comp-dial",
    "PT_INNOVATION_PARTNERSHIP": "innovation",
    "PT_AWARD_CONTRACT_WITHOUT_CALL": "neg-wo-call",
    "PT_AWARD_CONTRACT_WITHOUT_PUBLICATION": "neg-wo-call",
    "PT_NEGOTIATED_WITHOUT_PUBLICATION": "neg-wo-call",
    "PT_INVOLVING_NEGOTIATION": "neg-w-call",
}

# ISO 3166-1 alpha-2 (R2.0.9) → alpha-3 (eForms), for the countries that publish on TED.
COUNTRIES = {
    "AT": "AUT",
    "BE": "BEL",
    "BG": "BGR",
    "CH": "CHE",
    "CY": "CYP",
    "CZ": "CZE",
    "DE": "DEU",
    "DK": "DNK",
    "EE": "EST",
    "EL": "GRC",
    "GR": "GRC",
    "ES": "ESP",
    "FI": "FIN",
    "FR": "FRA",
    "HR": "HRV",
    "HU": "HUN",
    "IE": "IRL",
    "IS": "ISL",
    "IT": "ITA",
    "LI": "LIE",
    "LT": "LTU",
    "LU": "LUX",
    "LV": "LVA",
    "MK": "MKD",
    "MT": "MLT",
    "NL": "NLD",
    "NO": "NOR",
    "PL": "POL",
    "PT": "PRT",
    "RO": "ROU",
    "RS": "SRB",
    "SE": "SWE",
    "SI": "SVN",
    "SK": "SVK",
    "UK": "GBR",
    "GB": "GBR",
    "US": "USA",
    "AL": "ALB",
    "ME": "MNE",
    "TR": "TUR",
}

# AWARDED_CONTRACT/TENDERS counters → eForms BT-760 received-submission types.
SUBMISSION_COUNTERS = {
    "NB_TENDERS_RECEIVED": "tenders",
    "NB_TENDERS_RECEIVED_SME": "t-sme",
    "NB_TENDERS_RECEIVED_OTHER_EU": "t-oth-eea",
    "NB_TENDERS_RECEIVED_NON_EU": "t-no-eea",
    "NB_TENDERS_RECEIVED_EMEANS": "t-esubm",
}

CONTRACT_NATURES = {"WORKS": "works", "SUPPLIES": "supplies", "SERVICES": "services"}


def country_alpha3(code: str | None) -> str | None:
    if not code or not code.strip():
        return None
    code = code.strip().upper()
    return COUNTRIES.get(code, code)


def social_form_type(notice_type: str | None) -> FormType:
    """F21–F23 (light regime) carry their purpose in NOTICE/@TYPE: PRI_ONLY, CONTRACT, AWARD_CONTRACT, ..."""
    kind = (notice_type or "").upper()
    if "AWARD" in kind:
        return FormType.RESULT
    if kind.startswith("PRI") and "ONLY" in kind:
        return FormType.PLANNING
    return FormType.COMPETITION
