"""The "Sparade sökningar" pages: save the current search from /sok, list the saved ones with their feeds, delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse

from api.company_deps import SignedInCompany
from api.deps import CsrfProtected, SettingsDep, TemplatesDep
from api.routes.saved_searches import SavedSearchesDep, save_search, saved_search_public
from api.schemas.saved_searches import SavedSearchCreate

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
PAGE = "/sparade-sokningar"


@router.get(PAGE)
def saved_searches_page(request: Request, company: SignedInCompany, searches: SavedSearchesDep,
                        settings: SettingsDep, templates: TemplatesDep) -> HTMLResponse:
    listed = [saved_search_public(settings, s) for s in searches.of_company(company.id)]
    return templates.TemplateResponse(request, "company/sparade_sokningar.html",
                                      {"company": company, "searches": listed})


@router.post(PAGE, dependencies=[CsrfProtected])
def save_search_page(company: SignedInCompany, searches: SavedSearchesDep,
                     namn: Annotated[str, Form(max_length=100)], query: Annotated[str, Form(max_length=2000)] = "",
                     i_sammanstallning: Annotated[str, Form()] = "") -> RedirectResponse:
    name = namn.strip()
    if not name:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "Ge sökningen ett namn")
    save_search(searches, company.id, SavedSearchCreate(name=name, query=query, in_digest=i_sammanstallning == "ja"))
    return RedirectResponse(PAGE, status_code=status.HTTP_303_SEE_OTHER)


@router.post(f"{PAGE}/sammanstallning", dependencies=[CsrfProtected])
def in_digest_page(company: SignedInCompany, searches: SavedSearchesDep, search_id: Annotated[int, Form()],
                   i_sammanstallning: Annotated[str, Form(pattern="^(ja|nej)$")]) -> RedirectResponse:
    searches.set_in_digest(company.id, search_id, i_sammanstallning == "ja")  # another company's id: nothing
    return RedirectResponse(f"{PAGE}#sokning-{search_id}", status_code=status.HTTP_303_SEE_OTHER)


@router.post(f"{PAGE}/ta-bort", dependencies=[CsrfProtected])
def delete_search_page(company: SignedInCompany, searches: SavedSearchesDep,
                       search_id: Annotated[int, Form()]) -> RedirectResponse:
    searches.delete(company.id, search_id)  # another company's id deletes nothing
    return RedirectResponse(PAGE, status_code=status.HTTP_303_SEE_OTHER)
