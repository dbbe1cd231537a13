"""Example notices never mix with crawled ones: crawls and loads refuse while any is stored and say in one line how to
remove them; ``load --remove-demo`` takes them out of the store and the index with the alerts, follows and verdicts
derived from them; the daily pipeline skips its crawls and records the skip in the crawl log instead of crashing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from alerts.delivery.outbox import NewAlert, record_alerts
from alerts.delivery.tables import AlertKind, OutboxRow
from app import daily
from app.ingest import Ingestor, RawNotice
from cli.main import build_app
from crawlers import run as crawl_run
from profiles.model import Channel, CompanyProfile, Interests
from profiles.repository import ProfileRepository
from tenders.demo import DEMO_SOURCE, REMOVE_DEMO_COMMAND, demo_tenders
from tenders.index import open_index
from tenders.settings import Settings
from tenders.store import TenderStore
from tenders.store.tables import CrawlRunRow, NoticeRow

runner = CliRunner()
NOW = datetime(2026, 12, 1, 5, tzinfo=UTC)


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.delenv("ANBUDSVAKT_DATABASE_URL", raising=False)
    monkeypatch.setenv("ANBUDSVAKT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ANBUDSVAKT_INDEX_BACKEND", "sqlite")
    return Settings(data_dir=tmp_path, index_backend="sqlite")


@pytest.fixture
def no_crawl(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a crawl started although example notices are stored")

    monkeypatch.setattr(crawl_run, "run_crawl", refuse)
    monkeypatch.setattr(daily, "crawl_all", refuse)


def store_demo_with_derived_rows(settings: Settings) -> list[str]:
    """Three example notices, stored and indexed; a company follows one, judged one, and has an alert for one."""
    tenders = demo_tenders(count=3)
    store, index = TenderStore.from_settings(settings), open_index(settings)
    try:
        notices = [RawNotice(raw=json.dumps(t.model_dump(mode="json")).encode(), name=t.notice_id, source=DEMO_SOURCE,
                             tender=t) for t in tenders]
        Ingestor(store, index).ingest(notices)
        assert index.count() == 3
        with store.engine.connect() as connection:
            tender_ids = sorted(connection.scalars(sa.select(NoticeRow.tender_id)))
        profiles = ProfileRepository(store.engine, "secret-for-tests")
        company = profiles.save(CompanyProfile(orgnr="5560000001", name="Snö AB", sni=["81210"],
                                               interests=Interests(keywords=["snöröjning"]),
                                               channels=[Channel(address="info@sno.se")]))
        profiles.follow(company.id, tender_ids[0], {"title": "x"})
        profiles.record_feedback(company.id, tender_ids[1], relevant=False)
        with Session(store.engine) as session, session.begin():
            record_alerts(session, [NewAlert(company.id, "email", AlertKind.MATCH, tenders[2].notice_id,
                                             tenders[2].notice_id, tender_ids[2])], NOW)
    finally:
        index.close()
        store.close()
    return tender_ids


def count(settings: Settings, table: type) -> int:
    store = TenderStore.from_settings(settings)
    try:
        with Session(store.engine) as session:
            return int(session.scalar(sa.select(sa.func.count()).select_from(table)) or 0)
    finally:
        store.close()


@pytest.mark.parametrize("command", [["crawl", "ted"], ["crawl", "eavrop"], ["load", "--examples"]])
def test_crawls_and_loads_refuse_while_example_notices_are_stored(settings: Settings, no_crawl: None,
                                                                  command: list[str]) -> None:
    store_demo_with_derived_rows(settings)
    refused = runner.invoke(build_app(), command)
    assert refused.exit_code == 2
    message = refused.output.strip()
    assert "\n" not in message and "exempeldata" in message and REMOVE_DEMO_COMMAND in message
    assert count(settings, NoticeRow) == 3


def test_remove_demo_takes_the_example_notices_and_all_derived_from_them(settings: Settings) -> None:
    store_demo_with_derived_rows(settings)
    removed = runner.invoke(build_app(), ["load", "--remove-demo"])
    assert removed.exit_code == 0, removed.output
    assert "3 annonser" in removed.output and "1 aviseringar, 1 bevakningar och 1 bedömningar" in removed.output
    assert count(settings, NoticeRow) == 0 and count(settings, OutboxRow) == 0
    index = open_index(settings)
    try:
        assert index.count() == 0
    finally:
        index.close()
    store = TenderStore.from_settings(settings)
    try:
        profiles = ProfileRepository(store.engine, "secret-for-tests")
        assert profiles.follows() == [] and len(profiles.companies()) == 1  # the company itself stays
    finally:
        store.close()
    again = runner.invoke(build_app(), ["load", "--remove-demo"])
    assert "ingen exempeldata" in again.output


def test_the_daily_pipeline_skips_its_crawls_and_logs_why(settings: Settings, no_crawl: None) -> None:
    store_demo_with_derived_rows(settings)
    report = daily.daily_pipeline(settings, NOW, matcher=lambda *_args: [])
    assert report.crawls == {}
    store = TenderStore.from_settings(settings)
    try:
        with Session(store.engine) as session:
            skipped = session.scalars(sa.select(CrawlRunRow)).all()
    finally:
        store.close()
    assert skipped and all(not run.complete and REMOVE_DEMO_COMMAND in run.note for run in skipped)
    assert {run.source for run in skipped} == set(daily.crawl_sources(NOW.date()))


def test_a_crawl_started_outside_the_command_refuses_too(settings: Settings, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """``python -m crawlers.run ted``, as the scheduler starts each crawl: refused before anything is fetched."""
    store_demo_with_derived_rows(settings)
    monkeypatch.setattr(crawl_run, "crawl", lambda *_args: pytest.fail("the crawl was started"))
    assert crawl_run.main(["ted"]) == 2
    assert REMOVE_DEMO_COMMAND in capsys.readouterr().err
    assert count(settings, CrawlRunRow) == 0
