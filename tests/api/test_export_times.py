"""Exports and feeds give Swedish time, as the pages do (they gave UTC: a 12:00 deadline read 11:00 in winter)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from api.export import csv_lines
from tenders.formatting import local_wall_clock
from tenders.index.base import IndexDocument


def _document(deadline: datetime) -> IndexDocument:
    return IndexDocument(tender_id="t-1", notice_id="n-1", version="1", title="Snöröjning", deadline=deadline,
                         published=date(2026, 1, 10))


def test_csv_deadlines_are_swedish_wall_clock_time_in_winter_and_summer() -> None:
    winter, summer = datetime(2026, 1, 15, 11, 0, tzinfo=UTC), datetime(2026, 7, 15, 10, 0, tzinfo=UTC)
    rows = [line for doc in (_document(winter), _document(summer)) for line in list(csv_lines([doc]))[1:]]
    assert "2026-01-15 12:00" in rows[0] and "2026-07-15 12:00" in rows[1]


def test_naive_times_are_read_as_the_stores_utc() -> None:
    assert local_wall_clock(datetime(2026, 1, 15, 23, 30)) == datetime(2026, 1, 16, 0, 30)
