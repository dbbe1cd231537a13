"""The "Räckvidd" page: the figures of ``app.staff_reach`` (companies, digests, feedback, unmatched notices)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import ResourcesDep, StoreDep, TemplatesDep
from app.staff_reach import NO_FEEDBACK, NOTHING_SENT, reach_report
from tenders.stats.tables import display

router = APIRouter()


@router.get("/rackvidd", response_class=HTMLResponse)
def reach_page(request: Request, store: StoreDep, resources: ResourcesDep, templates: TemplatesDep) -> HTMLResponse:
    reach = reach_report(store, resources.profiles, datetime.now(UTC))
    context = {"reach": reach, "display": display, "nothing_sent": NOTHING_SENT, "no_feedback": NO_FEEDBACK}
    return templates.TemplateResponse(request, "staff/rackvidd.html", context)
