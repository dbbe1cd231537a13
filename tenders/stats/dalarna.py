"""Dalarna's procurements with award results, from the store, and the filters the dashboard applies to them.

Only Dalarna's procurements count: a buyer on Dalarna's buyer list (tenders/data/dalarna_buyers.csv) or
in a Dalarna municipality, or a place of performance in Dalarnas län (SE312). The store may hold more (the
bundled example notices, a buyer elsewhere that a crawl kept, a file loaded by hand), and those must not pass
for Dalarna's figures. Each is placed in a municipality by its buyer (``tenders.stats.municipality``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import BaseModel, Field

from tenders.codelists import DALARNA_NUTS, dalarna_buyers, dalarna_municipalities
from tenders.demo import buyer_display_name
from tenders.model import Tender
from tenders.stats.awards import AwardReport, award_report, procurement_participation
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
        buyer_key=_buyer_key(participation.buyer_orgnr, participation.buyer_name),
        buyer_name=buyer_display_name(participation.buyer_name) if participation.buyer_name.isupper()
        else participation.buyer_name,
        cpv_division=participation.cpv_division,
        lots=len(participation.lots),
    )


def is_dalarna(tender: Tender) -> bool:
    buyers = dalarna_buyers()
    if any(b.orgnr in buyers or (b.municipality_code or "") in dalarna_municipalities() for b in tender.buyers):
        return True
    places = [*tender.place_of_performance, *(p for lot in tender.lots for p in lot.place_of_performance)]
    return any(place.startswith(DALARNA_NUTS) for place in places)


def _buyer_key(orgnr: str | None, name: str) -> str:
    """One key per buyer: Region Dalarna advertises under two org.nr, so a listed buyer's name picks one of them."""
    listed = sorted(o for o, n in dalarna_buyers().items() if n.casefold() == name.casefold())
    if orgnr in listed:
        return listed[0]
    return orgnr or f"namn:{name}"


def load_procurements(store: TenderStore) -> list[DalarnaProcurement]:
    found = (dalarna_procurement(tender) for tender in store.iter_tenders() if is_dalarna(tender))
    return [p for p in found if p is not None]


def select(procurements: Iterable[DalarnaProcurement], filters: DashboardFilters) -> list[DalarnaProcurement]:
    return [p for p in procurements if p.matches(filters)]


def report(procurements: Iterable[DalarnaProcurement]) -> AwardReport:
    return award_report(p.tender for p in procurements)
