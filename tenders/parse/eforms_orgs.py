"""eForms organisations (efac:Organizations) and the buyers and winners that point to them.

Every party in an eForms notice is one efac:Organization with a technical id (ORG-0001); buyers
reference it from cac:ContractingParty, winners through TenderingParty → Tenderer.
"""

from __future__ import annotations

from dataclasses import dataclass

from tenders.codelists import municipality_code
from tenders.model import Buyer, CompanySize, Winner
from tenders.orgnr import SWEDEN, normalise_orgnr
from tenders.parse.reader import Element, Reader


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    company_id: str | None
    country: str | None
    city: str | None
    nuts: str | None
    url: str | None
    size: CompanySize | None

    @property
    def orgnr(self) -> str | None:
        return normalise_orgnr(self.company_id, self.country)


def _size(code: str | None) -> CompanySize | None:
    try:
        return CompanySize(code.strip().lower()) if code else None
    except ValueError:
        return None


def _organisation(reader: Reader, organization: Element) -> Organisation | None:
    company = reader.first(organization, "efac:Company")
    if company is None:
        return None
    org_id = reader.text(company, "cac:PartyIdentification/cbc:ID")
    if org_id is None:
        return None
    name = reader.pick_language(reader.lang_text(company, "cac:PartyName/cbc:Name")) or org_id
    address = reader.first(company, "cac:PostalAddress")
    # BT-165 sits on the Company in SDK 1.x; look one level up too, for notices that put it elsewhere.
    size = reader.text(company, "efbc:CompanySizeCode") or reader.text(organization, ".//efbc:CompanySizeCode")
    return Organisation(
        id=org_id,
        name=name,
        company_id=reader.text(company, "cac:PartyLegalEntity/cbc:CompanyID"),
        country=reader.text(address, "cac:Country/cbc:IdentificationCode"),
        city=reader.text(address, "cbc:CityName"),
        nuts=reader.text(address, "cbc:CountrySubentityCode"),
        url=reader.text(company, "cbc:WebsiteURI"),
        size=_size(size),
    )


def organisations(reader: Reader, extension: Element | None) -> dict[str, Organisation]:
    """Technical id (ORG-0001) → organisation, from the notice's efac:Organizations."""
    found: dict[str, Organisation] = {}
    for organization in reader.all(extension, "efac:Organizations/efac:Organization"):
        organisation = _organisation(reader, organization)
        if organisation is not None and organisation.id not in found:
            found[organisation.id] = organisation
    return found


def _is_swedish(organisation: Organisation) -> bool:
    if organisation.country:
        return organisation.country.upper() in SWEDEN
    return bool(organisation.nuts and organisation.nuts.upper().startswith("SE"))


def to_buyer(organisation: Organisation) -> Buyer:
    municipality = municipality_code(organisation.city, organisation.name) if _is_swedish(organisation) else None
    return Buyer(
        name=organisation.name,
        orgnr=organisation.orgnr,
        country=organisation.country,
        city=organisation.city,
        nuts=organisation.nuts,
        municipality_code=municipality,
        url=organisation.url,
    )


def to_winner(organisation: Organisation) -> Winner:
    return Winner(
        name=organisation.name, orgnr=organisation.orgnr, country=organisation.country, size=organisation.size
    )


def buyers(reader: Reader, root: Element, orgs: dict[str, Organisation]) -> list[Buyer]:
    """One buyer per cac:ContractingParty (joint procurement has several), in notice order."""
    result: list[Buyer] = []
    seen: set[str] = set()
    for party in reader.all(root, "cac:ContractingParty"):
        org_id = reader.text(party, "cac:Party/cac:PartyIdentification/cbc:ID")
        if org_id in orgs and org_id not in seen:
            seen.add(org_id)
            result.append(to_buyer(orgs[org_id]))
        elif org_id is None and (name := reader.text(party, "cac:Party/cac:PartyName/cbc:Name")):
            result.append(Buyer(name=name))  # pre-eForms style party written inline
    return result
