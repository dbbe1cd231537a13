"""The signed webhook against a real HTTP receiver on loopback (http.server in a thread) that checks the
signature and timestamp as a company's receiver would; failures map onto the outbox's kinds."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from alerts.delivery.transport import DefiniteSendError
from alerts.delivery.webhook import (
    WebhookDelivery,
    WebhookPolicy,
    WebhookTransport,
    address_problem,
    new_webhook_secret,
    webhook_url_allowed,
)
from tenders.settings import Settings
from tests.alerts.certificates import certificates_for
from tests.alerts.webhook_receiver import Receiver, loopback_receiver

SECRET = new_webhook_secret()
LOOPBACK = WebhookPolicy(allow_loopback_http=True, allow_private=True)  # as in development and test
ALERT = {"notice_id": "12345-2026", "title": "Takarbeten på Mora gymnasium", "buyer": "Mora kommun",
         "deadline": "2026-09-15T23:59:00+02:00", "link": "https://anbudsvakt.example/upphandlingar/12345-2026",
         "score": 0.82, "reasons": ["CPV 45261210 Takläggningsarbete ingår i era intressen", "Utförs i Mora kommun"]}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with loopback_receiver(SECRET) as running:
        yield running


def _to(url: str, payload: dict[str, Any], secret: str = SECRET) -> WebhookDelivery:
    return WebhookDelivery(url, secret, payload, policy=LOOPBACK)


def test_delivery_is_signed_json_with_reasons(receiver: Receiver) -> None:
    WebhookTransport().send(_to(receiver.url, {"event": "alerts", "alerts": [ALERT]}))
    (got,) = receiver.received
    assert got["verified"] and got["type"].startswith("application/json")
    assert got["body"]["alerts"][0]["reasons"][1] == "Utförs i Mora kommun"


def test_wrong_secret_or_old_timestamp_is_refused_permanently(receiver: Receiver) -> None:
    with pytest.raises(DefiniteSendError) as refused:
        WebhookTransport().send(_to(receiver.url, {"alerts": [ALERT]}, "whsec_wrong"))
    assert refused.value.permanent and receiver.received[0]["verified"] is False
    with pytest.raises(DefiniteSendError):  # a replay ten minutes late
        WebhookTransport(clock=lambda: time.time() - 600).send(_to(receiver.url, {"alerts": []}))


def test_server_error_is_temporary_and_no_connection_definite(receiver: Receiver) -> None:
    receiver.answer = 503
    with pytest.raises(DefiniteSendError) as temporary:
        WebhookTransport().send(_to(receiver.url, {"alerts": [ALERT]}))
    assert not temporary.value.permanent
    with pytest.raises(DefiniteSendError):
        WebhookTransport(timeout=2).send(_to("http://127.0.0.1:9/hook", {"alerts": []}))


def test_only_https_or_loopback_where_allowed() -> None:
    assert webhook_url_allowed("https://hooks.example.se/x", allow_loopback_http=False)
    assert not webhook_url_allowed("http://hooks.example.se/x", allow_loopback_http=True)
    assert not webhook_url_allowed("http://127.0.0.1:8080/x", allow_loopback_http=False)
    assert webhook_url_allowed("http://127.0.0.1:8080/x", allow_loopback_http=True)


def _resolving_to(*addresses: str) -> Callable[[str, int], list[str]]:
    return lambda host, port: list(addresses)


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.5", "192.168.1.1", "169.254.169.254", "::1", "fd00::1",
                                     "::ffff:10.0.0.1", "100.64.0.1"])
def test_production_refuses_an_address_on_an_internal_network(address: str) -> None:
    """SSRF: a name that resolves to the service's own network (or the cloud metadata address) is refused,
    when registered and again when sending (the name may have changed meanwhile)."""
    production = WebhookPolicy()
    problem = address_problem("https://hooks.example.se/x", production, _resolving_to("93.184.216.34", address))
    assert problem is not None and "internt" in problem
    with pytest.raises(DefiniteSendError) as refused:
        WebhookTransport(resolve=_resolving_to(address)).send(
            WebhookDelivery("https://hooks.example.se/x", SECRET, {"alerts": []}, policy=production))
    assert refused.value.permanent and "internt" in str(refused.value)


def test_production_accepts_a_public_https_address_and_refuses_credentials_or_plain_http() -> None:
    production = WebhookPolicy()
    public = _resolving_to("93.184.216.34")
    assert address_problem("https://hooks.example.se/x", production, public) is None
    assert "https" in str(address_problem("http://hooks.example.se/x", production, public))
    assert "lösenord" in str(address_problem("https://user:pw@hooks.example.se/x", production, public))
    assert "slå upp" in str(address_problem("https://hooks.example.se/x", production, _failing_resolver))
    assert WebhookPolicy.from_settings(Settings(environment="production", secret_key="x" * 40)) == production
    relaxed = Settings(environment="production", secret_key="x" * 40, webhook_private_addresses=True)
    assert WebhookPolicy.from_settings(relaxed).allow_private


def _failing_resolver(host: str, port: int) -> list[str]:
    raise socket.gaierror("no such host")


def test_the_answer_body_is_never_read(receiver: Receiver) -> None:
    """A receiver that answers with an endless body cannot hold the sender: only the status line counts."""
    receiver.answer = 200
    started = time.monotonic()
    WebhookTransport(timeout=2).send(_to(receiver.url.replace("/hook", "/endless"), {"alerts": [ALERT]}))
    assert time.monotonic() - started < 2


def test_the_connection_goes_to_the_checked_address_with_the_name_verified(tmp_path) -> None:
    """DNS rebinding: the name is resolved once, checked, and the connection made to that very address, while TLS
    still asks for and verifies the name's certificate and the Host header still names it."""
    name = "hooks.example.test"  # resolves nowhere: only the test's resolver knows it
    certificates = certificates_for(name, tmp_path)
    with loopback_receiver(SECRET, tls=certificates.server, name=name) as receiver:
        lookups: list[str] = []

        def resolve(host: str, port: int) -> list[str]:
            lookups.append(host)
            return ["127.0.0.1"]

        transport = WebhookTransport(resolve=resolve, verify=certificates.client)
        transport.send(WebhookDelivery(receiver.url, SECRET, {"alerts": [ALERT]}, policy=LOOPBACK))
        (got,) = receiver.received
        assert got["verified"] and got["host"] == receiver.url.split("/")[2] and lookups == [name]
        impostor = receiver.url.replace(name, "other.example.test")  # same address, a name its certificate lacks
        with pytest.raises(DefiniteSendError):
            transport.send(WebhookDelivery(impostor, SECRET, {"alerts": []}, policy=LOOPBACK))
        assert len(receiver.received) == 1
