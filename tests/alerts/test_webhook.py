"""The signed webhook against a real HTTP receiver on loopback (http.server in a thread) that checks the
signature and timestamp as a company's receiver would; failures map onto the outbox's kinds."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

from alerts.delivery.transport import DefiniteSendError
from alerts.delivery.webhook import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    WebhookDelivery,
    WebhookTransport,
    new_webhook_secret,
    verify,
    webhook_url_allowed,
)

SECRET = new_webhook_secret()
ALERT = {"notice_id": "12345-2026", "title": "Takarbeten på Mora gymnasium", "buyer": "Mora kommun",
         "deadline": "2026-09-15T23:59:00+02:00", "link": "https://anbudsvakt.example/upphandlingar/12345-2026",
         "score": 0.82, "reasons": ["CPV 45261210 Takläggningsarbete ingår i era intressen", "Utförs i Mora kommun"]}


class Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []
    answer: ClassVar[int] = 204

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        ok = verify(SECRET, self.headers[TIMESTAMP_HEADER], body, self.headers[SIGNATURE_HEADER], time.time())
        type(self).received.append({"verified": ok, "body": json.loads(body), "type": self.headers["Content-Type"]})
        self.send_response(type(self).answer if ok else 401)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    Receiver.received, Receiver.answer = [], 204
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        server.server_close()


def test_delivery_is_signed_json_with_reasons(receiver: str) -> None:
    WebhookTransport().send(WebhookDelivery(receiver, SECRET, {"event": "alerts", "alerts": [ALERT]}))
    (got,) = Receiver.received
    assert got["verified"] and got["type"].startswith("application/json")
    assert got["body"]["alerts"][0]["reasons"][1] == "Utförs i Mora kommun"


def test_wrong_secret_or_old_timestamp_is_refused_permanently(receiver: str) -> None:
    with pytest.raises(DefiniteSendError) as refused:
        WebhookTransport().send(WebhookDelivery(receiver, "whsec_wrong", {"alerts": [ALERT]}))
    assert refused.value.permanent and Receiver.received[0]["verified"] is False
    with pytest.raises(DefiniteSendError):  # a replay ten minutes late
        WebhookTransport(clock=lambda: time.time() - 600).send(WebhookDelivery(receiver, SECRET, {"alerts": []}))


def test_server_error_is_temporary_and_no_connection_definite(receiver: str) -> None:
    Receiver.answer = 503
    with pytest.raises(DefiniteSendError) as temporary:
        WebhookTransport().send(WebhookDelivery(receiver, SECRET, {"alerts": [ALERT]}))
    assert not temporary.value.permanent
    with pytest.raises(DefiniteSendError):
        WebhookTransport(timeout=2).send(WebhookDelivery("http://127.0.0.1:9/hook", SECRET, {"alerts": []}))


def test_only_https_or_loopback_where_allowed() -> None:
    assert webhook_url_allowed("https://hooks.example.se/x", allow_loopback_http=False)
    assert not webhook_url_allowed("http://hooks.example.se/x", allow_loopback_http=True)
    assert not webhook_url_allowed("http://127.0.0.1:8080/x", allow_loopback_http=False)
    assert webhook_url_allowed("http://127.0.0.1:8080/x", allow_loopback_http=True)
