"""Saved searches in the daily digest, through the real path: a saved search flagged "ta med i sammanställningen"
(profiles.saved_searches) is run by the matching step (app.alerting) over the new notices, its finds are
recorded in the outbox, and ``send_digests`` (app.daily) mails them under "Från era sparade sökningar" with the
search's name — never a notice the digest already has, never a search that is not flagged."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage, Message

from app.alerting import record_new_matches
from app.daily import send_digests
from app.saved_search_alerts import saved_search_query
from profiles.saved_searches import SavedSearches
from tests.matcher.alerting import add_company, make_settings, make_tender, open_all


def _text(mail: Message) -> str:
    assert isinstance(mail, EmailMessage)
    body = mail.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def test_flagged_saved_searches_add_their_new_notices_to_the_digest_under_their_name(tmp_path):
    settings = make_settings(tmp_path)
    store, profiles = open_all(settings)
    company = add_company(profiles, 500, cpv=["45"])  # the matcher finds building works
    searches = SavedSearches(profiles.engine)
    searches.add(company.id, "Städning i Mora", "q=städning&municipality=2062", in_digest=True)
    searches.add(company.id, "Allt om tak", "q=tak", in_digest=True)  # also finds the matcher's roof notice
    searches.add(company.id, "Snöröjning", "q=snöröjning", in_digest=False)  # not asked for in the digest
    store.upsert_notice(make_tender("cn-roof", title="Takarbeten på Mora skola"), b"<xml/>")
    store.upsert_notice(make_tender("cn-clean", title="Städning av Mora kommuns förskolor", cpv="90910000"), b"<xml/>")
    store.upsert_notice(make_tender("cn-snow", title="Snöröjning i Mora", cpv="90620000"), b"<xml/>")

    assert record_new_matches(store, profiles, datetime.now(UTC)) == 2  # the roof (matcher) and the cleaning
    assert send_digests(settings, sleep=lambda _: None).sent == 1

    (path,) = (tmp_path / "outbox").glob("*.eml")
    mail = message_from_bytes(path.read_bytes(), policy=policy.default)
    text = _text(mail)
    assert "2 nya annonser" in str(mail["Subject"])
    main, saved = text.split("Från era sparade sökningar")
    assert "Takarbeten på Mora skola" in main and "Takarbeten" not in saved  # once, among the matches
    assert 'Sökningen "Städning i Mora"' in saved and "Städning av Mora kommuns förskolor" in saved
    assert "Träff i er sparade sökning ”Städning i Mora”" in saved
    assert "Snöröjning" not in text and "Allt om tak" not in text
    html = mail.get_body(("html",))
    assert html is not None and "Från era sparade sökningar" in str(html.get_content())


def test_a_saved_search_alone_makes_a_digest(tmp_path):
    settings = make_settings(tmp_path)
    store, profiles = open_all(settings)
    company = add_company(profiles, 501, cpv=["72"])  # IT services: the matcher finds nothing below
    SavedSearches(profiles.engine).add(company.id, "Tak i Dalarna", "q=tak&nuts=SE312", in_digest=True)
    store.upsert_notice(make_tender("cn-only", title="Takarbeten på Mora skola"), b"<xml/>")
    record_new_matches(store, profiles, datetime.now(UTC))
    assert send_digests(settings, sleep=lambda _: None).sent == 1
    (path,) = (tmp_path / "outbox").glob("*.eml")
    text = _text(message_from_bytes(path.read_bytes(), policy=policy.default))
    assert "nya annonser från de sparade sökningarna för Företag 501 AB" in text
    assert 'Sökningen "Tak i Dalarna"' in text


def test_the_saved_query_string_becomes_the_index_query():
    now = datetime.now(UTC)
    query = saved_search_query("q=tak&cpv=45&cpv=4526&municipality=2062&value_max=500000&open_now=true", now)
    assert query is not None
    assert (query.text, query.cpv_prefixes, query.municipalities, query.value_max, query.open_now) == (
        "tak", ["45", "4526"], ["2062"], 500000, True)
    assert saved_search_query("value_min=abc", now) is None
