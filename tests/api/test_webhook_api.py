"""A company's webhook over the API and its page: register (the secret in that answer only), the address rule
(https; loopback http only outside production; internal networks refused in production), the test event to a
real receiver on loopback, replace and remove; another company reaches none of it."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from api.webhooks import register_webhook
from profiles.repository import ProfileRepository
from tenders.settings import Settings
from tests.alerts.webhook_receiver import loopback_receiver
from tests.api.company_fixtures import register
from tests.api.conftest import csrf_token
from tests.api.test_companies import sign_in


def _profiles(client: TestClient) -> ProfileRepository:
    return client.app.state.resources.profiles  # type: ignore[attr-defined]


def test_register_test_replace_and_remove_over_the_api(company_client: TestClient) -> None:
    company_id = register(company_client, 60)
    headers = sign_in(company_client, company_id, "info60@tak60.se")
    base = f"/api/companies/{company_id}/webhook"
    assert company_client.get(base).status_code == 404
    with loopback_receiver() as receiver:
        created = company_client.put(base, json={"url": receiver.url}, headers=headers)
        assert created.status_code == 200, created.text
        secret = created.json()["secret"]
        assert secret.startswith("whsec_") and created.json()["signature_header"] == "X-Anbudsvakt-Signature"
        shown = company_client.get(base).json()
        assert shown["url"] == receiver.url and "secret" not in shown  # never again
        receiver.secret = secret
        tested = company_client.post(f"{base}/test", headers=headers).json()
        assert tested == {"delivered": True, "detail": "Testhändelsen togs emot."}
        (event,) = receiver.bodies
        assert event["event"] == "test" and event["company"]["id"] == company_id
        assert {"notice_id", "title", "buyer", "deadline", "url", "reasons", "value_band", "udd_support"} <= set(
            event["alerts"][0])
        replaced = company_client.put(base, json={"url": receiver.url + "/ny"}, headers=headers).json()
        assert replaced["secret"] != secret  # a new address gets a new secret; the old one stops verifying
        stale = company_client.post(f"{base}/test", headers=headers).json()  # the receiver checks the old secret
        assert stale["delivered"] is False and "HTTP 401 (nekad" in stale["detail"]
    assert company_client.delete(base, headers=headers).status_code == 204
    assert company_client.get(base).status_code == 404


def test_plain_http_and_internal_addresses_are_refused_in_production(company_client: TestClient,
                                                                     company_settings: Settings) -> None:
    company_id = register(company_client, 61)
    headers = sign_in(company_client, company_id, "info61@tak61.se")
    refused = company_client.put(f"/api/companies/{company_id}/webhook", json={"url": "ftp://exempel.se/x"},
                                 headers=headers)
    assert refused.status_code == 422 and "https://" in refused.json()["detail"]
    production = company_settings.model_copy(update={"environment": "production"})
    for address in ("http://127.0.0.1:8080/x", "https://127.0.0.1/x", "https://localhost/x", "https://[::1]/x",
                    "https://169.254.169.254/latest/meta-data", "https://10.1.2.3/x"):
        try:
            register_webhook(_profiles(company_client), production, company_id, address)
        except ValueError as err:
            assert "https://" in str(err) or "internt" in str(err)
        else:
            raise AssertionError(f"{address} was accepted in production")


def test_another_company_cannot_read_or_change_the_webhook(company_client: TestClient) -> None:
    owner = register(company_client, 62)
    other = register(company_client, 63)
    headers = sign_in(company_client, owner, "info62@tak62.se")
    registered = company_client.put(f"/api/companies/{owner}/webhook", json={"url": "http://127.0.0.1:9/hook"},
                                    headers=headers)
    assert registered.status_code == 200
    headers = sign_in(company_client, other, "info63@tak63.se")
    for method in ("get", "delete"):
        assert company_client.request(method, f"/api/companies/{owner}/webhook", headers=headers).status_code == 404
    assert company_client.put(f"/api/companies/{owner}/webhook", json={"url": "https://x.se/y"},
                              headers=headers).status_code == 404


def test_the_page_shows_the_secret_once_and_sends_a_test_event(company_client: TestClient) -> None:
    company_id = register(company_client, 64)
    sign_in(company_client, company_id, "info64@tak64.se")
    with loopback_receiver() as receiver:
        token = csrf_token(company_client, "/mina-uppgifter/webhook")
        saved = company_client.post("/mina-uppgifter/webhook", data={"adress": receiver.url, "csrf_token": token})
        found = re.search(r'>(whsec_[^<]+)<', saved.text)
        assert saved.status_code == 200 and found and "bara den här gången" in saved.text
        assert saved.headers["cache-control"] == "no-store"
        receiver.secret = found.group(1)
        page = company_client.get("/mina-uppgifter/webhook")
        assert receiver.url in page.text and "whsec_" not in page.text
        tested = company_client.post("/mina-uppgifter/webhook/testa", data={"csrf_token": token})
        assert "Testhändelsen skickades och togs emot" in tested.text and len(receiver.bodies) == 1
    bad = company_client.post("/mina-uppgifter/webhook", data={"adress": "exempel.se", "csrf_token": token})
    assert bad.status_code == 422 and "måste börja med https://" in bad.text and 'value="exempel.se"' in bad.text


def test_a_company_cannot_make_the_service_call_out_at_will(company_client: TestClient) -> None:
    """Each test event or registration makes the service call an address the company chose: limited per company."""
    company_id = register(company_client, 65)
    headers = sign_in(company_client, company_id, "info65@tak65.se")
    answers = [company_client.post(f"/api/companies/{company_id}/webhook/test", headers=headers).status_code
               for _ in range(21)]
    assert answers[:20] == [200] * 20 and answers[20] == 429
    refused = company_client.put(f"/api/companies/{company_id}/webhook", json={"url": "https://exempel.se/x"},
                                 headers=headers)
    assert refused.status_code == 429 and "vänta en stund" in refused.json()["detail"]
