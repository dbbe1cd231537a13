"""Source health page: per source its last run, items, errors, completeness and whether it has gone quiet, and the
coverage ledger (the store against Upphandlingsmyndigheten's statistics for Dalarna's buyers)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.demo_flag import holds_demo
from api.deps import SettingsDep, StoreDep, TemplatesDep
from tenders.health import FileAlertOutbox, days_text, staff_alert_path, store_health
from tenders.stats.coverage import dalarna_coverage

router = APIRouter()
RECENT_RUNS = 10
MISSING_SHOWN = 50  # the page lists this many missing procurements; the CLI's JSON has them all


@router.get("/kallor", response_class=HTMLResponse)
def sources_page(request: Request, store: StoreDep, settings: SettingsDep, templates: TemplatesDep) -> HTMLResponse:
    healths = store_health(store, datetime.now(UTC))
    ledger, ledger_problem = dalarna_coverage(store, settings)
    context = {
        "healths": healths,
        "recent": {h.source: store.runs(h.source, limit=RECENT_RUNS) for h in healths},
        "alerts": FileAlertOutbox(staff_alert_path(settings)).alerts()[-10:][::-1],
        "days_text": days_text,
        "ledger": ledger,
        "ledger_problem": ledger_problem,
        "missing_shown": MISSING_SHOWN,
        # Crawls refuse to run while example notices are stored, so "never ran" is expected then, not an alarm.
        "paused_for_demo": holds_demo(request),
    }
    return templates.TemplateResponse(request, "staff/kallor.html", context)
