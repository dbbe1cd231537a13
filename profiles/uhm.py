"""Readers for Upphandlingsmyndigheten's 2021 statistics export (``datasets/uhm-2021``, CC0).

Used offline only: by ``matcher/build_tables.py`` (the shipped SNI tables) and by ``anbudsvakt eval matcher``.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DIR = Path("datasets/uhm-2021")

SIZE_CODES = {"Mikroföretag": "micro", "Små företag": "small", "Medelstora företag": "medium", "Stora företag": "large"}


@dataclass(frozen=True)
class Procurement:
    id: str
    buyer_orgnr: str
    buyer_name: str
    main_cpv: str | None
    title: str
    has_lots: bool


@dataclass(frozen=True)
class Win:
    """One (procurement, winning supplier) pair; a supplier that won several lots counts once."""

    procurement_id: str
    buyer_orgnr: str
    supplier: str
    sni: str
    size: str | None
    main_cpv: str | None
    title: str


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _cpv(cell: str) -> str | None:
    # "45261210 Takarbeten" → "45261210"; "00000000 Uppgift saknas" means missing
    code = cell.split(" ", 1)[0]
    return code if len(code) == 8 and code.isdigit() and code != "00000000" else None


def read_procurements(directory: Path = DEFAULT_DIR) -> list[Procurement]:
    seen: dict[str, Procurement] = {}
    for row in _rows(directory / "procurements.csv.gz"):
        seen.setdefault(row["Upphandlings-ID"], Procurement(
            id=row["Upphandlings-ID"], buyer_orgnr=row["Organisationsnummer för köpare"],
            buyer_name=row["Namn för köpare"], main_cpv=_cpv(row["Huvudsaklig CPV-kod"]),
            title=row["Upphandlingens titel"], has_lots=row["Anbudsområden"] == "True",
        ))
    return list(seen.values())


def read_wins(directory: Path = DEFAULT_DIR) -> list[Win]:
    """Winning pairs with a known SNI code (the source leaves SNI empty for some foreign or public suppliers)."""
    wins: dict[tuple[str, str], Win] = {}
    for row in _rows(directory / "contracted_suppliers.csv.gz"):
        sni = row["SNI-Detaljgrupp för leverantör"].split(" ", 1)[0].strip()
        if not sni.isdigit():
            continue
        key = (row["Upphandlings-ID"], row["Namn för leverantör"])
        wins.setdefault(key, Win(
            procurement_id=key[0], buyer_orgnr=row["Organisationsnummer för köpare"], supplier=key[1], sni=sni,
            size=SIZE_CODES.get(row["Företagsstorlek för leverantör"]), main_cpv=_cpv(row["Huvudsaklig CPV-kod"]),
            title=row["Upphandlingens titel"],
        ))
    return list(wins.values())


def read_contracted_values(directory: Path = DEFAULT_DIR) -> dict[str, float]:
    values: dict[str, float] = {}
    for row in _rows(directory / "contracted_value.csv.gz"):
        try:
            values[row["Upphandlings-ID"]] = float(row["Kontrakterat värde, Summa"])
        except ValueError:
            continue
    return values
