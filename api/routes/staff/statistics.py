"""Staff pages: the participation dashboard and its CSV/XLSX exports (every route here is staff-only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.responses import HTMLResponse, Response

from api.deps import SettingsDep, StoreDep, TemplatesDep
from api.routes.staff.dalarna import DalarnaProcurement, DashboardFilters, load_procurements
from api.routes.staff.dashboard import TABLE_BUILDERS, FilterOptions, build_dashboard, filter_options
from api.routes.staff.export import XLSX_MEDIA_TYPE, table_csv, tables_xlsx
from api.routes.staff.sweden import SwedenData
from api.routes.staff.tables import Table, display

router = APIRouter()
# A table's export builds only what that table needs; "utfall" comes with the lot sizes.
TABLE_SOURCES = {"utfall": "delomraden"}


def get_sweden(settings: SettingsDep) -> SwedenData:
    return SwedenData.open(settings)


def get_dalarna(store: StoreDep) -> list[DalarnaProcurement]:
    return load_procurements(store)


SwedenDep = Annotated[SwedenData, Depends(get_sweden)]
DalarnaDep = Annotated[list[DalarnaProcurement], Depends(get_dalarna)]
FiltersDep = Annotated[DashboardFilters, Query()]


@router.get("/statistik", response_class=HTMLResponse)
def dashboard_page(
    request: Request, filters: FiltersDep, dalarna: DalarnaDep, sweden: SwedenDep, templates: TemplatesDep
) -> HTMLResponse:
    dashboard = build_dashboard(dalarna, sweden, filters)
    context = {"dashboard": dashboard, "display": display, "query": request.url.query,
               "filters_text": filters_text(filters, dashboard.options)}
    return templates.TemplateResponse(request, "staff/statistik.html", context)


@router.get("/statistik.xlsx")
def all_tables_xlsx(filters: FiltersDep, dalarna: DalarnaDep, sweden: SwedenDep) -> Response:
    dashboard = build_dashboard(dalarna, sweden, filters)
    workbook = tables_xlsx(dashboard.tables, filters_text(filters, dashboard.options))
    return _download(workbook, "deltagande.xlsx", XLSX_MEDIA_TYPE)


@router.get("/statistik/{table_key}.{extension}")
def table_export(
    table_key: str, extension: str, filters: FiltersDep, dalarna: DalarnaDep, sweden: SwedenDep
) -> Response:
    table = _one_table(table_key, dalarna, sweden, filters)
    if extension == "csv":
        return _download(table_csv(table).encode("utf-8"), f"{table.key}.csv", "text/csv; charset=utf-8")
    if extension == "xlsx":
        described = filters_text(filters, filter_options(dalarna, sweden))
        return _download(tables_xlsx([table], described), f"{table.key}.xlsx", XLSX_MEDIA_TYPE)
    raise HTTPException(status.HTTP_404_NOT_FOUND, "Filformatet finns inte (csv eller xlsx).")


def _one_table(key: str, dalarna: list[DalarnaProcurement], sweden: SwedenData, filters: DashboardFilters) -> Table:
    builder = TABLE_BUILDERS.get(TABLE_SOURCES.get(key, key))
    found = [t for t in builder(dalarna, sweden, filters) if t.key == key] if builder else []
    if not found:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Tabellen finns inte.")
    return found[0]


def _download(content: bytes, filename: str, media_type: str) -> Response:
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


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
