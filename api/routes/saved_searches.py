"""Saved searches in the JSON API, and each one's secret Atom feed (the address is the credential, as for a
company's feeds: a wrong token or a deleted search answers 404)."""

from __future__ import annotations

from itertools import islice
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Response, status
from starlette.concurrency import run_in_threadpool

from api.company_deps import NOT_YOURS, NowDep, OwnCompany
from api.deps import CsrfProtected, IndexDep, ResourcesDep, SettingsDep
from api.routes.feeds import FEED_HEADERS
from api.saved_search_feed import (
    FEED_ENTRIES,
    clean_query,
    feed_params,
    saved_search_atom,
    saved_search_feed_url,
    search_id_for_token,
)
from api.schemas.saved_searches import SavedSearchCreate, SavedSearchesPublic, SavedSearchPublic, SavedSearchUpdate
from api.search import iter_export_documents
from profiles.saved_searches import SavedSearch, SavedSearches, TooManySavedSearchesError
from tenders.public_urls import PublicUrls
from tenders.settings import Settings

router = APIRouter()
INVALID_QUERY = "Sökningen kunde inte läsas – spara den från sökresultatet på /sok"
NO_SUCH_SEARCH = "Den sparade sökningen finns inte"


def get_saved_searches(resources: ResourcesDep) -> SavedSearches:
    return SavedSearches(resources.profiles.engine)


SavedSearchesDep = Annotated[SavedSearches, Depends(get_saved_searches)]


def saved_search_public(settings: Settings, search: SavedSearch) -> SavedSearchPublic:
    secret = settings.secret_key.get_secret_value()
    return SavedSearchPublic(
        id=search.id, name=search.name, query=search.query, in_digest=search.in_digest,
        search_url=f"{PublicUrls(settings.base_url).home()}sok?{search.query}",
        feed_url=saved_search_feed_url(settings.base_url, secret, search.id), created_at=search.created_at)


def save_search(searches: SavedSearches, company_id: str, body: SavedSearchCreate) -> SavedSearch:
    """Shared by the API and the page; 422 for a query that is not a search, 409 past the per-company limit."""
    query = clean_query(body.query)
    if query is None:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, INVALID_QUERY)
    try:
        return searches.add(company_id, body.name, query, in_digest=body.in_digest)
    except TooManySavedSearchesError as err:
        message = "Ni har redan 50 sparade sökningar – ta bort någon först"
        raise HTTPException(status.HTTP_409_CONFLICT, message) from err


@router.get("/api/companies/{company_id}/saved-searches", response_model=SavedSearchesPublic,
            responses=NOT_YOURS, tags=["saved-searches"])
def list_saved_searches(company: OwnCompany, searches: SavedSearchesDep, settings: SettingsDep) -> SavedSearchesPublic:
    data = [saved_search_public(settings, s) for s in searches.of_company(company.id)]
    return SavedSearchesPublic(data=data, count=len(data))


@router.post("/api/companies/{company_id}/saved-searches", response_model=SavedSearchPublic, status_code=201,
             responses=NOT_YOURS, dependencies=[CsrfProtected], tags=["saved-searches"])
def create_saved_search(company: OwnCompany, body: SavedSearchCreate, searches: SavedSearchesDep,
                        settings: SettingsDep) -> SavedSearchPublic:
    return saved_search_public(settings, save_search(searches, company.id, body))


@router.patch("/api/companies/{company_id}/saved-searches/{search_id}", response_model=SavedSearchPublic,
              responses=NOT_YOURS, dependencies=[CsrfProtected], tags=["saved-searches"])
def update_saved_search(company: OwnCompany, search_id: int, body: SavedSearchUpdate, searches: SavedSearchesDep,
                        settings: SettingsDep) -> SavedSearchPublic:
    changed = searches.set_in_digest(company.id, search_id, body.in_digest)
    if changed is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NO_SUCH_SEARCH)
    return saved_search_public(settings, changed)


@router.delete("/api/companies/{company_id}/saved-searches/{search_id}", status_code=204, responses=NOT_YOURS,
               dependencies=[CsrfProtected], tags=["saved-searches"])
def delete_saved_search(company: OwnCompany, search_id: int, searches: SavedSearchesDep) -> Response:
    if not searches.delete(company.id, search_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, NO_SUCH_SEARCH)
    return Response(status_code=204)


@router.get("/api/feeds/sok/{token}/atom.xml", tags=["feeds"],
            responses={200: {"content": {"application/atom+xml": {}}}, 404: {}})
async def saved_search_feed(token: str, settings: SettingsDep, index: IndexDep, searches: SavedSearchesDep,
                            now: NowDep) -> Response:
    secret = settings.secret_key.get_secret_value()
    search_id = search_id_for_token(secret, token)
    search = await run_in_threadpool(searches.get, search_id) if search_id is not None else None
    params = feed_params(search.query) if search else None
    if search is None or params is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Flödet finns inte")
    documents = await run_in_threadpool(lambda: list(islice(iter_export_documents(index, params), FEED_ENTRIES)))
    self_url = saved_search_feed_url(settings.base_url, secret, search.id)
    body = saved_search_atom(search.name, documents, settings.base_url, self_url, search.query, now)
    return Response(body, media_type="application/atom+xml", headers=FEED_HEADERS)
