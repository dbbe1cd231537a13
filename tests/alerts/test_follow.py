"""A company follows a procurement: exactly one message per change (new deadline with a corrigendum, then the
award), none for re-checks, none for companies that do not follow it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alerts.follow import record_follow_changes, start_following
from app.daily import send_digests
from tenders.model import FormType
from tests.matcher.alerting import add_company, make_settings, make_tender, open_all


def _text(message) -> str:
    return str(message.get_body(preferencelist=("plain",)).get_content())


def test_one_message_per_change_of_a_followed_procurement(tmp_path, smtp_server):
    settings = make_settings(tmp_path, smtp_server.port)
    store, profiles = open_all(settings)
    follower = add_company(profiles, 400, email="vd@elfirma.se")
    add_company(profiles, 401, email="info@annan.se")  # does not follow: must hear nothing
    today = datetime.now(UTC).date()
    first_deadline = datetime(today.year + 1, 3, 2, 11, 0, tzinfo=UTC)
    notice = make_tender("cn-f", procedure_id="proc-follow", title="Belysning Falu gruva",
                         published=today - timedelta(days=2), deadline=first_deadline)
    store.upsert_notice(notice, b"<cn/>")
    assert start_following(store, profiles, follower.id, "proc-follow")
    assert not start_following(store, profiles, follower.id, "proc-unknown")
    now = datetime.now(UTC)
    assert record_follow_changes(store, profiles, now, settings.timezone) == 0  # following is not a change
    smtp_server.clear()

    corrigendum = make_tender("chg-f", procedure_id="proc-follow", form_type=FormType.CHANGE,
                              title="Belysning Falu gruva", published=today - timedelta(days=1),
                              deadline=first_deadline + timedelta(days=14))
    store.upsert_notice(corrigendum, b"<change/>")
    assert record_follow_changes(store, profiles, now, settings.timezone) == 1
    assert record_follow_changes(store, profiles, now, settings.timezone) == 0  # the same change: nothing new
    assert send_digests(settings, now).sent == 1
    assert send_digests(settings, now).sent == 0

    award = make_tender("can-f", procedure_id="proc-follow", form_type=FormType.RESULT, title="Belysning Falu gruva",
                        published=today, winners=["Dala Ljus AB"])
    award = award.model_copy(update={"submission_deadline": None})  # an award notice states no deadline
    store.upsert_notice(award, b"<can/>")
    assert record_follow_changes(store, profiles, now, settings.timezone) == 1
    assert send_digests(settings, now + timedelta(minutes=1)).sent == 1  # follow messages are not once a day
    assert record_follow_changes(store, profiles, now, settings.timezone) == 0
    assert send_digests(settings, now + timedelta(minutes=2)).sent == 0

    assert [rcpts for _, rcpts in smtp_server.envelopes] == [["vd@elfirma.se"], ["vd@elfirma.se"]]
    changed, awarded = (_text(m) for m in smtp_server.messages)
    assert "Sista anbudsdag är ändrad: 2 mars" in changed and "16 mars" in changed
    assert "rättelse" in changed.lower()
    assert "Belysning Falu gruva" in changed and "https://anbudsvakt.example/upphandlingar/proc-follow" in changed
    assert "tilldelad: Dala Ljus AB" in awarded and "Sista anbudsdag är ändrad" not in awarded
    for message in smtp_server.messages:
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "Ändring i en upphandling ni följer" in message["Subject"]
