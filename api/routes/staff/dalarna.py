"""Dalarna's procurements with award results, from the store, and the filters the dashboard applies to them.

The store holds Dalarna's procurements (the crawlers keep SE312 and Dalarna buyers), so every procurement
with a lot result counts. Each is placed in a municipality by its buyer (``tenders.stats.municipality``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import BaseModel, Field

from tenders.model import Tender
from tenders.stats import AwardReport, award_report
from tenders.stats.awards import procurement_participation
from tenders.stats.municipality import tender_municipality
from tenders.store import TenderStore

FILTER_FIELDS = ("year", "municipality", "buyer", "cpv")


class DashboardFilters(BaseModel):
    """The filter form; an empty value means "all"."""

    year: str = Field(default="", pattern=r"^(\d{4})?$")
    municipality: str = Field(default="", pattern=r"^(\d{4}|regional)?$")
    buyer: str = Field(default="", max_length=220)  # org.nr, or "namn:<name>" for a buyer without one
    cpv: str = Field(default="", pattern=r"^(\d{2})?$")

    def without(self, field: str) -> DashboardFilters:
        return self.model_copy(update={field: ""})

    def active(self) -> bool:
        return any(getattr(self, name) for name in FILTER_FIELDS)


@dataclass(frozen=True)
class DalarnaProcurement:
    tender: Tender  # the procurement's current view
    year: str
    municipality: str  # kommunkod, or "regional"
    buyer_key: str
    buyer_name: str
    cpv_division: str
    lots: int  # lots with an award result

    def matches(self, filters: DashboardFilters) -> bool:
        wanted = (filters.year, filters.municipality, filters.buyer, filters.cpv)
        actual = (self.year, self.municipality, self.buyer_key, self.cpv_division)
        return all(not want or want == have for want, have in zip(wanted, actual, strict=True))


def dalarna_procurement(tender: Tender) -> DalarnaProcurement | None:
    participation = procurement_participation([tender])
    if participation is None:
        return None
    return DalarnaProcurement(
        tender=tender,
        year=participation.year,
        municipality=tender_municipality(tender),
        buyer_key=participation.buyer_orgnr or f"namn:{participation.buyer_name}",
        buyer_name=participation.buyer_name,
        cpv_division=participation.cpv_division,
        lots=len(participation.lots),
    )


def load_procurements(store: TenderStore) -> list[DalarnaProcurement]:
    found = (dalarna_procurement(tender) for tender in store.iter_tenders())
    return [p for p in found if p is not None]


def select(procurements: Iterable[DalarnaProcurement], filters: DashboardFilters) -> list[DalarnaProcurement]:
    return [p for p in procurements if p.matches(filters)]


def report(procurements: Iterable[DalarnaProcurement]) -> AwardReport:
    return award_report(p.tender for p in procurements)
