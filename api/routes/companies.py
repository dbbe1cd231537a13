"""Companies in the JSON API: registration (public, sends a sign-in link) and the signed-in company's own profile,
export and erasure. Every route but registration takes the company from the session; an id in the path that is
not the caller's answers 404, exactly like an id that does not exist."""

from __future__ import annotations

import json
from dataclasses import asdict

from fastapi import APIRouter, HTTPException, Request, Response, status
from pydantic import ValidationError
from sqlalchemy.orm import Session

from api.company_deps import NOT_YOURS, CompanyServiceDep, NowDep, OwnCompany, ProfilesDep
from api.company_profiles import company_email, company_public, profile_from_create, profile_with_update
from api.deps import CsrfProtected, CurrentCompany, RateLimitsDep, SessionDep, SettingsDep, client_key
from api.routes.signin import send_magic_link
from api.schemas.companies import (
    CompanyApiKeyCreated,
    CompanyApiKeyPublic,
    CompanyApiKeysPublic,
    CompanyCreate,
    CompanyPublic,
    CompanySessionPublic,
    CompanyUpdate,
    RegistrationPublic,
)
from api.security.company_keys import (
    TooManyCompanyKeysError,
    create_company_key,
    end_company_keys,
    list_company_keys,
    revoke_company_key,
)
from api.security.mail import MAIL_UNAVAILABLE
from api.security.sessions import end_sessions_of
from profiles.repository import Company, ProfileRepository
from profiles.service import CompanyError, CompanyService

router = APIRouter(prefix="/api/companies", tags=["companies"])


def _public(profiles: ProfileRepository, company: Company) -> CompanyPublic:
    return company_public(company, company.profile.consent_at is not None and bool(profiles.channels(company.id)))


def unprocessable(error: ValidationError) -> HTTPException:
    detail = [{"loc": list(e["loc"]), "msg": e["msg"]} for e in error.errors(include_url=False)]
    return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail)


@router.post("", response_model=RegistrationPublic, status_code=status.HTTP_201_CREATED,
             responses={409: {"description": "Organisationsnumret är redan registrerat"}, 429: {},
                        503: {"description": "E-post kunde inte skickas; företaget är sparat, försök igen"}})
def register_company(data: CompanyCreate, request: Request, service: CompanyServiceDep, profiles: ProfilesDep,
                     settings: SettingsDep, limits: RateLimitsDep, now: NowDep) -> RegistrationPublic:
    """Register a company; a sign-in link goes to its e-mail address (the only way in). Alerts (``consent``)
    start only when that link is used: double opt-in, so nobody can subscribe an address they do not own.
    When the link cannot be mailed the answer is 503 and the company stays saved: the same registration again
    (same org.nr and e-mail, not yet confirmed) sends the link instead of answering 409."""
    if not limits.magic_link_per_client.allow(client_key(request)):
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, "För många registreringar – vänta en stund")
    try:
        company = service.register(profile_from_create(data, now), has_bid_before=data.has_bid_before, via="web",
                                   confirm_by_email=True)
    except ValidationError as error:
        raise unprocessable(error) from error
    except CompanyError as error:
        raise HTTPException(status.HTTP_409_CONFLICT, "Organisationsnumret är redan registrerat") from error
    address = company_email(company.profile)
    if address and limits.magic_link_per_email.allow(address) and not send_magic_link(settings, company.id, address):
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, MAIL_UNAVAILABLE, {"Retry-After": "300"})
    return RegistrationPublic(company=_public(profiles, company))


@router.get("/me", response_model=CompanySessionPublic)
def my_company(company: CurrentCompany) -> CompanySessionPublic:
    """Who is signed in."""
    return CompanySessionPublic(company_id=company.subject_id, email=company.email)


@router.get("/{company_id}", response_model=CompanyPublic, responses=NOT_YOURS)
def company_profile(company: OwnCompany, profiles: ProfilesDep) -> CompanyPublic:
    return _public(profiles, company)


@router.patch("/{company_id}", response_model=CompanyPublic, responses=NOT_YOURS, dependencies=[CsrfProtected])
def update_company(company: OwnCompany, update: CompanyUpdate, service: CompanyServiceDep, profiles: ProfilesDep,
                   settings: SettingsDep, limits: RateLimitsDep, now: NowDep) -> CompanyPublic:
    """Change the profile: only the fields given are replaced (send a CSRF token in ``X-CSRF-Token``). A new
    e-mail address gets a link and alerts wait until it is used, as at registration."""
    try:
        profile = profile_with_update(company.profile, update, now)
        saved = service.update(company.id, profile, has_bid_before=update.has_bid_before, via="web",
                               confirm_by_email=True)
    except ValidationError as error:
        raise unprocessable(error) from error
    except CompanyError as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from error
    public = _public(profiles, saved)
    address = company_email(saved.profile)
    if address and address != company_email(company.profile):
        sent = not limits.magic_link_per_email.allow(address) or send_magic_link(settings, saved.id, address)
        public.message = new_address_message(address) if sent else f"{MAIL_UNAVAILABLE} {new_address_message(address)}"
    return public


def new_address_message(address: str) -> str:
    return (f"Den nya e-postadressen måste bekräftas: använd länken vi har skickat till {address}. "
            "Inga utskick går dit förrän adressen är bekräftad.")


@router.get("/{company_id}/export", responses={**NOT_YOURS, 200: {"content": {"application/json": {}}}})
def export_company(company: OwnCompany, service: CompanyServiceDep, db: SessionDep) -> Response:
    """Everything stored about the company (GDPR art. 15 and 20), as a JSON file."""
    return export_file(service, db, company.id)


def export_file(service: CompanyService, db: Session, company_id: str) -> Response:
    data = service.export(company_id)
    # The keys live with the sign-in sessions (api layer): their ids and dates, never the keys themselves.
    data["api_nycklar"] = [
        {"id": key.id, "skapad": key.created_at.isoformat(), "giltig_till": key.expires_at.isoformat()}
        for key in list_company_keys(db, company_id)
    ]
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, media_type="application/json; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="mina-uppgifter.json"',
                             "Cache-Control": "no-store"})


@router.delete("/{company_id}", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_YOURS,
               dependencies=[CsrfProtected])
def erase_company(company: OwnCompany, service: CompanyServiceDep, db: SessionDep) -> Response:
    """Erase the company and everything about it (GDPR art. 17); every session of it ends."""
    erase(service, db, company.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def erase(service: CompanyService, db: Session, company_id: str) -> None:
    service.erase(company_id)  # channels, consent log, follows, verdicts and alerts go with it (cascade)
    end_sessions_of(db, "company", company_id)
    end_company_keys(db, company_id)


TOO_MANY_KEYS = "Företaget har redan fem API-nycklar – spärra någon först"
KEYS_NEED_SIGN_IN = "Nya API-nycklar skapas av en inloggad användare, inte med en annan nyckel"


@router.get("/{company_id}/api-keys", response_model=CompanyApiKeysPublic, responses=NOT_YOURS)
def list_company_api_keys(company: OwnCompany, db: SessionDep) -> CompanyApiKeysPublic:
    keys = [CompanyApiKeyPublic(**asdict(key)) for key in list_company_keys(db, company.id)]
    return CompanyApiKeysPublic(data=keys, count=len(keys))


@router.post("/{company_id}/api-keys", response_model=CompanyApiKeyCreated, status_code=201,
             responses={**NOT_YOURS, 403: {}, 409: {}}, dependencies=[CsrfProtected])
def create_company_api_key(company: OwnCompany, principal: CurrentCompany, db: SessionDep) -> CompanyApiKeyCreated:
    # A leaked key must not be able to mint the keys that would outlive its revocation.
    if principal.via_api_key:
        raise HTTPException(status.HTTP_403_FORBIDDEN, KEYS_NEED_SIGN_IN)
    try:
        key, plain = create_company_key(db, company.id, company_email(company.profile) or "")
    except TooManyCompanyKeysError as err:
        raise HTTPException(status.HTTP_409_CONFLICT, TOO_MANY_KEYS) from err
    return CompanyApiKeyCreated(**asdict(key), key=plain)


@router.delete("/{company_id}/api-keys/{key_id}", status_code=204, responses=NOT_YOURS,
               dependencies=[CsrfProtected])
def revoke_company_api_key(company: OwnCompany, key_id: str, db: SessionDep) -> Response:
    if not revoke_company_key(db, company.id, key_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "API-nyckeln finns inte")
    return Response(status_code=204)
