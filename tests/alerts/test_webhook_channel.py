"""A company's webhook as an alert channel, through the real path: the company registers it (profiles.webhooks),
the daily matching step records the alert in the outbox (app.alerting), ``send_digests`` (app.daily) composes
the digest as signed JSON and POSTs it to a real receiver on loopback. A failing webhook is retried, then its
one-line reason is recorded, and never stops another company's e-mail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes

import sqlalchemy as sa

from alerts.delivery.webhook import new_webhook_secret
from app.alerting import record_new_matches
from app.daily import send_digests
from profiles.webhooks import Webhooks
from tests.alerts.webhook_receiver import loopback_receiver
from tests.matcher.alerting import add_company, make_settings, make_tender, open_all


def _outbox(store) -> list[tuple[str, str, str]]:
    with store.engine.connect() as connection:
        rows = connection.execute(sa.text("select channel, state, last_error from alert_outbox order by id"))
        return [(channel, state, error) for channel, state, error in rows]


def test_the_digest_reaches_the_webhook_as_signed_json_with_everything_a_program_needs(tmp_path):
    settings = make_settings(tmp_path)
    store, profiles = open_all(settings)
    company = add_company(profiles, 400)
    secret = new_webhook_secret()
    with loopback_receiver(secret) as receiver:
        webhook = Webhooks(profiles).register(company.id, receiver.url, secret)
        store.upsert_notice(make_tender("cn-hook", title="Takarbeten på Mora skola"), b"<xml/>")
        assert record_new_matches(store, profiles, datetime.now(UTC)) == 2  # e-mail and webhook
        report = send_digests(settings, sleep=lambda _: None)
        assert report.sent == 2
        assert send_digests(settings, datetime.now(UTC) + timedelta(days=1)).sent == 0  # once
    (body,) = receiver.bodies
    assert body["event"] == "alerts" and body["company"] == {"id": company.id, "name": "Företag 400 AB"}
    (alert,) = body["alerts"]
    assert alert["notice_id"] == "cn-hook" and alert["title"] == "Takarbeten på Mora skola"
    assert alert["buyer"] == "Mora kommun" and alert["url"].endswith("/upphandlingar/proc-cn-hook")
    assert datetime.fromisoformat(alert["deadline"]) > datetime.now(UTC)
    assert alert["reasons"] and "miljoner kr" in alert["value_band"]
    assert all({"title", "text", "url"} <= set(support) for support in alert["udd_support"])
    assert body["id"].startswith("<") and body["omitted"] == 0
    assert (webhook.channel.key, "sent", "") in _outbox(store)


def test_a_failing_webhook_is_retried_then_recorded_and_never_stops_the_other_deliveries(tmp_path):
    settings = make_settings(tmp_path)
    store, profiles = open_all(settings)
    hooked = add_company(profiles, 401)
    add_company(profiles, 402, email="post@mailat.se")  # mail only: it must get its digest whatever the webhook does
    secret = new_webhook_secret()
    with loopback_receiver(secret) as receiver:
        receiver.statuses = [503]  # a temporary refusal, retried in the same run
        receiver.answer = 410  # then gone for good
        Webhooks(profiles).register(hooked.id, receiver.url, secret)
        store.upsert_notice(make_tender("cn-fail", title="Takarbeten i Leksand"), b"<xml/>")
        record_new_matches(store, profiles, datetime.now(UTC))
        pauses: list[float] = []
        report = send_digests(settings, sleep=pauses.append)
    assert len(receiver.received) == 2 and pauses == [2.0]
    assert report.failed == 1 and report.sent == 2  # the webhook failed; both e-mails went out
    webhook_rows = [(state, error) for channel, state, error in _outbox(store) if channel.startswith("webhook:")]
    assert webhook_rows == [("failed", "webhook: mottagaren svarade HTTP 410")]
    mails = [message_from_bytes(path.read_bytes()) for path in (tmp_path / "outbox").glob("*.eml")]
    assert sorted(str(mail["To"]) for mail in mails) == ["info401@foretag401.se", "post@mailat.se"]


def test_a_removed_webhook_gets_nothing_and_its_secret_is_gone(tmp_path):
    settings = make_settings(tmp_path)
    store, profiles = open_all(settings)
    company = add_company(profiles, 403)
    webhooks = Webhooks(profiles)
    with loopback_receiver("whsec_x") as receiver:
        webhooks.register(company.id, receiver.url, "whsec_x")
        store.upsert_notice(make_tender("cn-gone"), b"<xml/>")
        record_new_matches(store, profiles, datetime.now(UTC))
        assert webhooks.remove(company.id) and webhooks.current(company.id) is None
        assert webhooks.secret(company.id) is None
        send_digests(settings, sleep=lambda _: None)
    assert receiver.received == []
    assert [state for channel, state, _ in _outbox(store) if channel.startswith("webhook")] == ["failed"]
