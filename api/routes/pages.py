"""Public pages in Swedish: start page, search with facets and filters (a GET form), one tender."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from alerts.support import SupportCatalogue, load_catalogue
from api.deps import IndexDep, OptionalPrincipal, StoreDep, TemplatesDep, rate_limited
from api.labels import facet_label
from api.routes.tenders import tender_detail
from api.schemas.tenders import TenderSearchParams, TendersPublic
from api.search import search_tenders
from api.search_form import PageSearchParams, date_example
from tenders.demo import buyer_display_name
from tenders.formatting import orgnr as orgnr_text
from tenders.index.base import SortOrder

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

# Facet field in the index → the query parameter that filters on it.
FACET_PARAMS = {"form_type": "form_type", "municipality": "municipality", "cpv_division": "cpv", "buyer": "buyer"}
SORT_LABELS = {
    SortOrder.RELEVANCE: "Bäst träff",
    SortOrder.DEADLINE: "Sista anbudsdag",
    SortOrder.PUBLISHED: "Senast publicerad",
}
FACET_SHOWN = 12  # the rest of a long facet folds into "Visa fler"


@router.get("/")
def start_page(request: Request, index: IndexDep, templates: TemplatesDep, _who: OptionalPrincipal) -> HTMLResponse:
    latest = search_tenders(index, TenderSearchParams(sort=SortOrder.PUBLISHED, page_size=5))
    catalogue = support_catalogue()  # the same support offers and contact as the digest
    context = {"latest": latest, "total": index.count(), "supports": catalogue.stod, "contact": catalogue.kontakt}
    return templates.TemplateResponse(request, "index.html", context)


@cache
def support_catalogue() -> SupportCatalogue:
    return load_catalogue()


@router.get("/sok", dependencies=[Depends(rate_limited("search"))])
def search_page(
    request: Request,
    checked: PageSearchParams,
    index: IndexDep,
    templates: TemplatesDep,
    _who: OptionalPrincipal,
) -> Response:
    if checked.rewritten and checked.status_code != 422:  # "1 500 000 kr", "2030-2-1", page=abc: read fine
        return RedirectResponse(f"/sok?{checked.plain_query}", status_code=status.HTTP_303_SEE_OTHER)
    params = checked.params
    result = search_tenders(index, params)
    last = max(1, -(-result.count // result.page_size))
    if result.count and params.page > last:  # /sok?page=999 shows the last page, not "Sida 2 av 2 … Inga"
        params = params.model_copy(update={"page": last})
        result = search_tenders(index, params)
    context = {
        "errors": checked.errors,  # a field that could not be read: left out with a message, the rest searched
        "typed": checked.typed,
        "search_notice": checked.notice,
        "today_example": date_example(),
        "params": params,
        "result": result,
        "facets": facet_groups(result, params),
        "sort_labels": SORT_LABELS,
        "pages": page_links(request, result),
        "csv_url": "/api/tenders.csv" + (f"?{checked.plain_query}" if checked.plain_query else ""),
    }
    return templates.TemplateResponse(request, "search.html", context, status_code=checked.status_code)


@router.get("/upphandlingar/{tender_id}")
def tender_page(
    request: Request, tender_id: str, store: StoreDep, templates: TemplatesDep, _who: OptionalPrincipal
) -> HTMLResponse:
    found = tender_detail(store, tender_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Upphandlingen finns inte")
    return templates.TemplateResponse(request, "tender.html", {"tender": found, "notice": found.notice})


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    checked: bool


def facet_groups(result: TendersPublic, params: TenderSearchParams) -> list[dict[str, Any]]:
    """Each facet with its options, chosen ones first so a selection never disappears from the form."""
    groups = []
    # Buyers outside the Dalarna list have no name in the code lists; the hits on this page carry theirs.
    names = {o: n for item in result.data for o, n in zip(item.buyer_orgnrs, item.buyer_names, strict=False)}
    for field, param in FACET_PARAMS.items():
        chosen = set(getattr(params, param))
        options = [FacetOption(f.value, _facet_name(field, f.value, f.label, names), f.count, f.value in chosen)
                   for f in result.facets.get(field, [])]
        present = {o.value for o in options}
        options += [FacetOption(v, facet_label(field, v), 0, True) for v in sorted(chosen - present)]
        options.sort(key=lambda o: (not o.checked, -o.count, o.label))
        if options:
            groups.append({"field": field, "param": param, "shown": options[:FACET_SHOWN],
                           "more": options[FACET_SHOWN:]})
    return groups


def _facet_name(field: str, value: str, label: str, buyer_names: dict[str, str]) -> str:
    if field == "buyer" and value in buyer_names and label == orgnr_text(value):
        return buyer_display_name(buyer_names[value])
    return label


def page_links(request: Request, result: TendersPublic) -> dict[str, Any]:
    last = max(1, -(-result.count // result.page_size))
    current = min(result.page, last)

    def url(page: int) -> str:
        return "?" + request.url.include_query_params(page=page).query

    window = range(max(1, current - 2), min(last, current + 2) + 1)
    return {
        "current": current, "last": last, "numbers": [(n, url(n)) for n in window],
        "previous": url(current - 1) if current > 1 else None, "next": url(current + 1) if current < last else None,
    }
