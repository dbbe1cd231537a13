"""SME participation figures from a directory of Upphandlingsmyndigheten statistics exports.

``participation_report(uhm_dir)`` is the one entry point: the ``anbudsvakt stats participation`` command and
the staff dashboard both call it. Every figure comes from the export that holds it, grouped by that export's
own buyer, CPV and year columns (the exports occasionally disagree about a procurement's CPV code; each file
is taken at its word rather than joined on ``Upphandlings-ID``, which is not unique across buyers).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from tenders.model import CompanySize
from tenders.stats import uhm
from tenders.stats.groups import SME_SIZES, Breakdown, Dimensions, breakdown_rows, share

UNKNOWN_SIZE = "unknown"
# The sizes the exports distinguish, in the order the figures list them.
EXPORT_SIZES = (CompanySize.MICRO, CompanySize.SMALL, CompanySize.MEDIUM, CompanySize.LARGE, UNKNOWN_SIZE)
# Leading words of ``Företagsstorlek för leverantör`` ("Mikroföretag", "Små företag", "Medelstora företag",
# "Stora företag"); "medelstor" is tried before "stor", which it contains.
_SIZE_PREFIXES = (
    ("mikro", CompanySize.MICRO),
    ("små", CompanySize.SMALL),
    ("medelstor", CompanySize.MEDIUM),
    ("stor", CompanySize.LARGE),
)

RowFilter = Callable[[uhm.ExportRow], bool]


class ParticipationFigures(BaseModel):
    """The participation figures of one group of procurements (all, one buyer, one CPV division, one year)."""

    procurements: int  # distinct Upphandlings-ID in procurements.csv
    lots: int  # lots (tenders_per_lot rows, repeats of one lot merged) with a known number of tenders
    tenders: int  # sum of ``Antal anbud, Summa`` over those lots
    avg_tenders_per_lot: float | None
    avg_tenders_per_procurement: float | None  # over procurements that appear in tenders_per_lot
    single_tender_lots: int
    single_tender_lot_share: float | None
    contracted_tenders: int  # sum of ``Antal kontrakterade anbud*, Summa``, any size
    contracted_tenders_known_size: int
    sme_contracted_tenders: int  # won by micro, small or medium-sized companies
    sme_share_of_contracts: float | None  # sme_contracted_tenders / contracted_tenders_known_size
    contracted_tenders_by_size: dict[str, int]  # micro, small, medium, large, unknown
    contracted_value_sek: float  # sum of ``Kontrakterat värde, Summa``
    procurements_with_value: int  # contracted_value rows with a value


class BuyerIdentity(BaseModel):
    orgnr: str
    name: str


class BuyerParticipation(ParticipationFigures, BuyerIdentity):
    pass


class CpvDivisionIdentity(BaseModel):
    division: str  # two digits; "00" = the procurement has no CPV code
    label: str
    missing: bool  # True for the "00" row


class CpvDivisionParticipation(ParticipationFigures, CpvDivisionIdentity):
    pass


class YearParticipation(ParticipationFigures):
    year: str


class ExportSummary(BaseModel):
    """What was read from one export file, so every figure can be traced back to rows."""

    name: str
    file: str
    rows: int  # data rows read, exact repeats excluded
    rows_used: int  # rows that passed the year/buyer filter
    duplicate_rows: int  # exact repeats of an earlier row, dropped
    blank_values: int  # used rows whose measure column was blank, left out of the figures
    repeated_lot_rows: int = 0  # tenders_per_lot rows for a lot already seen, merged into it


class ParticipationReport(BaseModel):
    overall: ParticipationFigures
    by_buyer: list[BuyerParticipation]
    by_cpv_division: list[CpvDivisionParticipation]
    by_year: list[YearParticipation]
    inputs: list[ExportSummary]


@dataclass
class _Tally:
    procurement_ids: set[str] = field(default_factory=set)
    lot_procurement_ids: set[str] = field(default_factory=set)
    lots: int = 0
    tenders: int = 0
    single_tender_lots: int = 0
    contracted_by_size: Counter[str] = field(default_factory=Counter)
    contracted_value_sek: float = 0.0
    procurements_with_value: int = 0

    def figures(self) -> ParticipationFigures:
        known = sum(n for size, n in self.contracted_by_size.items() if size != UNKNOWN_SIZE)
        sme = sum(self.contracted_by_size[size] for size in SME_SIZES)
        return ParticipationFigures.model_validate({
            "procurements": len(self.procurement_ids),
            "lots": self.lots,
            "tenders": self.tenders,
            "avg_tenders_per_lot": share(self.tenders, self.lots),
            "avg_tenders_per_procurement": share(self.tenders, len(self.lot_procurement_ids)),
            "single_tender_lots": self.single_tender_lots,
            "single_tender_lot_share": share(self.single_tender_lots, self.lots),
            "contracted_tenders": sum(self.contracted_by_size.values()),
            "contracted_tenders_known_size": known,
            "sme_contracted_tenders": sme,
            "sme_share_of_contracts": share(sme, known),
            "contracted_tenders_by_size": {s: self.contracted_by_size[s] for s in EXPORT_SIZES},
            "contracted_value_sek": self.contracted_value_sek,
            "procurements_with_value": self.procurements_with_value,
        })


def participation_report(
    uhm_dir: Path, *, year: str | int | None = None, buyer_orgnrs: Collection[str] | None = None
) -> ParticipationReport:
    """Participation figures from the four exports in ``uhm_dir``, optionally for one year or some buyers."""
    for name in uhm.EXPORT_NAMES:  # fail on a missing file before spending time on the others
        uhm.find_export(uhm_dir, name)
    keep = _row_filter(year, buyer_orgnrs)
    breakdown: Breakdown[_Tally] = Breakdown(_Tally)
    inputs = [
        _read_procurements(uhm_dir, breakdown, keep),
        _read_lots(uhm_dir, breakdown, keep),
        _read_values(uhm_dir, breakdown, keep),
        _read_suppliers(uhm_dir, breakdown, keep),
    ]
    return _report(breakdown, inputs)


def supplier_size(text: str) -> str:
    """``Företagsstorlek för leverantör`` as a CompanySize value, or "unknown"."""
    folded = text.strip().casefold()
    for prefix, size in _SIZE_PREFIXES:
        if folded.startswith(prefix):
            return size.value
    return UNKNOWN_SIZE


def _row_filter(year: str | int | None, buyer_orgnrs: Collection[str] | None) -> RowFilter:
    wanted_year = None if year is None else str(year)
    wanted_buyers = None if buyer_orgnrs is None else {uhm.normalise_buyer_orgnr(o) for o in buyer_orgnrs}

    def keep(row: uhm.ExportRow) -> bool:
        if wanted_year is not None and row.year != wanted_year:
            return False
        return wanted_buyers is None or row.buyer_orgnr in wanted_buyers

    return keep


class _Reading:
    """One export being read: its rows that pass the filter, and the summary of what was read."""

    def __init__(self, uhm_dir: Path, name: str, measure: str, keep: RowFilter, *columns: str) -> None:
        self.export = uhm.ExportFile.in_dir(uhm_dir, name, (*uhm.COMMON_COLUMNS, *columns, measure))
        self.summary = ExportSummary(
            name=name, file=str(self.export.path), rows=0, rows_used=0, duplicate_rows=0, blank_values=0
        )
        self.measure = measure
        self._keep = keep

    def rows(self) -> Iterator[uhm.ExportRow]:
        for row in self.export:
            if self._keep(row):
                self.summary.rows_used += 1
                yield row
        self.summary.rows = self.export.rows
        self.summary.duplicate_rows = self.export.duplicate_rows

    def blank(self) -> None:
        self.summary.blank_values += 1


def _read_procurements(uhm_dir: Path, breakdown: Breakdown[_Tally], keep: RowFilter) -> ExportSummary:
    reading = _Reading(uhm_dir, uhm.PROCUREMENTS, uhm.PROCUREMENT_ID, keep)
    for row in reading.rows():
        if not row.procurement_id:
            reading.blank()
            continue
        for tally in breakdown.tallies(row.dimensions()):
            tally.procurement_ids.add(row.procurement_id)
    return reading.summary


@dataclass
class _Lot:
    procurement_id: str
    dims: Dimensions
    tenders: int


def _read_lots(uhm_dir: Path, breakdown: Breakdown[_Tally], keep: RowFilter) -> ExportSummary:
    reading = _Reading(uhm_dir, uhm.TENDERS_PER_LOT, uhm.TENDERS, keep, uhm.LOT_ID)
    lots: dict[tuple[str, str], _Lot] = {}
    for row in reading.rows():
        tenders = row.count(uhm.TENDERS)
        if tenders is None:
            reading.blank()
            continue
        # A lot without an id cannot be matched to another row: it is a lot of its own.
        key = (row.procurement_id, row.text(uhm.LOT_ID) or f"rad {row.line}")
        if key in lots:
            # A pivot export splits one lot over several rows only when a dimension column differs;
            # the measure is then split too, so the rows add up to the lot's count.
            lots[key].tenders += tenders
            reading.summary.repeated_lot_rows += 1
        else:
            lots[key] = _Lot(row.procurement_id, row.dimensions(), tenders)
    for lot in lots.values():
        for tally in breakdown.tallies(lot.dims):
            tally.lots += 1
            tally.tenders += lot.tenders
            tally.single_tender_lots += lot.tenders == 1
            tally.lot_procurement_ids.add(lot.procurement_id)
    return reading.summary


def _read_values(uhm_dir: Path, breakdown: Breakdown[_Tally], keep: RowFilter) -> ExportSummary:
    reading = _Reading(uhm_dir, uhm.CONTRACTED_VALUE, uhm.CONTRACTED_VALUE_SEK, keep)
    for row in reading.rows():
        value = row.number(uhm.CONTRACTED_VALUE_SEK)
        if value is None:
            reading.blank()
            continue
        for tally in breakdown.tallies(row.dimensions()):
            tally.contracted_value_sek += value
            tally.procurements_with_value += 1
    return reading.summary


def _read_suppliers(uhm_dir: Path, breakdown: Breakdown[_Tally], keep: RowFilter) -> ExportSummary:
    reading = _Reading(uhm_dir, uhm.CONTRACTED_SUPPLIERS, uhm.CONTRACTED_TENDERS, keep, uhm.SUPPLIER_SIZE)
    for row in reading.rows():
        contracted = row.count(uhm.CONTRACTED_TENDERS)
        if contracted is None:
            reading.blank()
            continue
        size = supplier_size(row.text(uhm.SUPPLIER_SIZE))
        for tally in breakdown.tallies(row.dimensions()):
            tally.contracted_by_size[size] += contracted
    return reading.summary


def _report(breakdown: Breakdown[_Tally], inputs: list[ExportSummary]) -> ParticipationReport:
    buyers, divisions, years = breakdown_rows(
        breakdown, BuyerParticipation, CpvDivisionParticipation, YearParticipation
    )
    return ParticipationReport(
        overall=breakdown.overall.figures(),
        by_buyer=buyers,
        by_cpv_division=divisions,
        by_year=years,
        inputs=inputs,
    )
