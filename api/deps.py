"""Dependencies for routes, as ``Annotated`` aliases. Tests replace them with ``app.dependency_overrides``.

Dependencies that only read app state are ``async def``: FastAPI runs a plain ``def`` dependency in the thread
pool, and those hand-offs (not the work) were a large part of a search request's cost under load.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from api.companies import CompanyDirectory
from api.openapi import api_key_scheme, csrf_scheme
from api.resources import AppResources
from api.security.accounts import Role, get_user, user_for_api_key
from api.security.company_keys import owner_of_company_key
from api.security.csrf import CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER, csrf_token_valid
from api.security.ratelimit import RateLimits, SlidingWindowLimiter
from api.security.sessions import SESSION_COOKIE, SessionRecord, load_session
from tenders.index.base import TenderIndex
from tenders.settings import Settings
from tenders.store import TenderStore


async def get_resources(request: Request) -> AppResources:
    resources: AppResources = request.app.state.resources
    return resources


ResourcesDep = Annotated[AppResources, Depends(get_resources)]


async def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_store(resources: ResourcesDep) -> TenderStore:
    return resources.store


async def get_index(resources: ResourcesDep) -> TenderIndex:
    return resources.index


def get_db(resources: ResourcesDep) -> Iterator[Session]:
    """A session on the auth tables; committed when the request succeeds, rolled back when it raises."""
    with Session(resources.auth_engine) as session, session.begin():
        yield session


async def get_rate_limits(resources: ResourcesDep) -> RateLimits:
    return resources.rate_limits


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
StoreDep = Annotated[TenderStore, Depends(get_store)]
IndexDep = Annotated[TenderIndex, Depends(get_index)]
# "function" scope: commit before the response leaves, so a redirect after sign-in never races its own
# session row (the default "request" scope commits only after the response has been sent).
SessionDep = Annotated[Session, Depends(get_db, scope="function")]
RateLimitsDep = Annotated[RateLimits, Depends(get_rate_limits)]


async def get_companies(resources: ResourcesDep) -> CompanyDirectory:
    return resources.companies


CompaniesDep = Annotated[CompanyDirectory, Depends(get_companies)]


@dataclass(frozen=True)
class Principal:
    """Who is asking: a signed-in company, or a user (developer/staff) by session or API key."""

    kind: Literal["company", "user"]
    subject_id: str
    email: str
    role: Role | None = None
    via_api_key: bool = False


# Declared for OpenAPI (/docs "Authorize"); the header is still read by hand below, so that a non-Bearer
# Authorization header counts as a failed attempt too instead of passing as anonymous.
ApiKeyDeclared = Annotated[HTTPAuthorizationCredentials | None, Depends(api_key_scheme)]
CsrfHeaderDeclared = Annotated[str | None, Depends(csrf_scheme)]


def get_principal(request: Request, db: SessionDep, companies: CompaniesDep,
                  limits: RateLimitsDep, _declared: ApiKeyDeclared) -> Principal | None:
    authorization = request.headers.get("authorization", "")
    if authorization:
        return _principal_from_api_key(db, companies, authorization, limits.api_key_failures, client_key(request))
    token = request.cookies.get(SESSION_COOKIE)
    record = load_session(db, token) if token else None
    principal = _principal_from_session(db, companies, record) if record else None
    request.state.principal = principal  # the page templates show who is signed in
    return principal


def _principal_from_session(db: Session, companies: CompanyDirectory, record: SessionRecord) -> Principal | None:
    if record.kind == "company":
        if not companies.company_exists(record.subject_id):
            return None  # an erased company's sessions end with it
        return Principal("company", record.subject_id, record.email)
    user = get_user(db, int(record.subject_id))
    if user is None or not user.active:  # a deactivated account loses its sessions at once
        return None
    return Principal("user", str(user.id), user.email, role=user.role)


def _principal_from_api_key(db: Session, companies: CompanyDirectory, authorization: str,
                            failures: SlidingWindowLimiter, address: str) -> Principal:
    # An address that has sent too many wrong keys is refused before any key is looked up, the right one too:
    # otherwise guessing could go on at full speed and stop only when it succeeds.
    if failures.exhausted(address):
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, "För många felaktiga API-nycklar – vänta en stund",
                            {"Retry-After": str(failures.retry_after(address))})
    scheme, _, key = authorization.partition(" ")
    key = key.strip() if scheme.lower() == "bearer" else ""
    # A company's key (avc_…, api/security/company_keys.py) opens that company's own routes only.
    owner = owner_of_company_key(db, key) if key else None
    if owner is not None and companies.company_exists(owner.company_id):
        return Principal("company", owner.company_id, owner.email, via_api_key=True)
    user = user_for_api_key(db, key) if key else None
    if user is None:
        failures.allow(address)  # counts the failure
        # A wrong key is an error, never a silent fall-back to anonymous access.
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Ogiltig API-nyckel", {"WWW-Authenticate": "Bearer"})
    return Principal("user", str(user.id), user.email, role=user.role, via_api_key=True)


OptionalPrincipal = Annotated[Principal | None, Depends(get_principal)]


def require_company(principal: OptionalPrincipal) -> Principal:
    if principal is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Logga in först")
    if principal.kind != "company":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Endast för inloggade företag")
    return principal


def require_user(principal: OptionalPrincipal) -> Principal:
    if principal is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Logga in först")
    if principal.kind != "user":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Endast för näringslivsutvecklare och personal")
    return principal


def require_staff(user: Annotated[Principal, Depends(require_user)]) -> Principal:
    if user.role != Role.STAFF:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Endast för personal på Upphandlingsdialog Dalarna")
    return user


CurrentCompany = Annotated[Principal, Depends(require_company)]
CurrentUser = Annotated[Principal, Depends(require_user)]
CurrentStaff = Annotated[Principal, Depends(require_staff)]


async def verify_csrf(request: Request, settings: SettingsDep, principal: OptionalPrincipal,
                      _declared: CsrfHeaderDeclared) -> None:
    """Refuse a state-changing request that came from a cookie-carrying browser without a valid token."""
    if request.method in ("GET", "HEAD", "OPTIONS") or (principal is not None and principal.via_api_key):
        return
    token = request.headers.get(CSRF_HEADER)
    if token is None and "form" in request.headers.get("content-type", ""):
        value = (await request.form()).get(CSRF_FIELD)
        token = value if isinstance(value, str) else None
    cookies = request.cookies
    if not csrf_token_valid(
        settings.secret_key.get_secret_value(), token, cookies.get(CSRF_COOKIE), cookies.get(SESSION_COOKIE)
    ):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Formuläret har gått ut – ladda om sidan och försök igen")


CsrfProtected = Depends(verify_csrf)


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def rate_limited(limiter_name: str) -> Callable[[Request, RateLimits], Awaitable[None]]:
    """A dependency that counts the request against ``RateLimits.<limiter_name>`` per client address."""

    async def check(request: Request, limits: RateLimitsDep) -> None:  # microseconds: no thread hand-off
        limiter = getattr(limits, limiter_name)
        key = client_key(request)
        if not limiter.allow(key):
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS,
                "För många förfrågningar – vänta en stund och försök igen",
                {"Retry-After": str(limiter.retry_after(key))},
            )

    return check


async def get_templates(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]
