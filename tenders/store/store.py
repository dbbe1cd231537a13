"""The store: every notice version with its raw document, the current view of every procurement, crawl runs."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tenders.model import Tender
from tenders.store.batch import store_batch
from tenders.store.engine import create_store_engine
from tenders.store.plan import UpsertOutcome
from tenders.store.runs import CrawlRunsMixin
from tenders.store.schema import prepare_schema
from tenders.store.tables import NoticeRow, TenderRow
from tenders.store.view import recency_key

if TYPE_CHECKING:
    from tenders.settings import Settings


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
        """Insert or replace one notice version by (notice id, version), then rebuild its procurement's view; the
        notice is stored as it is (ingest's batches also join procurements: ``tenders.store.batch``).

        Safe with concurrent writers: on SQLite the transaction holds the write lock from its first read, on
        PostgreSQL writers of one procurement take turns (an advisory lock on its id); should another process still
        insert the same row first, the upsert is read again and reports what it finds (UNCHANGED for the same
        content)."""
        return store_batch(self, [(tender, raw)], dedup=False).outcomes[0]

    @staticmethod
    def _notice_row(session: Session, notice_id: str, version: str) -> NoticeRow | None:
        query = sa.select(NoticeRow).where(NoticeRow.notice_id == notice_id, NoticeRow.version == version)
        return session.scalars(query).one_or_none()

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

    def tender_data(self, tender_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The stored views of these procurements as JSON data, unvalidated (as :meth:`iter_tender_data`), in one
        query; ids without a procurement are left out."""
        query = sa.select(TenderRow.tender_id, TenderRow.data).where(TenderRow.tender_id.in_(tender_ids))
        with Session(self.engine) as session:
            return {tender_id: data for tender_id, data in session.execute(query)}

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
