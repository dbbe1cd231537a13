"""The search index kept true to the store when the service starts.

The store is the truth and the index is derived from it. After an upgrade that changes the text analysis (or the
embedded index's file format, which opens empty) a search would find old terms or nothing until someone ran
``anbudsvakt reindex``; a new user on ``scripts/run`` would not know to. So ``serve`` rebuilds the index first when
it is behind: made with another analysis, or empty while the store holds procurements.
"""

from __future__ import annotations

import logging

from tenders.index import open_index
from tenders.index.base import TenderIndex
from tenders.index.rebuild import rebuild_from_store
from tenders.settings import Settings
from tenders.store import TenderStore
from tenders.text import ANALYSIS_VERSION

logger = logging.getLogger(__name__)


def why_index_is_behind(store: TenderStore, index: TenderIndex) -> str | None:
    """Why the index must be rebuilt from the store, in Swedish, or None when it is current."""
    if index.analysis_version != ANALYSIS_VERSION:
        return f"det har ord från textanalys {index.analysis_version}, inte {ANALYSIS_VERSION}"
    procurements = store.count_tenders()
    if procurements and index.count() == 0:
        return f"det är tomt men databasen har {procurements} upphandlingar"
    return None


def rebuild_index_if_behind(settings: Settings) -> str | None:
    """Rebuild the index from the store when it is behind; one line saying what was done, or None."""
    store = TenderStore.from_settings(settings)
    index = open_index(settings)
    try:
        reason = why_index_is_behind(store, index)
        if reason is None:
            return None
        logger.warning("search index rebuilt from the store: %s", reason)
        report = rebuild_from_store(store, index)
        failed = f", {len(report.failed)} kunde inte indexeras" if report.failed else ""
        return f"Byggde om sökindexet ({reason}): {report.written} upphandlingar{failed}"
    finally:
        index.close()
        store.close()
