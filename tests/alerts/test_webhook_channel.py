"""A company's webhook as an alert channel, through the real path: the company registers it (profiles.webhooks),
the daily matching step records the alert in the outbox (app.alerting), ``send_digests`` (app.daily) composes
the digest as signed JSON and POSTs it to a real receiver on loopback. A failing webhook is retried, then its
one-line reason is recorded, and never stops another company's e-mail."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import message_from_bytes

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from alerts.delivery.outbox import NewAlert, record_alerts
from alerts.delivery.sender import Batch, OutboxSender, Outgoing
from alerts.delivery.tables import AlertKind
from alerts.delivery.transport import email_transport
from alerts.delivery.webhook import new_webhook_secret
from alerts.digest.compose import AlertComposer
from alerts.support import load_catalogue
from app.alerting import record_new_matches
from app.daily import send_digests
from profiles.repository import Company, ProfileRepository
from profiles.webhooks import Webhook, Webhooks
from tenders.settings import Settings
from tenders.store import TenderStore
from tests.alerts.webhook_receiver import Receiver, loopback_receiver
from tests.matcher.alerting import add_company, make_settings, make_tender, open_all


def _outbox(store) -> list[tuple[str, str, str]]:
    with store.engine.connect() as connection:
        rows = connection.execute(sa.text("select channel, state, last_error from alert_outbox order by id"))
        return [(channel, state, error) for channel, state, error in rows]


@dataclass(frozen=True)
class Hooked:
    """A company (Företag 400 AB) whose webhook is registered at a receiver on loopback."""

    settings: Settings
    store: TenderStore
    profiles: ProfileRepository
    company: Company
    webhook: Webhook
    receiver: Receiver


@pytest.fixture
def hooked(tmp_path) -> Iterator[Hooked]:
    settings = make_settings(tmp_path)
    store, profiles = open_all(settings)
    company = add_company(profiles, 400)
    secret = new_webhook_secret()
    with loopback_receiver(secret) as receiver:
        webhook = Webhooks(profiles).register(company.id, receiver.url, secret)
        yield Hooked(settings, store, profiles, company, webhook, receiver)


def test_the_digest_reaches_the_webhook_as_signed_json_with_everything_a_program_needs(hooked):
    hooked.store.upsert_notice(make_tender("cn-hook", title="Takarbeten på Mora skola"), b"<xml/>")
    assert record_new_matches(hooked.store, hooked.profiles, datetime.now(UTC)) == 2  # e-mail and webhook
    assert send_digests(hooked.settings, sleep=lambda _: None).sent == 2
    assert send_digests(hooked.settings, datetime.now(UTC) + timedelta(days=1)).sent == 0  # once
    (body,) = hooked.receiver.bodies
    assert body["event"] == "alerts" and body["company"] == {"id": hooked.company.id, "name": "Företag 400 AB"}
    (alert,) = body["alerts"]
    assert alert["notice_id"] == "cn-hook" and alert["title"] == "Takarbeten på Mora skola"
    assert alert["buyer"] == "Mora kommun" and alert["url"].endswith("/upphandlingar/proc-cn-hook")
    assert datetime.fromisoformat(alert["deadline"]) > datetime.now(UTC)
    assert alert["reasons"] and "miljoner kr" in alert["value_band"]
    assert all({"title", "text", "url"} <= set(support) for support in alert["udd_support"])
    assert body["id"].startswith("<") and body["omitted"] == 0
    assert (hooked.webhook.channel.key, "sent", "") in _outbox(hooked.store)


def test_a_failing_webhook_is_retried_then_recorded_and_never_stops_the_other_deliveries(hooked, tmp_path):
    add_company(hooked.profiles, 402, email="post@mailat.se")  # mail only: it gets its digest whatever happens
    hooked.receiver.statuses = [503]  # a temporary refusal, retried in the same run
    hooked.receiver.answer = 410  # then gone for good
    hooked.store.upsert_notice(make_tender("cn-fail", title="Takarbeten i Leksand"), b"<xml/>")
    record_new_matches(hooked.store, hooked.profiles, datetime.now(UTC))
    pauses: list[float] = []
    report = send_digests(hooked.settings, sleep=pauses.append)
    assert len(hooked.receiver.received) == 2 and pauses == [2.0]
    assert report.failed == 1 and report.sent == 2  # the webhook failed; both e-mails went out
    webhook_rows = [(state, error) for channel, state, error in _outbox(hooked.store) if channel.startswith("webhook:")]
    assert webhook_rows == [("failed", "webhook: mottagaren svarade HTTP 410")]
    mails = [message_from_bytes(path.read_bytes()) for path in (tmp_path / "outbox").glob("*.eml")]
    assert sorted(str(mail["To"]) for mail in mails) == ["info400@foretag400.se", "post@mailat.se"]


def test_a_removed_webhook_gets_nothing_and_its_secret_is_gone(hooked):
    webhooks = Webhooks(hooked.profiles)
    hooked.store.upsert_notice(make_tender("cn-gone"), b"<xml/>")
    record_new_matches(hooked.store, hooked.profiles, datetime.now(UTC))
    assert webhooks.remove(hooked.company.id) and webhooks.current(hooked.company.id) is None
    assert webhooks.secret(hooked.company.id) is None
    send_digests(hooked.settings, sleep=lambda _: None)
    assert hooked.receiver.received == []
    assert [state for channel, state, _ in _outbox(hooked.store) if channel.startswith("webhook")] == ["failed"]


def test_a_followed_change_reaches_the_webhook_as_its_own_event(hooked):
    hooked.store.upsert_notice(make_tender("cn-followed", title="Vägunderhåll i Orsa"), b"<xml/>")
    moved = ["Sista anbudsdag flyttad till 20 januari"]
    change = NewAlert(hooked.company.id, hooked.webhook.channel.key, AlertKind.FOLLOW, "proc-cn-followed:1",
                      "cn-followed", "proc-cn-followed", detail={"changes": moved})
    with Session(hooked.store.engine) as session, session.begin():
        record_alerts(session, [change], datetime.now(UTC))
    assert send_digests(hooked.settings, sleep=lambda _: None).sent == 1
    (body,) = hooked.receiver.bodies
    assert body["event"] == "follow" and body["tender"]["title"] == "Vägunderhåll i Orsa"
    assert body["changes"] == moved


def test_a_message_that_cannot_be_made_waits_and_the_others_go_out(hooked):
    """A composer that fails for one channel (here: the webhook's) leaves that channel's alerts pending with the
    reason, and the run goes on to deliver the e-mail."""
    hooked.store.upsert_notice(make_tender("cn-broken"), b"<xml/>")
    record_new_matches(hooked.store, hooked.profiles, datetime.now(UTC))
    composer = AlertComposer(hooked.settings, hooked.store, hooked.profiles, load_catalogue())

    def compose(batch: Batch, session: Session) -> Outgoing | None:
        if batch.channel.startswith("webhook:"):
            raise RuntimeError("broken template")
        return composer(batch, session)

    sender = OutboxSender(hooked.store.engine, email_transport(hooked.settings), compose,
                          today=lambda moment: moment.date(), sleep=lambda _: None)
    report = sender.run()
    assert (report.sent, report.retry_later) == (1, 1) and hooked.receiver.received == []
    webhook_rows = [(state, error) for channel, state, error in _outbox(hooked.store) if channel.startswith("webhook:")]
    assert webhook_rows == [("pending", "meddelandet kunde inte skapas: RuntimeError")]
