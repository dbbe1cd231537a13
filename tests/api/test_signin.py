"""Magic links end to end through the real loopback SMTP server: sign-in works once, and only once."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from api.security.magic_links import MAGIC_LINK_SALT, issue_magic_link_token
from tests.api.conftest import TEST_SECRET, csrf_token
from tests.services import SmtpServer


@pytest.fixture
def mail_app(app: FastAPI, smtp_server: SmtpServer) -> FastAPI:
    app.state.settings.smtp_host = smtp_server.host
    app.state.settings.smtp_port = smtp_server.port
    smtp_server.clear()
    return app


@pytest.fixture
def mail_client(mail_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(mail_app) as test_client:
        yield test_client


def request_link(client: TestClient, email: str) -> int:
    token = csrf_token(client, "/logga-in")
    return client.post("/logga-in", data={"email": email, "csrf_token": token}).status_code


def link_token(smtp_server: SmtpServer) -> str:
    body = smtp_server.messages[-1].get_content()
    url = re.search(r"http://testserver/logga-in/lank\?\S+", body)
    assert url, body
    return parse_qs(urlparse(url.group(0)).query)["token"][0]


def use_link(client: TestClient, token: str) -> int:
    confirm = client.get("/logga-in/lank", params={"token": token})
    form_token = csrf_token(client, "/logga-in")
    if confirm.status_code != 200:
        return confirm.status_code
    return client.post("/logga-in/lank", data={"token": token, "csrf_token": form_token},
                       follow_redirects=False).status_code


def test_a_registered_company_gets_a_link_that_signs_it_in(mail_client: TestClient, smtp_server: SmtpServer) -> None:
    assert request_link(mail_client, "Info@TakAB.se") == 200
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "info@takab.se"
    assert message["Subject"] == "Er inloggningslänk till Anbudsvakt"
    assert mail_client.get("/api/companies/me").status_code == 401
    assert use_link(mail_client, link_token(smtp_server)) == 303
    assert mail_client.get("/api/companies/me").json() == {"company_id": "101", "email": "info@takab.se"}
    assert "Inloggad som info@takab.se" in mail_client.get("/").text


def test_unknown_address_gets_the_same_answer_and_no_mail(mail_client: TestClient, smtp_server: SmtpServer) -> None:
    known = mail_client.post("/logga-in", data={"email": "info@takab.se", "csrf_token": csrf_token(mail_client)})
    unknown = mail_client.post("/logga-in", data={"email": "okand@example.se", "csrf_token": csrf_token(mail_client)})
    assert known.status_code == unknown.status_code == 200
    assert known.text.replace("info@takab.se", "X") == unknown.text.replace("okand@example.se", "X")
    assert [m["To"] for m in smtp_server.messages] == ["info@takab.se"]


def test_opening_the_link_does_not_spend_it(mail_client: TestClient, smtp_server: SmtpServer) -> None:
    request_link(mail_client, "info@takab.se")
    token = link_token(smtp_server)
    for _ in range(3):  # e-mail scanners open links; only the POST from the confirm page signs in
        page = mail_client.get("/logga-in/lank", params={"token": token})
        assert page.status_code == 200 and "Logga in på Anbudsvakt" in page.text
    assert use_link(mail_client, token) == 303


def test_a_link_works_only_once(mail_client: TestClient, smtp_server: SmtpServer) -> None:
    request_link(mail_client, "info@takab.se")
    token = link_token(smtp_server)
    assert use_link(mail_client, token) == 303
    mail_client.cookies.clear()
    confirm = mail_client.post("/logga-in/lank", data={"token": token, "csrf_token": csrf_token(mail_client)})
    assert confirm.status_code == 400 and "redan använts" in confirm.text
    assert mail_client.get("/api/companies/me").status_code == 401


def test_tampered_link_is_refused(client: TestClient) -> None:
    token = issue_magic_link_token(TEST_SECRET, "101", "info@takab.se")
    other = issue_magic_link_token(TEST_SECRET, "202", "kontakt@stadbolaget.se")
    signature = token.partition(".")[2]
    other_payload = other.partition(".")[0]
    for forged in (other_payload + "." + signature, token[:-2] + ("AA" if token[-2:] != "AA" else "BB"),
                   issue_magic_link_token("another-secret", "202", "kontakt@stadbolaget.se")):
        page = client.get("/logga-in/lank", params={"token": forged})
        assert page.status_code == 400 and "ogiltig" in page.text
        posted = client.post("/logga-in/lank", data={"token": forged, "csrf_token": csrf_token(client)},
                             follow_redirects=False)
        assert posted.status_code == 400
    assert client.get("/api/companies/me").status_code == 401


class _HourOldSigner(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(time.time()) - 3600


def test_expired_link_is_refused(client: TestClient) -> None:
    old = URLSafeTimedSerializer(TEST_SECRET, salt=MAGIC_LINK_SALT, signer=_HourOldSigner)
    token = old.dumps({"c": "101", "e": "info@takab.se", "j": "expired-1"})
    page = client.get("/logga-in/lank", params={"token": token})
    assert page.status_code == 400 and "gått ut" in page.text
    posted = client.post("/logga-in/lank", data={"token": token, "csrf_token": csrf_token(client)})
    assert posted.status_code == 400
    assert client.get("/api/companies/me").status_code == 401


def test_signing_out_ends_the_session_on_the_server(mail_client: TestClient, smtp_server: SmtpServer) -> None:
    request_link(mail_client, "info@takab.se")
    use_link(mail_client, link_token(smtp_server))
    session = mail_client.cookies.get("anbudsvakt_session")
    assert session
    assert mail_client.post("/logga-ut", data={"csrf_token": csrf_token(mail_client, "/")},
                            follow_redirects=False).status_code == 303
    mail_client.cookies.set("anbudsvakt_session", session)  # a copied cookie must not work after sign-out
    assert mail_client.get("/api/companies/me").status_code == 401
