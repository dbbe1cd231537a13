"""The participation dashboard: its filter options and tables, built once for the staff page, its CSV and XLSX
exports and ``anbudsvakt stats dashboard`` alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tenders.codelists import cpv_divisions, dalarna_municipalities
from tenders.stats.dalarna import DalarnaProcurement, DashboardFilters
from tenders.stats.dashboard_tables import (
    buyer_table,
    comparison_table,
    cpv_table,
    lots_tables,
    municipality_table,
    over_time_table,
)
from tenders.stats.municipality import REGIONAL, municipality_label
from tenders.stats.sweden import SwedenData
from tenders.stats.tables import Table

# A table's export builds only what that table needs; "utfall" comes with the lot sizes.
TABLE_SOURCES = {"utfall": "delomraden"}


@dataclass
class FilterOptions:
    years: list[str]
    municipalities: list[tuple[str, str]]
    buyers: list[tuple[str, str]]
    cpv_divisions: list[tuple[str, str]]


@dataclass
class Dashboard:
    filters: DashboardFilters
    options: FilterOptions
    tables: list[Table] = field(default_factory=list)
    award_procurements: int = 0  # procurements with award results in the store, before filters
    sweden_error: str = ""

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def filter_options(procurements: list[DalarnaProcurement], sweden: SwedenData) -> FilterOptions:
    buyers = sorted({p.buyer_key: p.buyer_name for p in procurements}.items(), key=lambda kv: kv[1].casefold())
    divisions = cpv_divisions()
    return FilterOptions(
        years=sorted({p.year for p in procurements if p.year} | set(sweden.years()), reverse=True),
        municipalities=[(code, m.name) for code, m in dalarna_municipalities().items()]
        + [(REGIONAL, municipality_label(REGIONAL))],
        buyers=buyers,
        cpv_divisions=[(d, f"{d} {divisions.get(d, '')}".strip()) for d in sorted(
            {p.cpv_division for p in procurements} | set(sweden.cpv_divisions()))],
    )


TableBuilder = Callable[[list[DalarnaProcurement], SwedenData, DashboardFilters], list[Table]]
TABLE_BUILDERS: dict[str, TableBuilder] = {
    "jamforelse": lambda p, s, f: [comparison_table(p, s, f)],
    "over-tid": lambda p, s, f: [over_time_table(p, s, f)],
    "kommuner": lambda p, s, f: [municipality_table(p, f)],
    "bestallare": lambda p, s, f: [buyer_table(p, f)],
    "cpv": lambda p, s, f: [cpv_table(p, f)],
    "delomraden": lambda p, s, f: lots_tables(p, f),
}


def build_dashboard(procurements: list[DalarnaProcurement], sweden: SwedenData, f: DashboardFilters) -> Dashboard:
    dashboard = Dashboard(f, filter_options(procurements, sweden), award_procurements=len(procurements),
                          sweden_error=sweden.error)
    for build in TABLE_BUILDERS.values():
        dashboard.tables.extend(build(procurements, sweden, f))
    return dashboard


def dashboard_table(key: str, procurements: list[DalarnaProcurement], sweden: SwedenData,
                    f: DashboardFilters) -> Table | None:
    """One table of the dashboard, building only what it needs; None for a key the dashboard does not have."""
    builder = TABLE_BUILDERS.get(TABLE_SOURCES.get(key, key))
    found = [t for t in builder(procurements, sweden, f) if t.key == key] if builder else []
    return found[0] if found else None


def filters_text(f: DashboardFilters, options: FilterOptions) -> str:
    """The chosen filters in words, for exported files: "år 2024, kommun Mora" or "alla upphandlingar"."""
    parts = []
    if f.year:
        parts.append(f"år {f.year}")
    if f.municipality:
        parts.append("kommun " + dict(options.municipalities).get(f.municipality, f.municipality))
    if f.buyer:
        parts.append("beställare " + dict(options.buyers).get(f.buyer, f.buyer))
    if f.cpv:
        parts.append(f"CPV-huvudgrupp {f.cpv}")
    return ", ".join(parts) if parts else "alla upphandlingar"
