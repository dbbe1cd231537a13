"""Between the HTTP parameters and the index: build the query, label the facets, page through for exports."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic import ValidationError

from api.labels import facet_label
from api.schemas.tenders import FacetPublic, TenderPublic, TenderSearchParams, TendersPublic
from tenders.index.base import IndexDocument, SearchQuery, TenderIndex

EXPORT_MAX_ROWS = 10_000  # an export is for a spreadsheet, not a way to copy the index
_EXPORT_PAGE = 200


_LIST_PARAMS = {name for name, field in TenderSearchParams.model_fields.items() if field.annotation == list[str]}
AMOUNT_ERROR = "Beloppet kunde inte läsas: ange ett tal mellan 0 och 10 000 000 000 000 kronor."
OTHER_ERROR = "Några av sökvalen kunde inte läsas och har tagits bort."


@dataclass(frozen=True)
class CheckedSearch:
    """The search page's parameters: what could be read, and a Swedish line about what could not."""

    params: TenderSearchParams
    error: str | None = None


def page_search_params(request: Request) -> CheckedSearch:
    """Unlike the API (422), the page keeps the search and drops only the values that cannot be read, so a typo
    in an amount never throws away the words and filters the visitor chose."""
    query = request.query_params
    raw: dict[str, Any] = {k: query.getlist(k) if k in _LIST_PARAMS else query[k] for k in query}
    try:
        return CheckedSearch(TenderSearchParams.model_validate(raw))
    except ValidationError as error:
        invalid = {str(e["loc"][0]) for e in error.errors() if e["loc"]}
    kept = {k: v for k, v in raw.items() if k not in invalid}
    amounts = invalid <= {"value_min", "value_max"}
    try:
        params = TenderSearchParams.model_validate(kept)
    except ValidationError:
        params = TenderSearchParams(q=str(kept.get("q", ""))[:500])
    return CheckedSearch(params, AMOUNT_ERROR if amounts else OTHER_ERROR)


PageSearchParams = Annotated[CheckedSearch, Depends(page_search_params)]


def tender_page_url(tender_id: str) -> str:
    return f"/upphandlingar/{tender_id}"


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
