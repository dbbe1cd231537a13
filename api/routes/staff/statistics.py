"""Staff pages: the participation dashboard and its CSV/XLSX exports (every route here is staff-only).

The figures come from ``tenders.stats.dashboard``, as for ``anbudsvakt stats dashboard``; this module only reads
the request, draws the charts and answers.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.responses import HTMLResponse, Response

from api.deps import SettingsDep, StoreDep, TemplatesDep
from api.routes.staff import charts
from api.routes.staff.export import XLSX_MEDIA_TYPE, table_csv, tables_xlsx
from tenders.stats.dalarna import DalarnaProcurement, DashboardFilters, load_procurements
from tenders.stats.dashboard import build_dashboard, dashboard_table, filter_options, filters_text
from tenders.stats.sweden import SwedenData
from tenders.stats.tables import Table, display

router = APIRouter()


def get_sweden(settings: SettingsDep) -> SwedenData:
    return SwedenData.open(settings)


def get_dalarna(store: StoreDep) -> list[DalarnaProcurement]:
    return load_procurements(store)


SwedenDep = Annotated[SwedenData, Depends(get_sweden)]
DalarnaDep = Annotated[list[DalarnaProcurement], Depends(get_dalarna)]
FiltersDep = Annotated[DashboardFilters, Query()]


def drawn_charts(tables: list[Table]) -> dict[str, charts.Chart]:
    """Each table's chart, drawn, by table key (the template shows it above the table)."""
    return {table.key: charts.render(table.chart) for table in tables if table.chart and table.rows}


@router.get("/statistik", response_class=HTMLResponse)
def dashboard_page(
    request: Request, filters: FiltersDep, dalarna: DalarnaDep, sweden: SwedenDep, templates: TemplatesDep
) -> HTMLResponse:
    dashboard = build_dashboard(dalarna, sweden, filters)
    context = {"dashboard": dashboard, "display": display, "query": request.url.query,
               "charts": drawn_charts(dashboard.tables), "filters_text": filters_text(filters, dashboard.options)}
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
    table = dashboard_table(table_key, dalarna, sweden, filters)
    if table is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Tabellen finns inte.")
    if extension == "csv":
        return _download(table_csv(table).encode("utf-8"), f"{table.key}.csv", "text/csv; charset=utf-8")
    if extension == "xlsx":
        described = filters_text(filters, filter_options(dalarna, sweden))
        return _download(tables_xlsx([table], described), f"{table.key}.xlsx", XLSX_MEDIA_TYPE)
    raise HTTPException(status.HTTP_404_NOT_FOUND, "Filformatet finns inte (csv eller xlsx).")


def _download(content: bytes, filename: str, media_type: str) -> Response:
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
