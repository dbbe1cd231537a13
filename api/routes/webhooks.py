"""A company's webhook in the JSON API: register or replace (PUT), read, remove, and send a test event. Only the
company itself (its session or its API key) reaches these; another company's id answers 404."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response, status

from api.company_deps import NOT_YOURS, OwnCompany, ProfilesDep
from api.deps import CsrfProtected, RateLimitsDep, SettingsDep
from api.schemas.webhooks import WebhookCreate, WebhookCreated, WebhookPublic, WebhookTestPublic
from api.webhooks import TOO_MANY_CALLS, WebhookRefusedError, register_webhook, send_test_event
from profiles.webhooks import Webhook, Webhooks

router = APIRouter(prefix="/api/companies/{company_id}/webhook", tags=["webhooks"])
NO_WEBHOOK = "Företaget har ingen webhook"
TEST_DELIVERED = "Testhändelsen togs emot."


def webhook_public(webhook: Webhook) -> WebhookPublic:
    return WebhookPublic(url=webhook.url, registered_at=webhook.registered_at)


@router.get("", response_model=WebhookPublic, responses=NOT_YOURS)
def get_webhook(company: OwnCompany, profiles: ProfilesDep) -> WebhookPublic:
    webhook = Webhooks(profiles).current(company.id)
    if webhook is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NO_WEBHOOK)
    return webhook_public(webhook)


@router.put("", response_model=WebhookCreated, responses={**NOT_YOURS, 422: {"description": "Adressen kan inte "
            "användas (inte https, eller ett internt nät)"}, 429: {}}, dependencies=[CsrfProtected])
def put_webhook(company: OwnCompany, body: WebhookCreate, profiles: ProfilesDep, settings: SettingsDep,
                limits: RateLimitsDep) -> WebhookCreated:
    if not limits.webhook_calls.allow(company.id):
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, TOO_MANY_CALLS)
    try:
        webhook, secret = register_webhook(profiles, settings, company.id, body.url)
    except WebhookRefusedError as err:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(err)) from err
    return WebhookCreated(**webhook_public(webhook).model_dump(), secret=secret)


@router.delete("", status_code=204, responses=NOT_YOURS, dependencies=[CsrfProtected])
def delete_webhook(company: OwnCompany, profiles: ProfilesDep) -> Response:
    if not Webhooks(profiles).remove(company.id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, NO_WEBHOOK)
    return Response(status_code=204)


@router.post("/test", response_model=WebhookTestPublic, responses={**NOT_YOURS, 429: {}},
             dependencies=[CsrfProtected])
def send_webhook_test(company: OwnCompany, profiles: ProfilesDep, settings: SettingsDep,
                      limits: RateLimitsDep) -> WebhookTestPublic:
    if not limits.webhook_calls.allow(company.id):
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, TOO_MANY_CALLS)
    problem = send_test_event(profiles, settings, company)
    detail = f"Testhändelsen kom inte fram: {problem}." if problem else TEST_DELIVERED
    return WebhookTestPublic(delivered=problem is None, detail=detail)
