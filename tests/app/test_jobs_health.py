"""The daily pipeline's health check: a source that went quiet gives one staff alert where the staff page reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from app.daily import check_source_health
from tenders.health import KNOWN_SOURCES, FileAlertOutbox, staff_alert_path
from tenders.settings import Settings
from tenders.store import TenderStore
from tenders.store.tables import CrawlRunRow

NOW = datetime(2026, 11, 20, 5, 0, tzinfo=UTC)


def other_sources_yielded(store: TenderStore, at: datetime) -> None:
    """Every other known source yielded at ``at``: only the source under test can be quiet."""
    for source in KNOWN_SOURCES:
        if source != "ted":
            run_id = store.start_run(source)
            store.finish_run(run_id, requests=1, items=1, errors=0, complete=True)
            with store.engine.begin() as connection:
                connection.execute(sa.update(CrawlRunRow).where(CrawlRunRow.id == run_id).values(started_at=at))


def test_quiet_source_is_reported_once(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    store = TenderStore.from_settings(settings)
    try:
        for days_ago in (12, 11, 10):  # yielded daily, then nothing for ten days
            run_id = store.start_run("ted")
            store.finish_run(run_id, requests=2, items=3, errors=0, complete=True, expected=3)
            with store.engine.begin() as connection:
                connection.execute(sa.update(CrawlRunRow).where(CrawlRunRow.id == run_id)
                                   .values(started_at=NOW - timedelta(days=days_ago)))
        other_sources_yielded(store, NOW)
    finally:
        store.close()

    assert check_source_health(settings, NOW) == ["ted"]
    assert check_source_health(settings, NOW + timedelta(days=1)) == ["ted"]  # still quiet, alarm still on
    alerts = FileAlertOutbox(staff_alert_path(settings)).alerts()
    assert len(alerts) == 1 and alerts[0].source == "ted"  # but staff hear it once


def test_healthy_source_gives_no_alert(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    store = TenderStore.from_settings(settings)
    try:
        run_id = store.start_run("ted")
        store.finish_run(run_id, requests=2, items=3, errors=0, complete=True, expected=3)
        other_sources_yielded(store, datetime.now(UTC))
    finally:
        store.close()
    assert check_source_health(settings, datetime.now(UTC)) == []
    assert FileAlertOutbox(staff_alert_path(settings)).alerts() == []
