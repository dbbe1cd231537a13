"""The store's tables (SQLAlchemy 2 declarative). Portable between SQLite and PostgreSQL.

The Alembic migrations in ``migrations/versions`` create exactly these tables; change both together.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend.

    SQLite keeps no time zone, so naive values read back are UTC by construction; values written are
    converted to UTC first (naive input is taken as UTC).
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class NoticeRow(Base):
    """One version of one notice: the raw document as received and its normalised Tender JSON."""

    __tablename__ = "notices"
    __table_args__ = (sa.UniqueConstraint("notice_id", "version", name="uq_notices_notice_version"),)

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    notice_id: Mapped[str] = mapped_column(sa.String(100))
    version: Mapped[str] = mapped_column(sa.String(20))
    tender_id: Mapped[str] = mapped_column(sa.String(100), index=True)
    procedure_id: Mapped[str | None] = mapped_column(sa.String(100))
    form_type: Mapped[str | None] = mapped_column(sa.String(30))
    notice_type: Mapped[str | None] = mapped_column(sa.String(30))
    publication_date: Mapped[date | None] = mapped_column(sa.Date)
    issue_date: Mapped[date | None] = mapped_column(sa.Date)
    source: Mapped[str] = mapped_column(sa.String(50))
    source_url: Mapped[str | None] = mapped_column(sa.Text)
    raw: Mapped[bytes] = mapped_column(sa.LargeBinary)
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TenderRow(Base):
    """The current view of one procurement, rebuilt from its notices whenever one of them changes."""

    __tablename__ = "tenders"

    tender_id: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    notice_id: Mapped[str] = mapped_column(sa.String(100))  # the newest notice the view is based on
    version: Mapped[str] = mapped_column(sa.String(20))
    form_type: Mapped[str | None] = mapped_column(sa.String(30))
    publication_date: Mapped[date | None] = mapped_column(sa.Date, index=True)
    submission_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    notice_count: Mapped[int] = mapped_column(sa.Integer)
    source_urls: Mapped[list[str]] = mapped_column(sa.JSON)
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CrawlRunRow(Base):
    __tablename__ = "crawl_runs"
    __table_args__ = (sa.Index("ix_crawl_runs_source_started", "source", "started_at"),)

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(sa.String(50))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    requests: Mapped[int] = mapped_column(sa.Integer, default=0)
    items: Mapped[int] = mapped_column(sa.Integer, default=0)
    errors: Mapped[int] = mapped_column(sa.Integer, default=0)
    complete: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    expected: Mapped[int | None] = mapped_column(sa.Integer)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    # The publication dates the run asked for, and whether that makes it a backfill (tenders.store.runs):
    # eligibility reads these columns; the note is for people only.
    window_start: Mapped[date | None] = mapped_column(sa.Date)
    window_end: Mapped[date | None] = mapped_column(sa.Date)
    backfill: Mapped[bool] = mapped_column(sa.Boolean, default=True, server_default=sa.true())


class ProcurementKeyRow(Base):
    """A key naming a notice's procurement across sources (tenders.dedup): ted:…, site:…, otd:…."""

    __tablename__ = "procurement_keys"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    notice_pk: Mapped[int] = mapped_column(sa.ForeignKey("notices.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(300), index=True)
