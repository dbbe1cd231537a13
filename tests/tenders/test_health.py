"""Source health: the silence alarm from a source's own run history, completeness, and alerts sent once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from tenders.health import (
    FileAlertOutbox,
    HealthPolicy,
    check_sources,
    run_completeness,
    source_health,
    usual_gap,
)
from tenders.store import CrawlRun, TenderStore
from tenders.store.tables import CrawlRunRow

NOW = datetime(2026, 3, 20, 8, 0, tzinfo=UTC)


def run(run_id: int, days_ago: float, items: int, *, expected: int | None = None, complete: bool = True,
        errors: int = 0, note: str = "") -> CrawlRun:
    started = NOW - timedelta(days=days_ago)
    return CrawlRun(id=run_id, source="ted", started_at=started, finished_at=started + timedelta(minutes=5),
                    requests=3, items=items, errors=errors, complete=complete, expected=expected, note=note)


def daily_history(days: int, *, quiet_last: int = 0, every: float = 1.0) -> list[CrawlRun]:
    """A run every ``every`` days for ``days`` days; the newest ``quiet_last`` runs stored nothing."""
    count = int(days / every)
    return [run(i, (count - i) * every, 0 if i > count - quiet_last else 5) for i in range(1, count + 1)]


def test_a_source_that_stopped_yielding_trips_the_alarm() -> None:
    health = source_health("ted", daily_history(30, quiet_last=6), NOW)
    assert health.usual_gap == timedelta(days=1)
    assert health.alarm_after == timedelta(days=4)  # 1 day × 3, but never below the long-weekend floor
    assert health.silent_for == timedelta(days=6)
    assert health.alarm
    assert "har inte gett några notiser på 6,0 dygn" in health.reason


def test_a_normal_gap_does_not_alarm() -> None:
    # Two quiet days (a weekend) after a month of daily yields is within the usual rhythm.
    health = source_health("ted", daily_history(30, quiet_last=2), NOW)
    assert not health.alarm and health.reason == ""
    assert health.silent_for == timedelta(days=2)


def test_the_usual_gap_comes_from_the_history() -> None:
    # A weekly source: a week without notices is normal, four weeks is not.
    weekly = daily_history(70, every=7.0)
    assert usual_gap(weekly, HealthPolicy()) == timedelta(days=7)
    assert source_health("ted", weekly, NOW + timedelta(days=7)).alarm is False
    assert source_health("ted", weekly, NOW + timedelta(days=20)).alarm is False  # 20 days: within 3 weeks
    late = source_health("ted", weekly, NOW + timedelta(days=22))
    assert late.alarm and late.alarm_after == timedelta(days=21)


def test_too_little_history_uses_the_fallback_gap() -> None:
    runs = [run(1, 2, 4), run(2, 1, 3)]
    health = source_health("ted", runs, NOW)
    assert health.usual_gap is None
    assert health.alarm_after == timedelta(days=4)
    assert not health.alarm
    assert source_health("ted", runs, NOW + timedelta(days=4)).alarm


def test_a_source_that_never_yielded_or_never_ran() -> None:
    empty_runs = [run(1, 10, 0), run(2, 5, 0), run(3, 1, 0)]
    health = source_health("ted", empty_runs, NOW)
    assert health.alarm and health.last_yield_at is None
    assert "på 3 körningar sedan 2026-03-10" in health.reason
    never = source_health("ted", [], NOW)
    assert never.alarm and "aldrig körts" in never.reason and never.last_run is None


def test_completeness_against_what_the_source_said_it_had() -> None:
    assert run_completeness(run(1, 1, 180, expected=200)) == 0.9
    assert run_completeness(run(1, 1, 250, expected=200)) == 1.0  # overlapping windows store more
    assert run_completeness(run(1, 1, 0, expected=0)) == 1.0
    assert run_completeness(run(1, 1, 5)) is None
    # The newest run that stated an expectation counts, and a shortfall is a warning on the page.
    health = source_health("ted", [run(1, 2, 200, expected=200), run(2, 1, 150, expected=200, complete=False,
                                                                      note="listningen avbröts")], NOW)
    assert health.completeness == 0.75
    assert health.completeness_run is not None and health.completeness_run.id == 2
    assert "Lagrade 150 av 200 notiser som källan angav." in health.warnings
    assert "Senaste körningen blev inte komplett (listningen avbröts)." in health.warnings
    assert health.last_complete_run is not None and health.last_complete_run.id == 1


def test_check_sources_sends_one_alert_per_silence(tmp_path: Path) -> None:
    store = TenderStore.from_url(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    try:
        for days_ago, items in ((20, 5), (19, 4), (18, 6), (17, 0), (2, 0)):
            run_id = store.start_run("ted")
            store.finish_run(run_id, requests=1, items=items, errors=0, complete=True, expected=items)
            with store.engine.begin() as connection:  # back-date the run: the store stamps "now"
                connection.execute(sa.update(CrawlRunRow).where(CrawlRunRow.id == run_id)
                                   .values(started_at=NOW - timedelta(days=days_ago)))
        outbox = FileAlertOutbox(tmp_path / "staff-alerts.jsonl")
        healths = check_sources(store, outbox, NOW, known=("ted",))
        assert [h.source for h in healths] == ["ted"] and healths[0].alarm
        assert len(outbox.sent_keys()) == 1
        check_sources(store, outbox, NOW + timedelta(days=1), known=("ted",))  # the same silence: no second alert
        assert len(outbox.sent_keys()) == 1
        lines = (tmp_path / "staff-alerts.jsonl").read_text(encoding="utf-8").splitlines()
        assert len(lines) == 1 and "TED" in lines[0] and "sedan 2026-03-02" in lines[0]
    finally:
        store.close()
