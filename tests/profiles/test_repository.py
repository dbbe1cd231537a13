"""Companies in the database (SQLite and real PostgreSQL): profiles, channels, consent history, unsubscribe
tokens, follows, feedback, GDPR export and erasure (which takes the company's alerts with it)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from alerts.delivery.outbox import NewAlert, record_alerts
from alerts.delivery.tables import AlertKind
from profiles.model import Channel, CompanyProfile, Interests
from profiles.repository import ProfileRepository
from profiles.service import CompanyError, CompanyService
from tenders.store import TenderStore
from tests.matcher.alerting import orgnr

_serials = itertools.count(1000)


@pytest.fixture(params=["sqlite", "postgresql"])
def repository(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'p.sqlite3'}" if request.param == "sqlite" else request.getfixturevalue(
        "postgresql_url")
    store = TenderStore.from_url(url)
    yield ProfileRepository(store.engine, "secret-for-tests")
    store.close()


def _profile(serial: int, email: str, **fields) -> CompanyProfile:
    return CompanyProfile(orgnr=orgnr(serial), name=f"Bolag {serial} AB", sni=["43910"],
                          interests=Interests(cpv=["4526"], keywords=["tak"]),
                          channels=[Channel(address=email)], **fields)


def test_register_update_and_refuse_a_second_company_with_the_same_orgnr(repository):
    service = CompanyService(repository)
    serial = next(_serials)
    company = service.register(_profile(serial, f"a{serial}@x.se"), has_bid_before=False)
    assert repository.get(company.id).profile.interests.cpv == ["4526"]
    assert repository.by_orgnr(orgnr(serial)).id == company.id
    assert repository.get(company.id).has_bid_before is False
    with pytest.raises(CompanyError, match="redan registrerat"):
        service.register(_profile(serial, f"b{serial}@x.se"))
    updated = service.update(company.id, _profile(serial, f"ny{serial}@x.se").model_copy(update={"name": "Nytt AB"}))
    assert updated.profile.name == "Nytt AB" and updated.has_bid_before is False  # not asked again: kept
    assert [c.address for c in repository.channels(company.id)] == [f"ny{serial}@x.se"]  # the old address is gone
    assert repository.company_id_for_email(f"NY{serial}@X.SE") == company.id
    assert repository.company_id_for_email(f"a{serial}@x.se") is None


def test_consent_is_logged_and_unsubscribe_ends_one_channel_only(repository):
    service = CompanyService(repository)
    serial = next(_serials)
    hook = "json://127.0.0.1:9/hook"
    profile = _profile(serial, f"c{serial}@x.se").model_copy(
        update={"channels": [Channel(address=f"c{serial}@x.se"), Channel(kind="apprise", address=hook)]})
    company = service.register(profile)
    assert company.consent_at is None and repository.consent_log(company.id) == []
    service.give_consent(company.id, datetime(2026, 1, 5, 8, 0, tzinfo=UTC))
    token = repository.unsubscribe_token(company.id, "email")
    assert repository.get(company.id).profile.unsubscribe_token == token
    assert not ProfileRepository(repository.engine, "another-secret").unsubscribe(token)
    assert repository.unsubscribe(token) and repository.unsubscribe(token)  # one click, or two: same result
    assert [c.kind.value for c in repository.channels(company.id)] == ["apprise"]
    # Saving the profile again (it still lists the address) does not quietly resubscribe it.
    service.update(company.id, repository.get(company.id).profile)
    assert [c.kind.value for c in repository.channels(company.id)] == ["apprise"]
    service.withdraw_consent(company.id)
    assert [e["event"] for e in repository.consent_log(company.id)] == ["given", "unsubscribed", "withdrawn"]
    assert repository.consent_log(company.id)[0]["at"].startswith("2026-01-05T08:00")


def test_export_and_erase_take_everything_including_alerts(repository):
    service = CompanyService(repository)
    serial = next(_serials)
    company = service.register(_profile(serial, f"e{serial}@x.se", consent_at=datetime.now(UTC)))
    repository.follow(company.id, "proc-1", {"deadline": None, "notices": []})
    repository.record_feedback(company.id, "n-1", relevant=True)
    repository.record_feedback(company.id, "n-1", relevant=False)  # changed its mind: one verdict, the last
    alert = NewAlert(company.id, "email", AlertKind.MATCH, "n-1", "n-1", "proc-1", 0.5, ["matchar"])
    with Session(repository.engine) as session, session.begin():
        assert record_alerts(session, [alert, alert], datetime.now(UTC)) == 1
    with Session(repository.engine) as session, session.begin():
        assert record_alerts(session, [alert], datetime.now(UTC) + timedelta(days=1)) == 0  # once, ever

    exported = service.export(company.id)
    assert exported["profil"]["orgnr"] == orgnr(serial)
    assert exported["foljer"] == ["proc-1"] and exported["bedomningar"] == {"n-1": False}
    assert exported["kanaler"] == [{"typ": "email", "adress": f"e{serial}@x.se", "aktiv": True}]
    assert [e["event"] for e in exported["samtycke"]] == ["given"]

    service.erase(company.id)
    assert repository.get(company.id) is None and not repository.company_exists(company.id)
    with repository.engine.connect() as connection:
        for table in ("profile_channels", "profile_consents", "profile_follows", "profile_feedback", "alert_outbox"):
            left = connection.execute(sa.text(f"select count(*) from {table} where company_id = :c"),
                                      {"c": company.id}).scalar_one()
            assert left == 0, table
    with pytest.raises(CompanyError):
        service.erase(company.id)


def test_web_registration_keeps_consent_pending_until_the_email_link_confirms_it(repository):
    service = CompanyService(repository)
    serial = next(_serials)
    asked = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    company = service.register(_profile(serial, f"d{serial}@x.se", consent_at=asked), via="web",
                               confirm_by_email=True)
    assert company.consent_at is None and repository.get(company.id).consent_at is None
    assert [(e["event"], e["via"]) for e in repository.consent_log(company.id)] == [("pending", "web")]
    confirmed = datetime(2026, 3, 2, 9, 5, tzinfo=UTC)
    assert repository.confirm_consent(company.id, confirmed)
    assert repository.get(company.id).consent_at == confirmed
    assert repository.get(company.id).profile.consent_at == confirmed  # the stored profile agrees with the column
    assert not repository.confirm_consent(company.id, confirmed + timedelta(days=1))  # a second link: no move
    assert repository.get(company.id).consent_at == confirmed
    assert [e["beskrivning"] for e in repository.consent_log(company.id)] == [
        "registrerad, väntar på bekräftelse", "bekräftad via e-postlänk"]
    service.withdraw_consent(company.id, via="web")
    assert not repository.confirm_consent(company.id, confirmed + timedelta(days=2))  # never revives a withdrawal
    assert repository.get(company.id).consent_at is None


def test_a_link_confirms_nothing_for_a_company_that_did_not_ask_for_alerts(repository):
    service = CompanyService(repository)
    serial = next(_serials)
    company = service.register(_profile(serial, f"e{serial}@x.se"), via="web", confirm_by_email=True)
    assert repository.consent_log(company.id) == []
    assert not repository.confirm_consent(company.id, datetime(2026, 3, 2, tzinfo=UTC))
    assert not repository.confirm_consent("no-such-company", datetime(2026, 3, 2, tzinfo=UTC))
    assert repository.get(company.id).consent_at is None


def test_a_new_address_puts_consent_back_to_pending_and_only_its_own_link_confirms(repository):
    service = CompanyService(repository)
    serial = next(_serials)
    given = datetime(2026, 3, 1, tzinfo=UTC)
    company = service.register(_profile(serial, f"f{serial}@x.se", consent_at=given), via="cli")
    same = company.profile.model_copy(update={"name": "Nytt namn AB"})
    assert service.update(company.id, same, via="web", confirm_by_email=True).consent_at == given
    moved = company.profile.model_copy(update={"channels": [Channel(address=f"ny{serial}@x.se")]})
    assert service.update(company.id, moved, via="web", confirm_by_email=True).consent_at is None
    assert repository.consent_pending(company.id)
    assert not repository.confirm_consent(company.id, given, address=f"f{serial}@x.se")  # the old address
    assert repository.confirm_consent(company.id, given + timedelta(days=1), address=f"NY{serial}@x.se")
    assert [e["beskrivning"] for e in repository.consent_log(company.id)] == [
        "samtycke givet", "ny e-postadress, väntar på bekräftelse", "bekräftad via e-postlänk"]
