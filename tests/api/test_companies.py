"""Company registration and profile management through the JSON API, on the real profiles repository."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from app.alerting import record_new_matches
from app.ingest import ingest
from tenders.model import FormType
from tests.api.company_fixtures import MORA, dalarna_tender, orgnr, register, registration
from tests.api.conftest import csrf_token
from tests.api.test_authorization import sign_in_company
from tests.api.test_signin import link_token, request_link, use_link
from tests.services import SmtpServer


def sign_in(client: TestClient, company_id: str, email: str) -> dict[str, str]:
    """Sign in as the company; returns the CSRF header its JSON writes need."""
    sign_in_company(client, company_id, email)
    return {"X-CSRF-Token": csrf_token(client, "/")}


def mail_through(client: TestClient, smtp_server: SmtpServer) -> None:
    client.app.state.settings.smtp_host = smtp_server.host  # type: ignore[attr-defined]
    client.app.state.settings.smtp_port = smtp_server.port  # type: ignore[attr-defined]
    smtp_server.clear()


def test_registration_stores_the_profile_and_mails_a_sign_in_link(company_client: TestClient,
                                                                  smtp_server: SmtpServer) -> None:
    mail_through(company_client, smtp_server)
    company_id = register(company_client, 1, email="Info1@Tak1.se", sni=["43910"])
    assert [m["To"] for m in smtp_server.messages] == ["info1@tak1.se"]
    assert "/logga-in/lank?token=" in smtp_server.messages[0].get_content()
    headers = sign_in(company_client, company_id, "info1@tak1.se")
    profile = company_client.get(f"/api/companies/{company_id}").json()
    assert profile["orgnr"] == orgnr(1) and profile["email"] == "info1@tak1.se"
    assert profile["interests"]["cpv"] == ["4526"] and profile["sni"] == ["43910"]
    assert profile["alerts_active"] is False  # double opt-in: not until the mailed link is used
    assert headers  # the session is real: the CSRF token is bound to it


def fresh_roofing_notice(client: TestClient, tender_id: str) -> None:
    """A Mora roofing notice first seen now (alerts only ever cover notices first seen after consent)."""
    resources = client.app.state.resources  # type: ignore[attr-defined]
    tender = dalarna_tender(tender_id, "Takarbeten på Mora skola", "45261210", MORA, 1, FormType.COMPETITION,
                            now=datetime.now(UTC))
    ingest(tender, json.dumps(tender.model_dump(mode="json")).encode(), resources.store, resources.index)


def test_alerts_start_only_when_the_mailed_link_confirms_the_address(company_client: TestClient,
                                                                      smtp_server: SmtpServer) -> None:
    mail_through(company_client, smtp_server)
    resources = company_client.app.state.resources  # type: ignore[attr-defined]
    company_id = register(company_client, 8)
    assert resources.profiles.get(company_id).consent_at is None
    fresh_roofing_notice(company_client, "dal-tak-fore")
    assert record_new_matches(resources.store, resources.profiles, datetime.now(UTC)) == 0  # nothing to send
    assert use_link(company_client, link_token(smtp_server)) == 303
    confirmed_at = resources.profiles.get(company_id).consent_at
    assert confirmed_at is not None
    fresh_roofing_notice(company_client, "dal-tak-efter")
    assert record_new_matches(resources.store, resources.profiles, datetime.now(UTC)) == 1  # the new one only
    assert request_link(company_client, "info8@tak8.se") == 200
    assert use_link(company_client, link_token(smtp_server)) == 303  # a second link signs in again...
    assert resources.profiles.get(company_id).consent_at == confirmed_at  # ...and leaves consent where it was
    assert [(e["event"], e["beskrivning"]) for e in resources.profiles.consent_log(company_id)] == [
        ("pending", "registrerad, väntar på bekräftelse"), ("given", "bekräftad via e-postlänk")]
    assert company_client.get(f"/api/companies/{company_id}").json()["alerts_active"] is True


def test_the_same_orgnr_cannot_register_twice(company_client: TestClient) -> None:
    register(company_client, 2)
    again = company_client.post("/api/companies", json=registration(2, email="annan@example.se"))
    assert again.status_code == 409


def test_invalid_registrations_are_refused_with_a_reason(company_client: TestClient) -> None:
    for bad in ({"orgnr": "556677-0000"}, {"email": "inte-en-adress"}, {"interests": {"cpv": ["4"]}},
                {"sni": ["123456"]}, {"sni": ["SNI"]}, {"name": ""}):  # "1" is division 01 (tenders.sni)
        response = company_client.post("/api/companies", json=registration(3, **bad))
        assert response.status_code == 422, bad
    assert company_client.post("/api/companies", json={**registration(3), "admin": True}).status_code == 422


def test_a_company_updates_only_the_fields_it_sends(company_client: TestClient) -> None:
    company_id = register(company_client, 4)
    headers = sign_in(company_client, company_id, "info4@tak4.se")
    changed = company_client.patch(f"/api/companies/{company_id}", headers=headers,
                                   json={"interests": {"cpv": ["9091"], "keywords": ["Städning"]}, "consent": False})
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["interests"]["cpv"] == ["9091"] and body["interests"]["keywords"] == ["städning"]
    assert body["alerts_active"] is False and body["name"] == "Takföretaget 4 AB"
    assert company_client.patch(f"/api/companies/{company_id}", json={"name": "X"}).status_code == 403  # no CSRF
    refused = company_client.patch(f"/api/companies/{company_id}", headers=headers, json={"interests": {"cpv": ["x"]}})
    assert refused.status_code == 422
    assert company_client.get(f"/api/companies/{company_id}").json()["interests"]["cpv"] == ["9091"]


def test_profile_routes_need_a_signed_in_company(company_client: TestClient) -> None:
    company_id = register(company_client, 5)
    for path in ("", "/matches", "/follows", "/feeds", "/export"):
        assert company_client.get(f"/api/companies/{company_id}{path}").status_code == 401
