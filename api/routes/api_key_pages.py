"""API-key pages: a company's (/mina-uppgifter/api-nyckel, a Bearer key for /api/companies/me/...) and a business
developer's or staff member's (/personal/api-nycklar, for the search and statistics API). A new key is shown in the
answer to the POST that made it, once; the pages list keys by their start and dates only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.company_deps import SignedInCompany
from api.company_profiles import company_email
from api.deps import CsrfProtected, CurrentUser, SessionDep, TemplatesDep
from api.security.accounts import create_api_key, list_api_keys, revoke_api_key
from api.security.company_keys import (
    MAX_KEYS_PER_COMPANY,
    TooManyCompanyKeysError,
    create_company_key,
    list_company_keys,
    revoke_company_key,
)
from profiles.repository import Company
from tenders import formatting

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
COMPANY_PAGE = "/mina-uppgifter/api-nyckel"
USER_PAGE = "/personal/api-nycklar"
NO_STORE = {"Cache-Control": "no-store"}  # a page holding a new key is never kept by a browser or proxy


@dataclass(frozen=True)
class KeyRow:
    """One key as the pages list it, whoever owns it."""

    id: str
    label: str
    created_at: datetime
    expires_at: datetime | None = None  # a company's key lasts a year
    last_used_at: datetime | None = None  # a user's key records its last use


def _company_context(db: SessionDep, company: Company, **extra: Any) -> dict[str, Any]:
    keys = [KeyRow(k.id, f"Nyckel från {formatting.day(k.created_at)}", k.created_at, expires_at=k.expires_at)
            for k in list_company_keys(db, company.id)]
    return {"company": company, "keys": keys, "max_keys": MAX_KEYS_PER_COMPANY, **extra}


@router.get(COMPANY_PAGE)
def company_keys_page(request: Request, company: SignedInCompany, db: SessionDep,
                      templates: TemplatesDep) -> HTMLResponse:
    revoked = request.query_params.get("sparrad") == "1"
    context = _company_context(db, company, revoked=revoked)
    return templates.TemplateResponse(request, "company/api_nyckel.html", context)


@router.post(COMPANY_PAGE, dependencies=[CsrfProtected])
def create_company_key_page(request: Request, company: SignedInCompany, db: SessionDep,
                            templates: TemplatesDep) -> HTMLResponse:
    try:
        _key, plain = create_company_key(db, company.id, company_email(company.profile) or "")
    except TooManyCompanyKeysError:
        error = f"Ni har redan {MAX_KEYS_PER_COMPANY} nycklar. Spärra en som inte används och försök igen."
        return templates.TemplateResponse(request, "company/api_nyckel.html",
                                          _company_context(db, company, error=error), status_code=409)
    return templates.TemplateResponse(request, "company/api_nyckel.html",
                                      _company_context(db, company, new_key=plain), headers=NO_STORE)


@router.post(f"{COMPANY_PAGE}/sparra", dependencies=[CsrfProtected])
def revoke_company_key_page(company: SignedInCompany, db: SessionDep,
                            key_id: Annotated[str, Form(max_length=20)]) -> RedirectResponse:
    revoke_company_key(db, company.id, key_id)  # another company's id revokes nothing
    return RedirectResponse(f"{COMPANY_PAGE}?sparrad=1", status_code=303)


def _user_context(db: SessionDep, user_id: int, **extra: Any) -> dict[str, Any]:
    keys = [KeyRow(str(k.id), f"{k.name or 'Nyckel utan namn'} ({k.prefix}…)", k.created_at,
                   last_used_at=k.last_used_at)
            for k in list_api_keys(db, user_id) if k.revoked_at is None]
    return {"keys": keys, **extra}


@router.get(USER_PAGE)
def user_keys_page(request: Request, user: CurrentUser, db: SessionDep, templates: TemplatesDep) -> HTMLResponse:
    revoked = request.query_params.get("sparrad") == "1"
    return templates.TemplateResponse(request, "api_nycklar.html",
                                      _user_context(db, int(user.subject_id), revoked=revoked))


@router.post(USER_PAGE, dependencies=[CsrfProtected])
def create_user_key_page(request: Request, user: CurrentUser, db: SessionDep, templates: TemplatesDep,
                         namn: Annotated[str, Form(max_length=200)] = "") -> HTMLResponse:
    _key, plain = create_api_key(db, int(user.subject_id), namn)
    return templates.TemplateResponse(request, "api_nycklar.html",
                                      _user_context(db, int(user.subject_id), new_key=plain), headers=NO_STORE)


@router.post(f"{USER_PAGE}/sparra", dependencies=[CsrfProtected])
def revoke_user_key_page(user: CurrentUser, db: SessionDep, key_id: Annotated[int, Form()]) -> RedirectResponse:
    revoke_api_key(db, int(user.subject_id), key_id)  # another user's key id revokes nothing
    return RedirectResponse(f"{USER_PAGE}?sparrad=1", status_code=303)
