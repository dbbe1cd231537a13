"""The scheduled jobs: the backfill rule (a backfill never alerts), and a company registered through the CLI
gets a correct digest at the loopback SMTP server when the scheduled jobs fire (called with their fire time)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from fastapi.testclient import TestClient
from pydantic import SecretStr
from typer.testing import CliRunner

from alerts.digest.formatting import local_day, swedish_date
from api.app import create_app
from app.daily import DIGEST_GRACE_SECONDS, JOBSTORE_TABLE, PIPELINE_GRACE_SECONDS, build_scheduler, daily_pipeline
from cli.main import build_app
from tenders.model import FormType
from tests.matcher.alerting import add_company, make_settings, make_tender, open_all


def _alerted(store) -> dict[str, set[str]]:
    with store.engine.connect() as connection:
        rows = connection.execute(sa.text("select company_id, notice_id from alert_outbox")).all()
    alerted: dict[str, set[str]] = {}
    for company_id, notice_id in rows:
        alerted.setdefault(company_id, set()).add(notice_id)
    return alerted


def test_backfills_and_old_notices_never_alert(tmp_path):
    settings = make_settings(tmp_path)
    store, profiles = open_all(settings)
    early = add_company(profiles, 500)  # consented 30 days ago
    late = add_company(profiles, 501, consent_at=datetime.now(UTC) + timedelta(minutes=5))
    today = datetime.now(UTC).date()

    def ingest(notice_id: str, **fields) -> None:
        store.upsert_notice(make_tender(notice_id, title=f"Takarbeten {notice_id}", **fields), b"<xml/>")

    ingest("fresh")  # published today, no crawl run: alerts
    ingest("old", published=today - timedelta(days=60))  # loaded today but published long ago: never
    ingest("award", form_type=FormType.RESULT)  # not an invitation to bid: never
    backfill = store.start_run("ted", window_start=today - timedelta(60))
    ingest("in-backfill")  # fresh, but brought in by a --since backfill: never
    store.finish_run(backfill, requests=1, items=1, errors=0, complete=True, note="any text at all")
    daily = store.start_run("ted", window_start=today - timedelta(3))
    ingest("in-daily")  # the normal daily crawl (window: last run minus two days): alerts
    store.finish_run(daily, requests=1, items=1, errors=0, complete=True, note=f"since={today - timedelta(60)}")
    running = store.start_run("ted", window_start=today - timedelta(2))
    ingest("in-running")  # its window is known from its start: a daily crawl still going alerts like one done
    unknown = store.start_run("ted")
    ingest("in-unknown")  # a run recorded without a window counts as a backfill
    store.finish_run(unknown, requests=1, items=1, errors=0, complete=True)
    now = datetime.now(UTC)

    assert daily_pipeline(settings, now, crawl=False, backfill_since=today - timedelta(30)).matched == 0
    assert _alerted(store) == {}  # a backfill run of the pipeline matches nothing at all
    daily_pipeline(settings, now, crawl=False)
    # `late` consented after all of them; the notes say nothing to eligibility (the daily run's note lies)
    assert _alerted(store) == {early.id: {"fresh", "in-daily", "in-running"}}
    store.finish_run(running, requests=1, items=1, errors=0, complete=True)
    assert daily_pipeline(settings, now + timedelta(hours=2), crawl=False).matched == 0  # recorded once
    assert late.id not in _alerted(store)
    # Older than the alert window: even a fresh-looking notice is never dug up later.
    assert daily_pipeline(settings, now + timedelta(days=8), crawl=False).matched == 0


def test_a_company_added_through_the_cli_gets_its_digest_from_the_scheduled_jobs(tmp_path, smtp_server, monkeypatch):
    settings = make_settings(tmp_path, smtp_server.port)
    for name, field_value in settings.model_dump(exclude={"data_dir"}).items():
        value = field_value.get_secret_value() if isinstance(field_value, SecretStr) else field_value
        monkeypatch.setenv(f"ANBUDSVAKT_{name.upper()}", str(value))
    monkeypatch.setenv("ANBUDSVAKT_DATA_DIR", str(tmp_path))
    added = CliRunner().invoke(build_app(), [
        "company", "add", "--orgnr", "556036-0793", "--name", "Siljans Tak AB", "--email", "anbud@siljanstak.se",
        "--sni", "43910", "--size", "small", "--never-bid",
    ])
    assert added.exit_code == 0, added.output
    company_id = added.output.strip().splitlines()[-1]
    store, profiles = open_all(settings)
    assert profiles.get(company_id) is not None
    store.upsert_notice(make_tender("cn-cli", title="Takarbeten på Mora skola"), b"<xml/>")
    store.upsert_notice(make_tender("cn-other", title="Städtjänster", cpv="90910000"), b"<xml/>")

    scheduler = build_scheduler(settings)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"daily-pipeline", "daily-digests"}
    digests = jobs["daily-digests"]
    assert (digests.coalesce, digests.max_instances, digests.misfire_grace_time) == (True, 1, DIGEST_GRACE_SECONDS)
    assert jobs["daily-pipeline"].misfire_grace_time == PIPELINE_GRACE_SECONDS
    fire_at = digests.trigger.get_next_fire_time(None, datetime.now(UTC))
    assert (fire_at.hour, fire_at.minute, str(fire_at.tzinfo)) == (7, 0, "Europe/Stockholm")
    pipeline_at = jobs["daily-pipeline"].trigger.get_next_fire_time(None, datetime.now(UTC))
    smtp_server.clear()

    jobs["daily-pipeline"].func(settings, pipeline_at, crawl=False)  # the crawl itself needs the internet
    report = digests.func(settings, fire_at)

    assert report.sent == 1
    (message,) = smtp_server.messages
    assert smtp_server.envelopes[0][1] == ["anbud@siljanstak.se"]
    assert message["Subject"] == (f"Anbudsvakt {swedish_date(local_day(fire_at, settings.timezone))}: "
                                  "1 ny annons för Siljans Tak AB")
    text = str(message.get_body(preferencelist=("plain",)).get_content())
    assert "Takarbeten på Mora skola" in text and "Städtjänster" not in text
    assert "SNI 43910" in text  # the matcher's Swedish reason
    assert "Anbudsskola" in text  # registered with --never-bid
    assert "https://anbudsvakt.example/upphandlingar/proc-cn-cli" in text
    assert "https://anbudsvakt.example/avregistrera/" in message["List-Unsubscribe"]


def test_the_job_store_persists_the_jobs_in_the_database(tmp_path):
    settings = make_settings(tmp_path)
    open_all(settings)
    scheduler = build_scheduler(settings)
    scheduler.start(paused=True)
    try:
        stored = build_scheduler(settings)  # a restarted service finds the same two jobs, not four
        stored.start(paused=True)
        assert sorted(job.id for job in stored.get_jobs()) == ["daily-digests", "daily-pipeline"]
        stored.shutdown(wait=False)
    finally:
        scheduler.shutdown(wait=False)
    engine = sa.create_engine(settings.sqlalchemy_url)
    with engine.connect() as connection:
        ids = connection.execute(sa.text(f"select id from {JOBSTORE_TABLE} order by id")).scalars().all()
    assert ids == ["daily-digests", "daily-pipeline"]


def test_serve_runs_the_scheduler_in_the_app_lifespan_only_when_enabled(tmp_path):
    def stored_jobs(settings) -> list[str]:
        engine = sa.create_engine(settings.sqlalchemy_url)
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table(JOBSTORE_TABLE):
                return []
            return list(connection.execute(sa.text(f"select id from {JOBSTORE_TABLE} order by id")).scalars())

    off = make_settings(tmp_path / "off")
    with TestClient(create_app(off)):
        assert stored_jobs(off) == []
    on = make_settings(tmp_path / "on", scheduler_in_web=True)
    with TestClient(create_app(on)):
        assert stored_jobs(on) == ["daily-digests", "daily-pipeline"]
