"""The statistics export as typed records for the matcher's tables and evaluation (``datasets/uhm-2021``, CC0).

Read through ``tenders.stats.uhm.ExportFile`` like every other use of the export, so plain or gzipped files,
";"-separated downloads and Swedish decimal commas are handled in one place. Used offline only: by
``matcher/build_tables.py`` (the shipped SNI tables), ``anbudsvakt eval matcher`` and the benchmarks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tenders.sni import detailed_group
from tenders.stats.uhm import (
    CONTRACTED_SUPPLIERS,
    CONTRACTED_VALUE,
    CONTRACTED_VALUE_SEK,
    HAS_LOTS,
    MAIN_CPV,
    PROCUREMENT_ID,
    PROCUREMENTS,
    SUPPLIER_NAME,
    SUPPLIER_SIZE,
    SUPPLIER_SNI,
    ExportFile,
    ExportRow,
)

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
    sni: str  # five digits: the export's "2200" is read as 02200
    size: str | None
    main_cpv: str | None
    title: str


def main_cpv(row: ExportRow) -> str | None:
    # "45261210 Takarbeten" → "45261210"; "00000000 Uppgift saknas" means missing
    code = row.text(MAIN_CPV).split(" ", 1)[0]
    return code if len(code) == 8 and code.isdigit() and code != "00000000" else None


def read_procurements(directory: Path = DEFAULT_DIR) -> list[Procurement]:
    seen: dict[str, Procurement] = {}
    for row in ExportFile.in_dir(directory, PROCUREMENTS, (PROCUREMENT_ID, MAIN_CPV)):
        seen.setdefault(row.procurement_id, Procurement(
            id=row.procurement_id, buyer_orgnr=row.buyer_orgnr, buyer_name=row.buyer_name, main_cpv=main_cpv(row),
            title=row.title, has_lots=row.text(HAS_LOTS) == "True",
        ))
    return list(seen.values())


def read_wins(directory: Path = DEFAULT_DIR) -> list[Win]:
    """Winning pairs with a known SNI code (the source leaves SNI empty for some foreign or public suppliers).

    The column holds detailed groups only, so a four-digit code is one that lost its leading zero: every one
    of the 369 such rows in 2021 is a detailed group of divisions 01–09 ("2200 Avverkningsföretag")."""
    wins: dict[tuple[str, str], Win] = {}
    required = (PROCUREMENT_ID, SUPPLIER_NAME, SUPPLIER_SNI, SUPPLIER_SIZE)
    for row in ExportFile.in_dir(directory, CONTRACTED_SUPPLIERS, required):
        sni = detailed_group(row.text(SUPPLIER_SNI).split(" ", 1)[0])
        if sni is None:
            continue
        key = (row.procurement_id, row.text(SUPPLIER_NAME))
        wins.setdefault(key, Win(
            procurement_id=key[0], buyer_orgnr=row.buyer_orgnr, supplier=key[1], sni=sni,
            size=SIZE_CODES.get(row.text(SUPPLIER_SIZE)), main_cpv=main_cpv(row), title=row.title,
        ))
    return list(wins.values())


def read_contracted_values(directory: Path = DEFAULT_DIR) -> dict[str, float]:
    """Contracted value (SEK) per procurement; the last row wins where one has several (2 of 9,502 in 2021)."""
    values: dict[str, float] = {}
    for row in ExportFile.in_dir(directory, CONTRACTED_VALUE, (PROCUREMENT_ID, CONTRACTED_VALUE_SEK)):
        value = row.number(CONTRACTED_VALUE_SEK)
        if value is not None:
            values[row.procurement_id] = value
    return values
