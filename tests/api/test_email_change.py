"""A new e-mail address is confirmed like a registration: consent waits for the link mailed to the new address."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from app.alerting import record_new_matches
from tests.api.company_fixtures import register
from tests.api.test_companies import fresh_roofing_notice, mail_through, sign_in
from tests.api.test_signin import link_token, use_link
from tests.services import SmtpServer


def confirmed_company(client: TestClient, smtp_server: SmtpServer, serial: int) -> str:
    """A registered company whose address is confirmed (consent given), signed in; the mailbox is emptied."""
    mail_through(client, smtp_server)
    company_id = register(client, serial)
    assert use_link(client, link_token(smtp_server)) == 303
    smtp_server.clear()
    return company_id


def alerts_recorded(client: TestClient) -> int:
    resources = client.app.state.resources  # type: ignore[attr-defined]
    return record_new_matches(resources.store, resources.profiles, datetime.now(UTC))


def test_a_new_address_pauses_alerts_until_its_link_is_used(company_client: TestClient,
                                                            smtp_server: SmtpServer) -> None:
    profiles = company_client.app.state.resources.profiles  # type: ignore[attr-defined]
    company_id = confirmed_company(company_client, smtp_server, 31)
    headers = sign_in(company_client, company_id, "info31@tak31.se")
    changed = company_client.patch(f"/api/companies/{company_id}", headers=headers, json={"email": "Ny@Tak31.se"})
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["email"] == "ny@tak31.se" and body["alerts_active"] is False
    assert "ny@tak31.se" in body["message"] and "bekräftas" in body["message"]
    assert profiles.get(company_id).consent_at is None
    fresh_roofing_notice(company_client, "dal-tak-ny-adress")
    assert alerts_recorded(company_client) == 0  # nothing goes to an address nobody has confirmed
    assert [m["To"] for m in smtp_server.messages] == ["ny@tak31.se"]
    assert use_link(company_client, link_token(smtp_server)) == 303
    assert profiles.get(company_id).consent_at is not None
    fresh_roofing_notice(company_client, "dal-tak-bekraftad")  # alerts cover notices first seen after consent
    assert alerts_recorded(company_client) == 1
    assert [e["beskrivning"] for e in profiles.consent_log(company_id)] == [
        "registrerad, väntar på bekräftelse", "bekräftad via e-postlänk",
        "ny e-postadress, väntar på bekräftelse", "bekräftad via e-postlänk"]


def test_the_same_address_leaves_consent_alone(company_client: TestClient, smtp_server: SmtpServer) -> None:
    profiles = company_client.app.state.resources.profiles  # type: ignore[attr-defined]
    company_id = confirmed_company(company_client, smtp_server, 32)
    consent_at = profiles.get(company_id).consent_at
    headers = sign_in(company_client, company_id, "info32@tak32.se")
    same = company_client.patch(f"/api/companies/{company_id}", headers=headers,
                                json={"email": "INFO32@tak32.se", "name": "Nytt namn AB"})
    assert same.status_code == 200, same.text
    assert same.json()["alerts_active"] is True and same.json()["message"] is None
    assert profiles.get(company_id).consent_at == consent_at
    assert len(profiles.consent_log(company_id)) == 2 and smtp_server.messages == []


def test_an_old_address_link_or_a_ticked_box_does_not_confirm_a_new_address(company_client: TestClient,
                                                                            smtp_server: SmtpServer) -> None:
    profiles = company_client.app.state.resources.profiles  # type: ignore[attr-defined]
    mail_through(company_client, smtp_server)
    company_id = register(company_client, 33)
    old_link = link_token(smtp_server)  # to the registered address, not yet used
    headers = sign_in(company_client, company_id, "info33@tak33.se")
    company_client.patch(f"/api/companies/{company_id}", headers=headers, json={"email": "annan@tak33.se"})
    ticked = company_client.patch(f"/api/companies/{company_id}", headers=headers, json={"consent": True})
    assert ticked.json()["alerts_active"] is False  # consent cannot skip the link
    assert use_link(company_client, old_link) == 400  # an old address's link no longer signs in (issue 13)...
    assert profiles.get(company_id).consent_at is None  # ...and proves nothing about the new address
    page = company_client.get("/mina-uppgifter")
    assert "Väntar på att e-postadressen bekräftas" in page.text
    assert use_link(company_client, link_token(smtp_server)) == 303
    assert profiles.get(company_id).consent_at is not None
