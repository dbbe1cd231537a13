"""The store: every notice version with its raw document, the current view of every procurement, crawl runs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tenders.model import Tender
from tenders.store.engine import begin_write, create_store_engine
from tenders.store.runs import CrawlRunsMixin
from tenders.store.schema import prepare_schema
from tenders.store.tables import NoticeRow, TenderRow
from tenders.store.view import content_hash, current_view, recency_key, tender_id_of

if TYPE_CHECKING:
    from tenders.settings import Settings


class UpsertOutcome(StrEnum):
    INSERTED = "inserted"
    UNCHANGED = "unchanged"  # same (notice id, version) and same content: nothing was written
    UPDATED = "updated"  # same (notice id, version), different content: the row was replaced


UPSERT_ATTEMPTS = 3  # a lost race (another process stored the same notice first) is read again, not an error


def _now() -> datetime:
    return datetime.now(UTC)


class TenderStore(CrawlRunsMixin):
    """SQLAlchemy store on SQLite (WAL) or PostgreSQL. Opening it migrates an embedded SQLite file to the newest
    schema and refuses a PostgreSQL database that is behind (tenders.store.schema.prepare_schema)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        prepare_schema(engine)

    @classmethod
    def from_url(cls, url: str) -> TenderStore:
        return cls(create_store_engine(url))

    @classmethod
    def from_settings(cls, settings: Settings) -> TenderStore:
        return cls.from_url(settings.sqlalchemy_url)

    def close(self) -> None:
        self.engine.dispose()

    # -- notices -------------------------------------------------------------------------------

    def upsert_notice(self, tender: Tender, raw: bytes) -> UpsertOutcome:
        """Insert or replace one notice version by (notice id, version), then rebuild its procurement's view.

        Safe with concurrent writers: on SQLite the transaction holds the write lock from its first read, on
        PostgreSQL writers of one procurement take turns (an advisory lock on its id); should another process still
        insert the same row first, the upsert is read again and reports what it finds (UNCHANGED for the same
        content)."""
        digest = content_hash(tender, raw)
        for attempt in range(1, UPSERT_ATTEMPTS + 1):
            try:
                return self._upsert(tender, raw, digest)
            except sa.exc.IntegrityError:
                if attempt == UPSERT_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    def _upsert(self, tender: Tender, raw: bytes, digest: str) -> UpsertOutcome:
        with Session(self.engine) as session, session.begin():
            connection = session.connection()
            begin_write(connection)
            if connection.dialect.name == "postgresql":
                key = f"anbudsvakt tender {tender_id_of(tender)}"
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key})
            row = self._notice_row(session, tender.notice_id, tender.version)
            if row is not None and row.content_hash == digest:
                return UpsertOutcome.UNCHANGED
            now = _now()
            stale_tender_id = None
            if row is None:
                row = NoticeRow(notice_id=tender.notice_id, version=tender.version, first_seen=now)
                session.add(row)
                outcome = UpsertOutcome.INSERTED
            else:
                stale_tender_id = row.tender_id if row.tender_id != tender_id_of(tender) else None
                outcome = UpsertOutcome.UPDATED
            self._fill_notice_row(row, tender, raw, digest, now)
            session.flush()
            self._rebuild_view(session, row.tender_id, now)
            if stale_tender_id:
                self._rebuild_view(session, stale_tender_id, now)
            return outcome

    @staticmethod
    def _fill_notice_row(row: NoticeRow, tender: Tender, raw: bytes, digest: str, now: datetime) -> None:
        row.tender_id = tender_id_of(tender)
        row.procedure_id = tender.procedure_id
        row.form_type = tender.form_type.value if tender.form_type else None
        row.notice_type = tender.notice_type
        row.publication_date = tender.publication_date
        row.issue_date = tender.issue_date
        row.source = tender.source
        row.source_url = tender.source_url
        row.raw = raw
        row.data = tender.model_dump(mode="json")
        row.content_hash = digest
        row.updated_at = now

    @staticmethod
    def _notice_row(session: Session, notice_id: str, version: str) -> NoticeRow | None:
        query = sa.select(NoticeRow).where(NoticeRow.notice_id == notice_id, NoticeRow.version == version)
        return session.scalars(query).one_or_none()

    def _rebuild_view(self, session: Session, tender_id: str, now: datetime) -> None:
        rows = session.scalars(sa.select(NoticeRow).where(NoticeRow.tender_id == tender_id)).all()
        existing = session.get(TenderRow, tender_id)
        if not rows:
            if existing is not None:
                session.delete(existing)
            return
        ordered = sorted(rows, key=lambda r: (recency_key(r.data), r.id))
        urls = [u for r in ordered for u in (r.source_url, *r.data.get("source_urls", [])) if u]
        view = current_view([r.data for r in ordered], list(dict.fromkeys(urls)))
        row = existing or TenderRow(tender_id=tender_id)
        row.notice_id, row.version = view.notice_id, view.version
        row.form_type = view.form_type.value if view.form_type else None
        row.publication_date = view.publication_date or view.issue_date
        row.submission_deadline = view.submission_deadline
        row.notice_count = len(rows)
        row.source_urls = view.source_urls
        row.data = view.model_dump(mode="json")
        row.updated_at = now
        if existing is None:
            session.add(row)

    def get_notice(self, notice_id: str, version: str) -> Tender | None:
        with Session(self.engine) as session:
            row = self._notice_row(session, notice_id, version)
            return Tender.model_validate(row.data) if row else None

    def raw_document(self, notice_id: str, version: str) -> bytes | None:
        with Session(self.engine) as session:
            row = self._notice_row(session, notice_id, version)
            return row.raw if row else None

    def tender_id_for_notice(self, notice_id: str, version: str) -> str | None:
        """The procurement a stored notice version belongs to (None when the notice is not stored)."""
        query = sa.select(NoticeRow.tender_id).where(NoticeRow.notice_id == notice_id, NoticeRow.version == version)
        with Session(self.engine) as session:
            return session.scalars(query).one_or_none()

    # -- procurements --------------------------------------------------------------------------

    def tender(self, tender_id: str) -> Tender | None:
        with Session(self.engine) as session:
            row = session.get(TenderRow, tender_id)
            return Tender.model_validate(row.data) if row else None

    def tender_history(self, tender_id: str) -> list[Tender]:
        with Session(self.engine) as session:
            rows = session.scalars(sa.select(NoticeRow).where(NoticeRow.tender_id == tender_id)).all()
            ordered = sorted(rows, key=lambda r: (recency_key(r.data), r.id))
            return [Tender.model_validate(r.data) for r in ordered]

    def iter_tenders(self, batch_size: int = 500) -> Iterator[Tender]:
        """Every procurement's current view in tender id order, read in batches (keyset pagination)."""
        for _tender_id, data in self.iter_tender_data(batch_size):
            yield Tender.model_validate(data)

    def iter_tender_data(self, batch_size: int = 500) -> Iterator[tuple[str, dict[str, Any]]]:
        """(tender id, stored view as JSON data) of every procurement, unvalidated: a reader that must go on past a
        view the current model refuses (``tenders.index.rebuild``) validates each itself."""
        after = ""
        while True:
            query = (
                sa.select(TenderRow.tender_id, TenderRow.data)
                .where(TenderRow.tender_id > after)
                .order_by(TenderRow.tender_id)
                .limit(batch_size)
            )
            with Session(self.engine) as session:
                batch = session.execute(query).all()
            if not batch:
                return
            yield from ((tender_id, data) for tender_id, data in batch)
            after = batch[-1][0]

    def tender_ids_updated_since(self, since: datetime) -> list[str]:
        """The procurements whose view was written at or after ``since``."""
        query = sa.select(TenderRow.tender_id).where(TenderRow.updated_at >= since).order_by(TenderRow.tender_id)
        with Session(self.engine) as session:
            return list(session.scalars(query))

    def count_tenders(self) -> int:
        with Session(self.engine) as session:
            return session.scalar(sa.select(sa.func.count()).select_from(TenderRow)) or 0

    def count_notices(self) -> int:
        with Session(self.engine) as session:
            return session.scalar(sa.select(sa.func.count()).select_from(NoticeRow)) or 0
