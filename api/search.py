"""Between the HTTP parameters and the index: build the query, label the facets, page through for exports."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from api.labels import facet_label
from api.schemas.tenders import FacetPublic, TenderPublic, TenderSearchParams, TendersPublic
from tenders.formatting import TIMEZONE
from tenders.index.base import IndexDocument, SearchQuery, TenderIndex

EXPORT_MAX_ROWS = 10_000  # an export is for a spreadsheet, not a way to copy the index
_EXPORT_PAGE = 200


def tender_page_url(tender_id: str) -> str:
    return f"/upphandlingar/{tender_id}"


def start_of_day(day: date) -> datetime:
    """Midnight in Swedish time: "sista anbudsdag tidigast 10 december" keeps a deadline at 00:30 that day."""
    return datetime.combine(day, time(), tzinfo=ZoneInfo(TIMEZONE))


def to_search_query(params: TenderSearchParams, *, with_facets: bool = True) -> SearchQuery:
    return SearchQuery(
        text=params.q.strip(),
        cpv_prefixes=params.cpv,
        municipalities=params.municipality,
        nuts=params.nuts,
        buyers=params.buyer,
        form_types=params.form_type,
        value_min=params.value_min,
        value_max=params.value_max,
        deadline_after=start_of_day(params.deadline_after) if params.deadline_after else None,
        sme_suitable=params.sme_suitable,
        open_now=params.open_now,
        now=datetime.now(UTC) if params.open_now else None,
        sort=params.sort,
        page=params.page,
        page_size=params.page_size,
        with_facets=with_facets,
    )


def tender_public(document: IndexDocument, score: float = 0.0) -> TenderPublic:
    return TenderPublic(**document.model_dump(), url=tender_page_url(document.tender_id), score=score)


def search_tenders(index: TenderIndex, params: TenderSearchParams) -> TendersPublic:
    result = index.search(to_search_query(params))
    facets = {
        field: [FacetPublic(value=f.value, label=facet_label(field, f.value), count=f.count) for f in counts]
        for field, counts in result.facets.items()
    }
    return TendersPublic(
        data=[tender_public(hit.document, hit.score) for hit in result.hits],
        count=result.total,
        page=params.page,
        page_size=params.page_size,
        facets=facets,
    )


def iter_export_documents(index: TenderIndex, params: TenderSearchParams) -> Iterator[IndexDocument]:
    """Every matching document in the requested order, page by page, up to ``EXPORT_MAX_ROWS``."""
    query = to_search_query(params, with_facets=False).model_copy(update={"page_size": _EXPORT_PAGE})
    emitted = 0
    page = 1
    while emitted < EXPORT_MAX_ROWS:
        result = index.search(query.model_copy(update={"page": page}))
        for hit in result.hits[: EXPORT_MAX_ROWS - emitted]:
            yield hit.document
            emitted += 1
        if not result.hits or page * _EXPORT_PAGE >= result.total:
            return
        page += 1
