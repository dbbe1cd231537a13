"""The company's webhook page (/mina-uppgifter/webhook): register or replace the address, see the secret once,
send a test event, remove it. The secret is shown in the answer to the POST that made it (never in a URL, never
again), so this page renders after a POST instead of redirecting."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from alerts.delivery.webhook import MAX_URL_CHARS, SIGNATURE_HEADER, TIMESTAMP_HEADER
from api.company_deps import ProfilesDep, SignedInCompany
from api.deps import CsrfProtected, RateLimitsDep, SettingsDep, TemplatesDep
from api.webhooks import TOO_MANY_CALLS, WebhookRefusedError, register_webhook, send_test_event
from profiles.repository import Company, ProfileRepository
from profiles.webhooks import Webhooks

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
PAGE = "/mina-uppgifter/webhook"
TEMPLATE = "company/webhook.html"


def _context(company: Company, profiles: ProfileRepository, **extra: Any) -> dict[str, Any]:
    return {"company": company, "webhook": Webhooks(profiles).current(company.id), "max_url": MAX_URL_CHARS,
            "signature_header": SIGNATURE_HEADER, "timestamp_header": TIMESTAMP_HEADER, **extra}


@router.get(PAGE)
def webhook_page(request: Request, company: SignedInCompany, profiles: ProfilesDep,
                 templates: TemplatesDep) -> HTMLResponse:
    removed = request.query_params.get("borttagen") == "1"
    return templates.TemplateResponse(request, TEMPLATE, _context(company, profiles, removed=removed))


@router.post(PAGE, dependencies=[CsrfProtected])
def register_page(request: Request, company: SignedInCompany, profiles: ProfilesDep, settings: SettingsDep,
                  limits: RateLimitsDep, templates: TemplatesDep,
                  adress: Annotated[str, Form(max_length=MAX_URL_CHARS)] = "") -> HTMLResponse:
    try:
        if not limits.webhook_calls.allow(company.id):
            raise WebhookRefusedError(f"{TOO_MANY_CALLS}.")
        _webhook, secret = register_webhook(profiles, settings, company.id, adress)
    except WebhookRefusedError as err:
        context = _context(company, profiles, error=str(err), address=adress)
        return templates.TemplateResponse(request, TEMPLATE, context, status_code=422)
    return templates.TemplateResponse(request, TEMPLATE, _context(company, profiles, secret=secret),
                                      headers={"Cache-Control": "no-store"})


@router.post(f"{PAGE}/testa", dependencies=[CsrfProtected])
def test_page(request: Request, company: SignedInCompany, profiles: ProfilesDep, settings: SettingsDep,
              limits: RateLimitsDep, templates: TemplatesDep) -> HTMLResponse:
    allowed = limits.webhook_calls.allow(company.id)
    problem = send_test_event(profiles, settings, company) if allowed else TOO_MANY_CALLS.lower()
    outcome = {"test_error": problem} if problem else {"test_ok": True}
    return templates.TemplateResponse(request, TEMPLATE, _context(company, profiles, **outcome))


@router.post(f"{PAGE}/ta-bort", dependencies=[CsrfProtected])
def remove_page(company: SignedInCompany, profiles: ProfilesDep) -> RedirectResponse:
    Webhooks(profiles).remove(company.id)
    return RedirectResponse(f"{PAGE}?borttagen=1", status_code=303)
