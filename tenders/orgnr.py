"""Organisation numbers: Swedish ones normalised to the 10 digits that Bolagsverket and UHM use.

Notices write the same Swedish org.nr in many ways ("202100-2932", "SE202100293201" as a VAT number,
"16202100-2932" with the century prefix some systems add). Matching buyers and winners across
sources only works when every form becomes "2021002932"; anything that does not pass the Luhn check
is dropped rather than stored as a wrong identity.
"""

from __future__ import annotations

import re

from stdnum.se import orgnr as se_orgnr

SWEDEN = frozenset({"SWE", "SE"})

# A Swedish VAT number is "SE" + the 10-digit org.nr + "01".
_VAT = re.compile(r"^SE(\d{10})01$")


def _swedish_candidate(value: str) -> str | None:
    """The 10 digits of a Swedish org.nr written in any of its usual forms, unchecked."""
    compact = re.sub(r"[\s\-.:/]", "", value).upper()
    vat = _VAT.match(compact)
    if vat:
        return vat.group(1)
    compact = compact.removeprefix("SE")
    if not compact.isdigit():
        return None
    # 12 digits: "16" + org.nr for legal persons, or a sole trader's personal number (YYYYMMDDNNNN).
    if len(compact) == 12 and compact[:2] in {"16", "18", "19", "20"}:
        compact = compact[2:]
    return compact if len(compact) == 10 else None


def swedish_orgnr(value: str | None) -> str | None:
    """'202100-2932' / 'SE202100293201' → '2021002932'; None when it is not a valid Swedish org.nr."""
    if not value:
        return None
    candidate = _swedish_candidate(value)
    if candidate is None or not se_orgnr.is_valid(candidate):
        return None
    return candidate


def normalise_orgnr(value: str | None, country: str | None = "SWE") -> str | None:
    """An organisation identifier as stored: Swedish → 10 digits (invalid → None); others stripped.

    ``country`` is ISO 3166-1 alpha-3 as in eForms (alpha-2 "SE" is accepted too). When the country is
    unknown, a value that is a valid Swedish org.nr is normalised and anything else is kept as given.
    """
    if value is None or not value.strip():
        return None
    stripped = " ".join(value.split())
    if country is not None and country.upper() in SWEDEN:
        return swedish_orgnr(stripped)
    if country is None:
        return swedish_orgnr(stripped) or stripped
    return stripped
