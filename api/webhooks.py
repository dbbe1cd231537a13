"""Between the webhook routes (API and page) and profiles.webhooks: check the address, make the secret, send the
test event. The address rule is the transport's own (alerts/delivery/webhook.py), so what registration accepts is
what delivery will call."""

from __future__ import annotations

from datetime import UTC, datetime

from alerts.delivery.transport import AmbiguousSendError, DefiniteSendError
from alerts.delivery.webhook import (
    WebhookDelivery,
    WebhookPolicy,
    WebhookTransport,
    address_problem,
    new_webhook_secret,
)
from alerts.digest.webhook_payload import sample_event_payload
from profiles.repository import Company, ProfileRepository
from profiles.webhooks import Webhook, Webhooks
from tenders.settings import Settings

TEST_TIMEOUT_SECONDS = 5.0  # the company waits for the page: shorter than a delivery's


TOO_MANY_CALLS = "För många försök med webhooken – vänta en stund och försök igen"


class WebhookRefusedError(ValueError):
    """The address cannot be used; ``str(err)`` is one Swedish sentence for the company."""


def register_webhook(profiles: ProfileRepository, settings: Settings, company_id: str,
                     url: str) -> tuple[Webhook, str]:
    """Register or replace the company's webhook; returns it and its new secret (shown once, never again)."""
    url = url.strip()
    problem = address_problem(url, WebhookPolicy.from_settings(settings))
    if problem is not None:
        raise WebhookRefusedError(f"{problem[0].upper()}{problem[1:]}.")
    secret = new_webhook_secret()
    return Webhooks(profiles).register(company_id, url, secret), secret


def send_test_event(profiles: ProfileRepository, settings: Settings, company: Company) -> str | None:
    """POST a signed test event to the company's webhook now; None when it was received, else why not (Swedish)."""
    webhooks = Webhooks(profiles)
    webhook, secret = webhooks.current(company.id), webhooks.secret(company.id)
    if webhook is None or secret is None:
        return "ni har ingen webhook registrerad"
    payload = sample_event_payload(company_id=company.id, company_name=company.profile.name,
                                   sent_at=datetime.now(UTC))
    delivery = WebhookDelivery(webhook.url, secret, payload, WebhookPolicy.from_settings(settings))
    try:
        WebhookTransport(timeout=TEST_TIMEOUT_SECONDS).send(delivery)
    except (DefiniteSendError, AmbiguousSendError) as err:
        return str(err).removeprefix("webhook: ")
    return None
