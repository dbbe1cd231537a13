"""Tenders in the JSON API: search with facets, CSV export of a search, one tender with its history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, status
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from api.deps import IndexDep, StoreDep, rate_limited
from api.export import csv_lines
from api.export_xlsx import XLSX_MEDIA_TYPE, search_xlsx
from api.schemas.tenders import NoticeVersionPublic, TenderDetailPublic, TenderSearchParams, TendersPublic
from api.search import iter_export_documents, search_tenders, tender_page_url
from tenders.model import pick_language
from tenders.store import TenderStore

router = APIRouter(prefix="/api/tenders", tags=["tenders"])
SearchParams = Annotated[TenderSearchParams, Query()]


@router.get("", response_model=TendersPublic, dependencies=[Depends(rate_limited("search"))])
async def search(params: SearchParams, index: IndexDep) -> TendersPublic:
    """Search tenders: free text (Swedish stemming), filters (AND between fields, OR within one), facets, paging."""
    # The index blocks, so it runs in the thread pool; an async route makes that the request's only hand-off
    # (a plain ``def`` route would also hand the response validation to a thread).
    return await run_in_threadpool(search_tenders, index, params)


@router.get(
    ".csv",
    response_class=StreamingResponse,
    dependencies=[Depends(rate_limited("search"))],
    responses={200: {"content": {"text/csv": {}}, "description": "Semicolon-separated UTF-8 with BOM"}},
)
def export_csv(params: SearchParams, index: IndexDep) -> StreamingResponse:
    """The same search as a CSV file (every page, up to 10,000 rows), for a spreadsheet."""
    return StreamingResponse(
        csv_lines(iter_export_documents(index, params)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="upphandlingar.csv"'},
    )


@router.get(
    ".xlsx",
    response_class=Response,
    dependencies=[Depends(rate_limited("search"))],
    responses={200: {"content": {XLSX_MEDIA_TYPE: {}}, "description": "Excel-fil, svenska rubriker och svensk tid"}},
)
def export_xlsx(params: SearchParams, index: IndexDep) -> Response:
    """The same search and columns as the CSV file, as an Excel workbook (built whole: at most 10,000 rows)."""
    return Response(
        search_xlsx(iter_export_documents(index, params)),
        media_type=XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": 'attachment; filename="upphandlingar.xlsx"'},
    )


@router.get("/{tender_id}", response_model=TenderDetailPublic, responses={404: {"description": "No such tender"}})
def detail(tender_id: str, store: StoreDep) -> TenderDetailPublic:
    """One procurement: its current notice in full and every notice version published for it."""
    found = tender_detail(store, tender_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Upphandlingen finns inte")
    return found


def tender_detail(store: TenderStore, tender_id: str) -> TenderDetailPublic | None:
    current = store.tender(tender_id)
    if current is None:
        return None
    history = [
        NoticeVersionPublic(
            notice_id=t.notice_id, version=t.version, form_type=t.form_type, publication_date=t.publication_date
        )
        for t in store.tender_history(tender_id)
    ]
    return TenderDetailPublic(
        tender_id=tender_id,
        title=pick_language(current.title),
        description=pick_language(current.description),
        url=tender_page_url(tender_id),
        notice=current,
        history=history,
    )
