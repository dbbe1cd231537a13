"""Breaking figures down by buyer, CPV division and year, the same way for UHM exports and award notices."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from pydantic import BaseModel

from tenders.codelists import cpv_divisions
from tenders.model import CompanySize

MISSING_CPV_DIVISION = "00"
MISSING_CPV_LABEL = "CPV-kod saknas"
# eForms' "sme" size says only "micro, small or medium": an SME all the same.
SME_SIZES = frozenset({CompanySize.MICRO, CompanySize.SMALL, CompanySize.MEDIUM, CompanySize.SME})

Tally = TypeVar("Tally")


@dataclass(frozen=True, slots=True)
class Dimensions:
    """Where one record belongs: its buyer, the CPV division of its main code, and its year."""

    buyer_orgnr: str
    buyer_name: str
    cpv_division: str  # two digits; "00" when the record has no usable CPV code
    year: str
    cpv_label: str = ""  # the source's own label for the division, when it has one

    @property
    def buyer_key(self) -> str:
        # org.nr identifies a buyer across renamings; the name stands in only when the number is missing.
        return self.buyer_orgnr or f"namn:{self.buyer_name}"


@dataclass(frozen=True, slots=True)
class Group(Generic[Tally]):
    """One row of a breakdown: its key, a human label and the figures gathered for it."""

    key: str
    label: str
    tally: Tally


class Breakdown(Generic[Tally]):
    """An overall tally plus one tally per buyer, per CPV division and per year."""

    def __init__(self, new_tally: Callable[[], Tally]) -> None:
        self._new_tally = new_tally
        self.overall = new_tally()
        self._buyers: dict[str, Tally] = {}
        self._cpv: dict[str, Tally] = {}
        self._years: dict[str, Tally] = {}
        self._buyer_names: dict[str, str] = {}
        self._buyer_orgnrs: dict[str, str] = {}
        self._cpv_labels: dict[str, str] = {}

    def tallies(self, dims: Dimensions) -> tuple[Tally, Tally, Tally, Tally]:
        """The four tallies a record with these dimensions adds to: overall, its buyer, division and year."""
        self._buyer_names.setdefault(dims.buyer_key, dims.buyer_name)
        self._buyer_orgnrs.setdefault(dims.buyer_key, dims.buyer_orgnr)
        if dims.cpv_label and dims.cpv_division != MISSING_CPV_DIVISION:
            self._cpv_labels.setdefault(dims.cpv_division, dims.cpv_label)
        return (
            self.overall,
            self._tally(self._buyers, dims.buyer_key),
            self._tally(self._cpv, dims.cpv_division),
            self._tally(self._years, dims.year),
        )

    def _tally(self, table: dict[str, Tally], key: str) -> Tally:
        if key not in table:
            table[key] = self._new_tally()
        return table[key]

    def buyers(self) -> Iterator[tuple[str, str, Tally]]:
        """(org.nr, name, tally) per buyer, in the order buyers were first seen."""
        for key, tally in self._buyers.items():
            yield self._buyer_orgnrs[key], self._buyer_names[key], tally

    def cpv_divisions(self) -> Iterator[Group[Tally]]:
        """One group per division in code order; the missing-CPV group ("00") keeps its own row."""
        fallback = cpv_divisions()
        for division in sorted(self._cpv):
            label = self._cpv_labels.get(division) or fallback.get(division, "")
            if division == MISSING_CPV_DIVISION:
                label = MISSING_CPV_LABEL
            yield Group(division, label, self._cpv[division])

    def years(self) -> Iterator[Group[Tally]]:
        for year in sorted(self._years):
            yield Group(year, year, self._years[year])


def share(part: float, whole: float) -> float | None:
    """part / whole, or None (not 0) when there is nothing to take a share of."""
    return part / whole if whole else None


class _Figured(Protocol):
    def figures(self) -> BaseModel: ...


Figured = TypeVar("Figured", bound=_Figured)
BuyerRow = TypeVar("BuyerRow", bound=BaseModel)
CpvRow = TypeVar("CpvRow", bound=BaseModel)
YearRow = TypeVar("YearRow", bound=BaseModel)


def breakdown_rows(
    breakdown: Breakdown[Figured], buyer_row: type[BuyerRow], cpv_row: type[CpvRow], year_row: type[YearRow]
) -> tuple[list[BuyerRow], list[CpvRow], list[YearRow]]:
    """The breakdown as report rows: buyers with most procurements (then lots) first, divisions and years in
    code order. Each row model is the figures model plus the group's identity fields."""
    buyers = [
        buyer_row(orgnr=orgnr, name=name, **tally.figures().model_dump()) for orgnr, name, tally in breakdown.buyers()
    ]
    buyers.sort(key=lambda row: (-getattr(row, "procurements", 0), -getattr(row, "lots", 0), getattr(row, "name", "")))
    divisions = [
        cpv_row(division=g.key, label=g.label, missing=g.key == MISSING_CPV_DIVISION, **g.tally.figures().model_dump())
        for g in breakdown.cpv_divisions()
    ]
    years = [year_row(year=g.key, **g.tally.figures().model_dump()) for g in breakdown.years()]
    return buyers, divisions, years
