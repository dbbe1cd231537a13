"""Reading OCDS releases and records out of the store.

The store's notice versions are the releases and its current view is the compiled release, so nothing here is
stored twice: every package is made on request.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tenders.model import Tender
from tenders.ocds.mapping import to_release
from tenders.ocds.packages import record
from tenders.store import TenderStore
from tenders.store.tables import NoticeRow

BATCH = 500


def tender_id_of_ocid(ocid: str, prefix: str) -> str | None:
    """The store's procurement id inside an ocid of this publisher; None for another publisher's ocid."""
    head = f"{prefix}-"
    if not ocid.startswith(head) or ocid == head:
        return None
    return ocid[len(head):]


def process_releases(store: TenderStore, ocid: str, prefix: str) -> list[dict[str, Any]]:
    """Every stored notice version of the process, oldest first ([] when the process is unknown)."""
    tender_id = tender_id_of_ocid(ocid, prefix)
    return [to_release(notice, prefix) for notice in store.tender_history(tender_id)] if tender_id else []


def process_record(store: TenderStore, ocid: str, prefix: str) -> dict[str, Any] | None:
    tender_id = tender_id_of_ocid(ocid, prefix)
    current = store.tender(tender_id) if tender_id else None
    if current is None or tender_id is None:
        return None
    return record(current, store.tender_history(tender_id), prefix)


def iter_releases(
    store: TenderStore, prefix: str, first: date | None = None, last: date | None = None
) -> Iterator[dict[str, Any]]:
    """The releases of every notice version published from ``first`` to ``last`` (inclusive; None = no bound),
    in the order they were stored, read in batches so a whole year never sits in memory. A notice without a
    publication date (not yet published on TED) counts on its issue date, as the store's current view does."""
    query = sa.select(NoticeRow.id, NoticeRow.data).order_by(NoticeRow.id)
    day = sa.func.coalesce(NoticeRow.publication_date, NoticeRow.issue_date)
    if first is not None:
        query = query.where(day >= first)
    if last is not None:
        query = query.where(day <= last)
    after = 0
    while True:
        with Session(store.engine) as session:
            batch = session.execute(query.where(NoticeRow.id > after).limit(BATCH)).all()
        if not batch:
            return
        for _row_id, data in batch:
            yield to_release(Tender.model_validate(data), prefix)
        after = batch[-1][0]
