""""Räckvidd" counts what really happened: digests matched by the daily pipeline and sent (or refused) through the
outbox to a loopback SMTP server, verdicts and follows given through the company pages' own functions. The page
and ``anbudsvakt stats reach`` show the same figures, and a service with nothing yet says so in Swedish."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from typer.testing import CliRunner

from api.app import create_app
from api.company_data import follow, record_verdict
from api.deps import Principal, get_principal
from api.security.accounts import Role
from app.daily import daily_pipeline, send_digests
from app.staff_reach import NO_FEEDBACK, NOTHING_SENT, reach_report
from cli.main import build_app
from tenders.formatting import to_local
from tenders.settings import Settings
from tenders.stats.weeks import iso_week
from tests.matcher.alerting import add_company, make_settings, make_tender, open_all
from tests.services import SmtpServer

STAFF = Principal("user", "1", "bo@udd.se", role=Role.STAFF)
NOTICES = (("cn-tak", "Takarbeten på Mora skola", "45261210"),
           ("cn-fasad", "Fasadrenovering och takbyte, Mora stadshus", "45261000"),
           ("cn-it", "Drift av IT-system för Mora kommun", "72500000"))


def use_settings_in_cli(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in settings.model_dump().items():
        text = value.get_secret_value() if isinstance(value, SecretStr) else value
        monkeypatch.setenv(f"ANBUDSVAKT_{name.upper()}", str(text))


def staff_page(settings: Settings) -> str:
    application = create_app(settings)
    application.dependency_overrides[get_principal] = lambda: STAFF
    with TestClient(application) as client:
        response = client.get("/personal/rackvidd")
    assert response.status_code == 200
    return response.text


def key_figure(page: str, label: str) -> str:
    found = re.search(rf"<dt>{re.escape(label)}</dt><dd>([^<]*)</dd>", page)
    assert found, label
    return found.group(1)


@pytest.fixture
def lived_in(tmp_path: Path, smtp_server: SmtpServer) -> Settings:
    """A service that matched, mailed and heard back: three companies, three notices, one morning's digests."""
    settings = make_settings(tmp_path, smtp_server.port)
    store, profiles = open_all(settings)
    try:
        roofer = add_company(profiles, 701, cpv=["45"])
        leaver = add_company(profiles, 702, cpv=["45"])
        add_company(profiles, 703, cpv=["90"])  # a cleaning company: nothing here matches it
        for notice_id, title, cpv in NOTICES:
            store.upsert_notice(make_tender(notice_id, title=title, cpv=cpv), b"<xml/>")
        now = datetime.now(UTC)
        daily_pipeline(settings, now, crawl=False)
        # The second roofer unsubscribes between the matching and the morning's sending: its digest fails.
        (channel,) = profiles.channels(leaver.id)
        assert profiles.unsubscribe(profiles.unsubscribe_token(leaver.id, channel.key))
        smtp_server.clear()
        report = send_digests(settings, now)
        assert (report.sent, len(smtp_server.messages)) == (1, 1)
        # The first roofer hides one notice ("Inte relevant") and follows the other, as on its pages.
        assert record_verdict(store, profiles, roofer.id, "proc-cn-fasad", relevant=False)
        assert follow(store, profiles, roofer.id, "proc-cn-tak")
    finally:
        store.close()
    return settings


def test_reach_counts_the_outbox_and_the_feedback(lived_in: Settings) -> None:
    store, profiles = open_all(lived_in)
    try:
        reach = reach_report(store, profiles, datetime.now(UTC))
    finally:
        store.close()
    outbox, feedback = reach.outbox, reach.feedback
    assert (outbox.digests_sent, outbox.digests_failed, outbox.companies_reached) == (1, 1, 1)
    assert outbox.notices_alerted == 2  # the roofing notices; the IT notice matched nobody
    assert (outbox.waiting, outbox.in_review) == (0, 0)
    assert (feedback.not_relevant, feedback.relevant, feedback.follows, feedback.companies_following) == (1, 0, 1, 1)
    this_week = reach.weeks.rows[0]  # the newest week first; everything above happened in it
    assert this_week["week"] == iso_week(to_local(datetime.now(UTC)).date())
    assert (this_week["sent"], this_week["failed"], this_week["companies"], this_week["notices"]) == (1, 1, 1, 2)
    assert (this_week["not_relevant"], this_week["follows"]) == (1, 1)
    assert len(reach.weeks.rows) == 12 and all(r["sent"] == 0 for r in reach.weeks.rows[1:])
    sectors = {r["division"]: r for r in reach.sectors.rows}
    assert (sectors["72"]["open"], sectors["72"]["unmatched"]) == (1, 1)  # where UDD should recruit
    assert (sectors["45"]["open"], sectors["45"]["unmatched"], sectors["45"]["companies"]) == (2, 0, 2)
    assert sectors["90"]["companies"] == 1
    assert reach.sectors.rows[0]["division"] == "72"  # the sector without companies comes first


def test_page_and_cli_show_the_same_reach(lived_in: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    page = staff_page(lived_in)
    assert NOTHING_SENT not in page and NO_FEEDBACK not in page
    use_settings_in_cli(lived_in, monkeypatch)
    printed = CliRunner().invoke(build_app(), ["stats", "reach", "--format", "json"])
    assert printed.exit_code == 0, printed.output
    figures = json.loads(printed.output)
    for label, value in (("Skickade sammanställningar", figures["utskick"]["digests_sent"]),
                         ("Misslyckade sammanställningar", figures["utskick"]["digests_failed"]),
                         ("Företag som fått utskick", figures["utskick"]["companies_reached"]),
                         ("Annonser i utskicken", figures["utskick"]["notices_alerted"]),
                         ("Markerade ”Inte relevant”", figures["aterkoppling"]["not_relevant"]),
                         ("Följda upphandlingar", figures["aterkoppling"]["follows"])):
        assert key_figure(page, label) == str(value)
    text = CliRunner().invoke(build_app(), ["stats", "reach"]).output
    assert "Skickade sammanställningar: 1" in text and "Markerade ”Inte relevant”: 1" in text


def test_a_new_service_explains_why_reach_is_empty(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    open_all(settings)[0].close()
    page = staff_page(settings)
    assert NOTHING_SENT in page and NO_FEEDBACK in page
    assert "Inga registrerade företag ännu" in page
