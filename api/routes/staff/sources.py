"""Source health page: per source its last run, items, errors, completeness and whether it has gone quiet, and the
coverage ledger (the store against Upphandlingsmyndigheten's statistics for Dalarna's buyers)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import SettingsDep, StoreDep, TemplatesDep
from api.routes.staff.sweden import find_uhm_dir
from tenders.codelists import dalarna_buyers
from tenders.health import FileAlertOutbox, days_text, staff_alert_path, store_health
from tenders.settings import Settings
from tenders.stats.coverage import CoverageLedger, store_coverage
from tenders.stats.uhm import UhmExportError
from tenders.store import TenderStore

router = APIRouter()
RECENT_RUNS = 10
MISSING_SHOWN = 50  # the page lists this many missing procurements; the CLI's JSON has them all


def coverage(store: TenderStore, settings: Settings) -> tuple[CoverageLedger | None, str]:
    """The ledger for the latest (complete) year of the statistics export, or why there is none."""
    uhm_dir = find_uhm_dir(settings)
    if uhm_dir is None:
        return None, "Ingen export av Upphandlingsmyndighetens statistik finns (lägg den i DATA_DIR/uhm)."
    try:
        return store_coverage(uhm_dir, store, dalarna_buyers()), ""
    except UhmExportError as error:
        return None, str(error)


@router.get("/kallor", response_class=HTMLResponse)
def sources_page(request: Request, store: StoreDep, settings: SettingsDep, templates: TemplatesDep) -> HTMLResponse:
    healths = store_health(store, datetime.now(UTC))
    ledger, ledger_problem = coverage(store, settings)
    context = {
        "healths": healths,
        "recent": {h.source: store.runs(h.source, limit=RECENT_RUNS) for h in healths},
        "alerts": FileAlertOutbox(staff_alert_path(settings)).alerts()[-10:][::-1],
        "days_text": days_text,
        "ledger": ledger,
        "ledger_problem": ledger_problem,
        "missing_shown": MISSING_SHOWN,
    }
    return templates.TemplateResponse(request, "staff/kallor.html", context)
