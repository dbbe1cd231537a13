"""Issue 13, mail failures degrade: with the relay down, asking for a link and registering answer with a Swedish
message instead of 500, the company stays saved and a retry sends the link; the failure is logged for staff. Also
the relay's certificate is verified on STARTTLS, and without a relay the console shows the decoded link."""

from __future__ import annotations

import logging
import ssl
import subprocess
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient

from alerts.delivery.transport import DefiniteSendError, FileOutboxTransport, SmtpTransport
from api.security.mail import MAIL_UNAVAILABLE, magic_link_message
from tenders.settings import Settings
from tests.api.company_fixtures import orgnr, register, registration
from tests.api.conftest import csrf_token, free_loopback_port
from tests.api.test_companies import mail_through, sign_in
from tests.api.test_signin import link_token, use_link
from tests.api.test_wizard import post
from tests.services import SmtpServer

DOWN = "Vi kunde inte skicka e-post just nu"


def relay_down(client: TestClient) -> None:
    """Point the app at a loopback port nobody listens on: connection refused, as when the relay is down."""
    client.app.state.settings.smtp_host = "127.0.0.1"  # type: ignore[attr-defined]
    client.app.state.settings.smtp_port = free_loopback_port()  # type: ignore[attr-defined]


def test_a_link_request_with_the_relay_down_says_so_in_swedish_and_logs_it(
        client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    relay_down(client)
    with caplog.at_level(logging.ERROR, logger="anbudsvakt.mail"):
        page = client.post("/logga-in", data={"email": "info@takab.se", "csrf_token": csrf_token(client)})
        api = client.post("/api/auth/magic-link", json={"email": "kontakt@stadbolaget.se"})
    assert page.status_code == 503 and DOWN in page.text
    assert api.status_code == 503 and api.json()["detail"] == MAIL_UNAVAILABLE
    logged = [r for r in caplog.records if r.name == "anbudsvakt.mail" and r.levelno == logging.ERROR]
    assert len(logged) == 2 and "kunde inte skickas" in logged[0].getMessage()


def test_a_registration_with_the_relay_down_is_kept_and_the_retry_sends_the_link(
        company_client: TestClient, smtp_server: SmtpServer) -> None:
    profiles = company_client.app.state.resources.profiles  # type: ignore[attr-defined]
    relay_down(company_client)
    first = company_client.post("/api/companies", json=registration(91))
    assert first.status_code == 503 and first.json()["detail"] == MAIL_UNAVAILABLE
    saved = profiles.by_orgnr(orgnr(91))
    assert saved is not None
    mail_through(company_client, smtp_server)
    retry = company_client.post("/api/companies", json=registration(91))
    assert retry.status_code == 201, retry.text
    assert retry.json()["company"]["id"] == saved.id
    assert [m["To"] for m in smtp_server.messages] == ["info91@tak91.se"] and link_token(smtp_server)
    # Someone else with the same org.nr but another address is still told it is taken.
    other = company_client.post("/api/companies", json=registration(91, email="annan@tak91.se"))
    assert other.status_code == 409


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    directory = tmp_path_factory.mktemp("tls")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=relay",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


@pytest.fixture
def starttls_relay(self_signed: tuple[Path, Path]) -> Iterator[SmtpServer]:
    """A real aiosmtpd relay that demands STARTTLS, with a certificate no public authority signed."""
    cert, key = self_signed
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server = SmtpServer(host="127.0.0.1", port=free_loopback_port())
    controller = Controller(server, hostname=server.host, port=server.port, tls_context=context,
                            require_starttls=True)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


def _message() -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "anbudsvakt@localhost", "info@takab.se", "Test"
    message.set_content("Hej")
    return message


def test_starttls_verifies_the_relays_certificate(settings: Settings, starttls_relay: SmtpServer,
                                                  self_signed: tuple[Path, Path]) -> None:
    relay = settings.model_copy(update={"smtp_host": starttls_relay.host, "smtp_port": starttls_relay.port,
                                        "smtp_starttls": True})
    with pytest.raises(DefiniteSendError, match="CERTIFICATE_VERIFY_FAILED"):
        SmtpTransport(relay).send(_message())
    assert starttls_relay.messages == []
    trusting = ssl.create_default_context(cafile=str(self_signed[0]))  # the operator's own CA: verified and sent
    SmtpTransport(relay, tls_context=trusting).send(_message())
    assert len(starttls_relay.messages) == 1


def test_without_a_relay_the_console_shows_the_decoded_link_and_the_file(
        settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    link = "http://127.0.0.1:8000/logga-in/lank?token=" + "eyJjIjoiMTAxIiwiZSI6ImluZm9AdGFrYWIuc2UifQ.x" * 3
    with caplog.at_level(logging.WARNING, logger="anbudsvakt.mail"):
        FileOutboxTransport(settings, "signin").send(magic_link_message(settings, "info@takab.se", link, 20))
    text = caplog.text
    assert link in text  # whole and decoded: the .eml wraps it quoted-printable
    saved = next((settings.data_dir / "outbox").glob("*-signin.eml"))
    assert str(saved.resolve()) in text and "=\n" in saved.read_text()


def test_the_wizard_with_the_relay_down_keeps_the_company_and_saving_again_sends_the_link(
        company_client: TestClient, smtp_server: SmtpServer) -> None:
    fields = {"orgnr": orgnr(92), "name": "Orsa Tak AB", "email": "info@orsatak.se", "municipality_code": "2034",
              "size": "micro", "sni": "", "has_bid_before": "nej", "description": "Vi lägger tak på skolor",
              "cpv": ["4526"], "consent": "ja"}
    relay_down(company_client)
    status, html = post(company_client, "spara", fields, path="/registrera/spara")
    assert status == 503 and DOWN in html
    assert company_client.app.state.resources.profiles.by_orgnr(orgnr(92)) is not None  # type: ignore[attr-defined]
    mail_through(company_client, smtp_server)
    status, html = post(company_client, "spara", fields, path="/registrera/spara")
    assert status == 200, html[:300]
    assert [m["To"] for m in smtp_server.messages] == ["info@orsatak.se"]


def test_links_work_for_every_company_sharing_an_address_but_not_after_it_changes(
        company_client: TestClient, smtp_server: SmtpServer) -> None:
    mail_through(company_client, smtp_server)
    company_id = register(company_client, 95)
    old_link = link_token(smtp_server)
    headers = sign_in(company_client, company_id, "info95@tak95.se")
    changed = company_client.patch(f"/api/companies/{company_id}", headers=headers, json={"email": "ny@tak95.se"})
    assert changed.status_code == 200
    assert use_link(company_client, old_link) == 400  # mailed to the old address: void since the change
    register(company_client, 93, email="delad@byra.se")
    register(company_client, 94, email="delad@byra.se")  # an accountant's address for two companies
    assert use_link(company_client, link_token(smtp_server)) == 303  # the second company's link signs in
