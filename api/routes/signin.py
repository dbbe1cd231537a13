"""Signing in and out: magic links for companies, passwords for developers and staff."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from alerts.delivery.transport import AmbiguousSendError, DefiniteSendError, send_email
from api.companies import CompanyDirectory
from api.company_deps import NowDep, ProfilesDep
from api.deps import (
    CompaniesDep,
    CsrfProtected,
    OptionalPrincipal,
    RateLimitsDep,
    SessionDep,
    SettingsDep,
    TemplatesDep,
    client_key,
)
from api.local_paths import local_path
from api.security.accounts import Role, authenticate
from api.security.magic_links import (
    MAGIC_LINK_MAX_AGE,
    MagicLinkClaims,
    MagicLinkError,
    consume_magic_link_token,
    issue_magic_link_token,
    read_magic_link_token,
)
from api.security.mail import MAIL_UNAVAILABLE, magic_link_message
from api.security.sessions import SESSION_COOKIE, SESSION_LIFETIMES, SessionKind, create_session, end_session
from profiles.repository import ProfileRepository
from profiles.service import email_address
from tenders.public_urls import PublicUrls
from tenders.settings import Settings

MAX_EMAIL_LENGTH = 320  # RFC 5321: 64 + 1 + 255

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
logger = logging.getLogger("anbudsvakt.mail")

LINK_ERRORS = {
    "expired": "Länken har gått ut. Be om en ny inloggningslänk.",
    "used": "Länken har redan använts. Be om en ny inloggningslänk.",
    "invalid": "Länken är ogiltig. Kontrollera att ni kopierat hela länken, eller be om en ny.",
}


@router.get("/logga-in")
def signin_form(request: Request, templates: TemplatesDep, _who: OptionalPrincipal) -> HTMLResponse:
    return templates.TemplateResponse(request, "signin.html", {})


@router.post("/logga-in", dependencies=[CsrfProtected])
def request_magic_link(
    request: Request,
    settings: SettingsDep,
    companies: CompaniesDep,
    limits: RateLimitsDep,
    templates: TemplatesDep,
    # No length limit or required field in the form declaration: FastAPI would answer those with its generic
    # error page, and the visitor should get the form back with a message instead.
    email: Annotated[str, Form()] = "",
) -> HTMLResponse:
    address = email.strip().casefold()
    if "@" not in address or len(address) > MAX_EMAIL_LENGTH:
        context = {"error": "Skriv en e-postadress, till exempel namn@foretag.se.", "email": email[:MAX_EMAIL_LENGTH]}
        return templates.TemplateResponse(request, "signin.html", context, status_code=422)
    allowed = limits.magic_link_per_client.allow(client_key(request)) and limits.magic_link_per_email.allow(address)
    if not allowed:
        context = {"error": "Ni har bett om för många länkar. Vänta en stund och försök igen.", "email": email}
        return templates.TemplateResponse(request, "signin.html", context, status_code=429)
    company_id = companies.company_id_for_email(address)
    if company_id is not None and not send_magic_link(settings, company_id, address):
        context = {"error": MAIL_UNAVAILABLE, "email": email}
        return templates.TemplateResponse(request, "signin.html", context, status_code=503)
    # The same answer whether or not the address is registered: the page must not reveal who our users are.
    return templates.TemplateResponse(request, "signin_sent.html", {"email": address})


def send_magic_link(settings: Settings, company_id: str, address: str) -> bool:
    """Mail a sign-in link; False when the relay did not take it (logged for staff; the caller says so)."""
    token = issue_magic_link_token(settings.secret_key.get_secret_value(), company_id, address)
    link = PublicUrls(settings.base_url).signin_link(token)
    minutes = int(MAGIC_LINK_MAX_AGE.total_seconds() // 60)
    try:
        send_email(settings, magic_link_message(settings, address, link, minutes), label="signin")
    except (DefiniteSendError, AmbiguousSendError, OSError) as error:
        # A relay outage must not become a 500: the visitor is told to try again, staff see why in the log.
        logger.error("Inloggningslänken till företag %s kunde inte skickas: %s", company_id, error)
        return False
    return True


def read_current_link(settings: Settings, companies: CompanyDirectory, profiles: ProfileRepository,
                      token: str) -> MagicLinkClaims:
    """The link's claims if it is genuine, unexpired and went to the address the company has now: after an
    address change, links mailed to the old address (whoever reads that mailbox now) no longer sign in."""
    claims = read_magic_link_token(settings.secret_key.get_secret_value(), token)
    if companies.company_id_for_email(claims.email) == claims.company_id:
        return claims
    # Several companies may share one address (an accountant's); the directory names only one of them.
    company = profiles.get(claims.company_id)
    if company is None or email_address(company.profile) != claims.email.casefold():
        raise MagicLinkError("invalid")
    return claims


@router.get("/logga-in/lank")
def confirm_magic_link(request: Request, token: str, settings: SettingsDep, companies: CompaniesDep,
                       profiles: ProfilesDep, templates: TemplatesDep) -> HTMLResponse:
    # Spending the link takes a POST: mail scanners that open links must not use up a single-use link.
    try:
        read_current_link(settings, companies, profiles, token)
    except MagicLinkError as err:
        return templates.TemplateResponse(request, "signin_link_error.html", {"message": LINK_ERRORS[err.reason]},
                                          status_code=400)
    return templates.TemplateResponse(request, "signin_confirm.html", {"token": token},
                                      headers={"Referrer-Policy": "no-referrer"})


@router.post("/logga-in/lank", dependencies=[CsrfProtected])
def use_magic_link(
    request: Request,
    token: Annotated[str, Form(max_length=2000)],
    settings: SettingsDep,
    db: SessionDep,
    companies: CompaniesDep,
    profiles: ProfilesDep,
    now: NowDep,
    templates: TemplatesDep,
) -> Response:
    try:
        # A genuine, unexpired link proves the address is the company's: consent left pending (registration, or
        # a new address) starts now, if the link went to the address the company has now. Before spending the
        # link, as the profiles live on another connection to the same database and spending it holds the write
        # lock; a spent link can only repeat a confirmation, which changes nothing.
        unspent = read_current_link(settings, companies, profiles, token)
        profiles.confirm_consent(unspent.company_id, now, address=unspent.email)
        claims = consume_magic_link_token(db, settings.secret_key.get_secret_value(), token)
    except MagicLinkError as err:
        return templates.TemplateResponse(request, "signin_link_error.html", {"message": LINK_ERRORS[err.reason]},
                                          status_code=400)
    return _signed_in_redirect(db, settings, "company", claims.company_id, claims.email, "/")


STAFF_HOME = "/personal"
DEVELOPER_HOME = "/sok"


@router.get("/personal/logga-in")
def staff_signin_form(request: Request, templates: TemplatesDep, _who: OptionalPrincipal,
                      tillbaka: Annotated[str, Query(max_length=300)] = STAFF_HOME) -> HTMLResponse:
    return templates.TemplateResponse(request, "staff_signin.html", {"tillbaka": local_path(tillbaka, STAFF_HOME)})


@router.post("/personal/logga-in", dependencies=[CsrfProtected])
def staff_signin(
    request: Request,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1000)],
    settings: SettingsDep,
    db: SessionDep,
    limits: RateLimitsDep,
    templates: TemplatesDep,
    tillbaka: Annotated[str, Form(max_length=300)] = STAFF_HOME,
) -> Response:
    if not limits.sign_in.allow(client_key(request)):
        context = {"error": "För många inloggningsförsök. Vänta en stund och försök igen.", "email": email,
                   "tillbaka": tillbaka}
        return templates.TemplateResponse(request, "staff_signin.html", context, status_code=429)
    user = authenticate(db, email, password)
    if user is None:
        context = {"error": "Fel e-postadress eller lösenord.", "email": email, "tillbaka": tillbaka}
        return templates.TemplateResponse(request, "staff_signin.html", context, status_code=400)
    # Staff and developers land where they were going, else on their own pages (not on the public home page);
    # the staff pages would refuse a developer, whose work starts at the search (the menu links their API keys).
    target = local_path(tillbaka, STAFF_HOME)
    if target == STAFF_HOME and user.role is not Role.STAFF:
        target = DEVELOPER_HOME
    return _signed_in_redirect(db, settings, "user", str(user.id), user.email, target)


@router.post("/logga-ut", dependencies=[CsrfProtected])
def sign_out(request: Request, db: SessionDep) -> RedirectResponse:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        end_session(db, token)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _signed_in_redirect(
    db: SessionDep, settings: Settings, kind: SessionKind, subject_id: str, email: str, target: str
) -> RedirectResponse:
    token, _record = create_session(db, kind, subject_id, email)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE, token, max_age=int(SESSION_LIFETIMES[kind].total_seconds()), path="/",
        httponly=True, samesite="lax", secure=settings.base_url.startswith("https://"),
    )
    return response


