"""Crawl runs per source: when a crawl started and ended, what it did, and whether it was complete."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tenders.store.tables import CrawlRunRow

# How far back a normal daily crawl reaches: the alert window (7 days, matcher.eligibility) plus the overlap a
# daily crawl re-reads (crawlers.run.SAFETY_OVERLAP). A window starting earlier than this is a backfill.
ALERT_WINDOW = timedelta(days=7)
DAILY_CRAWL_OVERLAP = timedelta(days=2)


def is_backfill(window_start: date | None, started: datetime) -> bool:
    """A run is a backfill when its window reaches further back than a daily crawl ever does, or is unknown."""
    return window_start is None or window_start < started.date() - (ALERT_WINDOW + DAILY_CRAWL_OVERLAP)


@dataclass(frozen=True)
class CrawlRun:
    id: int
    source: str
    started_at: datetime
    finished_at: datetime | None
    requests: int
    items: int
    errors: int
    complete: bool
    expected: int | None
    note: str
    window_start: date | None = None
    window_end: date | None = None
    backfill: bool = True

    @classmethod
    def from_row(cls, row: CrawlRunRow) -> CrawlRun:
        return cls(
            id=row.id, source=row.source, started_at=row.started_at, finished_at=row.finished_at,
            requests=row.requests, items=row.items, errors=row.errors, complete=row.complete,
            expected=row.expected, note=row.note, window_start=row.window_start, window_end=row.window_end,
            backfill=row.backfill,
        )


class CrawlRunsMixin:
    """The crawl-run part of :class:`tenders.store.TenderStore` (kept apart to keep modules small)."""

    engine: sa.Engine

    def start_run(self, source: str, window_start: date | None = None, window_end: date | None = None) -> int:
        """Record a run as it starts, with its window, so that a run still going is already known as a backfill
        or not (a run without a window counts as a backfill: nothing it brings in alerts)."""
        started = datetime.now(UTC)
        with Session(self.engine) as session, session.begin():
            row = CrawlRunRow(
                source=source, started_at=started, requests=0, items=0, errors=0, complete=False, note="",
                window_start=window_start, window_end=window_end, backfill=is_backfill(window_start, started),
            )
            session.add(row)
            session.flush()
            return row.id

    def finish_run(
        self, run_id: int, *, requests: int, items: int, errors: int, complete: bool,
        expected: int | None = None, note: str = "",
    ) -> None:
        with Session(self.engine) as session, session.begin():
            row = session.get(CrawlRunRow, run_id)
            if row is None:
                raise KeyError(f"no crawl run with id {run_id}")
            row.finished_at = datetime.now(UTC)
            row.requests, row.items, row.errors = requests, items, errors
            row.complete, row.expected, row.note = complete, expected, note

    def last_complete_run(self, source: str) -> CrawlRun | None:
        query = (
            sa.select(CrawlRunRow)
            .where(CrawlRunRow.source == source, CrawlRunRow.complete.is_(True))
            .order_by(CrawlRunRow.started_at.desc(), CrawlRunRow.id.desc())
            .limit(1)
        )
        with Session(self.engine) as session:
            row = session.scalars(query).one_or_none()
            return CrawlRun.from_row(row) if row else None

    def runs(self, source: str | None = None, limit: int = 50) -> list[CrawlRun]:
        """The newest runs first."""
        query = sa.select(CrawlRunRow).order_by(CrawlRunRow.started_at.desc(), CrawlRunRow.id.desc()).limit(limit)
        if source is not None:
            query = query.where(CrawlRunRow.source == source)
        with Session(self.engine) as session:
            return [CrawlRun.from_row(row) for row in session.scalars(query)]
