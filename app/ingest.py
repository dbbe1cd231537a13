"""One notice into the store and the index: the store first (it is the truth), then the procurement's view."""

from __future__ import annotations

from tenders.dedup import absorb_mirrors, join_procurement
from tenders.index.base import TenderIndex
from tenders.index.documents import to_index_document
from tenders.model import Tender
from tenders.store import TenderStore, UpsertOutcome


def ingest(tender: Tender, raw: bytes, store: TenderStore, index: TenderIndex) -> UpsertOutcome:
    """Store the notice version, then index its procurement's current view.

    The view is indexed even when the store reports UNCHANGED: the document is replaced by an identical
    one, and an index that missed it (a crash between the two writes) catches up on the next crawl.
    A notice whose procedure id changed leaves its old procurement; that one is re-indexed or removed.
    """
    tender = join_procurement(tender, store)  # a web-page notice joins the procurement it mirrors (tenders.dedup)
    previous_tender_id = store.tender_id_for_notice(tender.notice_id, tender.version)
    outcome = store.upsert_notice(tender, raw)
    absorbed = absorb_mirrors(tender, store)  # procurements whose web-page notices moved into this one
    tender_id = tender.procedure_id or tender.notice_id
    affected = dict.fromkeys(t for t in (tender_id, previous_tender_id, *absorbed) if t)
    documents = []
    for affected_id in affected:
        view = store.tender(affected_id)
        if view is None:
            index.delete([affected_id])
        else:
            documents.append(to_index_document(view))
    index.index(documents)
    return outcome
