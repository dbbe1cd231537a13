"""Which of Dalarna's 15 municipalities a buyer belongs to, for the per-municipality figures.

A municipality's own organisation and its companies (housing, energy, water) count for that municipality.
Regions and state agencies serve the whole county even when their office is in Falun, so they are kept
apart as "regional" rather than inflating Falun's figures. The order of evidence: the org.nr's kind
(region or state agency), a table of municipal companies whose names do not say where they are, the
buyer's city or "X kommun" name (:func:`tenders.codelists.municipality_code`), and finally a name that
begins with the municipality's name ("Ludvikahem", "Falu Energi & Vatten", "Orsa Lokaler").
"""

from __future__ import annotations

import itertools
import re
from functools import cache

from tenders.codelists import dalarna_buyers, dalarna_municipalities, municipality_code
from tenders.model import Buyer, Tender

REGIONAL = "regional"
REGIONAL_LABEL = "Regionala och övriga beställare"
# Swedish org.nr kinds that are never one municipality's: 202100-… state agencies, 232100-… regions.
_REGIONAL_ORGNR_PREFIXES = ("2021", "2321", "2331")
# Municipal companies in dalarna_buyers.csv whose names do not name their municipality (owners: the
# municipalities' annual reports).
_MUNICIPAL_COMPANIES = {
    "5560494865": "2080",  # Kopparstaden AB, Falu kommun's housing company
    "5560840422": "2081",  # AB Stora Tunabyggen, Borlänge kommun's housing company
}
# Name stems that begin buyer names: genitive and short forms ("Falu", "Malungs", "Säterbostäder").
_EXTRA_STEMS = {"2080": ("falu",), "2023": ("malung", "sälen")}


@cache
def _stems() -> list[tuple[str, str]]:
    """(stem, kommunkod), longest stem first so "malung-sälen" wins over "malung"."""
    stems = [(m.name.casefold(), code) for code, m in dalarna_municipalities().items()]
    stems += [(stem, code) for code, extra in _EXTRA_STEMS.items() for stem in extra]
    return sorted(stems, key=lambda pair: -len(pair[0]))


# Leading words that say the legal form, not the place: "Aktiebolaget Borlänge Energi", "Stiftelsen Vansbrohem".
_LEGAL_FORM_WORDS = frozenset({"aktiebolaget", "ab", "stiftelsen", "kommunalförbundet"})


def _stem_municipality(name: str) -> str | None:
    """A name that begins with a municipality's name, or places itself "i <municipality>" ("Lugnet i Falun")."""
    words = [w for w in re.split(r"[\s,&()]+", name.strip().casefold()) if w]
    while words and words[0] in _LEGAL_FORM_WORDS:
        words = words[1:]
    placed = [after for before, after in itertools.pairwise(words) if before == "i"]
    for word in (words[:1] + placed) if words else []:
        for stem, code in _stems():
            if word.startswith(stem):
                return code
    return None


def buyer_municipality(orgnr: str | None, name: str, city: str | None = None) -> str | None:
    """The kommunkod of a Dalarna buyer, ``REGIONAL`` for a county-wide one, None when it is not in Dalarna."""
    orgnr = orgnr or ""
    if orgnr.startswith(_REGIONAL_ORGNR_PREFIXES):
        return REGIONAL if orgnr in dalarna_buyers() or "dalarna" in name.casefold() else None
    if orgnr in _MUNICIPAL_COMPANIES:
        return _MUNICIPAL_COMPANIES[orgnr]
    found = municipality_code(city, name) or _stem_municipality(name)
    if found is None and orgnr in dalarna_buyers():
        return REGIONAL  # a Dalarna buyer that is no single municipality's (Dala Energi, IUC Dalarna …)
    return found


def tender_municipality(tender: Tender) -> str:
    """The municipality of the procurement's (first) buyer; ``REGIONAL`` when it names none in Dalarna —
    the store holds Dalarna's procurements only, so a buyer that cannot be placed is county-wide or unknown."""
    buyer: Buyer | None = tender.buyers[0] if tender.buyers else None
    if buyer is None:
        return REGIONAL
    found = buyer_municipality(buyer.orgnr, buyer.name, buyer.city)
    if found is None and buyer.municipality_code in dalarna_municipalities():
        found = buyer.municipality_code
    return found or REGIONAL


def municipality_label(code: str) -> str:
    if code == REGIONAL:
        return REGIONAL_LABEL
    municipality = dalarna_municipalities().get(code)
    return municipality.name if municipality else code
