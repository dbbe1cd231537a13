"""The coverage ledger: of the procurements Upphandlingsmyndigheten's statistics say a set of buyers advertised,
how many does the store hold — per notice database (the export's ``Annonsdatabas``) and overall.

A procurement counts as found when a stored notice carries the notice database's own id for it, else when a
stored notice has the same buyer org.nr and the same normalised title. The id match rests on an inference:
the export's ``Upphandlings-ID`` is the database's own procurement number behind a prefix (``SE58281`` →
e-Avrop ``id=58281``, ``KA785`` → KommersAnnons ``ProcurementId=785``, ``MT34`` → Mercell). Public material
does not confirm it, so the title match is always tried as well.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tenders.codelists import dalarna_buyers
from tenders.dedup import match_keys, normalised_title
from tenders.model import Tender
from tenders.stats.sweden import find_uhm_dir
from tenders.stats.uhm import (
    BUYER_ORGNR,
    NOTICE_DATABASE,
    PROCUREMENT_ID,
    PROCUREMENTS,
    TITLE,
    YEAR,
    ExportFile,
    ExportRow,
    UhmExportError,
    normalise_buyer_orgnr,
)

if TYPE_CHECKING:
    from tenders.settings import Settings
    from tenders.store import TenderStore

# Annonsdatabas → (the host whose notice addresses carry its id, the prefix of Upphandlings-ID before that id).
DATABASE_HOSTS: Mapping[str, tuple[str, str]] = {
    "e-Avrop": ("e-avrop.com", "SE"),
    "KommersAnnons.se": ("kommersannons.se", "KA"),
    "Mercell Annonsdatabas": ("mercell.com", "MT"),
}
_SITE_KEY = re.compile(r"^site:([^:]+):(.+)$")


@dataclass(frozen=True)
class Tally:
    expected: int = 0
    found: int = 0

    @property
    def share(self) -> float | None:
        return round(self.found / self.expected, 4) if self.expected else None

    def as_json(self) -> dict[str, Any]:
        return {"expected": self.expected, "found": self.found, "share": self.share}


@dataclass(frozen=True)
class MissingProcurement:
    id: str
    database: str
    buyer: str
    buyer_orgnr: str
    title: str
    published: str


@dataclass(frozen=True)
class CoverageLedger:
    year: str | None
    overall: Tally
    by_database: dict[str, Tally]
    missing: list[MissingProcurement] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "overall": self.overall.as_json(),
            "by_database": {name: tally.as_json() for name, tally in self.by_database.items()},
            "missing": [vars(item) for item in self.missing],
        }


@dataclass
class StoredIndex:
    """What the store holds, reduced to what a procurement of the statistics is matched on."""

    site_ids: set[tuple[str, str]] = field(default_factory=set)  # (host, id) from notice addresses
    titles: set[tuple[str, str]] = field(default_factory=set)  # (buyer org.nr, normalised title)

    def add(self, tender: Tender) -> None:
        for key in match_keys(tender):
            site = _SITE_KEY.match(key)
            if site:
                self.site_ids.add((site.group(1), site.group(2)))
        titles = {normalised_title(text) for text in tender.title.values()}
        self.titles |= {(buyer.orgnr, title) for buyer in tender.buyers if buyer.orgnr for title in titles if title}

    def holds(self, row: ExportRow) -> bool:
        if (row.buyer_orgnr, normalised_title(row.title)) in self.titles:
            return True
        host, prefix = DATABASE_HOSTS.get(row.notice_database, ("", ""))
        number = row.procurement_id.removeprefix(prefix)
        return bool(host) and any(h.endswith(host) and i == number for h, i in self.site_ids)


def stored_index(tenders: Iterable[Tender]) -> StoredIndex:
    index = StoredIndex()
    for tender in tenders:
        index.add(tender)
    return index


def read_buyers(path: Path) -> dict[str, str]:
    """org.nr → name from a buyers file with the columns of tenders/data/dalarna_buyers.csv (``name,orgnr``)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if rows and "orgnr" not in rows[0]:
        raise ValueError(f"{path}: kolumnen 'orgnr' saknas")
    return {normalise_buyer_orgnr(row["orgnr"]): row.get("name", "") for row in rows if row.get("orgnr")}


def buyers_procurements(uhm_dir: Path, buyers: Iterable[str], year: str | None) -> tuple[str | None, list[ExportRow]]:
    """The buyers' procurements in the export for ``year`` (None: the latest year the export has for them)."""
    wanted = set(buyers)
    columns = (YEAR, BUYER_ORGNR, PROCUREMENT_ID, NOTICE_DATABASE, TITLE)
    rows = [row for row in ExportFile.in_dir(uhm_dir, PROCUREMENTS, columns) if row.buyer_orgnr in wanted]
    chosen = year or max((row.year for row in rows), default=None)
    return chosen, [row for row in rows if row.year == chosen]


def coverage_ledger(rows: Iterable[ExportRow], stored: StoredIndex, year: str | None = None) -> CoverageLedger:
    """Expected, found and share per notice database and overall; the missing procurements in export order."""
    tallies: dict[str, Tally] = {}
    missing = []
    seen: set[str] = set()
    for row in rows:
        key = f"{row.notice_database}|{row.procurement_id}"
        if key in seen:  # one procurement per row in the export; a repeat (same id) is counted once
            continue
        seen.add(key)
        found = stored.holds(row)
        database = row.notice_database or "okänd"
        before = tallies.get(database, Tally())
        tallies[database] = Tally(before.expected + 1, before.found + int(found))
        if not found:
            missing.append(MissingProcurement(row.procurement_id, database, row.buyer_name, row.buyer_orgnr,
                                              row.title, row.text("Publiceringsdatum")))
    overall = Tally(sum(t.expected for t in tallies.values()), sum(t.found for t in tallies.values()))
    ordered = dict(sorted(tallies.items(), key=lambda item: (-item[1].expected, item[0])))
    return CoverageLedger(year, overall, ordered, missing)


def store_coverage(uhm_dir: Path, store: TenderStore, buyers: Iterable[str], year: str | None = None) -> CoverageLedger:
    """The ledger of the store against the export in ``uhm_dir``: what the CLI prints and the staff page shows."""
    chosen, rows = buyers_procurements(uhm_dir, buyers, year)
    return coverage_ledger(rows, stored_index(store.iter_tenders()), chosen)


def dalarna_coverage(store: TenderStore, settings: Settings) -> tuple[CoverageLedger | None, str]:
    """The ledger of Dalarna's buyers for the latest (complete) year of the statistics export, or why there is none."""
    uhm_dir = find_uhm_dir(settings)
    if uhm_dir is None:
        return None, "Ingen export av Upphandlingsmyndighetens statistik finns (lägg den i DATA_DIR/uhm)."
    try:
        return store_coverage(uhm_dir, store, dalarna_buyers()), ""
    except UhmExportError as error:
        return None, str(error)
