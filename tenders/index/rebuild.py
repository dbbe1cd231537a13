"""The index rebuilt from the store (the store is the truth): what ``anbudsvakt reindex`` runs.

Every procurement's current view is projected and handed to the backend's ``rebuild``, which builds beside the live
index and swaps the new one in at the end, so searches never see an empty or half-built index. A procurement that
cannot be read or indexed is recorded with a one-line reason and left out; the others go on. Procurements changed
while the rebuild ran (a crawl, a load) are indexed again after the swap, so the swap loses no write.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from tenders.index.base import IndexDocument, TenderIndex, one_line
from tenders.index.documents import to_index_document
from tenders.model import Tender
from tenders.store import TenderStore

CATCH_UP_MARGIN = timedelta(minutes=1)  # changes stamped just before the start (clocks, slow commits) are redone
logger = logging.getLogger(__name__)


@dataclass
class RebuildReport:
    written: int = 0
    caught_up: int = 0  # procurements changed during the rebuild, indexed again after the swap
    failed: list[tuple[str, str]] = field(default_factory=list)  # (tender id, one-line reason)

    def record(self, tender_id: str, reason: str) -> None:
        if any(tender_id == failed for failed, _ in self.failed):  # also failed again in the catch-up
            return
        self.failed.append((tender_id, reason))
        logger.warning("procurement %s left out of the index: %s", tender_id, reason)


def rebuild_from_store(store: TenderStore, index: TenderIndex, batch_size: int = 500,
                       advance: Callable[[int], object] | None = None) -> RebuildReport:
    """Rebuild ``index`` from every procurement in ``store``; ``advance(n)`` is told of each procurement read."""
    report = RebuildReport()
    started = datetime.now(UTC)

    def documents() -> Iterator[IndexDocument]:
        for tender_id, data in store.iter_tender_data(batch_size):
            try:
                document = to_index_document(Tender.model_validate(data))
            except Exception as error:  # a view stored by a bug or an old version: name it, go on
                report.record(tender_id, one_line(error))
            else:
                yield document
            if advance is not None:
                advance(1)

    report.written = index.rebuild(documents(), on_failure=report.record)
    changed = store.tender_ids_updated_since(started - CATCH_UP_MARGIN)
    fresh = []
    for tender_id in changed:
        try:
            tender = store.tender(tender_id)
            if tender is None:
                index.delete([tender_id])
            else:
                fresh.append(to_index_document(tender))
        except Exception as error:
            report.record(tender_id, one_line(error))
    report.caught_up = index.index(fresh, on_failure=report.record) if fresh else 0
    return report
