"""Daily digests through a real SMTP server on loopback: recipients, subject, order, reasons, links, UDD support,
RFC 8058 unsubscribe headers, one per company per day, never empty, never twice."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from urllib.parse import unquote

from app.daily import send_digests
from tenders.model import FormType, Lot, Money
from tests.matcher.alerting import BASE_URL, add_company, make_settings, make_tender, open_all, record_matches


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def _html(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


def _https_unsubscribe(message: EmailMessage) -> str:
    header = str(message["List-Unsubscribe"])
    links = re.findall(r"<([^>]+)>", header)
    assert any(link.startswith("mailto:anbudsvakt@anbudsvakt.example?subject=") for link in links), header
    https = [link for link in links if link.startswith("https://")]
    assert len(https) == 1, header
    return https[0]


def test_one_digest_per_company_ordered_by_score_with_reasons_links_support_and_unsubscribe(tmp_path, smtp_server):
    settings = make_settings(tmp_path, smtp_server.port)
    store, profiles = open_all(settings)
    first, second = add_company(profiles, 1, email="anna@bygg1.se"), add_company(profiles, 2, email="bo@tak2.se")
    plain = make_tender("cn-1", title="Takarbeten på Mora skola")
    early = make_tender("pin-2", form_type=FormType.PLANNING, title="Förhandsannons: ombyggnad av Orsa bibliotek")
    lots = [Lot(id=f"LOT-000{i}", environmental_criteria=i == 1, estimated_value=Money(amount=8_000_000))
            for i in (1, 2, 3)]
    large = make_tender("cn-3", title="Ramavtal byggentreprenader Dalarna", lots=lots, value_sek=None)
    for tender in (plain, early, large):
        store.upsert_notice(tender, b"<xml/>")
    record_matches(store, first, [(plain, 0.6, ["CPV 45261210 ingår i era intressen"]),
                                  (early, 0.9, ["utförs i Orsa kommun"]), (large, 0.75, ["3 delområden"])])
    record_matches(store, second, [(plain, 0.5, ["CPV 45261210 ingår i era intressen"])])
    smtp_server.clear()

    report = send_digests(settings)

    assert report.sent == 2 and report.failed == report.review == 0
    by_recipient = {rcpt[0]: message for (_, rcpt), message in zip(smtp_server.envelopes, smtp_server.messages,
                                                                   strict=True)}
    assert set(by_recipient) == {"anna@bygg1.se", "bo@tak2.se"}
    digest = by_recipient["anna@bygg1.se"]
    assert digest["To"] == "anna@bygg1.se"
    assert "3 nya annonser för Företag 1 AB" in digest["Subject"]
    text = _text(digest)
    positions = [text.index(t) for t in ("ombyggnad av Orsa bibliotek", "Ramavtal byggentreprenader", "Mora skola")]
    assert positions == sorted(positions), "notices must come best score first"
    for reason in ("utförs i Orsa kommun", "3 delområden", "CPV 45261210 ingår i era intressen"):
        assert reason in text
    for tender_id in ("proc-cn-1", "proc-pin-2", "proc-cn-3"):
        assert f"{BASE_URL}/upphandlingar/{tender_id}" in text
    html = _html(digest)
    assert "Dalamodellen Tidig dialog" in html  # prior information notice
    assert "Miljömässigt ansvarsfull upphandling" in html  # a lot with environmental criteria
    assert "delområde" in html and "tillsammans med andra" in html  # large notice with lots
    assert "2–10 miljoner kr" in text  # value band of the plain notice (3 MSEK)
    assert "Mora kommun" in text  # buyer
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = _https_unsubscribe(digest)
    assert link.startswith(f"{BASE_URL}/avregistrera/")
    assert digest["Message-ID"] != by_recipient["bo@tak2.se"]["Message-ID"]
    assert "1 ny annons för Företag 2 AB" in by_recipient["bo@tak2.se"]["Subject"]

    # The https link's token ends exactly that company's e-mail channel.
    token = unquote(link.rsplit("/", 1)[1])
    assert profiles.unsubscribe(token)
    assert profiles.channels(first.id) == [] and profiles.channels(second.id) != []
    assert not profiles.unsubscribe(token[:-2] + "xx")  # a tampered token is refused


def test_a_second_run_sends_nothing_and_new_alerts_wait_for_the_next_day(tmp_path, smtp_server):
    settings = make_settings(tmp_path, smtp_server.port)
    store, profiles = open_all(settings)
    company = add_company(profiles, 3)
    monday = make_tender("cn-10", title="Måleriarbeten i Falun")
    store.upsert_notice(monday, b"<xml/>")
    record_matches(store, company, [(monday, 0.7, ["matchar"])])
    smtp_server.clear()
    # A Tuesday morning: "an hour later" is the same local day and "a day later" a weekday, whenever this runs.
    today = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0)
    now = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
    assert send_digests(settings, now).sent == 1
    assert send_digests(settings, now).sent == 0  # nothing pending: nothing sent twice

    later = make_tender("cn-11", title="Fasadrenovering i Borlänge")
    store.upsert_notice(later, b"<xml/>")
    record_matches(store, company, [(later, 0.8, ["matchar"]), (monday, 0.7, ["matchar"])])  # monday: a no-op
    assert send_digests(settings, now + timedelta(hours=1)).sent == 0  # one digest per company per day
    assert send_digests(settings, now + timedelta(days=1)).sent == 1

    assert len(smtp_server.messages) == 2
    texts = [_text(m) for m in smtp_server.messages]
    assert "Måleriarbeten i Falun" in texts[0] and "Fasadrenovering" not in texts[0]
    assert "Fasadrenovering i Borlänge" in texts[1] and "Måleriarbeten" not in texts[1]


def test_a_digest_is_never_empty(tmp_path, smtp_server):
    settings = make_settings(tmp_path, smtp_server.port)
    store, profiles = open_all(settings)
    company = add_company(profiles, 4)
    ghost = make_tender("cn-20")  # recorded as an alert but never stored: nothing to show
    record_matches(store, company, [(ghost, 0.9, ["matchar"])])
    smtp_server.clear()
    report = send_digests(settings)
    assert report.sent == 0 and smtp_server.messages == []


def test_never_bid_company_gets_tender_school_and_individual_support_once(tmp_path, smtp_server):
    settings = make_settings(tmp_path, smtp_server.port)
    store, profiles = open_all(settings)
    novice = add_company(profiles, 5, has_bid_before=False)
    tenders = [make_tender(f"cn-3{i}", title=f"Snöröjning område {i}") for i in range(2)]
    for tender in tenders:
        store.upsert_notice(tender, b"<xml/>")
    record_matches(store, novice, [(t, 0.5, ["matchar"]) for t in tenders])
    smtp_server.clear()
    send_digests(settings)
    (message,) = smtp_server.messages
    text = _text(message)
    assert text.count("Anbudsskola") == 1 and text.count("Kostnadsfritt individuellt stöd") == 1
    assert "Upphandlingsdialog Dalarna" in text
