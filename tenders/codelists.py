"""Code lists shipped in ``tenders/data`` (see its SOURCES.md): CPV, NUTS, Dalarna's municipalities and buyers.

Each table is read once, on first use, and cached; nothing is read at import time.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

DALARNA_NUTS = "SE312"


def data_path(name: str) -> Path:
    return Path(str(resources.files("tenders") / "data" / name))


def _rows(name: str, delimiter: str = ",") -> list[dict[str, str]]:
    with data_path(name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


@dataclass(frozen=True)
class CpvCode:
    code: str
    division: str
    level: str
    label_sv: str
    label_en: str


@cache
def cpv_codes() -> dict[str, CpvCode]:
    return {
        r["code"]: CpvCode(r["code"], r["division"], r["level"], r["label_sv"], r["label_en"])
        for r in _rows("cpv_2008_sv_en.csv")
    }


def normalise_cpv(value: str | None) -> str | None:
    """'45261210-9' or ' 45261210 ' → '45261210'; anything that is not 8 digits → None."""
    if not value:
        return None
    digits = value.strip().split("-")[0].strip()
    return digits if re.fullmatch(r"\d{8}", digits) else None


def cpv_label(code: str, lang: str = "sv") -> str:
    entry = cpv_codes().get(code)
    if entry is None:
        return ""
    return entry.label_sv if lang == "sv" else entry.label_en


@cache
def cpv_divisions() -> dict[str, str]:
    """Two-digit division → Swedish label (labels are looked up per facet value and per alert: built once)."""
    return {c.division: c.label_sv for c in cpv_codes().values() if c.level == "division"}


@cache
def nuts_labels() -> dict[str, str]:
    return {r["code"]: r["label_sv"] for r in _rows("nuts_sweden_sv_en.csv")}


@dataclass(frozen=True)
class Municipality:
    code: str  # SCB kommunkod
    name: str
    nuts3: str


@cache
def dalarna_municipalities() -> dict[str, Municipality]:
    rows = _rows("dalarna_kommunkoder.csv")
    return {r["kommunkod"]: Municipality(r["kommunkod"], r["kommun"], r["nuts3"]) for r in rows}


@cache
def dalarna_buyers() -> dict[str, str]:
    """org.nr → buyer name, for the 34 buyers in Dalarna that advertised in 2021."""
    return {r["orgnr"]: r["name"] for r in _rows("dalarna_buyers.csv")}


# Localities whose name differs from their municipality's (SCB tätorter, the larger ones); a city
# field of "Sälen" or "Grängesberg" still places a buyer in its municipality.
_LOCALITIES = {
    "malung": "2023", "sälen": "2023", "insjön": "2029", "djurås": "2026", "tällberg": "2029",
    "grängesberg": "2085", "krylbo": "2084", "horndal": "2084", "långshyttan": "2083",
    "vikmanshyttan": "2083", "svärdsjö": "2080", "sundborn": "2080", "idre": "2039",
    "särna": "2039", "furudal": "2034", "äppelbo": "2021", "björbo": "2026", "ornäs": "2081",
}


def _fold(text: str) -> str:
    return re.sub(r"[^a-zåäö\- ]", "", text.casefold()).strip()


# Genitive forms that are not the name plus "s" ("Falu kommun", "Falu Energi & Vatten").
_GENITIVES = {"falu": "2080"}


def municipality_code(city: str | None = None, buyer_name: str | None = None) -> str | None:
    """The Dalarna kommunkod for a buyer's city, or for a buyer named after its municipality."""
    by_name = {_fold(m.name): m.code for m in dalarna_municipalities().values()} | _GENITIVES
    if city:
        folded = _fold(city)
        if folded in by_name:
            return by_name[folded]
        if folded in _LOCALITIES:
            return _LOCALITIES[folded]
    if buyer_name:
        folded = _fold(buyer_name)
        for name, code in by_name.items():
            # "Mora kommun", "Malung-Sälens kommun": the municipality's name (or genitive) before "kommun"
            if re.search(rf"\b{re.escape(name)}s? kommun\b", folded):
                return code
    return None


def names_place_in_dalarna(text: str) -> bool:
    """A free-text place or organisation ("Rättvik", "Dalarnas län", "SE312", "Mora kommun") is in Dalarna: what
    the Swedish notice databases give instead of a NUTS code."""
    folded = text.casefold()
    if "dalarna" in folded or DALARNA_NUTS.casefold() in folded:
        return True
    return municipality_code(city=text.strip()) is not None or municipality_code(buyer_name=text) is not None
