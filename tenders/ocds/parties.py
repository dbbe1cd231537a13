"""Buyers and winners as OCDS parties, with an organisation identifier and the winner's size."""

from __future__ import annotations

import hashlib
from typing import Any

from tenders.model import CompanySize, Tender
from tenders.ocds.values import put

# org-id.guide scheme of Swedish organisation numbers (Bolagsverket), used for buyers and companies alike.
SWEDISH_SCHEME = "SE-BLV"
# OCDS 1.1 addresses carry a country name, eForms an ISO 3166-1 alpha-3 code; the codes of other countries stay codes.
COUNTRY_NAMES = {"SWE": "Sverige", "NOR": "Norge", "FIN": "Finland", "DNK": "Danmark"}
# BT-165 winner size → the partyScale code list: OCDS has no separate small and medium.
SCALES = {
    CompanySize.MICRO: "micro",
    CompanySize.SMALL: "sme",
    CompanySize.MEDIUM: "sme",
    CompanySize.SME: "sme",
    CompanySize.LARGE: "large",
}


def party_id(name: str, orgnr: str | None, country: str | None) -> str:
    """The organisation identifier where it is known; else a stable id from the name, so the same
    organisation keeps its id across the releases of a process."""
    if orgnr:
        scheme = SWEDISH_SCHEME if country in (None, "SWE") else f"{country}-ORGNR"
        return f"{scheme}-{orgnr}"
    return "namn-" + hashlib.sha256(name.casefold().encode()).hexdigest()[:12]


def party_ref(name: str, orgnr: str | None, country: str | None) -> dict[str, str]:
    return {"id": party_id(name, orgnr, country), "name": name}


def build_parties(tender: Tender) -> list[dict[str, Any]]:
    """Every buyer and winner once, roles merged (a buyer can win another lot's contract in theory)."""
    parties: dict[str, dict[str, Any]] = {}
    for buyer in tender.buyers:
        party = _party(parties, buyer.name, buyer.orgnr, buyer.country, "buyer")
        address: dict[str, Any] = {}
        put(address, "locality", buyer.city)
        put(address, "region", buyer.nuts)
        put(address, "countryName", COUNTRY_NAMES.get(buyer.country or "", buyer.country))
        put(party, "address", address)
    for result in tender.results:
        for winner in result.winners:
            party = _party(parties, winner.name, winner.orgnr, winner.country, "supplier")
            if winner.size:
                party.setdefault("details", {})["scale"] = SCALES[winner.size]
    return list(parties.values())


def _party(parties: dict[str, dict[str, Any]], name: str, orgnr: str | None, country: str | None,
           role: str) -> dict[str, Any]:
    key = party_id(name, orgnr, country)
    party = parties.setdefault(key, {"id": key, "name": name, "roles": []})
    if orgnr and "identifier" not in party:
        # A foreign number's register is not known here, so it carries no scheme rather than a wrong one.
        party["identifier"] = {"scheme": SWEDISH_SCHEME, "id": orgnr} if country in (None, "SWE") else {"id": orgnr}
    if role not in party["roles"]:
        party["roles"].append(role)
    return party
