"""Accounts in the JSON API: staff manage users; every user manages their own API keys; companies ask for links."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, HTTPException, Request, status

from api.deps import (
    CompaniesDep,
    CsrfProtected,
    CurrentStaff,
    CurrentUser,
    RateLimitsDep,
    SessionDep,
    SettingsDep,
    client_key,
)
from api.routes.signin import send_magic_link
from api.schemas.accounts import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyPublic,
    ApiKeysPublic,
    MagicLinkAccepted,
    MagicLinkRequest,
    UserCreate,
    UserPublic,
    UsersPublic,
)
from api.security.accounts import AccountError, create_api_key, create_user, list_api_keys, list_users, revoke_api_key
from api.security.mail import MAIL_UNAVAILABLE

router = APIRouter(prefix="/api", tags=["accounts"])


@router.post("/auth/magic-link", response_model=MagicLinkAccepted, status_code=status.HTTP_202_ACCEPTED)
def request_magic_link(
    body: MagicLinkRequest, request: Request, settings: SettingsDep, companies: CompaniesDep, limits: RateLimitsDep
) -> MagicLinkAccepted:
    """Send a sign-in link if the address belongs to a company; the answer never says whether it does."""
    address = body.email.strip().casefold()
    if not (limits.magic_link_per_client.allow(client_key(request)) and limits.magic_link_per_email.allow(address)):
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, "För många inloggningslänkar – vänta en stund")
    company_id = companies.company_id_for_email(address)
    if company_id is not None and not send_magic_link(settings, company_id, address):
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, MAIL_UNAVAILABLE, {"Retry-After": "300"})
    return MagicLinkAccepted()


@router.get("/users", response_model=UsersPublic)
def get_users(_staff: CurrentStaff, db: SessionDep) -> UsersPublic:
    found = [UserPublic(**asdict(user)) for user in list_users(db)]
    return UsersPublic(data=found, count=len(found))


@router.post("/users", response_model=UserPublic, status_code=201, dependencies=[CsrfProtected])
def add_user(body: UserCreate, _staff: CurrentStaff, db: SessionDep) -> UserPublic:
    try:
        user = create_user(db, body.email, body.password, body.role, body.name)
    except AccountError as err:
        raise HTTPException(status.HTTP_409_CONFLICT, str(err)) from err
    return UserPublic(**asdict(user))


@router.get("/users/me", response_model=UserPublic)
def who_am_i(user: CurrentUser, db: SessionDep) -> UserPublic:
    found = next(u for u in list_users(db) if str(u.id) == user.subject_id)
    return UserPublic(**asdict(found))


@router.get("/api-keys", response_model=ApiKeysPublic)
def get_api_keys(user: CurrentUser, db: SessionDep) -> ApiKeysPublic:
    keys = [ApiKeyPublic(**asdict(k)) for k in list_api_keys(db, int(user.subject_id))]
    return ApiKeysPublic(data=keys, count=len(keys))


@router.post("/api-keys", response_model=ApiKeyCreated, status_code=201, dependencies=[CsrfProtected])
def add_api_key(body: ApiKeyCreate, user: CurrentUser, db: SessionDep) -> ApiKeyCreated:
    key, plain = create_api_key(db, int(user.subject_id), body.name)
    return ApiKeyCreated(**asdict(key), key=plain)


@router.delete("/api-keys/{key_id}", status_code=204, dependencies=[CsrfProtected])
def delete_api_key(key_id: int, user: CurrentUser, db: SessionDep) -> None:
    # Another user's key id answers exactly like a missing one, so ids reveal nothing.
    if not revoke_api_key(db, int(user.subject_id), key_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "API-nyckeln finns inte")


