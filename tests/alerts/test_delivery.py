"""Delivery against real servers on loopback: SMTP refusals are retried with back-off or failed for good,
an unreachable relay leaves alerts pending for a later run, and Apprise channels get the digest once."""

from __future__ import annotations

import json
import socket
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
import sqlalchemy as sa

from alerts.delivery.outbox import state_counts
from app.daily import send_digests
from tests.matcher.alerting import add_company, make_settings, make_tender, open_all, record_matches


def _refusing(smtp_server, replies: list[str]):
    """Answer DATA with each of ``replies`` in turn (a refusal keeps nothing), then accept as usual."""
    accept = type(smtp_server).handle_DATA

    async def handle_DATA(server, session, envelope):
        if replies:
            return replies.pop(0)
        return await accept(smtp_server, server, session, envelope)

    return handle_DATA


@pytest.fixture
def scenario(tmp_path, smtp_server):
    settings = make_settings(tmp_path, smtp_server.port)
    store, profiles = open_all(settings)
    company = add_company(profiles, 200, email="order@snickeri.se")
    tender = make_tender("cn-retry", title="Snickeriarbeten i Rättvik")
    store.upsert_notice(tender, b"<xml/>")
    record_matches(store, company, [(tender, 0.8, ["matchar"])])
    smtp_server.clear()
    yield settings, store, profiles
    smtp_server.__dict__.pop("handle_DATA", None)


def _attempts(store) -> int:
    with store.engine.connect() as connection:
        return connection.execute(sa.text("select attempts from alert_outbox")).scalar_one()


def test_a_temporary_refusal_is_retried_after_a_pause(scenario, smtp_server):
    settings, store, _ = scenario
    smtp_server.handle_DATA = _refusing(smtp_server, ["451 4.3.0 Försök igen senare"])
    pauses: list[float] = []
    report = send_digests(settings, sleep=pauses.append)
    assert report.sent == 1 and pauses == [2.0] and _attempts(store) == 2
    assert [rcpts for _, rcpts in smtp_server.envelopes] == [["order@snickeri.se"]]


def test_a_permanent_refusal_fails_at_once_without_retrying(scenario, smtp_server):
    settings, store, _ = scenario
    smtp_server.handle_DATA = _refusing(smtp_server, ["550 5.1.1 Mottagaren finns inte"])
    pauses: list[float] = []
    report = send_digests(settings, sleep=pauses.append)
    assert report.failed == 1 and pauses == [] and state_counts(store.engine) == {"failed": 1}
    assert smtp_server.messages == []


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the block ends: nothing listens there


def test_an_unreachable_relay_leaves_the_digest_pending_then_fails_after_the_last_attempt(scenario, smtp_server):
    settings, store, _ = scenario
    down = settings.model_copy(update={"smtp_port": _closed_port()})
    now = datetime.now(UTC)
    pauses: list[float] = []
    first = send_digests(down, now, sleep=pauses.append)
    assert first.retry_later == 1 and pauses == [2.0, 8.0] and _attempts(store) == 3
    assert send_digests(settings, now + timedelta(minutes=5)).sent == 0  # not due yet: back-off between runs
    assert send_digests(down, now + timedelta(hours=2), sleep=pauses.append).failed == 1  # attempts 4..6
    assert state_counts(store.engine) == {"failed": 1} and smtp_server.messages == []


def test_an_unreachable_relay_recovers_on_a_later_run(scenario, smtp_server):
    settings, store, _ = scenario
    down = settings.model_copy(update={"smtp_port": _closed_port()})
    now = datetime.now(UTC)
    send_digests(down, now, sleep=lambda _: None)
    assert send_digests(settings, now + timedelta(hours=3)).sent == 1  # after the 2 h back-off of attempt 3
    assert len(smtp_server.messages) == 1 and state_counts(store.engine) == {"sent": 1}


class _Hook(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, object]]] = []
    statuses: ClassVar[list[int]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        status = self.statuses.pop(0) if self.statuses else 200
        if status == 200:
            self.received.append(json.loads(body))
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_an_apprise_channel_gets_the_digest_once(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    _Hook.received, _Hook.statuses = [], [500]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings = make_settings(tmp_path)  # no SMTP needed: only the Apprise channel has an alert
        store, profiles = open_all(settings)
        url = f"json://127.0.0.1:{server.server_address[1]}/hook"
        company = add_company(profiles, 300, apprise=[url])
        (channel,) = [c for c in profiles.channels(company.id) if c.kind == "apprise"]
        tender = make_tender("cn-apprise", title="Elinstallationer i Avesta")
        store.upsert_notice(tender, b"<xml/>")
        record_matches(store, company, [(tender, 0.9, ["CPV 45310000 ingår i era intressen"])], channel=channel.key)
        report = send_digests(settings, sleep=lambda _: None)  # first POST answered 500: retried in the run
        assert report.sent == 1
        assert send_digests(settings, datetime.now(UTC) + timedelta(days=1)).sent == 0
    finally:
        server.shutdown()
    (posted,) = _Hook.received
    assert "1 ny annons för Företag 300 AB" in str(posted["title"])
    assert "Elinstallationer i Avesta" in str(posted["message"])
    assert "CPV 45310000 ingår i era intressen" in str(posted["message"])
